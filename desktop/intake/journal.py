"""The resume state of a batch: one JSON file, rewritten atomically after each step.

Nothing here touches the database: the journal records, per dossier folder, the
dossier that was made for it, the SHA-256 of each file attached, and the folder's
fingerprint once finished, so that running the batch again continues where it stopped
and never makes a second dossier or attaches a file twice.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from desktop.errors import UserError, define
from desktop.intake.files import sync_dir

VERSION = 1

E_JOURNAL_DAMAGED = define(
    "intake.journal_damaged",
    vi="Tệp nhật ký lô {path} bị hỏng nên không thể tiếp tục an toàn (có thể tạo trùng hồ "
    "sơ). Hãy khôi phục tệp này từ bản sao, hoặc chuyển nó đi nếu chắc chắn lô chưa tạo hồ "
    "sơ nào.",
    en="The batch journal {path} is damaged, so the batch cannot safely continue (it could "
    "create duplicate dossiers). Restore it from a copy, or move it away if you are sure "
    "the batch created no dossier yet.",
)
E_JOURNAL_PROCEDURE = define(
    "intake.journal_other_procedure",
    vi="Thư mục này đã được xử lý cho thủ tục {previous} (nhật ký {path}), không phải "
    "{procedure}. Hãy dùng đúng thủ tục, hoặc chỉ định nhật ký khác bằng --journal.",
    en="This folder was processed for procedure {previous} (journal {path}), not "
    "{procedure}. Use that procedure, or give another journal with --journal.",
)


class Journal:
    """The batch's memory; `folder(name)` returns a dict that `save()` persists."""

    def __init__(self, path: Path, procedure: str) -> None:
        self.path = path
        self.data: dict[str, Any] = {"version": VERSION, "procedure": procedure, "folders": {}}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(loaded, dict) or not isinstance(loaded.get("folders"), dict):
                    raise ValueError("not a journal")
            except (OSError, ValueError):
                raise UserError(E_JOURNAL_DAMAGED, path=str(path)) from None
            if loaded.get("procedure") != procedure:
                raise UserError(
                    E_JOURNAL_PROCEDURE,
                    path=str(path),
                    previous=loaded.get("procedure"),
                    procedure=procedure,
                )
            self.data = loaded

    def folder(self, name: str) -> dict[str, Any]:
        folders: dict[str, Any] = self.data["folders"]
        entry: dict[str, Any] = folders.setdefault(name, {"dossier_id": None, "attached": {}})
        return entry

    def save(self) -> None:
        """temp file + fsync + rename + directory fsync: the old or the new journal, whole."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".part", dir=self.path.parent
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.data, f, ensure_ascii=False, indent=1, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            tmp.replace(self.path)
            sync_dir(self.path.parent)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
