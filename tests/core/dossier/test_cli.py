"""`dvc-desk dossier ...` as a clerk or a script uses it: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from attachments.samples import HTML_PAGE, image_bytes, pdf_bytes, write
from sqlalchemy import func, select

from desktop.paths import Paths
from desktop.storage import models
from desktop.workspace import Workspace

from .conftest import PROCEDURE, insert_catalog


@pytest.fixture
def ready_dir(data_dir: Path) -> Path:
    workspace = Workspace(Paths(data_dir))
    insert_catalog(workspace)
    workspace.close()
    return data_dir


def _state(data_dir: Path) -> tuple[int, int, int, list[Path]]:
    workspace = Workspace(Paths(data_dir))
    try:
        with workspace.db.session() as session:
            counts = [
                int(session.scalar(select(func.count()).select_from(t)) or 0)
                for t in (models.Dossier, models.Blob, models.DossierFile)
            ]
        left = [
            p
            for p in (*workspace.paths.blobs.rglob("*"), *workspace.paths.tmp.iterdir())
            if p.is_file()
        ]
    finally:
        workspace.close()
    return counts[0], counts[1], counts[2], left


def test_whole_flow(run_cli, ready_dir: Path, files: Path) -> None:  # type: ignore[no-untyped-def]
    created = run_cli("dossier", "new", "--procedure", PROCEDURE, "--json")
    assert created.code == 0
    dossier_id = json.loads(created.out)["id"]
    text = run_cli("dossier", "new", "--procedure", PROCEDURE)
    assert "Đã tạo hồ sơ số 2 (Nháp)" in text.out

    result = run_cli(
        "dossier",
        "set",
        str(dossier_id),
        "applicant.name=Nguyễn Thị Lan",
        "applicant.id_number=051190001234",
        "applicant.phone=+84912345678",
        "applicant.date_of_birth=05/03/1990",
        "applicant.address.province=Kon Tum",
        "applicant.address.commune=Phường Kon Tum",
    )
    assert result.code == 0, result.err
    assert "Đã cập nhật 6 trường" in result.out

    invalid = run_cli("dossier", "validate", str(dossier_id))
    assert invalid.code == 1
    assert "2 lỗi" in invalid.out
    assert "[components.TP1]" in invalid.out

    attached = run_cli(
        "dossier", "attach", str(dossier_id), "TP1", str(write(files, "don.pdf", pdf_bytes(2)))
    )
    assert attached.code == 0, attached.err
    assert "Đã đính kèm 1 tệp vào thành phần TP1" in attached.out
    run_cli(
        "dossier", "attach", str(dossier_id), "TP2", str(write(files, "bang.jpg", image_bytes()))
    )

    valid = run_cli("dossier", "validate", str(dossier_id), "--json")
    assert valid.code == 0
    assert json.loads(valid.out)["ok"] is True

    shown = run_cli("dossier", "show", str(dossier_id))
    assert "Chủ hồ sơ (cá nhân)" in shown.out
    assert "05/03/1990" in shown.out and "Quảng Ngãi" in shown.out and "don.pdf" in shown.out
    shown_json = json.loads(run_cli("dossier", "show", str(dossier_id), "--json").out)
    assert shown_json["applicant"]["phone"] == "0912345678"
    assert [a["name"] for a in shown_json["attachments"]] == ["don.pdf", "bang.jpg"]

    assert run_cli("dossier", "ready", str(dossier_id)).code == 0
    listed = json.loads(run_cli("dossier", "list", "--state", "READY", "--json").out)
    assert listed["total"] == 1
    assert listed["rows"][0]["applicant_name"] == "Nguyễn Thị Lan"
    assert listed["rows"][0]["file_count"] == 2
    table = run_cli("dossier", "list", "--search", "Lan")
    assert "Nguyễn Thị Lan" in table.out and "Hiển thị 1 / 1 hồ sơ." in table.out
    typed = run_cli("dossier", "list", "--search", "nguyen thi l", "--json")
    assert [r["applicant_name"] for r in json.loads(typed.out)["rows"]] == ["Nguyễn Thị Lan"]


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "khong-co.pdf", "Không tìm thấy tệp"),
        (lambda d: d, "là một thư mục"),
        (lambda d: write(d, "rong.pdf", b""), "rỗng (0 byte)"),
        (lambda d: write(d, "cut.pdf", pdf_bytes(3)[:400]), "chưa tải xong"),
        (lambda d: write(d, "trang.pdf", HTML_PAGE), "trang web HTML"),
        (
            lambda d: write(
                d, "lon.pdf", pdf_bytes(1) + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n"
            ),
            "dvc-desk intake compress",
        ),
    ],
)
def test_bad_files_exit_1_and_leave_nothing(
    run_cli, ready_dir: Path, files: Path, make, words: str
) -> None:  # type: ignore[no-untyped-def]
    dossier_id = json.loads(run_cli("dossier", "new", "--procedure", PROCEDURE, "--json").out)["id"]
    result = run_cli("dossier", "attach", str(dossier_id), "TP2", str(make(files)))
    assert result.code == 1
    assert words in result.err
    assert _state(ready_dir) == (1, 0, 0, [])


def test_encrypted_pdf_is_accepted_and_flagged(run_cli, ready_dir: Path, files: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("dossier", "new", "--procedure", PROCEDURE)
    result = run_cli(
        "dossier", "attach", "1", "TP1", str(write(files, "khoa.pdf", pdf_bytes(1, password="x")))
    )
    assert result.code == 0
    # Said at attach time in the words validation and signing use (issue #21).
    assert "Lỗi" in result.out and "cần mật khẩu để mở" in result.out


def test_refusals(run_cli, ready_dir: Path) -> None:  # type: ignore[no-untyped-def]
    unknown = run_cli("dossier", "new", "--procedure", "KHONG-CO")
    assert unknown.code == 1
    assert "Không có thủ tục «KHONG-CO»" in unknown.err
    assert run_cli("dossier", "show", "42").code == 1
    run_cli("dossier", "new", "--procedure", PROCEDURE)
    bad_key = run_cli("dossier", "set", "1", "applicant.nickname=Lan")
    assert bad_key.code == 1 and "applicant.name" in bad_key.err
    no_equals = run_cli("dossier", "set", "1", "applicant.name")
    assert no_equals.code == 1 and "khoá=giá trị" in no_equals.err
    bad_state = run_cli("dossier", "list", "--state", "XONG")
    assert bad_state.code == 1 and "DRAFT" in bad_state.err
    not_ready = run_cli("dossier", "ready", "1", "--json")
    assert not_ready.code == 1
    assert json.loads(not_ready.out)["error"]["code"] == "dossier.not_ready"
    assert _state(ready_dir)[0] == 1


def test_bundled_catalog_works_on_a_fresh_data_dir(run_cli) -> None:  # type: ignore[no-untyped-def]
    created = run_cli("dossier", "new", "--procedure", "SYT-DUOC-CCHN-XET-HO-SO")
    assert created.code == 0, created.err
    assert "Cấp Chứng chỉ hành nghề dược" in created.out


def test_procedure_without_a_component_list_accepts_named_components(  # type: ignore[no-untyped-def]
    run_cli, files: Path
) -> None:
    # The bundled catalog does not know the components of this procedure (null).
    assert run_cli("dossier", "new", "--procedure", "SYT-DUOC-GPP-DANH-GIA").code == 0
    attached = run_cli(
        "dossier", "attach", "1", "HO-SO-GPP", str(write(files, "a.pdf", pdf_bytes(1)))
    )
    assert attached.code == 0, attached.err
    checked = run_cli("dossier", "validate", "1")
    assert checked.code == 1  # the applicant is still empty
    assert "Lưu ý [components]" in checked.out
    assert "chưa có danh sách thành phần hồ sơ" in checked.out
    assert "[components.HO-SO-GPP]" not in checked.out


def test_disk_full_during_attach_exit_1_and_nothing_left(  # type: ignore[no-untyped-def]
    run_cli, ready_dir: Path, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    from desktop.attachments import store as store_module

    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, handle):  # type: ignore[no-untyped-def]
            self._handle = handle

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self._handle, name)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

    run_cli("dossier", "new", "--procedure", PROCEDURE)
    first = write(files, "a.jpg", image_bytes())
    second = write(files, "b.pdf", pdf_bytes(1))
    opened: list[int] = []

    def fdopen(fd: int, mode: str):  # type: ignore[no-untyped-def]
        opened.append(fd)
        handle = real_fdopen(fd, mode)
        # The first file is copied in full; the disk fills up during the second.
        return handle if len(opened) == 1 else FullDisk(handle)

    monkeypatch.setattr(store_module.os, "fdopen", fdopen)
    result = run_cli("dossier", "attach", "1", "TP2", str(first), str(second))
    assert len(opened) == 2
    assert result.code == 1
    assert "đã đầy" in result.err
    monkeypatch.undo()
    assert _state(ready_dir) == (1, 0, 0, [])
