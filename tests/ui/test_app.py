"""ui/app.py: start-up, `--smoke`, and refusals shown in Vietnamese."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ui import app


def dvc_desk() -> list[str]:
    script = Path(sys.executable).with_name("dvc-desk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]


def test_smoke_prints_ready_after_the_first_paint(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [*dvc_desk(), "--data-dir", str(tmp_path / "data"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ready"
    assert "Traceback" not in done.stderr
    assert (tmp_path / "data" / "ui.ini").is_file()  # window state kept in the data dir


def newer_database(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True)
    path = data_dir / "dvc-desk.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    conn.commit()
    conn.close()
    return path


def test_newer_database_is_refused_in_a_vietnamese_message_box(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = newer_database(tmp_path / "data")
    before = database.read_bytes()
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    code = app.main(str(tmp_path / "data"), smoke=False)
    assert code == 1
    assert len(shown) == 1
    assert "được tạo bởi phiên bản dvc-desk mới hơn" in shown[0]
    assert "Hãy cài phiên bản mới nhất của dvc-desk" in shown[0]
    assert database.read_bytes() == before  # untouched
    assert "Traceback" not in capsys.readouterr().err


def test_newer_database_in_smoke_mode_exits_1_without_traceback(tmp_path: Path) -> None:
    newer_database(tmp_path / "data")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [*dvc_desk(), "--data-dir", str(tmp_path / "data"), "--smoke"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "phiên bản dvc-desk mới hơn" in done.stderr
    assert "Traceback" not in done.stderr
    # The shell paints before the workspace opens: "ready", then the refusal and exit 1.
    assert done.stdout == "ready\n"


def test_a_fault_while_building_the_window_is_a_message_not_a_traceback(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(app, "build_window", broken)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    assert app.main(str(tmp_path / "data"), smoke=False) == 1
    assert len(shown) == 1
    assert shown[0].startswith("Đã xảy ra lỗi không mong muốn (RuntimeError)")
    assert str(tmp_path / "data" / "logs") in shown[0]
    assert "Traceback" not in capsys.readouterr().err


def test_the_gui_thread_does_not_import_the_database_stack() -> None:
    # SQLAlchemy and Alembic load on the opening thread while Qt starts (start-up time);
    # a screen importing a core module that pulls them in at import time undoes that.
    code = "import sys, ui.app; print(sorted({'sqlalchemy', 'alembic'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


HEAVY = ("sqlalchemy", "alembic", "pikepdf", "pyhanko", "PIL", "pypdf", "fontTools", "httpx",
         "keyring", "pydantic")  # fmt: skip


def test_the_first_paint_comes_before_the_heavy_libraries(tmp_path: Path) -> None:
    # "ready" (the first paint of the window) is printed before the screens, the database
    # and the PDF, signing, image and network libraries are imported (start-up time); the
    # smoke run then opens the workspace and builds every screen before it exits 0.
    code = (
        "import sys\n"
        "from ui import app\n"
        f"heavy = {HEAVY!r}\n"
        "def ready():\n"
        "    print(sorted(m for m in heavy if m in sys.modules), flush=True)\n"
        "def built():\n"
        "    print(sorted(m for m in heavy if m in sys.modules), flush=True)\n"
        "app._smoke_ready = ready\n"
        "app.freeze_startup_heap = built\n"
        f"sys.exit(app.main({str(tmp_path / 'data')!r}, smoke=True))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    at_paint, at_built = done.stdout.splitlines()
    assert at_paint == "[]"
    assert "sqlalchemy" in at_built and "pikepdf" in at_built  # then everything loads
