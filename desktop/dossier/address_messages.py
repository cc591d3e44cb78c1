"""The sentences about addresses (codes `address.*`), declared once.

`{...}` parameters are filled by desktop.dossier.address_resolve and validation.
"""

from __future__ import annotations

from desktop.errors import define

SAME = define(
    "address.current",
    vi="«{commune}» là đơn vị hành chính hiện hành của {province}.",
    en="'{commune}' is a unit in force in {province}.",
)
MERGED = define(
    "address.merged",
    vi="{old} ({old_province} cũ) đã nhập vào {commune}, {province} từ 01/7/2025.",
    en="{old} (former {old_province}) became part of {commune}, {province} on 1 July 2025.",
)
SPLIT = define(
    "address.split",
    vi=(
        "{old} ({old_province} cũ) đã được chia cho {count} đơn vị mới: {names}. Địa chỉ cũ "
        "không đủ để biết thuộc đơn vị nào: hãy hỏi người nộp (thôn, tổ dân phố, số nhà) "
        "rồi chọn một."
    ),
    en=(
        "{old} (former {old_province}) was split between {count} new units: {names}. The old "
        "address alone does not tell which one: ask the applicant (hamlet, street) and choose."
    ),
)
SAME_NAME = define(
    "address.same_name",
    vi=(
        "{old_province} cũ có {count} đơn vị cùng tên «{name}» (mã {codes}), ở các huyện khác "
        "nhau và nay thuộc các đơn vị khác nhau; dữ liệu không ghi huyện cũ nên hãy chọn một."
    ),
    en=(
        "Former {old_province} had {count} units named '{name}' (codes {codes}) in different "
        "districts, now in different units; the data has no districts, so choose one."
    ),
)
SAME_NAME_NOW = define(
    "address.same_name_now",
    vi=(
        "{province} có {count} đơn vị hiện hành tên gần giống «{name}» (khác dấu hoặc khác "
        "loại xã, phường); hãy chọn đúng đơn vị."
    ),
    en=(
        "{province} has {count} units in force named like '{name}' (other diacritics or "
        "kind); choose the right one."
    ),
)
OLD_OR_NEW = define(
    "address.old_or_new",
    vi=(
        "«{name}» vừa là tên một đơn vị hiện hành của {province}, vừa là tên một đơn vị cũ "
        "nay thuộc đơn vị khác; hãy chọn đúng đơn vị."
    ),
    en=(
        "'{name}' is the name of a unit in force in {province} and also of a former unit "
        "that is now part of another one; choose the right one."
    ),
)
WHICH_PART = define(
    "address.which_part",
    vi=(
        "Không rõ «{first}» hay «{second}» là xã, phường (phần còn lại có thể là huyện cũ); "
        "hãy chọn, hoặc ghi rõ «xã», «phường» trước tên."
    ),
    en=(
        "Unclear whether '{first}' or '{second}' is the commune (the other may be a former "
        "district); choose, or write 'xã' or 'phường' before the name."
    ),
)
NO_PROVINCE = define(
    "address.no_province",
    vi=(
        "Không nhận ra tỉnh, thành phố trong «{text}». Hãy ghi thêm tên tỉnh (cũ hoặc mới), "
        "hoặc chọn một trong các đơn vị cùng tên dưới đây."
    ),
    en=(
        "No province found in '{text}'. Add the province (former or current name), or choose "
        "one of the units of that name below."
    ),
)
NO_COMMUNE = define(
    "address.no_commune",
    vi="Chưa có xã, phường trong «{text}»; hãy ghi thêm xã, phường, thị trấn.",
    en="'{text}' names no commune or ward; add it.",
)
COMMUNE_UNKNOWN = define(
    "address.commune_unknown",
    vi=(
        "Không tìm thấy «{name}» trong {province} (cả đơn vị hiện hành lẫn đơn vị cũ). Hãy "
        "kiểm tra chính tả hoặc chọn từ danh sách."
    ),
    en=(
        "'{name}' is not a unit of {province} (neither in force nor former). Check the "
        "spelling or choose from the list."
    ),
)
NEEDS_REVIEW = define(
    "address.needs_review",
    vi=(
        "Địa chỉ cần chọn lại: «{text}» chưa khớp được với một xã, phường hiện hành. Hãy chọn "
        "tỉnh, thành phố rồi xã, phường, đặc khu từ danh sách."
    ),
    en=(
        "Address to choose again: '{text}' does not match one commune in force. Choose the "
        "province, then the commune, from the lists."
    ),
)
NOT_IN_PROVINCE = define(
    "address.commune_not_in_province",
    vi=(
        "{commune} (mã {code}) không thuộc {province}. Hãy chọn lại xã, phường của "
        "{province}, hoặc đổi tỉnh, thành phố."
    ),
    en="{commune} (code {code}) is not in {province}. Choose a commune of {province}.",
)
UNKNOWN_CODE = define(
    "address.unknown_code",
    vi=(
        "Mã đơn vị hành chính «{value}» không có trong danh mục từ 01/7/2025 (mã tỉnh có 2 "
        "chữ số, mã xã, phường có 5 chữ số); hãy tìm mã bằng «dvc-desk address search»."
    ),
    en=(
        "'{value}' is not the code of a unit in force since 1 July 2025 (provinces have 2 "
        "digits, communes 5); find codes with 'dvc-desk address search'."
    ),
)
