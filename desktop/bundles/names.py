"""Entry names a bundle may hold, and file names Windows (and FAT32 sticks) can store.

A stick comes from outside: an entry name is refused unless it is one of the few shapes
dvc-desk writes. The checks on top of that shape say *why* a name is refused (escape by
`..`, absolute path, device name, characters Windows cannot store), for the message.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

BUNDLE_JSON = "bundle.json"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_SHAPES = (
    re.compile(rf"^dossiers/{_UUID}\.json$"),
    re.compile(rf"^returns/{_UUID}\.json$"),
    re.compile(r"^attachments/[0-9a-f]{64}$"),
)
_FIXED = {BUNDLE_JSON, MANIFEST, SIGNATURE}

# Names Windows reserves for devices, with or without an extension (NUL.txt is NUL).
_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"} | {
    f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")
}
_FORBIDDEN = set('<>:"|?*\\') | {chr(c) for c in range(32)} | {"\x7f"}
MAX_COMPONENT = 255


def dossier_entry(uuid: str) -> str:
    return f"dossiers/{uuid}.json"


def returns_entry(uuid: str) -> str:
    return f"returns/{uuid}.json"


def attachment_entry(sha256: str) -> str:
    return f"attachments/{sha256}"


def windows_problem(name: str) -> str | None:
    """Why Windows (or a FAT32 stick) cannot store a file called `name`; None if it can."""
    if not name or name in {".", ".."}:
        return "tên rỗng hoặc chỉ có dấu chấm"
    bad = sorted({c for c in name if c in _FORBIDDEN})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"có ký tự Windows không cho phép trong tên tệp: {shown}"
    if name[-1] in " .":
        return "kết thúc bằng dấu cách hoặc dấu chấm"
    stem = name.split(".", maxsplit=1)[0]
    if stem.rstrip(" ").upper() in _DEVICES:
        return f"«{stem}» là tên thiết bị dành riêng của Windows"
    if len(name) > MAX_COMPONENT:
        return f"dài quá {MAX_COMPONENT} ký tự"
    return None


def entry_problem(name: str) -> str | None:
    """Why `name` may not be an entry of a bundle; None for a name dvc-desk writes."""
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "đường dẫn tuyệt đối"
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        return "đường dẫn thoát ra ngoài thư mục («..»)"
    for part in parts:
        problem = windows_problem(part)
        if problem is not None:
            return problem
    if name in _FIXED or any(shape.match(name) for shape in _SHAPES):
        return None
    return "không phải mục của gói dvc-desk"


def part_name(first: str, index: int) -> str:
    """The file name of part `index` (1-based) of a bundle whose first part is `first`."""
    return first if index == 1 else f"{first}.{index:03d}"


def is_attachment(name: str) -> bool:
    return name.startswith("attachments/")


def sha_of(name: str) -> str:
    return PurePosixPath(name).name
