"""What the engine records on an item when it cannot go on, beside the portal's errors.

The portal client (`desktop.portal`) reports what went wrong on the wire:
`PortalUnreachableError` (no answer: the engine probes for everyone), other
`TransientError`s (busy, a garbled answer: this item waits), `PortalRefusedError`s
(the engine decides what each means for the item). `NeedsPersonError` stops an item
until a person acts (log in again, fix and resubmit, look at a conflict); the codes
below are the engine's own sentences.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import DvcError, UserError, define

E_OFFLINE = define(
    "sync.offline",
    vi="Chưa kết nối được cổng dịch vụ công ({detail}). Hồ sơ vẫn trong hàng chờ và sẽ tự gửi lại.",
    en="The portal cannot be reached ({detail}). The dossier stays queued and is retried.",
)
# Recorded on items by earlier versions (the portal client's portal.busy replaced it).
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


class NeedsPersonError(UserError):
    """Stop the item: `reason` is login_expired, portal_refused, conflict or file_rejected."""

    def __init__(self, reason: str, code: str, **params: Any) -> None:
        super().__init__(code, **params)
        self.reason = reason


def retry_after(exc: DvcError) -> float | None:
    """The wait the portal asked for (Retry-After, seconds), None when it did not say."""
    value = getattr(exc, "retry_after", None)
    return float(value) if isinstance(value, int | float) else None
