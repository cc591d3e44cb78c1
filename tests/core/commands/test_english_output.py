"""With `language=en`, success lines of intake, sign and dossier commands are English
(issue #21): no Vietnamese sentence, only data such as names stays as it is."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from desktop import cli
from desktop.paths import Paths
from desktop.workspace import Workspace
from tests.core.catalog.portal_records import copy_records
from tests.core.dossier.conftest import PROCEDURE, insert_catalog
from tests.core.filecheck.corpus import broken_xref, good
from tests.core.signing.signing_helpers import P12_PASSWORD, SIGNER_NAME, SIGNER_ORG, build_pki
from tests.core.sync.portal import PASSWORD, register, start_sandbox

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


def _orphan(data: Path) -> None:
    """A stored file the database does not know (doctor reports it, --clean keeps it young)."""
    sha = "ab" * 32
    (data / "blobs" / sha[:2]).mkdir(parents=True, exist_ok=True)
    (data / "blobs" / sha[:2] / sha).write_bytes(b"orphan")


def _more_commands(data: Path, tmp_path: Path) -> list[tuple[int, str, str]]:
    """doctor, verify, intake batch/watch, dossier show/list: what each prints."""
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(good())
    pki = build_pki(tmp_path / "pki")
    signed = tmp_path / "signed.pdf"
    assert (
        _run(
            data,
            "sign",
            str(pdf),
            "-o",
            str(signed),
            "--p12",
            str(pki.signer.p12),
            "--password-stdin",
            stdin=P12_PASSWORD + "\n",
        )[0]
        == 0
    )
    batch = tmp_path / "batch"
    (batch / "ho-so-a").mkdir(parents=True)
    (batch / "ho-so-b").mkdir()
    (batch / "ho-so-a" / "TP3_kham.pdf").write_bytes(good())
    (batch / "ho-so-a" / "la.pdf").write_bytes(good())
    scans = tmp_path / "scans"
    scans.mkdir()
    (scans / "scan1.pdf").write_bytes(good())
    (scans / "junk.pdf").write_bytes(b"not a pdf at all")
    assert _run(data, "dossier", "new", "--procedure", PROCEDURE)[0] == 0
    assert _run(data, "dossier", "set", "1", "applicant.name=An")[0] == 0
    _orphan(data)
    watch = ("--dossier", "1", "--component", "TP3", "--once", "--settle", "0")
    p12 = P12_PASSWORD + "\n"
    return [
        _run(data, "verify", str(signed)),
        _run(data, "verify", str(signed), "--trust", str(pki.root_pem)),
        _run(data, "intake", "batch", str(batch), "--procedure", PROCEDURE),
        _run(data, "intake", "batch", str(batch), "--procedure", PROCEDURE),
        _run(data, "intake", "watch", str(scans), *watch, "--interval", "0.01"),
        _run(data, "dossier", "show", "1"),
        _run(data, "dossier", "list"),
        _run(data, "dossier", "list", "--search", "nobody-has-this-name"),
        _run(data, "doctor"),
        _run(data, "doctor", "--clean", "--dry-run"),
        _run(data, "doctor", "--clean"),
        _run(data, "certs", "list", "--p12", str(pki.signer.p12), "--password-stdin", stdin=p12),
    ]


# Words of the English output that a Vietnamese run must not show.
_ENGLISH = re.compile(
    r"\b(Signature|Signer|Issued by|VALID|Dossier|Procedure|Components|History|Showing|"
    r"needs a person|folder\(s\)|attached to|moved to|Database|File store|Orphan|"
    r"Kept|Removed|Dry run|Nothing was|No problem|compressed to|page \d+:)\b"
)


def test_doctor_verify_batch_watch_show_and_list_follow_the_language(
    english: Path, tmp_path: Path
) -> None:
    outputs = _more_commands(english, tmp_path)
    for code, out, err in outputs:
        assert code in (0, 1, 4), (out, err)
        text = (out + err).replace(SIGNER_NAME, "").replace(SIGNER_ORG, "")
        # Catalog names and the clerk's file and folder names are data, in Vietnamese; so
        # are the notes of the dossier's history (a record, kept as it was written).
        text = re.sub(r"'[^']*'|«[^»]*»|\[TP\d\] [^\n]*|— [^\n]*|Procedure: [^\n]*", "", text)
        text = re.sub(r"→ [A-Z]+ [^\n]*", "", text)
        assert not _VIETNAMESE.search(text), text
    assert "Signature 1: VALID" in outputs[1][0 + 1]
    assert "needs a person: empty folder" in outputs[2][1]
    assert "done in an earlier run" in outputs[3][1]
    assert "scan1.pdf: attached to TP3" in outputs[4][1]
    assert "junk.pdf: not taken, moved to failed/" in outputs[4][1]
    assert "Orphan file" in outputs[8][1]
    assert "Key usage:" in outputs[11][1]


def test_ctrl_c_is_said_in_english(english: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*_: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("desktop.commands.dossier._list", interrupted)
    code, _, err = _run(english, "dossier", "list")
    assert code == 130 and err == "dvc-desk: stopped (Ctrl+C).\n"


def test_the_same_commands_in_vietnamese_say_no_english_sentence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    workspace = Workspace(Paths(data))
    insert_catalog(workspace)
    workspace.close()
    outputs = _more_commands(data, tmp_path)
    for code, out, err in outputs:
        assert code in (0, 1, 4), (out, err)
        assert not _ENGLISH.search(out + err), out + err
    assert "Chữ ký 1: HỢP LỆ" in outputs[1][1]
    assert "cần người xử lý: thư mục trống" in outputs[2][1]


def test_address_and_catalog_lines_follow_the_language(english: Path, tmp_path: Path) -> None:
    """Unit and procedure names are data (Vietnamese); the words around them are not."""
    bundled = tmp_path / "bundled"  # a fresh data dir holds the bundled catalog
    assert _run(bundled, "settings", "set", "language", "en")[0] == 0
    outputs = [
        _run(english, "address", "search", "Ba Đình"),
        _run(english, "address", "search", "zzzz-no-such-unit"),
        _run(english, "address", "show", "01"),
        _run(bundled, "catalog", "search", "cchn duoc"),
        _run(english, "catalog", "search", "zzzz-no-such-procedure"),
        _run(bundled, "catalog", "show", "SYT-DUOC-CCHN-XET-HO-SO"),
    ]
    for code, out, err in outputs:
        assert code == 0, (out, err)
    assert "Communes and wards (from 1 July 2025):" in outputs[0][1]
    assert "(details: dvc-desk address show CODE)" in outputs[0][1]
    assert outputs[1][1].startswith("No unit is called 'zzzz-no-such-unit'.")
    assert "Made of the former provinces and cities:" in outputs[2][1]
    assert outputs[3][1].startswith("KEY / CODE") and "procedure(s); details:" in outputs[3][1]
    assert outputs[4][1].startswith("No procedure found for 'zzzz-no-such-procedure'.")
    shown = outputs[5][1]
    for heading in ("Key: ", "Agency: ", "How to submit:", "Components:", "Legal basis:"):
        assert heading in shown, shown
    for vietnamese in ("Khoá:", "Cơ quan:", "Thành phần hồ sơ:", "bản chính:", "Phí, lệ phí"):
        assert vietnamese not in shown, shown


RESIDENCE = "1.010038"  # a real portal record with two cases (tests/core/dossier)
RECORDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "portal-procedures"


def _data_strings(value: object) -> list[str]:
    """Every text of a procedure (names, notes, steps…) and each line of it: catalog data."""
    if isinstance(value, str):
        return [value, *value.splitlines()]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _data_strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _data_strings(v)]
    return []


def _without_data(text: str, data: Path, key: str) -> str:
    workspace = Workspace(Paths(data))
    try:
        procedure = workspace.catalog.get(key)
        numbers = [e.number for e in workspace.catalog.editions(key)]
        old = [workspace.catalog.edition(key, n) for n in numbers]
    finally:
        workspace.close()
    strings = _data_strings([asdict(p) for p in [procedure, *old]])
    for known in sorted({s.strip() for s in strings if s.strip()}, key=len, reverse=True):
        text = text.replace(known, "")
    return text


def test_portal_catalog_and_checklist_lines_follow_the_language(
    english: Path, tmp_path: Path
) -> None:
    """`catalog show` of a portal record with cases, `catalog editions`, `dossier case`,
    `dossier not-applicable` and `dossier show` (a case, a mark, a newer edition)."""
    record = RECORDS / f"{RESIDENCE}.json"
    renamed = tmp_path / "new" / record.name
    renamed.parent.mkdir()
    body = json.loads(record.read_text(encoding="utf-8"))
    body["name"] += " (sửa đổi)"
    renamed.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    assert _run(english, "catalog", "import", str(record), "--format", "dvcqg")[0] == 0
    assert _run(english, "dossier", "new", "--procedure", RESIDENCE)[0] == 0
    outputs = [_run(english, "dossier", "case", "1", "TH1")]
    shown = json.loads(_run(english, "dossier", "show", "1", "--json")[1])
    unclear = [c["component"] for c in shown["checklist"] if c["status"] == "unclear"]
    mark = ("dossier", "not-applicable", "1", unclear[0], "--by", "An", "--reason", "none here")
    outputs += [
        _run(english, *mark),
        _run(english, "dossier", "not-applicable", "1", unclear[0], "--undo"),
        _run(english, *mark),
        _run(english, "catalog", "import", str(renamed), "--format", "dvcqg"),
        _run(english, "catalog", "show", RESIDENCE),
        _run(english, "catalog", "editions", RESIDENCE),
        _run(english, "dossier", "show", "1"),
    ]
    for code, out, err in outputs:
        assert code == 0, (out, err)
        text = _without_data(out + err, english, RESIDENCE)
        text = re.sub(r"→ [A-Z]+ [^\n]*", "", text)  # the history's notes: a record
        assert not _VIETNAMESE.search(text), text
    details = outputs[5][1]
    for heading in ("Cases (", "Results:", "Legal basis:", "Steps:", "Levels: ", "Edition 2: "):
        assert heading in details, details
    assert "not applicable to this dossier" in outputs[7][1]
    assert "newer edition" in outputs[7][1]


def test_a_time_the_portal_gives_no_number_for_is_said_in_english(english: Path) -> None:
    """1.013888 has processing times of unit OTHER without words: the converter's own
    words stand in for them, so they follow the language."""
    record = RECORDS / "1.013888.json"
    assert _run(english, "catalog", "import", str(record), "--format", "dvcqg")[0] == 0
    code, out, err = _run(english, "catalog", "show", "1.013888")
    assert code == 0, (out, err)
    assert "As regulated (the source gives no number)" in out
    assert "nguồn không ghi số" not in out


def test_the_sync_catalog_line_follows_the_language(english: Path, tmp_path: Path) -> None:
    """`sync --once` against the sandbox portal, which publishes the 20 real records."""
    sandbox = start_sandbox(tmp_path / "sb", catalog_records_dir=copy_records(tmp_path / "r"))
    try:
        user = register(sandbox.url)
        login = ("--portal", sandbox.url, "--username", user, "--password-stdin")
        code, out, err = _run(english, "sync", "--once", *login, stdin=PASSWORD + "\n")
    finally:
        sandbox.stop()
    assert code == 0, (out, err)
    assert out.startswith("Procedure catalog: 20 procedure(s) new or with a new edition ("), out
    assert not _VIETNAMESE.search(out + err), out + err


def test_catalog_argument_errors_follow_the_language(
    english: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse writes its usage errors to sys.stderr itself."""
    capsys.readouterr()
    assert _run(english, "catalog", "search", "x", "--limit", "0")[0] == 2
    assert "a positive whole number is needed, not '0'" in capsys.readouterr().err
    assert _run(english, "catalog", "agencies", "--on", "2025-13-01")[0] == 2
    assert "a date as YYYY-MM-DD is needed, not '2025-13-01'" in capsys.readouterr().err
