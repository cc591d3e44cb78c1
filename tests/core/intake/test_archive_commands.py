"""The archival options and commands from the command line: `--pdfa` (and the workspace
setting), `intake pdfa`, `intake check`, `intake metadata`, and a batch that ends in
signed PDF/A-2b files with a Vietnamese text layer, the record metadata and search."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pdfa_fakes import text_pdf
from PIL import Image
from pypdf import PdfReader
from scanfakes import numbered_pdf, quadrants, save
from vietnamese_pages import page, save_page

from desktop.intake.pdfa_check import check
from desktop.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "signing"))
from signing_helpers import P12_PASSWORD, Pki, pki  # noqa: F401 (pki: the fixture)

PROCEDURE = "BYT-DUOC-CCHN-CAP-LAI-THI"  # bundled catalog: TP1 and TP2


def xmp(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return bytes(pdf.Root.Metadata.read_bytes()).decode()


def test_images2pdf_pdfa_follows_the_option_and_the_setting(  # type: ignore[no-untyped-def]
    run_cli, scans: Path
) -> None:
    image = save(quadrants((200, 280)), scans / "a.jpg", dpi=(300, 300))
    meta = ["--meta", "record_code=H9", "--meta", "title=Bản sao giấy khai sinh"]
    made = run_cli("intake", "images2pdf", str(image), "-o", str(scans / "a.pdf"), "--pdfa", *meta)
    assert made.code == 0, made.err
    assert "PDF/A-2b" in made.out and check(scans / "a.pdf") == []
    assert "<hstl:RecordCode>H9</hstl:RecordCode>" in xmp(scans / "a.pdf")
    plain = run_cli("intake", "images2pdf", str(image), "-o", str(scans / "b.pdf"))
    assert plain.code == 0 and check(scans / "b.pdf") != []
    assert run_cli("settings", "set", "intake_pdfa", "true").code == 0
    run_cli("intake", "images2pdf", str(image), "-o", str(scans / "c.pdf"))
    assert check(scans / "c.pdf") == []
    run_cli("intake", "images2pdf", str(image), "-o", str(scans / "d.pdf"), "--no-pdfa")
    assert check(scans / "d.pdf") != []


def test_merge_and_compress_write_pdfa(run_cli, scans: Path) -> None:  # type: ignore[no-untyped-def]
    first = numbered_pdf(scans / "one.pdf", 2)
    image = save(Image.effect_noise((900, 1200), 50).convert("RGB"), scans / "n.jpg",
                 dpi=(300, 300), quality=95)  # fmt: skip
    merged = run_cli("intake", "merge", str(first), str(image), "-o", str(scans / "m.pdf"),
                     "--pdfa", "--json")  # fmt: skip
    assert merged.code == 0, merged.err
    assert json.loads(merged.out)["output"] == str(scans / "m.pdf")
    assert check(scans / "m.pdf") == []
    limit = 200_000
    squeezed = run_cli("intake", "compress", str(scans / "m.pdf"), "-o", str(scans / "s.pdf"),
                       "--max-size", str(limit), "--pdfa", "--min-dpi", "50",
                       "--allow-below-200dpi", "--json")  # fmt: skip
    assert squeezed.code == 0, squeezed.err
    assert check(scans / "s.pdf") == []
    size = (scans / "s.pdf").stat().st_size
    assert json.loads(squeezed.out)["size"] == size and size <= limit


def test_intake_pdfa_refuses_what_it_cannot_convert(run_cli, scans: Path) -> None:  # type: ignore[no-untyped-def]
    source = text_pdf(scans / "van-ban.pdf")
    refused = run_cli("intake", "pdfa", str(source), "-o", str(scans / "out.pdf"))
    assert refused.code == 1
    assert "Helvetica" in refused.err and "không được nhúng" in refused.err
    assert not (scans / "out.pdf").exists()
    ok = run_cli("intake", "pdfa", str(numbered_pdf(scans / "n.pdf", 1)), "-o",
                 str(scans / "ok.pdf"))  # fmt: skip
    assert ok.code == 0 and check(scans / "ok.pdf") == []


def test_intake_check_lists_what_to_do_and_exits_1(run_cli, scans: Path) -> None:  # type: ignore[no-untyped-def]
    good = save_page(scans / "a.jpg", 300, lines=6)
    blank = scans / "b.jpg"
    Image.new("RGB", (1240, 1754), "white").save(blank, dpi=(150, 150))
    run_cli("intake", "images2pdf", str(good), str(blank), "-o", str(scans / "x.pdf"))
    result = run_cli("intake", "check", str(scans / "x.pdf"), "--pages", "2")
    assert result.code == 1
    assert "[delete] trang 2: trang trắng" in result.out
    assert "[rescan] trang 2: độ phân giải 150 dpi" in result.out
    assert "[rescan] trang 1: quét thang xám" in result.out
    data = json.loads(run_cli("intake", "check", str(scans / "x.pdf"), "--json").out)
    assert {i["kind"] for i in data[0]["issues"]} == {"blank", "low_dpi", "not_colour"}
    assert data[0]["pdfa_problems"]  # not PDF/A: said, not an issue of the scan


def test_metadata_set_show_and_export(run_cli, workspace: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dossier = workspace.dossiers.create(PROCEDURE)
    done = run_cli("intake", "metadata", "set", str(dossier.id), "record_code=H3",
                   "title=Hồ sơ cấp lại", "retention=10 năm")  # fmt: skip
    assert done.code == 0, done.err
    shown = run_cli("intake", "metadata", "show", str(dossier.id))
    assert "Thời hạn bảo quản: 10 năm" in shown.out
    bad = run_cli("intake", "metadata", "set", str(dossier.id), "pages=không")
    assert bad.code == 1 and "số nguyên dương" in bad.err
    assert run_cli("intake", "metadata", "set", "999", "title=x").code == 1
    out = tmp_path / "ho-so.json"
    assert run_cli("intake", "metadata", "export", "-o", str(out)).code == 0
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    nowhere = run_cli("intake", "metadata", "export", "-o", str(tmp_path / "no" / "x.csv"))
    assert nowhere.code == 1 and "không tồn tại" in nowhere.err
    assert records == [{**records[0], "dossier_id": dossier.id, "record_code": "H3",
                        "title": "Hồ sơ cấp lại", "retention": "10 năm"}]  # fmt: skip


def test_a_batch_becomes_signed_pdfa_with_text_and_record_metadata(
    run_cli,  # type: ignore[no-untyped-def]
    workspace: Workspace,
    pki: Pki,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = tmp_path / "lo-3"
    folder = root / "ho-so-1"
    folder.mkdir(parents=True)
    # A colour scan, as the digitising rules ask.
    page(300, lines=8).convert("RGB").save(folder / "TP1_to-khai.jpg", dpi=(300, 300))
    text_pdf(folder / "TP2_van-ban.pdf")  # a font not embedded: cannot become PDF/A
    lot = root.parent / "lo-3.txt"
    lot.write_text("access=Công khai\nretention=Vĩnh viễn\nrecord_code=H49-LO3\n", "utf-8")
    (folder / "metadata.txt").write_text("title=Hồ sơ khai sinh Trần Minh Khôi\npages=1\n", "utf-8")
    result = run_cli("intake", "batch", str(root), "--procedure", PROCEDURE, "--pdfa", "--ocr",
                     "--metadata", str(lot), "--json")  # fmt: skip
    assert result.code == 0, result.err
    report = json.loads(result.out)["folders"][0]
    dossier_id = report["dossier_id"]
    assert any("TP2" in n and "ISO 19005-2" in n for n in report["needs_person"])
    record = workspace.records.get(dossier_id)
    assert record is not None and record.get("record_code") == "H49-LO3"
    assert record.get("title") == "Hồ sơ khai sinh Trần Minh Khôi"
    # Searching the dossier list for words of the scan, typed without diacritics.
    assert [r.id for r in workspace.dossiers.list(search="nguyen thi huong")] == [dossier_id]
    assert workspace.dossiers.list(search="khoi tran minh") == []  # not on the 8 lines
    # Sign the dossier: its PDF/A stays PDF/A, with its text layer and metadata.
    workspace.dossiers.transition(dossier_id, "READY", "test")
    workspace.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    signed = run_cli("dossier", "sign", str(dossier_id), "--p12", str(pki.signer.p12),
                     "--password-stdin", "--visible")  # fmt: skip
    assert signed.code == 0, signed.err
    again = Workspace(workspace.paths)
    try:
        files = {a.component_code: again.store.path(a.sha256)
                 for a in again.dossiers.get(dossier_id).attachments}  # fmt: skip
        scan = files["TP1"]
        assert check(scan) == []
        assert "Nguyễn Thị Hương" in PdfReader(scan).pages[0].extract_text()
        packet = xmp(scan)
        assert "H49-LO3" in packet and "Hồ sơ khai sinh Trần Minh Khôi" in packet
        shown = subprocess.run(["pdfsig", str(scan)], capture_output=True, text=True, check=False)
        assert "Signature Validation: Signature is Valid." in shown.stdout
        checked = run_cli("intake", "check", "--dossier", str(dossier_id), "--json")
        by_file = {d["file"]: d for d in json.loads(checked.out)}
        tp1 = next(v for k, v in by_file.items() if k.startswith("TP1"))
        assert tp1["issues"] == [] and tp1["pdfa_problems"] == []
    finally:
        again.close()


def test_a_batch_with_ocr_stops_before_any_folder_when_tesseract_is_missing(  # type: ignore[no-untyped-def]
    run_cli, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "lo"
    (root / "ho-so").mkdir(parents=True)
    save(quadrants(), root / "ho-so" / "TP1_don.jpg", dpi=(300, 300))
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run_cli("intake", "batch", str(root), "--procedure", PROCEDURE, "--ocr")
    assert result.code == 1 and "tesseract-ocr-vie" in result.err
    assert workspace.dossiers.count() == 0


def test_pdfa_output_over_an_input_or_in_a_missing_folder_is_refused(  # type: ignore[no-untyped-def]
    run_cli, scans: Path
) -> None:
    first = numbered_pdf(scans / "one.pdf", 1)
    before = first.read_bytes()
    for command in (["merge", str(first)], ["compress", str(first), "--max-size", "10MB"]):
        same = run_cli("intake", *command, "-o", str(first), "--pdfa")
        assert same.code == 1 and "trùng với tệp đầu vào" in same.err
        assert first.read_bytes() == before
        missing = run_cli("intake", *command, "-o", str(scans / "no" / "x.pdf"), "--pdfa")
        assert missing.code == 1 and "không tồn tại" in missing.err
