"""The default stamp (settings default_stamp*, desktop/signing/defaults.py) and its use
by `sign` / `dossier sign` when no stamp option is given."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from signing_helpers import P12_PASSWORD, Pki

from desktop.errors import UserError
from desktop.settings import (
    DEFAULT_STAMP,
    DEFAULT_STAMP_SEAL_IMAGE,
    DEFAULT_STAMP_SIGNATURE_IMAGE,
    Settings,
)
from desktop.signing.defaults import StampDefaults, default_stamp, stamp_defaults


def png(path: Path, colour: tuple[int, int, int, int] = (200, 0, 0, 255)) -> Path:
    Image.new("RGBA", (60, 60), colour).save(path)
    return path


def signature_rect(pdf: Path) -> tuple[float, float, float, float]:
    """The widget rectangle of the last signature field (all zeros when invisible)."""
    reader = PdfReader(pdf)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/FT") == "/Sig" or obj.get("/Parent", {}).get("/FT") == "/Sig":
                x1, y1, x2, y2 = (float(v) for v in obj["/Rect"])
                return x1, y1, x2, y2
    return (0.0, 0.0, 0.0, 0.0)


def test_image_paths_are_checked_when_set(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(UserError) as relative:
        settings.set_by_name("default_stamp_seal_image", "con-dau.png")
    assert relative.value.code == "settings.image_relative"
    assert "đường dẫn đầy đủ" in relative.value.message("vi")
    with pytest.raises(UserError) as missing:
        settings.set(DEFAULT_STAMP_SEAL_IMAGE, str(tmp_path / "khong-co.png"))
    assert missing.value.code == "settings.image_missing"
    text = tmp_path / "dau.png"
    text.write_text("không phải ảnh")
    with pytest.raises(UserError) as not_png:
        settings.set(DEFAULT_STAMP_SIGNATURE_IMAGE, str(text))
    assert not_png.value.code == "settings.image_not_png"
    assert "PNG" in not_png.value.message("vi")
    assert settings.get(DEFAULT_STAMP_SIGNATURE_IMAGE) == ""  # nothing saved

    seal = png(tmp_path / "con-dau.png")
    settings.set(DEFAULT_STAMP_SEAL_IMAGE, str(seal))
    settings.set_by_name("default_stamp", "visible")
    with pytest.raises(UserError):
        settings.set_by_name("default_stamp", "hien")
    # A PNG removed later does not drop the setting when it is read back...
    seal.unlink()
    again = Settings(tmp_path / "settings.json")
    assert again.get(DEFAULT_STAMP_SEAL_IMAGE) == str(seal)
    assert again.get(DEFAULT_STAMP) == "visible"
    # ...but signing with it is refused, naming the setting to fix.
    with pytest.raises(UserError) as gone:
        default_stamp(stamp_defaults(again))
    assert gone.value.code == "signing.default_stamp_image"
    message = gone.value.message("vi")
    assert "default_stamp_seal_image" in message and "Không tìm thấy tệp ảnh" in message
    settings.set(DEFAULT_STAMP_SEAL_IMAGE, "")  # empty: no image, always fine


def test_default_stamp_specs(tmp_path: Path) -> None:
    assert default_stamp(StampDefaults()) is None
    seal = png(tmp_path / "dau.png")
    visible = default_stamp(StampDefaults("visible", seal_image=str(seal)), page=2)
    assert visible is not None and visible.kind == "signature" and visible.page == 2
    assert visible.seal_image == seal and visible.signature_image is None
    copy = default_stamp(StampDefaults("copy", copy_form="TRÍCH SAO", copy_agency="UBND xã A"))
    assert copy is not None and copy.kind == "copy"
    assert (copy.copy_form, copy.copy_agency) == ("TRÍCH SAO", "UBND xã A")


def _sign(run_cli, monkeypatch, pki: Pki, pdf: Path, out: Path, *options: str):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    return run_cli("sign", str(pdf), "-o", str(out), "--p12", str(pki.signer.p12),
                   "--password-stdin", "--json", *options)  # fmt: skip


def test_sign_uses_the_default_stamp_unless_told_otherwise(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seal = png(tmp_path / "dau.png")
    assert run_cli("settings", "set", "default_stamp", "visible").code == 0
    assert run_cli("settings", "set", "default_stamp_seal_image", str(seal)).code == 0

    result = _sign(run_cli, monkeypatch, pki, pdf, tmp_path / "mac-dinh.pdf")
    assert result.code == 0, result.err
    assert json.loads(result.out)["visible"]
    x1, y1, x2, y2 = signature_rect(tmp_path / "mac-dinh.pdf")
    assert x2 - x1 > 50 and y2 - y1 > 20

    # An explicit option wins over the setting.
    result = _sign(run_cli, monkeypatch, pki, pdf, tmp_path / "an.pdf", "--invisible")
    assert result.code == 0, result.err
    assert not json.loads(result.out)["visible"]
    assert signature_rect(tmp_path / "an.pdf") == (0.0, 0.0, 0.0, 0.0)

    assert run_cli("settings", "set", "default_stamp", "copy").code == 0
    assert run_cli("settings", "set", "default_stamp_copy_agency", "UBND xã Hòa Bình").code == 0
    result = _sign(run_cli, monkeypatch, pki, pdf, tmp_path / "sao.pdf")
    assert result.code == 0, result.err
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "sao.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "SAO Y" in text and "UBND xã Hòa Bình" in text


def test_a_missing_default_image_is_refused_before_the_password(
    run_cli, pki: Pki, pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seal = png(tmp_path / "dau.png")
    run_cli("settings", "set", "default_stamp", "visible")
    run_cli("settings", "set", "default_stamp_seal_image", str(seal))
    seal.unlink()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no password is ever read
    result = run_cli("sign", str(pdf), "-o", str(tmp_path / "out.pdf"),
                     "--p12", str(pki.signer.p12), "--password-stdin")  # fmt: skip
    assert result.code == 1
    assert "Chữ ký mặc định" in result.err and "default_stamp_seal_image" in result.err
    assert not (tmp_path / "out.pdf").exists()
    # --invisible needs no image: it signs.
    result = _sign(run_cli, monkeypatch, pki, pdf, tmp_path / "out.pdf", "--invisible")
    assert result.code == 0, result.err


def test_dossier_sign_uses_the_default_stamp(
    run_cli, workspace, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from signing_helpers import make_pdf
    from test_dossier_sign import _ready_dossier

    dossier_id = _ready_dossier(workspace, [make_pdf(tmp_path / "to-khai.pdf", pages=1)])
    workspace.settings.set_by_name("default_stamp", "copy")
    workspace.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(P12_PASSWORD + "\n"))
    result = run_cli("dossier", "sign", str(dossier_id), "--p12", str(pki.signer.p12),
                     "--password-stdin", "--json")  # fmt: skip
    assert result.code == 0, result.err
    from desktop.workspace import Workspace

    again = Workspace(workspace.paths)
    try:
        signed = again.store.path(again.dossiers.get(dossier_id).attachments[0].sha256)
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(signed), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert "SAO Y" in text
    finally:
        again.close()
