"""A bounded-time fuzz target (hypothesis) over three readers of outside input: catalog
import, `dossier set` and the PDF facts reader. Whatever the input, the answer is a
result or a DvcError (a message for the clerk), never another exception.

Each test runs a fixed number of examples with no deadline: about half a minute in all
in `make test`. Raise FUZZ_EXAMPLES to search longer (e.g. FUZZ_EXAMPLES=5000).
"""

from __future__ import annotations

import io
import json
import os
import random
import sys
from pathlib import Path

import pytest
from attachments.samples import pdf_bytes
from dossier.conftest import PROCEDURE, insert_catalog
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.attachments.pdf_facts import pdf_facts
from desktop.catalog.loader import import_catalog
from desktop.dossier.fields import known_keys
from desktop.errors import DvcError
from desktop.paths import Paths
from desktop.workspace import Workspace

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: a failure in CI repeats at home
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text as it comes from outside: controls, bidi, zero-width, lone surrogates, Vietnamese.
HOSTILE_TEXT = st.lists(
    st.text(max_size=6)
    | st.sampled_from(["\x1b[2J", "\u202e", "\u200b", "\udcff", "đ", "Ư", "0", "-", "=", "\n"]),
    max_size=6,
).map("".join)
NUMBERS = st.integers(min_value=-(2**70), max_value=2**70) | st.floats(
    allow_nan=False, allow_infinity=False
)
LEAVES = st.none() | st.booleans() | NUMBERS | HOSTILE_TEXT
KEYS = st.sampled_from(
    ["format_version", "agencies", "fields", "procedures", "code", "name", "key", "components",
     "fees", "dvcqg_page_id", "agency_code", "field_code", "successor", "valid_from"]
) | HOSTILE_TEXT  # fmt: skip
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def fuzz_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("fuzz")
    workspace = Workspace(Paths(root / "data"))
    insert_catalog(workspace)
    return workspace


def _catalog_text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, allow_nan=False).replace("\udcff", "?")


@FUZZ
@given(
    document=st.fixed_dictionaries(
        {"format_version": st.just(1) | NUMBERS, "agencies": JSON_VALUES,
         "fields": JSON_VALUES, "procedures": JSON_VALUES}
    ) | JSON_VALUES,
    mangle=st.sampled_from(["none", "truncate", "bytes", "deep"]),
    seed=st.integers(0, 2**16),
)  # fmt: skip
# Known hostile shapes, always tried (issue #12 item 8), then the generated ones.
@example(document={"format_version": 1}, mangle="deep", seed=7)
@example(document={"format_version": 10**5000}, mangle="none", seed=0)
@example(
    document={"format_version": 1, "agencies": [], "fields": [],
              "procedures": [{"key": "X", "dvcqg_page_id": 1e30}]},
    mangle="none", seed=0,
)  # fmt: skip
def test_catalog_import(
    fuzz_workspace: Workspace, tmp_path: Path, document: object, mangle: str, seed: int
) -> None:
    sys.set_int_max_str_digits(0)  # json.dumps of the 5000-digit example
    try:
        text = _catalog_text(document).encode("utf-8", "surrogatepass")
    finally:
        sys.set_int_max_str_digits(4300)
    rng = random.Random(seed)
    if mangle == "truncate":
        text = text[: rng.randrange(len(text) + 1)]
    elif mangle == "bytes":
        data = bytearray(text)
        for _ in range(3):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        text = bytes(data)
    elif mangle == "deep":
        depth = 3000 if seed == 7 else rng.randrange(30, 3000)
        text = b"[" * depth + text + b"]" * depth
    path = tmp_path / f"catalog-{seed}.json"
    path.write_bytes(text)
    try:
        import_catalog(fuzz_workspace.db, path)
    except DvcError as exc:
        assert exc.message()


@FUZZ
@given(
    values=st.dictionaries(st.sampled_from(known_keys()) | HOSTILE_TEXT, HOSTILE_TEXT, max_size=4)
)
@example(values={"applicant.name": "L\udcffan"})
@example(values={"applicant.id_number": "079-203-001-234\x1b[2J"})
def test_dossier_set(fuzz_workspace: Workspace, values: dict[str, str]) -> None:
    dossier = fuzz_workspace.dossiers.create(PROCEDURE)
    try:
        fuzz_workspace.dossiers.set_fields(dossier.id, values)
    except DvcError as exc:
        assert exc.message()


PDF = pdf_bytes(2)


@FUZZ
@given(
    cuts=st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.binary(max_size=8)), max_size=6),
    truncate=st.none() | st.integers(0, len(PDF)),
)
def test_pdf_facts(cuts: list[tuple[int, bytes]], truncate: int | None) -> None:
    data = bytearray(PDF)
    for offset, replacement in cuts:
        data[offset : offset + len(replacement)] = replacement
    if truncate is not None:
        del data[truncate:]
    try:
        facts = pdf_facts(io.BytesIO(bytes(data)), "fuzz.pdf")
    except DvcError as exc:
        assert exc.message()
    else:
        assert isinstance(facts, dict)
