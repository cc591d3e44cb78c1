"""How the engine classifies what went wrong, and the codes it records on an item.

TransientSyncError failures are retried by themselves; `NeedsPersonError` stops the item until a
person acts (log in again, fix and resubmit, look at a conflict). The upload errors
tell the uploader where to go on from.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import define

E_OFFLINE = define(
    "sync.offline",
    vi="Chưa kết nối được cổng dịch vụ công ({detail}). Hồ sơ vẫn trong hàng chờ và sẽ tự gửi lại.",
    en="The portal cannot be reached ({detail}). The dossier stays queued and is retried.",
)
E_BUSY = define(
    "sync.portal_busy",
    vi="Cổng dịch vụ công đang bận (mã {status}). Hồ sơ sẽ tự gửi lại sau.",
    en="The portal is busy (status {status}). The dossier will be retried.",
)
E_LOGIN = define(
    "sync.login_expired",
    vi=(
        "Phiên đăng nhập cổng dịch vụ công đã hết hạn. Hãy đăng nhập lại bằng "
        "«dvc-desk account login», rồi bấm «Đồng bộ ngay»; hồ sơ sẽ gửi tiếp từ chỗ đã dừng."
    ),
    en="The portal login expired. Log in again with 'dvc-desk account login', then Sync now.",
)
E_REFUSED = define(
    "sync.portal_refused",
    vi=(
        "Cổng dịch vụ công từ chối hồ sơ ({detail}). Một phiên bản nháp mới đã được tạo "
        "(hồ sơ {new_id}); hãy sửa theo thông báo rồi nộp lại."
    ),
    en="The portal refused the dossier ({detail}); a new draft {new_id} was made to fix it.",
)
E_CONFLICT = define(
    "sync.conflict",
    vi=(
        "Trên cổng đã có một hồ sơ cùng mã {uuid} nhưng nội dung khác. Không gửi tiếp để "
        "tránh trùng; hãy rút hồ sơ («dvc-desk dossier withdraw {id}») rồi nộp lại."
    ),
    en="The portal has dossier {uuid} with other content; withdraw and submit again.",
)
E_FILE_REJECTED = define(
    "sync.file_rejected",
    vi=(
        "Cổng dịch vụ công không nhận tệp «{name}» ({detail}). Hãy kiểm tra tệp, rút hồ sơ "
        "và nộp lại."
    ),
    en="The portal does not accept the file '{name}' ({detail}). Withdraw and submit again.",
)


class SyncError(Exception):
    """Something the engine records on the item: a code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class TransientSyncError(SyncError):
    """Try again later (no route, timeout, 5xx, 429); `retry_after` in seconds if given."""

    def __init__(self, code: str, retry_after: float | None = None, **params: Any) -> None:
        super().__init__(code, **params)
        self.retry_after = retry_after


class DisconnectedError(TransientSyncError):
    """The connection broke during a request: what the portal did is unknown."""


class NeedsPersonError(SyncError):
    """Stop the item: `reason` is login_expired, portal_refused, conflict or file_rejected."""

    def __init__(self, reason: str, code: str, **params: Any) -> None:
        super().__init__(code, **params)
        self.reason = reason


class UploadGoneError(SyncError):
    """404/410: the upload expired or vanished; PUT the dossier again for a new one."""


class OffsetMismatchError(SyncError):
    """409: the portal holds another offset; resume from `offset`."""

    def __init__(self, offset: int | None) -> None:
        super().__init__("upload.offset_mismatch", offset=offset)
        self.offset = offset


class ChecksumMismatchError(SyncError):
    """422 at completion: the portal reset the file to offset 0."""
