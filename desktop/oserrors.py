"""An operating-system error in the clerk's words, by errno (the OS's own sentence goes
to the log).

`reason(exc)` is meant for the `{reason}` of a message such as signing.unreadable:
"Không đọc được tệp «…»: không có quyền đọc hoặc ghi".
"""

from __future__ import annotations

import errno
import logging

from desktop.errors import define, render

log = logging.getLogger(__name__)

E_NOT_FOUND = define("os.not_found", vi="không tìm thấy tệp", en="the file does not exist")
E_PERMISSION = define(
    "os.permission_denied",
    vi="không có quyền đọc hoặc ghi tệp này (hãy hỏi người quản trị máy)",
    en="no permission to read or write it (ask whoever manages this computer)",
)
E_IS_A_DIRECTORY = define(
    "os.is_a_directory", vi="đây là một thư mục, không phải tệp", en="it is a folder, not a file"
)
E_NOT_A_DIRECTORY = define(
    "os.not_a_directory",
    vi="một phần của đường dẫn không phải là thư mục",
    en="part of the path is not a folder",
)
E_DISK_FULL = define(
    "os.disk_full",
    vi="ổ đĩa đã đầy (hãy giải phóng dung lượng rồi thử lại)",
    en="the disk is full (free some space and try again)",
)
E_READ_ONLY = define(
    "os.read_only",
    vi="ổ đĩa chỉ cho đọc, không ghi được",
    en="the drive is read-only",
)
E_NAME_TOO_LONG = define(
    "os.name_too_long", vi="tên tệp hoặc đường dẫn quá dài", en="the file name or path is too long"
)
E_BUSY = define(
    "os.busy",
    vi="tệp đang được chương trình khác dùng (hãy đóng chương trình đó rồi thử lại)",
    en="another program is using it (close that program and try again)",
)
E_DEVICE = define(
    "os.device",
    vi="lỗi đọc ghi của ổ đĩa (ổ đĩa hoặc USB có thể bị hỏng hoặc đã rút ra)",
    en="the drive reported a read/write error (it may be damaged or unplugged)",
)
E_OTHER = define(
    "os.other",
    vi="hệ điều hành báo lỗi khi đọc hoặc ghi tệp (chi tiết nằm trong nhật ký)",
    en="the operating system reported an error reading or writing it (details in the log)",
)

_BY_ERRNO = {
    errno.ENOENT: E_NOT_FOUND,
    errno.EACCES: E_PERMISSION,
    errno.EPERM: E_PERMISSION,
    errno.EISDIR: E_IS_A_DIRECTORY,
    errno.ENOTDIR: E_NOT_A_DIRECTORY,
    errno.ENOSPC: E_DISK_FULL,
    errno.EDQUOT: E_DISK_FULL,
    errno.EROFS: E_READ_ONLY,
    errno.ENAMETOOLONG: E_NAME_TOO_LONG,
    errno.EBUSY: E_BUSY,
    errno.ETXTBSY: E_BUSY,
    errno.EIO: E_DEVICE,
}


def reason_code(exc: OSError) -> str:
    """The message code for an OS error (os.other when its errno has no words of its own)."""
    return _BY_ERRNO.get(exc.errno or 0, E_OTHER)


def reason(exc: OSError) -> str:
    """The clerk's words for `exc`, in the chosen language; the OS's sentence is logged."""
    log.warning("OS error: %r", exc)
    return render(reason_code(exc), {})
