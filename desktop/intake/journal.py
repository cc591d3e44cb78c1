"""The resume state of a batch: small JSON files, each rewritten atomically.

Nothing here touches the database. The journal is a folder: ``batch.json`` names the
procedure, and one ``folders/<key>.json`` per dossier folder records the dossier made
for it, the SHA-256 of each file attached and the folder's fingerprint once finished.
One small file per dossier folder keeps each save cheap, however many thousand folders
a batch has. Running the batch again reads them and continues: no second dossier, no
file attached twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from desktop.atomic import write_atomically
from desktop.errors import UserError, define
from desktop.intake.files import display_name

VERSION = 1

E_JOURNAL_DAMAGED = define(
    "intake.journal_damaged",
    vi="Tệp nhật ký lô {path} bị hỏng nên không thể tiếp tục an toàn (có thể tạo trùng hồ "
    "sơ). Hãy khôi phục tệp này từ bản sao, hoặc chuyển nó đi nếu chắc chắn lô chưa tạo hồ "
    "sơ nào cho thư mục đó.",
    en="The batch journal file {path} is damaged, so the batch cannot safely continue (it "
    "could create duplicate dossiers). Restore it from a copy, or move it away if you are "
    "sure the batch created no dossier for that folder yet.",
)
E_JOURNAL_PROCEDURE = define(
    "intake.journal_other_procedure",
    vi="Thư mục này đã được xử lý cho thủ tục {previous} (nhật ký {path}), không phải "
    "{procedure}. Hãy dùng đúng thủ tục, hoặc chỉ định nhật ký khác bằng --journal.",
    en="This folder was processed for procedure {previous} (journal {path}), not "
    "{procedure}. Use that procedure, or give another journal with --journal.",
)


def write_json_atomically(path: Path, data: Any) -> None:
    """The old or the new content, whole (`desktop.atomic`)."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    write_atomically(path, text.encode("utf-8"), make_folder=True)


def _read(path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError(E_JOURNAL_DAMAGED, path=str(path)) from None
    if not isinstance(loaded, dict):
        raise UserError(E_JOURNAL_DAMAGED, path=str(path))
    return loaded


class Journal:
    """The batch's memory; `folder(name)` returns a dict that `save(name)` persists."""

    def __init__(self, directory: Path, procedure: str) -> None:
        self.path = directory
        self.procedure = procedure
        self._folders: dict[str, dict[str, Any]] = {}
        header = directory / "batch.json"
        self._header_written = header.exists()
        if self._header_written:
            previous = _read(header).get("procedure")
            if previous != procedure:
                raise UserError(
                    E_JOURNAL_PROCEDURE, path=str(directory), previous=previous, procedure=procedure
                )

    def _file(self, name: str) -> Path:
        key = hashlib.sha256(os.fsencode(name)).hexdigest()[:24]
        return self.path / "folders" / f"{key}.json"

    def folder(self, name: str) -> dict[str, Any]:
        """The record of the dossier folder `name` (empty at first)."""
        if name not in self._folders:
            file = self._file(name)
            shown = display_name(name)  # JSON holds text: a name that is not UTF-8 is shown
            entry: dict[str, Any] = (
                _read(file) if file.exists() else {"name": shown, "dossier_id": None}
            )
            if entry.get("name") != shown or not isinstance(entry.get("attached", {}), dict):
                raise UserError(E_JOURNAL_DAMAGED, path=str(file))
            entry.setdefault("attached", {})
            self._folders[name] = entry
        return self._folders[name]

    def save(self, name: str) -> None:
        """Persist the record of `name` (and, the first time, which procedure this is)."""
        if not self._header_written:
            write_json_atomically(
                self.path / "batch.json", {"version": VERSION, "procedure": self.procedure}
            )
            self._header_written = True
        write_json_atomically(self._file(name), self.folder(name))
