"""The formats `catalog load` reads: the app's own and the national portal's records.

Apart from desktop.catalog.loader so that the command's parser (and a search) does not
import the loader's JSON-schema validation and converters."""

from __future__ import annotations

NATIVE = "native"
DVCQG = "dvcqg"
FORMATS = (NATIVE, DVCQG)
