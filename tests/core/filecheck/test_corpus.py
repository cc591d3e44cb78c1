"""Issue #21's corpus: every broken PDF gets the same verdict from attach, validate,
intake and sign, in Vietnamese and in English, with no traceback, no leftover file and
no library text.

Each command runs in process through the real CLI (`cli.main`); an unexpected
exception would fail the test instead of printing a traceback.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.filecheck.pdf import inspect_pdf
from desktop.paths import Paths
from desktop.signing.pkcs12 import load_p12
from desktop.signing.signer import sign_pdf
from desktop.workspace import Workspace
from tests.core.dossier.conftest import PROCEDURE, insert_catalog
from tests.core.signing.signing_helpers import P12_PASSWORD, SIGNER_ORG, Pki, build_pki

from .corpus import not_a_pdf, write_corpus

# Corpus file -> the verdict's refusal (None: the file is fine for every command).
VERDICTS: dict[str, str | None] = {
    "good": None,
    "missing-id": None,
    "indirect-mediabox": None,
    "owner-only": None,
    "stray-byterange": None,
    "signed-intact": None,
    "fields-not-array": "pdf.repairable",
    "huge-count": "pdf.repairable",
    "broken-xref": "pdf.repairable",
    "deep-page-tree": "pdf.damaged",
    "looping-page-tree": "pdf.damaged",
    "brotli-stream": "pdf.damaged",
    "undecodable-stream": "pdf.damaged",
    "broken-signature": "pdf.broken_signature",
    "tampered-signature": "pdf.broken_signature",
    "user-password": "pdf.password",
}
# Page work would break an intact signature: refused, and said so.
INTAKE_CODE = {"signed-intact": "pdf.signed"}
# `sign` can take the file's password, so it asks for it instead.
SIGN_CODE = {"pdf.password": "signing.pdf_password_needed"}
SIGNER_NAME = "NGUYỄN VĂN A"
# Fragments of library exception text that must never reach a clerk.
LIBRARY_TEXT = (
    "Traceback",
    "Error:",
    "Exception",
    "object",
    "Object",
    "pip install",
    "asn1",
    "pikepdf",
    "pypdf",
    "pyhanko",
    "getAllPages",
    "NoneType",
    "(/",
)
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("corpus")
    paths = write_corpus(folder)
    # A real signature whose signed bytes were changed afterwards (same length).
    signed = folder / "signed-intact.pdf"
    sign_pdf(paths["good"], signed, load_p12(pki.signer.p12, P12_PASSWORD))
    tampered = folder / "tampered-signature.pdf"
    tampered.write_bytes(signed.read_bytes().replace(b"(To khai)", b"(To kha1)", 1))
    paths["signed-intact"] = signed
    paths["tampered-signature"] = tampered
    return paths


def _cli(data: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    from desktop import cli

    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(["--data-dir", str(data), *args], out=out, err=err)
    finally:
        sys.stdin = saved
    return code, out.getvalue(), err.getvalue()


def _code(result: tuple[int, str, str]) -> str | None:
    """The refusal code of a --json run (None when it succeeded)."""
    status, out, _ = result
    if status == 0:
        return None
    return str(json.loads(out)["error"]["code"])


def _clean_message(text: str, language: str) -> None:
    # The signer's name is data, not a sentence: it stays in Vietnamese.
    text = text.replace(SIGNER_NAME, "").replace(SIGNER_ORG, "")
    for fragment in LIBRARY_TEXT:
        assert fragment not in text, f"library text {fragment!r} in: {text}"
    if language == "en":
        assert not _VIETNAMESE.search(text), f"Vietnamese in English output: {text}"


@pytest.fixture(params=["vi", "en"])
def data(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    workspace = Workspace(Paths(folder))
    insert_catalog(workspace)
    workspace.close()
    assert _cli(folder, "settings", "set", "language", request.param)[0] == 0
    return folder


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_every_command_gives_the_same_verdict(
    name: str, data: Path, corpus: dict[str, Path], pki: Pki, tmp_path: Path
) -> None:
    language = json.loads(_cli(data, "settings", "show", "--json")[1]).get("language", "vi")
    source = corpus[name]
    before = source.read_bytes()
    expected = VERDICTS[name]
    out = tmp_path / "out"
    out.mkdir()

    # attach, then validate: a refusal at attach, or an error on the component.
    assert _cli(data, "dossier", "new", "--procedure", PROCEDURE)[0] == 0
    attach = _cli(data, "dossier", "attach", "1", "TP3", str(source), "--json")
    if attach[0] == 0:
        shown = _cli(data, "dossier", "validate", "1", "--json")[1]
        codes = {p["code"] for p in json.loads(shown)["problems"] if p["severity"] == "error"}
        pdf_codes = {c for c in codes if c.startswith("pdf.")}
        assert pdf_codes == ({expected} if expected else set()), (name, codes)
        human = _cli(data, "dossier", "validate", "1")[1]
        lines = [line for line in human.splitlines() if source.name in line]
        for line in lines:
            _clean_message(line, language)
    else:
        assert _code(attach) == expected, name
        _clean_message(_cli(data, "dossier", "attach", "1", "TP3", str(source))[2], language)

    # intake: merge, pages and split decide alike.
    page_work = {
        "merge": ("intake", "merge", str(source), "-o", str(out / "merged.pdf")),
        "pages": ("intake", "pages", str(source), "-o", str(out / "p.pdf"), "--rotate", "1:90"),
        "split": ("intake", "split", str(source), "--pages", "1", "-o", str(out / "part")),
    }
    for command in page_work.values():
        got = _code(_cli(data, *command, "--json"))
        assert got == INTAKE_CODE.get(name, expected), (name, command[1], got)
        if got is not None:
            _clean_message(_cli(data, *command)[2], language)
    # compress: the verdict first; a sound file then gets compress's own answer (under
    # the limit already, or: these files hold no image to make smaller).
    squeeze = ("intake", "compress", str(source), "-o", str(out / "c.pdf"), "--max-size", "1KB")
    got = _code(_cli(data, *squeeze, "--json"))
    wanted = INTAKE_CODE.get(name, expected)
    if wanted is None:
        assert got in (None, "intake.nothing_to_compress", "intake.text_over_limit"), name
    else:
        assert got == wanted, (name, "compress", got)
    _clean_message(_cli(data, *squeeze)[2], language)

    # sign
    signed = out / "signed.pdf"
    sign_args = ("sign", str(source), "-o", str(signed), "--p12", str(pki.signer.p12))
    result = _cli(data, *sign_args, "--password-stdin", "--json", stdin=P12_PASSWORD + "\n")
    assert _code(result) == SIGN_CODE.get(expected or "", expected), (name, result)
    again = _cli(data, *sign_args[:3], str(out / "again.pdf"), *sign_args[4:],
                 "--password-stdin", stdin=P12_PASSWORD + "\n")  # fmt: skip
    assert again[0] == result[0]
    _clean_message(again[2] if again[0] else again[1], language)

    # Nothing changed, nothing left behind.
    assert source.read_bytes() == before
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers
    assert not list(source.parent.glob(".*"))


@pytest.mark.parametrize("name", sorted(VERDICTS))
def test_intake_batch_gives_each_file_the_same_verdict(
    name: str, data: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    """A broken file in a batch folder: the verdict attach gives, as a "needs a person"
    entry of its folder in the journal; no traceback, no leftover file."""
    language = json.loads(_cli(data, "settings", "show", "--json")[1]).get("language", "vi")
    root = tmp_path / "lo"
    folder = root / "ho-so"
    folder.mkdir(parents=True)
    scan = folder / f"TP3_{name}.pdf"
    shutil.copyfile(corpus[name], scan)
    before = scan.read_bytes()
    expected = VERDICTS[name]

    # What attach (then validate) says of the same file, in a dossier of its own.
    assert _cli(data, "dossier", "new", "--procedure", PROCEDURE)[0] == 0
    attach = _cli(data, "dossier", "attach", "1", "TP3", str(scan), "--json")
    refusal = None if attach[0] == 0 else json.loads(attach[1])["error"]

    status, out, err = _cli(data, "intake", "batch", str(root), "--procedure", PROCEDURE, "--json")
    assert status == 0, (name, out, err)
    (result,) = json.loads(out)["folders"]
    dossier = str(result["dossier_id"])
    shown = json.loads(_cli(data, "dossier", "validate", dossier, "--json")[1])["problems"]
    mine = [p for p in shown if p["code"].startswith("pdf.")]
    about_file = [line for line in result["needs_person"] if scan.name in line]
    if refusal is not None:
        # Refused at attach: refused in the batch with the same words, nothing attached.
        assert refusal["code"] == expected, name
        assert about_file == [f"TP3: {scan.name}: {refusal['message']}"], (name, about_file)
        assert result["attached"] == []
    else:
        # Taken by attach: the batch's dossier carries the same verdict on that file.
        assert {p["code"] for p in mine if p["severity"] == "error"} == (
            {expected} if expected else set()
        ), name
        assert result["attached"] == [f"TP3: {scan.name}"]
        for problem in (p for p in mine if p["severity"] == "error"):
            assert problem["message"] in result["needs_person"], (name, result)
        if expected is None:
            assert about_file == [], (name, about_file)
    # Component names are catalog data, in Vietnamese whatever the language.
    unquoted = re.compile(r"'[^']*'|«[^»]*»")
    for line in result["needs_person"]:
        _clean_message(unquoted.sub("", line), language)
    # The journal keeps the same entry for a person to find after the run.
    journal = json.loads(next((root / ".dvc-intake-batch" / "folders").iterdir()).read_text())
    assert journal["report"]["needs_person"] == result["needs_person"]
    human = _cli(data, "intake", "batch", str(root), "--procedure", PROCEDURE)
    assert human[0] == 0
    _clean_message(unquoted.sub("", human[1] + human[2]), language)
    # Nothing changed, nothing left behind.
    assert scan.read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == [".dvc-intake-batch", "ho-so"]
    assert [p.name for p in folder.iterdir()] == [scan.name]
    assert list((data / "tmp").iterdir()) == []


def test_a_file_that_is_not_a_pdf_is_called_so_by_every_command(data: Path, tmp_path: Path) -> None:
    source = tmp_path / "ho-so.pdf"
    source.write_bytes(not_a_pdf())
    out = tmp_path / "o.pdf"
    assert _cli(data, "dossier", "new", "--procedure", PROCEDURE)[0] == 0
    assert _code(_cli(data, "dossier", "attach", "1", "TP3", str(source), "--json")) == (
        "attachments.wrong_type"
    )
    for command in (
        ("intake", "merge", str(source), "-o", str(out)),
        ("intake", "pages", str(source), "-o", str(out), "--rotate", "1:90"),
        ("intake", "split", str(source), "--pages", "1", "-o", str(tmp_path / "part")),
    ):
        assert _code(_cli(data, *command, "--json")) == "intake.unsupported_type", command


def test_page_lists_are_checked_before_they_are_expanded(
    data: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    source = corpus["good"]
    for command in (
        ("intake", "split", str(source), "--pages", "1-9999999999", "-o", str(tmp_path / "p")),
        ("intake", "pages", str(source), "-o", str(tmp_path / "o.pdf"), "--delete", "1-9999999999"),
    ):
        result = _cli(data, *command, "--json")
        assert _code(result) == "intake.page_out_of_range"
        assert json.loads(result[1])["error"]["params"]["page"] == 2


@pytest.mark.parametrize("name", sorted(n for n, v in VERDICTS.items() if v == "pdf.repairable"))
def test_repair_mends_what_it_can_and_says_what_it_changed(
    name: str, data: Path, corpus: dict[str, Path], pki: Pki, tmp_path: Path
) -> None:
    language = json.loads(_cli(data, "settings", "show", "--json")[1]).get("language", "vi")
    source = corpus[name]
    mended = tmp_path / "mended.pdf"
    status, out, _ = _cli(data, "intake", "repair", str(source), "-o", str(mended))
    assert status == 0
    _clean_message(out, language)
    assert ("Mended:" if language == "en" else "Lỗi đã sửa:") in out
    assert inspect_pdf(mended).damage == ()
    # The window's "Sửa tệp" and `dossier repair` share DossierService.repair.
    assert _cli(data, "dossier", "new", "--procedure", PROCEDURE)[0] == 0
    assert _cli(data, "dossier", "attach", "1", "TP3", str(source))[0] == 0
    assert _cli(data, "dossier", "repair", "1", "1")[0] == 0
    shown = json.loads(_cli(data, "dossier", "validate", "1", "--json")[1])["problems"]
    assert not [p for p in shown if p["code"].startswith("pdf.")]
    # sign --repair signs a mended copy and leaves no temp file.
    signed = tmp_path / "out" / "signed.pdf"
    signed.parent.mkdir()
    status, out, _ = _cli(data, "sign", str(source), "-o", str(signed), "--p12",
                          str(pki.signer.p12), "--password-stdin", "--repair",
                          stdin=P12_PASSWORD + "\n")  # fmt: skip
    assert status == 0
    _clean_message(out, language)
    assert [p.name for p in signed.parent.iterdir()] == ["signed.pdf"]


@pytest.mark.parametrize("name", sorted(n for n, v in VERDICTS.items() if v == "pdf.damaged"))
def test_repair_refuses_what_it_cannot_mend_and_writes_nothing(
    name: str, data: Path, corpus: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = _cli(data, "intake", "repair", str(corpus[name]), "-o", str(out / "m.pdf"), "--json")
    assert _code(result) == "pdf.damaged"
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "poppler_says"),
    [
        ("stray-byterange", "does not contain any signatures"),
        ("good", "does not contain any signatures"),
        ("signed-intact", "Signature is Valid"),
        ("broken-signature", "Validation Failure"),
        ("tampered-signature", "Digest Mismatch"),
    ],
)
def test_the_verdict_on_signatures_agrees_with_pdfsig(
    name: str, poppler_says: str, corpus: dict[str, Path]
) -> None:
    """poppler's pdfsig, which we did not write, sees the same signatures as the verdict."""
    assert shutil.which("pdfsig"), "poppler-utils is needed (scripts/system-deps.sh)"
    done = subprocess.run(
        ["pdfsig", "-nocert", str(corpus[name])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert poppler_says in done.stdout + done.stderr
    verdict = inspect_pdf(corpus[name])
    assert verdict.signed == ("does not contain" not in poppler_says)
    assert bool(verdict.broken_signatures) == (
        poppler_says != "Signature is Valid" and verdict.signed
    )
