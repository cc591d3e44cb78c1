"""The kinds of damage a PDF verdict can name, in the clerk's words.

Each kind says whether a rewrite by qpdf mends it; the phrases go into the sentences of
`desktop.filecheck.messages` (Vietnamese and English, never a library's text).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DamageKind:
    code: str
    vi: str
    en: str
    repairable: bool


_KINDS = (
    DamageKind(
        "truncated",
        "thiếu phần cuối tệp, có thể chưa tải xong",
        "the end of the file is missing, it may not have finished downloading",
        False,
    ),
    DamageKind("unreadable", "cấu trúc tệp không đọc được", "its structure cannot be read", False),
    DamageKind("no_pages", "không có trang nào", "it has no pages", False),
    DamageKind(
        "page_tree_loop", "cây trang bị lặp vòng", "its page tree loops back on itself", False
    ),
    DamageKind(
        "page_tree_deep", "cây trang lồng quá sâu", "its page tree is nested too deeply", False
    ),
    DamageKind(
        "unknown_compression",
        "dùng kiểu nén mà dvc-desk không đọc được",
        "it uses a compression dvc-desk cannot read",
        False,
    ),
    DamageKind(
        "undecodable_stream",
        "có phần nội dung không giải nén được",
        "part of its content cannot be decompressed",
        False,
    ),
    DamageKind(
        "xref",
        "bảng tham chiếu bên trong tệp bị lỗi",
        "its internal cross-reference table is broken",
        True,
    ),
    DamageKind(
        "page_count",
        "số trang khai báo khác số trang thật",
        "the page count it declares differs from its real pages",
        True,
    ),
    DamageKind(
        "form_fields",
        "danh sách trường biểu mẫu sai dạng",
        "its list of form fields is malformed",
        True,
    ),
    DamageKind(
        "nonstandard",
        "cấu trúc tệp không theo chuẩn PDF",
        "its structure does not follow the PDF standard",
        True,
    ),
)
KINDS = {kind.code: kind for kind in _KINDS}


def kind(code: str) -> DamageKind:
    """The kind named `code` (an unknown code counts as unreadable, never as sound)."""
    return KINDS.get(code, KINDS["unreadable"])


def describe(codes: list[str] | tuple[str, ...], language: str) -> str:
    """The phrases of `codes`, joined, in `language`."""
    phrases = [kind(c).en if language == "en" else kind(c).vi for c in codes]
    return "; ".join(dict.fromkeys(phrases))


def repairable(codes: list[str] | tuple[str, ...]) -> bool:
    """Whether a qpdf rewrite mends every damage in `codes` (none counts as mendable)."""
    return all(kind(c).repairable for c in codes)
