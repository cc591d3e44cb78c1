"""The sentences of validation problems (codes `dossier.*`), declared once."""

from __future__ import annotations

from desktop.errors import define

REQUIRED = define(
    "dossier.required",
    vi="Chưa nhập {label}. Hãy nhập {label} trước khi nộp.",
    en="{label_en} is missing. Fill it in before submitting.",
)
ID_FORMAT = define(
    "dossier.id_number_format",
    vi="Số định danh cá nhân (CCCD) «{value}» không hợp lệ: cần đúng 12 chữ số.",
    en="Personal ID number '{value}' is not valid: it must be exactly 12 digits.",
)
ID_PROVINCE_HINT = define(
    "dossier.id_number_province_hint",
    vi=(
        "Ba số đầu «{prefix}» của số CCCD {value} không phải mã tỉnh thường gặp. "
        "Hãy kiểm tra lại (đây chỉ là gợi ý, hồ sơ vẫn nộp được)."
    ),
    en="The first three digits '{prefix}' of ID {value} are not a usual province code (hint only).",
)
ID_BIRTH_HINT = define(
    "dossier.id_number_birth_hint",
    vi=(
        "Số CCCD {value} thường ứng với người sinh năm {id_year}, khác năm sinh đã nhập "
        "({year}). Hãy kiểm tra lại (đây chỉ là gợi ý)."
    ),
    en="ID {value} usually belongs to someone born in {id_year}, not {year} (hint only).",
)
ID_GENDER_HINT = define(
    "dossier.id_number_gender_hint",
    vi=(
        "Số CCCD {value} thường ứng với giới tính «{id_gender}», khác giới tính đã nhập "
        "(«{gender}»). Hãy kiểm tra lại (đây chỉ là gợi ý)."
    ),
    en="ID {value} usually belongs to gender '{id_gender}', not '{gender}' (hint only).",
)
PHONE_FORMAT = define(
    "dossier.phone_format",
    vi=(
        "Số điện thoại «{value}» không hợp lệ: cần số di động 10 chữ số bắt đầu bằng "
        "03, 05, 07, 08 hoặc 09 (có thể ghi +84…)."
    ),
    en="Phone '{value}' is not valid: a 10-digit mobile number starting 03/05/07/08/09 or +84.",
)
EMAIL_FORMAT = define(
    "dossier.email_format",
    vi="Địa chỉ thư điện tử «{value}» không hợp lệ (ví dụ đúng: ten@example.vn).",
    en="E-mail address '{value}' is not valid (e.g. name@example.vn).",
)
DATE_FORMAT = define(
    "dossier.date_format",
    vi="Ngày «{value}» không hợp lệ; hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/1990.",
    en="Date '{value}' is not valid; write it as dd/mm/yyyy, e.g. 05/03/1990.",
)
DATE_FUTURE = define(
    "dossier.date_in_future",
    vi="Ngày sinh {value} nằm trong tương lai; hãy kiểm tra lại.",
    en="Date of birth {value} is in the future; check it.",
)
GENDER_UNKNOWN = define(
    "dossier.gender_unknown",
    vi="Giới tính «{value}» không hợp lệ; hãy ghi Nam, Nữ hoặc Khác.",
    en="Gender '{value}' is not valid; write Nam, Nữ or Khác.",
)
PROVINCE_UNKNOWN = define(
    "dossier.province_unknown",
    vi=(
        "Không có tỉnh, thành phố «{value}» trong 34 tỉnh, thành phố từ 01/7/2025. "
        "Hãy ghi đúng tên, ví dụ «Quảng Ngãi» hoặc «Hồ Chí Minh»."
    ),
    en="'{value}' is not one of the 34 provinces in force since 1 July 2025.",
)
PROVINCE_MERGED = define(
    "dossier.province_merged",
    vi="Tỉnh «{value}» đã hợp nhất vào tỉnh, thành phố «{new}» từ 01/7/2025; hãy ghi «{new}».",
    en="'{value}' merged into '{new}' on 1 July 2025; write '{new}'.",
)
TAX_CODE_FORMAT = define(
    "dossier.tax_code_format",
    vi="Mã số thuế «{value}» không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, gạch ngang, 3 chữ số.",
    en="Tax code '{value}' is not valid: 10 digits, or 10 digits, a hyphen and 3 digits.",
)
COMPONENT_MISSING = define(
    "dossier.component_missing",
    vi=(
        "Chưa đính kèm thành phần bắt buộc «{name}» ({component}). "
        "Hãy đính kèm tệp quét của giấy tờ này."
    ),
    en="Required component '{name}' ({component}) has no file. Attach its scan.",
)
COMPONENT_CASE = define(
    "dossier.component_case",
    vi="Thành phần «{name}» ({component}) cần nộp trong trường hợp: {case}. Hãy kiểm tra.",
    en="Component '{name}' ({component}) is needed in this case: {case}. Check it.",
)
COMPONENT_UNKNOWN = define(
    "dossier.component_unknown",
    vi=(
        "Tệp «{file}» gắn vào thành phần {component}, nhưng thủ tục không còn thành phần này. "
        "Hãy gỡ tệp và đính kèm vào đúng thành phần."
    ),
    en="'{file}' is attached to component {component}, which the procedure no longer has.",
)
ATTACHMENT_TYPE = define(
    "dossier.attachment_type",
    vi="Tệp «{file}» của thành phần «{name}» là {kind}; thành phần này chỉ nhận {accepted}.",
    en="'{file}' of component '{name}' is {kind_en}; it only accepts {accepted_en}.",
)
ATTACHMENT_SIZE = define(
    "dossier.attachment_size",
    vi=(
        "Tệp «{file}» của thành phần «{name}» nặng {size_mb} MB, vượt giới hạn {limit_mb} MB. "
        "Hãy nén tệp bằng «dvc-desk intake compress» rồi đính kèm lại."
    ),
    en="'{file}' of '{name}' is {size_mb} MB, over the {limit_mb} MB limit; compress it.",
)
ATTACHMENT_ENCRYPTED = define(
    "dossier.attachment_encrypted",
    vi="Tệp «{file}» được đặt mật khẩu; cổng có thể không mở được. Nên gỡ mật khẩu trước khi nộp.",
    en="'{file}' is password-protected; the portal may not open it. Remove the password.",
)
ATTACHMENT_SIGNED = define(
    "dossier.attachment_signed",
    vi="Tệp «{file}» đã có {count} chữ ký số; khi ký lại, chữ ký cũ vẫn được giữ.",
    en="'{file}' already has {count} digital signature(s); signing again keeps them.",
)
COMPONENTS_UNKNOWN = define(
    "dossier.components_unknown",
    vi=(
        "Danh mục chưa có danh sách thành phần hồ sơ của thủ tục «{procedure}»; "
        "hãy đối chiếu với hướng dẫn của cơ quan tiếp nhận trước khi nộp."
    ),
    en="The catalog does not list the components of '{procedure}'; check the agency's guide.",
)
DELIVERY_ADDRESS = define(
    "dossier.delivery_address",
    vi="Đã chọn «{service}» nhưng địa chỉ còn thiếu: {missing}. Hãy nhập đủ địa chỉ.",
    en="'{service_en}' is chosen but its address lacks: {missing}.",
)
