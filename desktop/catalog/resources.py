"""Where the catalog's bundled files live: the schema and the bundled catalog.

They sit in the project's `resources/` folder (next to `desktop/`), which packaging
copies beside the code; `DVC_DESK_RESOURCES` points elsewhere (e.g. a frozen app).
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_RESOURCES = "DVC_DESK_RESOURCES"


def resources_dir() -> Path:
    """The folder holding `catalog.schema.json` and `catalog/`."""
    override = os.environ.get(ENV_RESOURCES)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


SCHEMA_PATH = resources_dir() / "catalog.schema.json"
BUNDLED_CATALOG = resources_dir() / "catalog" / "so-y-te.json"
