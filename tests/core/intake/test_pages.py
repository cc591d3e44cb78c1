"""Page work: merge in order, reorder/rotate/delete, split; signed files are refused."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from scanfakes import numbered_pdf, quadrants, save, signed_pdf, widths

from desktop.errors import UserError
from desktop.intake import pages, pdfs


def test_merge_keeps_the_given_order_of_pdfs_and_images(scans: Path) -> None:
    first = numbered_pdf(scans / "first.pdf", 2)
    image = save(quadrants((70, 20)), scans / "seven.jpg", dpi=(72, 72))
    png = save(quadrants((50, 20)), scans / "five.png", dpi=(72, 72))
    last = numbered_pdf(scans / "last.pdf", 3)
    out = scans / "merged.pdf"
    result = pages.merge([first, image, png, last], out)
    assert result.pages == 7
    assert widths(out) == [1, 2, 7, 5, 1, 2, 3]
    assert image.read_bytes() in out.read_bytes()  # the JPEG is still not re-encoded


def test_edit_pages_deletes_rotates_and_reorders(scans: Path) -> None:
    source = numbered_pdf(scans / "in.pdf", 4)
    before = source.read_bytes()
    out = scans / "out.pdf"
    result = pages.edit_pages(source, out, order=[3, 1, 2], rotate=[(2, 90)], delete=[4])
    assert result.pages == 3 and widths(out) == [3, 1, 2]
    with pikepdf.open(out) as pdf:
        assert [int(p.obj.get("/Rotate", 0)) for p in pdf.pages] == [0, 0, 90]
    assert source.read_bytes() == before  # the original is kept


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"order": [1, 2]}, pages.E_ORDER),
        ({"order": [1, 1, 2]}, pages.E_ORDER),
        ({"delete": [1, 2, 3]}, pages.E_NO_PAGES_LEFT),
        ({"rotate": [(9, 90)]}, pages.E_PAGE_RANGE),
    ],
)
def test_edit_pages_refuses_impossible_requests(scans: Path, kwargs, code: str) -> None:  # type: ignore[no-untyped-def]
    source = numbered_pdf(scans / "in.pdf", 3)
    with pytest.raises(UserError) as caught:
        pages.edit_pages(source, scans / "out.pdf", **kwargs)
    assert caught.value.code == code
    assert not (scans / "out.pdf").exists()


def test_split_writes_one_file_per_range(scans: Path) -> None:
    source = numbered_pdf(scans / "in.pdf", 5)
    results = pages.split(source, pages.parse_ranges("1-3,4-5"), scans / "part")
    assert [Path(r.output).name for r in results] == ["part-1.pdf", "part-2.pdf"]
    assert widths(scans / "part-1.pdf") == [1, 2, 3] and widths(scans / "part-2.pdf") == [4, 5]


def test_page_specs() -> None:
    assert pages.parse_pages("3,1-2").expand(3, Path("x.pdf")) == [3, 1, 2]
    assert pages.parse_rotation("2:-90") == (2, 270)
    for bad in ("", "a", "3-1", "0"):
        with pytest.raises(UserError):
            pages.parse_pages(bad)
    with pytest.raises(UserError):
        pages.parse_rotation("2:45")


def test_signed_pdf_is_refused_by_every_page_operation(scans: Path) -> None:
    signed = signed_pdf(numbered_pdf(scans / "plain.pdf", 3), scans / "signed.pdf")
    assert pdfs.is_signed(signed) and not pdfs.is_signed(scans / "plain.pdf")
    before = signed.read_bytes()
    attempts = [
        lambda: pages.merge([signed, scans / "plain.pdf"], scans / "m.pdf"),
        lambda: pages.edit_pages(signed, scans / "e.pdf", rotate=[(1, 90)]),
        lambda: pages.split(signed, [[1]], scans / "s"),
    ]
    for attempt in attempts:
        with pytest.raises(UserError) as caught:
            attempt()
        assert caught.value.code == pdfs.E_SIGNED
        assert "chữ ký" in str(caught.value)
    assert signed.read_bytes() == before
    assert not any(p.name.startswith(("m.", "e.", "s-")) for p in scans.iterdir())


def test_encrypted_and_damaged_pdfs_are_refused(scans: Path) -> None:
    plain = numbered_pdf(scans / "plain.pdf", 1)
    with pikepdf.open(plain) as pdf:
        pdf.save(scans / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    (scans / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    with pytest.raises(UserError) as locked:
        pages.edit_pages(scans / "locked.pdf", scans / "x.pdf", rotate=[(1, 90)])
    assert locked.value.code == pdfs.E_ENCRYPTED
    with pytest.raises(UserError) as broken:
        pages.edit_pages(scans / "broken.pdf", scans / "y.pdf", rotate=[(1, 90)])
    assert broken.value.code == pdfs.E_BAD_PDF


def test_cli_merge_pages_split(run_cli, scans: Path) -> None:  # type: ignore[no-untyped-def]
    a = numbered_pdf(scans / "a.pdf", 4)
    b = save(quadrants((90, 20)), scans / "b.jpg", dpi=(72, 72))
    assert run_cli("intake", "merge", str(a), str(b), "-o", str(scans / "m.pdf")).code == 0
    assert widths(scans / "m.pdf") == [1, 2, 3, 4, 9]
    done = run_cli(
        "intake", "pages", str(scans / "m.pdf"), "-o", str(scans / "p.pdf"),
        "--order", "3,1,2,5", "--rotate", "2:90", "--delete", "4",
    )  # fmt: skip
    assert done.code == 0 and widths(scans / "p.pdf") == [3, 1, 2, 9]
    cut = run_cli(
        "intake", "split", str(scans / "p.pdf"), "--pages", "1-2,3-4", "-o", str(scans / "x")
    )
    assert cut.code == 0 and widths(scans / "x-2.pdf") == [2, 9]
    signed = signed_pdf(a, scans / "signed.pdf")
    refused = run_cli("intake", "pages", str(signed), "-o", str(scans / "q.pdf"), "--delete", "1")
    assert refused.code == 1 and "ký số" in refused.err
