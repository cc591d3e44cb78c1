"""Two desks editing one dossier (issue #17 item 4): a named conflict, no overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.office.users import ENV_PASSWORD, ENV_USER, os_user
from desktop.paths import Paths
from desktop.storage import models
from desktop.workspace import Workspace


def _desk(
    data: Path, monkeypatch: pytest.MonkeyPatch, login: str, url: str | None = None
) -> Workspace:
    monkeypatch.setenv(ENV_USER, login)
    monkeypatch.setenv(ENV_PASSWORD, "pw-" + login)
    return Workspace(Paths(data), database=url)


def _office(data: Path, url: str | None) -> None:
    ws = Workspace(Paths(data), database=url)
    ws.office.directory.add(os_user(), "Quản trị", "admin", None)
    ws.office.directory.add("lan", "Chị Lan", "clerk", "pw-lan")
    ws.office.directory.add("nam", "Anh Nam", "clerk", "pw-nam")
    ws.close()


def _edit_after_someone_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None
) -> None:
    _office(tmp_path / "a", url)
    lan = _desk(tmp_path / "a", monkeypatch, "lan", url)
    dossier = lan.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    nam = _desk(tmp_path / ("b" if url else "a"), monkeypatch, "nam", url)
    seen_by_nam = nam.dossiers.get(dossier.id)

    lan.dossiers.set_fields(dossier.id, {"applicant.name": "Trần Thị Bình"})
    with pytest.raises(UserError) as conflict:
        nam.dossiers.set_fields(
            dossier.id, {"applicant.name": "Lê Văn C"}, expected_version=seen_by_nam.row_version
        )

    assert conflict.value.code == "office.edit_conflict"
    assert conflict.value.message().startswith("Chị Lan đang sửa hồ sơ này")
    assert nam.dossiers.get(dossier.id).applicant.name == "Trần Thị Bình"
    again = nam.dossiers.get(dossier.id)
    nam.dossiers.set_fields(dossier.id, {"notes": "ok"}, expected_version=again.row_version)
    lan.close()
    nam.close()


def test_sqlite_an_edit_from_an_older_version_names_who_changed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit_after_someone_else(tmp_path, monkeypatch, None)


def test_postgresql_an_edit_from_an_older_version_names_who_changed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    _edit_after_someone_else(tmp_path, monkeypatch, postgres_url)


def test_postgresql_a_write_racing_another_commit_is_refused_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str
) -> None:
    """Both read version N; Lan commits N+1 first; Nam's UPDATE ... WHERE row_version = N
    matches nothing and is refused with Lan's name."""
    _office(tmp_path / "a", postgres_url)
    lan = _desk(tmp_path / "a", monkeypatch, "lan", postgres_url)
    dossier = lan.dossiers.create("SYT-DUOC-CCHN-XET-HO-SO")
    nam = _desk(tmp_path / "b", monkeypatch, "nam", postgres_url)
    nam.office.actor()

    with pytest.raises(UserError) as conflict, nam.db.session() as session:
        row = session.get(models.Dossier, dossier.id)
        assert row is not None
        lan.dossiers.set_fields(dossier.id, {"notes": "của Lan"})
        row.notes = "của Nam"
        session.flush()

    assert conflict.value.code == "office.edit_conflict"
    assert "Chị Lan" in conflict.value.message()
    assert lan.dossiers.get(dossier.id).notes == "của Lan"
    lan.close()
    nam.close()
