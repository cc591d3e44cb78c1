"""Two desks editing one dossier: never a silent overwrite (optimistic versioning).

Every ORM write of a dossier checks and bumps `dossiers.row_version`; an editor that
read version N and writes after someone else wrote N+1 is refused with the other
person's name ("Chị Lan đang sửa hồ sơ này"), taken from the audit trail.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desktop.errors import UserError, define
from desktop.office.audit import AuditTrail
from desktop.storage.db import WRITTEN_DOSSIERS

E_EDIT_CONFLICT = define(
    "office.edit_conflict",
    vi=(
        "{name} đang sửa hồ sơ này (hồ sơ {id} vừa được {name} thay đổi trên máy {host}). "
        "Thay đổi của bạn chưa được lưu; hãy mở lại hồ sơ để xem bản mới rồi sửa tiếp."
    ),
    en=(
        "{name} is editing this dossier ({id} was just changed by {name} at {host}). Your "
        "change was not saved; reopen the dossier to see the new version and edit again."
    ),
)


class Conflicts:
    def __init__(self, trail: AuditTrail) -> None:
        self._trail = trail

    def error(self, dossier_id: int) -> UserError:
        """The conflict on `dossier_id`, naming who wrote it last."""
        last = self._trail.last_writer(dossier_id)
        if last is None:
            return UserError(E_EDIT_CONFLICT, id=dossier_id, name="Người khác", host="khác")
        return UserError(E_EDIT_CONFLICT, id=dossier_id, name=last.display_name, host=last.host)

    def check(self, dossier_id: int, expected: int, stored: int) -> None:
        """Refuse a write based on version `expected` of a dossier now at `stored`."""
        if expected != stored:
            raise self.error(dossier_id)

    def on_stale(self, session: Session) -> Exception:
        """Database.on_stale: the dossier whose UPDATE matched no row (another desk
        committed a newer version between our read and our write)."""
        written = sorted(session.info.get(WRITTEN_DOSSIERS, ()))
        if written:
            return self.error(written[0])
        return UserError(E_EDIT_CONFLICT, id="?", name="Người khác", host="khác")
