"""With `language=en`, success lines of intake, sign and dossier commands are English
(issue #21): no Vietnamese sentence, only data such as names stays as it is."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from desktop import cli
from desktop.paths import Paths
from desktop.workspace import Workspace
from tests.core.dossier.conftest import PROCEDURE, insert_catalog
from tests.core.filecheck.corpus import broken_xref, good
from tests.core.signing.signing_helpers import P12_PASSWORD, SIGNER_NAME, SIGNER_ORG, build_pki

_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def _run(data: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        code = cli.main(["--data-dir", str(data), *args], out=out, err=err)
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def english(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    workspace = Workspace(Paths(data))
    insert_catalog(workspace)
    workspace.close()
    assert _run(data, "settings", "set", "language", "en")[0] == 0
    return data


def test_success_lines_follow_the_language(english: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(good())
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(broken_xref())
    pki = build_pki(tmp_path / "pki")
    outputs = [
        _run(english, "intake", "merge", str(pdf), str(pdf), "-o", str(tmp_path / "m.pdf")),
        _run(
            english, "intake", "pages", str(pdf), "-o", str(tmp_path / "p.pdf"), "--rotate", "1:90"
        ),
        _run(english, "intake", "split", str(pdf), "--pages", "1", "-o", str(tmp_path / "s")),
        _run(english, "intake", "repair", str(damaged), "-o", str(tmp_path / "r.pdf")),
        _run(
            english,
            "sign",
            str(damaged),
            "-o",
            str(tmp_path / "signed.pdf"),
            "--p12",
            str(pki.signer.p12),
            "--password-stdin",
            "--repair",
            stdin=P12_PASSWORD + "\n",
        ),
        _run(english, "dossier", "new", "--procedure", PROCEDURE),
        _run(english, "dossier", "attach", "1", "TP3", str(pdf), str(damaged)),
        _run(english, "dossier", "validate", "1"),
        _run(english, "dossier", "repair", "1", "2"),
        _run(english, "dossier", "detach", "1", "2"),
    ]
    for code, out, err in outputs:
        assert code in (0, 1), (out, err)
        text = (out + err).replace(SIGNER_NAME, "").replace(SIGNER_ORG, "")
        # The procedure's and components' names are catalog data, in Vietnamese.
        text = re.sub(r"'[^']*'|«[^»]*»", "", text)
        text = re.sub(r"needed in this case: [^\n]*", "", text)
        assert not _VIETNAMESE.search(text), text
    assert "Mended:" in outputs[3][1] and "mended:" in outputs[4][1]
