"""Text from outside is shown with control, bidi and zero-width characters escaped:
in every CLI output (an officer note with `\\x1b[2J` must not clear the terminal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dossier.conftest import PROCEDURE, insert_catalog

from desktop.display import safe_text
from desktop.paths import Paths
from desktop.workspace import Workspace

HOSTILE = "Lan\x1b[2J\x07\u202egpj.exe\u200b\u2066x\r"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[2J", "\\x1b[2J"),
        ("a\u202eb", "a\\u202eb"),
        ("zero\u200bwidth\ufeff", "zero\\u200bwidth\\ufeff"),
        ("bell\x07 cr\r del\x7f c1\x9b", "bell\\x07 cr\\x0d del\\x7f c1\\x9b"),
        ("line\nbreak\tand tab", "line\nbreak\tand tab"),
        ("Nguyễn Thị Lan — đơn", "Nguyễn Thị Lan — đơn"),
        ("scan-\udcff.jpg", "scan-\\udcff.jpg"),
    ],
)
def test_safe_text(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


def test_cli_output_never_carries_raw_escapes(run_cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    workspace = Workspace(Paths(data_dir))
    insert_catalog(workspace)
    workspace.close()
    assert run_cli("dossier", "new", "--procedure", PROCEDURE).code == 0
    assert run_cli("dossier", "set", "1", f"applicant.name={HOSTILE}").code == 0
    for args in (("dossier", "list"), ("dossier", "show", "1"), ("dossier", "validate", "1")):
        result = run_cli(*args)
        for raw in ("\x1b", "\x07", "\u202e", "\u200b", "\u2066", "\r"):
            assert raw not in result.out + result.err, (args, raw)
        if args[1] != "validate":
            assert "Lan\\x1b[2J" in result.out, args
    shown = run_cli("dossier", "show", "1", "--json")
    assert "\u202e" not in shown.out
    assert json.loads(shown.out)["applicant"]["name"] == HOSTILE.strip()  # JSON keeps it
