"""The sentences of a PDF verdict's refusals (codes `pdf.*`), declared once.

Each takes `name` (the file as the clerk knows it) and, for damage, `what`/`what_en`
(the phrases of `desktop.filecheck.damage`), so no language leaks into the other.
"""

from __future__ import annotations

from desktop.errors import define

E_DAMAGED = define(
    "pdf.damaged",
    vi=(
        "Tệp PDF «{name}» bị hỏng ({what}) và không sửa được. Hãy quét lại tài liệu hoặc "
        "xuất lại tệp PDF từ phần mềm đã tạo ra nó, rồi dùng tệp mới."
    ),
    en=(
        "The PDF '{name}' is damaged ({what_en}) and cannot be mended. Scan the document "
        "again or export the PDF again from the program that made it, then use the new file."
    ),
)
E_REPAIRABLE = define(
    "pdf.repairable",
    vi=(
        "Tệp PDF «{name}» bị lỗi ({what}) nhưng sửa được mà không đổi nội dung trang. "
        "Hãy sửa tệp: bấm «Sửa tệp» trong cửa sổ hồ sơ, hoặc chạy «dvc-desk intake repair "
        "TỆP -o TỆP-ĐÃ-SỬA.pdf»; khi ký bằng lệnh «dvc-desk sign» có thể thêm --repair."
    ),
    en=(
        "The PDF '{name}' has a defect ({what_en}) that can be mended without changing its "
        "pages. Repair it: press 'Repair file' in the dossier window, or run 'dvc-desk intake "
        "repair FILE -o REPAIRED.pdf'; 'dvc-desk sign' also takes --repair."
    ),
)
E_PASSWORD = define(
    "pdf.password",
    vi=(
        "Tệp PDF «{name}» cần mật khẩu để mở. Hãy mở tệp bằng mật khẩu rồi lưu lại một bản "
        "không mật khẩu, sau đó dùng bản đó."
    ),
    en=(
        "The PDF '{name}' needs a password to open. Open it with its password, save a copy "
        "without one, and use that copy."
    ),
)
E_BROKEN_SIGNATURE = define(
    "pdf.broken_signature",
    vi=(
        "Tệp PDF «{name}» mang chữ ký số «{field}» đã hỏng từ trước khi đưa vào dvc-desk "
        "(nội dung bị sửa sau khi ký hoặc chữ ký không đọc được). Ký thêm vào tệp này sẽ "
        "cho ra một tệp có chữ ký sai. Hãy xin lại bản gốc từ nơi phát hành tệp."
    ),
    en=(
        "The PDF '{name}' carries a signature '{field}' that was already broken before it "
        "came to dvc-desk (the content was changed after signing, or the signature cannot "
        "be read). Signing it again would give a file with a bad signature. Ask the issuer "
        "for the original."
    ),
)
E_LOCKED = define(
    "pdf.locked",
    vi=(
        "Tệp PDF «{name}» đã được chứng thực với quy định không cho phép thay đổi, kể cả "
        "thêm chữ ký. Không thể ký thêm vào tệp này; hãy dùng nguyên tệp."
    ),
    en=(
        "The PDF '{name}' is certified with no changes allowed, not even a new signature. "
        "It cannot be signed again; use it as it is."
    ),
)
E_SIGNED = define(
    "pdf.signed",
    vi=(
        "Tệp PDF «{name}» đã được ký số. Ghép, xoay, xoá, nén hay sửa trang sẽ làm mất hiệu "
        "lực chữ ký, nên dvc-desk không thay đổi tệp này. Hãy dùng nguyên tệp đã ký, hoặc "
        "sửa bản chưa ký rồi ký lại."
    ),
    en=(
        "The PDF '{name}' is digitally signed. Merging, rotating, deleting, compressing or "
        "repairing pages would break the signature, so dvc-desk does not change it. Use the "
        "signed file as it is, or edit the unsigned version and sign it again."
    ),
)
E_REPAIR_NOTHING = define(
    "pdf.repair_nothing",
    vi="Tệp PDF «{name}» không có lỗi nào cần sửa; không có tệp nào được ghi.",
    en="The PDF '{name}' has nothing to repair; no file was written.",
)
E_REPAIR_FAILED = define(
    "pdf.repair_failed",
    vi=(
        "Không sửa được tệp PDF «{name}»: sau khi ghi lại, tệp vẫn còn lỗi ({what}). Không có "
        "tệp nào được ghi. Hãy quét lại hoặc xuất lại tệp từ phần mềm gốc."
    ),
    en=(
        "The PDF '{name}' could not be repaired: after rewriting it still has a defect "
        "({what_en}). Nothing was written. Scan it again or export it again."
    ),
)
