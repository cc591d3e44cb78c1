"""The real build: packaging/dvc-desk.spec frozen by PyInstaller, then used as a user would.

About a minute on a 2-core machine (docs/packaging.md), so it runs with the rest of the
suite whenever PyInstaller is installed (`make test` installs it). DVC_DESK_TEST_PACKAGE=0
skips it. The binary runs with a bare environment, from a folder outside the project,
so that nothing can come from the source tree or the virtualenv.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pikepdf
import pytest
from cryptography.hazmat.primitives import serialization
from pypdf import PdfWriter

from tests import pki

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "mat-khau-thu"
SIGNER = "NGUYỄN VĂN AN"

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed (pip install -e '.[package]')",
    ),
    pytest.mark.skipif(
        os.environ.get("DVC_DESK_TEST_PACKAGE") == "0", reason="DVC_DESK_TEST_PACKAGE=0"
    ),
    pytest.mark.timeout(900),
]


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """`dist/dvc-desk/` built from a copy of the project (translations compiled there)."""
    work = tmp_path_factory.mktemp("package")
    project = work / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm")
    for part in ("packaging", "resources", "desktop", "ui", "portal_sandbox"):
        shutil.copytree(ROOT / part, project / part, ignore=ignore)
    for ts in (project / "resources" / "translations").glob("*.ts"):
        subprocess.run(
            [str(BIN / "pyside6-lrelease"), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))],
            check=True,
        )
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
         str(project / "packaging" / "dvc-desk.spec")],
        check=True, cwd=work, timeout=800,
    )  # fmt: skip
    sys.stderr.write(f"\nPyInstaller build: {time.monotonic() - started:.0f} s\n")
    yield work / "dist" / "dvc-desk"
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def user(tmp_path: Path) -> dict[str, str]:
    """A bare environment: no virtualenv, no PYTHONPATH, a fresh data dir."""
    home = tmp_path / "user"
    home.mkdir()
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "DVC_DESK_HOME": str(home / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }


def _run(
    frozen: Path, env: dict[str, str], *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(frozen / "dvc-desk"), *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=env["HOME"], timeout=120,
        check=False,
    )  # fmt: skip


def test_the_folder_holds_both_executables_and_the_run_time_files(frozen: Path) -> None:
    assert os.access(frozen / "dvc-desk", os.X_OK) and os.access(frozen / "dvc-desk-app", os.X_OK)
    inside = frozen / "_internal"
    for relative in (
        "resources/catalog/so-y-te.json",
        "resources/fonts/DvcStampSerif-Regular.ttf",
        "resources/translations/dvc_desk_en.qm",
        "desktop/storage/migrations/env.py",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "pyhanko/sign/validation/qualified/lotl-certs/latest.cert.pem",
    ):
        assert (inside / relative).is_file(), relative
    assert not [p for p in frozen.rglob("*") if p.is_symlink() and not p.exists()]


def test_version_help_catalog_and_doctor(frozen: Path, user: dict[str, str]) -> None:
    assert _run(frozen, user, "--version").stdout.strip() == "dvc-desk 0.1.0"
    help_screen = _run(frozen, user, "--help")
    assert help_screen.stdout.startswith("Cách dùng: dvc-desk")
    found = _run(frozen, user, "catalog", "search", "cap phep", "--json")
    assert found.returncode == 0, found.stderr
    assert "SYT-KBCB-GPHN-CHUYEN-TIEP" in {row["key"] for row in json.loads(found.stdout)}
    doctor = _run(frozen, user, "doctor")
    assert doctor.returncode == 0 and "Cơ sở dữ liệu: tốt." in doctor.stdout
    assert (Path(user["DVC_DESK_HOME"]) / "dvc-desk.sqlite3").is_file(), "migrations ran"


def test_the_desktop_app_paints_its_window(frozen: Path, user: dict[str, str]) -> None:
    for exe in ("dvc-desk", "dvc-desk-app"):
        result = subprocess.run(
            [str(frozen / exe), "--smoke"],
            capture_output=True, text=True, env=user, cwd=user["HOME"], timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "ready", exe


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_sandbox_portal_starts_answers_and_stops(frozen: Path, user: dict[str, str]) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [str(frozen / "dvc-desk"), "portal-sandbox", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=user, cwd=user["HOME"],
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 204:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the sandbox never answered"
            time.sleep(0.2)
        catalog = httpx.get(f"{base}/v1/catalog", timeout=10)
        assert catalog.status_code == 200 and catalog.json()["procedures"]
        # The officer console needs the key printed on start (issue #12).
        assert httpx.get(f"{base}/sandbox/officer", timeout=10).status_code == 401
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    # Ctrl+C: uvicorn shuts down, then the CLI reports the interruption (exit 130).
    assert server.returncode == 130 and "đã dừng (Ctrl+C)" in err, err
    assert f"Cổng thử nghiệm: {base}" in out
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/v1/health", timeout=2)


def _p12_and_pdf(folder: Path) -> tuple[Path, Path, Path]:
    key, cert = pki.self_signed(SIGNER)
    p12 = pki.write_p12(folder / "agency.p12", key, cert, password=PASSWORD)
    pem = folder / "agency.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    pdf = folder / "to-khai.pdf"
    with pdf.open("wb") as out:
        writer.write(out)
    return p12, pem, pdf


def _embedded_font_names(pdf: Path) -> set[str]:
    with pikepdf.open(pdf) as document:
        return {
            str(obj.FontName)
            for obj in document.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor"
        }


def test_signing_with_a_p12_draws_the_stamp_in_the_bundled_font(
    frozen: Path, user: dict[str, str]
) -> None:
    folder = Path(user["HOME"])
    p12, pem, pdf = _p12_and_pdf(folder)
    signed = folder / "to-khai-da-ky.pdf"
    result = _run(
        frozen, user, "sign", str(pdf), "-o", str(signed), "--p12", str(p12),
        "--password-stdin", "--visible", "--position", "bottom-left", "--json",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["signer"] == SIGNER and report["visible"] is True
    assert any("DVCStampSerif" in name for name in _embedded_font_names(signed))
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(signed), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert f"Ký bởi: {SIGNER}" in text and "UBND xã Thử Nghiệm" in text
    verified = _run(frozen, user, "verify", str(signed), "--trust", str(pem), "--json")
    assert verified.returncode == 0, verified.stderr
    (signature,) = json.loads(verified.stdout)["signatures"]
    assert signature["ok"] and signature["trusted"]
