"""The sentences of the store's refusals (codes `attachments.*`), declared once."""

from __future__ import annotations

from desktop.errors import define

E_NOT_FOUND = define(
    "attachments.not_found",
    vi="Không tìm thấy tệp «{path}». Hãy kiểm tra lại đường dẫn và tên tệp.",
    en="The file '{path}' does not exist. Check the path and the file name.",
)
E_IS_DIRECTORY = define(
    "attachments.is_directory",
    vi="«{path}» là một thư mục, không phải tệp. Hãy chọn từng tệp bên trong thư mục.",
    en="'{path}' is a folder, not a file. Choose the files inside it one by one.",
)
E_EMPTY = define(
    "attachments.empty",
    vi=(
        "Tệp «{name}» rỗng (0 byte), có thể chưa lưu xong hoặc sao chép bị lỗi. "
        "Hãy mở lại tệp gốc, lưu lại rồi đính kèm lại."
    ),
    en="'{name}' is empty (0 bytes); it may not have been saved. Save it again and re-attach it.",
)
E_TOO_LARGE = define(
    "attachments.too_large",
    vi=(
        "Tệp «{name}» nặng {size_mb} MB, vượt giới hạn {limit_mb} MB của thành phần này. "
        'Hãy nén tệp bằng lệnh: dvc-desk intake compress "{path}" -o <tệp-đã-nén>.pdf '
        "--max-size {limit_mb}MB, rồi đính kèm tệp đã nén."
    ),
    en=(
        "'{name}' is {size_mb} MB, over the {limit_mb} MB limit. Compress it with "
        'dvc-desk intake compress "{path}" -o <compressed>.pdf --max-size {limit_mb}MB '
        "and attach the compressed file."
    ),
)
E_WRONG_TYPE = define(
    "attachments.wrong_type",
    vi=(
        "Tệp «{name}» thực chất là {kind}, không phải loại được nhận ({accepted}). "
        "Hãy chọn đúng tệp PDF hoặc ảnh quét của giấy tờ."
    ),
    en=(
        "'{name}' is actually {kind_en}, not an accepted type ({accepted_en}). "
        "Choose the PDF or the scanned image of the document."
    ),
)
E_UNREADABLE = define(
    "attachments.unreadable",
    vi="Không đọc được tệp «{path}» ({detail}). Hãy kiểm tra quyền truy cập hoặc ổ đĩa chứa tệp.",
    en="Could not read '{path}' ({detail}). Check the permissions or the drive holding it.",
)
E_WRITE_FAILED = define(
    "attachments.write_failed",
    vi="Không ghi được tệp «{name}» vào kho dữ liệu ({detail}); không có gì được lưu.",
    en="Could not write '{name}' into the store ({detail}); nothing was saved.",
)
E_BLOB_MISSING = define(
    "attachments.blob_missing",
    vi=(
        "Tệp đính kèm {sha256} không còn trong kho dữ liệu. "
        "Hãy chạy «dvc-desk doctor» để kiểm tra và đính kèm lại tệp gốc."
    ),
    en="Attachment {sha256} is missing from the store. Run 'dvc-desk doctor' and re-attach it.",
)
