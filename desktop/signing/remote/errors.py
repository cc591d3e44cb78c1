"""Error codes of remote signing, each with a Vietnamese and an English sentence."""

from __future__ import annotations

from desktop.errors import define

E_NO_SERVICE = define(
    "remote.no_service",
    vi=(
        "Chưa cấu hình dịch vụ ký số từ xa «{name}». Hãy khai báo trong Cài đặt hoặc bằng "
        "«dvc-desk sign-jobs service add»."
    ),
    en=(
        "The remote signing service '{name}' is not configured. Add it in Settings or with "
        "'dvc-desk sign-jobs service add'."
    ),
)
E_SERVICE_SETTING = define(
    "remote.service_setting",
    vi=(
        "Khai báo dịch vụ ký số từ xa không hợp lệ ({reason}). Mỗi mục cần name, kind "
        "(push hoặc csc), url (http/https) và client_id."
    ),
    en=(
        "The remote signing service entry is invalid ({reason}). Each entry needs name, kind "
        "(push or csc), url (http/https) and client_id."
    ),
)
E_NO_CLIENT_SECRET = define(
    "remote.no_client_secret",
    vi=(
        "Chưa có mật khẩu tích hợp (client secret) của dịch vụ «{name}» trong kho khoá. Hãy "
        "nhập lại trong Cài đặt hoặc bằng «dvc-desk sign-jobs service add»."
    ),
    en=(
        "The client secret of the service '{name}' is not in the keyring. Enter it again in "
        "Settings or with 'dvc-desk sign-jobs service add'."
    ),
)
E_SERVICE_DOWN = define(
    "remote.service_down",
    vi=(
        "Không kết nối được dịch vụ ký số từ xa «{name}» ({reason}). Hãy kiểm tra mạng rồi "
        "thử lại; yêu cầu đang chờ (nếu có) vẫn được giữ."
    ),
    en=(
        "Cannot reach the remote signing service '{name}' ({reason}). Check the network and "
        "try again; a waiting request (if any) is kept."
    ),
)
E_SERVICE_GARBAGE = define(
    "remote.service_garbage",
    vi=(
        "Dịch vụ ký số từ xa «{name}» trả lời không đúng định dạng ({reason}). Không có gì "
        "được ghi; hãy thử lại sau hoặc báo nhà cung cấp dịch vụ."
    ),
    en=(
        "The remote signing service '{name}' gave a malformed answer ({reason}). Nothing was "
        "written; try again later or tell the service provider."
    ),
)
E_SERVICE_REFUSED = define(
    "remote.service_refused",
    vi="Dịch vụ ký số từ xa «{name}» từ chối yêu cầu: {reason}.",
    en="The remote signing service '{name}' refused the request: {reason}.",
)
E_BAD_CLIENT = define(
    "remote.bad_client",
    vi=(
        "Dịch vụ «{name}» không chấp nhận mã tích hợp (client id / secret). Hãy kiểm tra "
        "lại trong Cài đặt."
    ),
    en="The service '{name}' refused the client id / secret. Check them in Settings.",
)
E_NO_REMOTE_CERT = define(
    "remote.no_certificate",
    vi=(
        "Dịch vụ «{name}» không có chứng thư số nào dùng được cho người ký «{user}». Hãy "
        "kiểm tra số định danh (CCCD) của người ký."
    ),
    en=(
        "The service '{name}' has no usable certificate for the signer '{user}'. Check the "
        "signer's ID number."
    ),
)
E_REFUSED_BY_SIGNER = define(
    "remote.refused_by_signer",
    vi=(
        "Người ký đã TỪ CHỐI yêu cầu ký trên điện thoại. Không có tệp nào được ký; hãy ký "
        "lại nếu cần."
    ),
    en="The signer REFUSED the request on the phone. No file was signed; sign again if needed.",
)
E_EXPIRED = define(
    "remote.expired",
    vi=(
        "Yêu cầu ký đã HẾT HẠN mà người ký chưa xác nhận trên điện thoại. Không có tệp nào "
        "được ký; hãy gửi lại yêu cầu."
    ),
    en=(
        "The signing request EXPIRED before the signer confirmed it on the phone. No file was "
        "signed; send the request again."
    ),
)
E_CANCELLED = define(
    "remote.cancelled",
    vi="Yêu cầu ký số từ xa {id} đã bị huỷ. Không có tệp nào được ký.",
    en="Remote signing request {id} was cancelled. No file was signed.",
)
E_WRONG_OTP = define(
    "remote.wrong_otp",
    vi="Mã PIN/OTP không đúng. Hãy nhập lại mã mới nhất trên điện thoại.",
    en="The PIN/OTP is wrong. Enter the latest code from the phone again.",
)
E_BAD_SIGNATURE = define(
    "remote.bad_signature",
    vi=(
        "Chữ ký dịch vụ trả về cho «{path}» KHÔNG khớp với chứng thư số và dữ liệu đã gửi "
        "(dịch vụ đã ký dữ liệu khác hoặc bằng khoá khác). Không có gì được ghi; hãy báo "
        "nhà cung cấp dịch vụ."
    ),
    en=(
        "The signature returned for '{path}' does NOT match the certificate and the data "
        "sent (the service signed other data or used another key). Nothing was written; "
        "tell the service provider."
    ),
)
E_MISSING_SIGNATURE = define(
    "remote.missing_signature",
    vi=("Dịch vụ không trả về chữ ký cho «{path}». Không có gì được ghi; hãy gửi lại yêu cầu."),
    en="The service returned no signature for '{path}'. Nothing was written; send it again.",
)
E_PREPARED_CHANGED = define(
    "remote.prepared_changed",
    vi=(
        "Tệp đã chuẩn bị để ký «{path}» bị thay đổi hoặc mất trong lúc chờ xác nhận. Không "
        "có gì được ghi; hãy ký lại."
    ),
    en=(
        "The file prepared for signing '{path}' was changed or lost while waiting for the "
        "confirmation. Nothing was written; sign again."
    ),
)
E_REMOTE_ENCRYPTED = define(
    "remote.encrypted",
    vi=(
        "Tệp «{path}» được đặt mật khẩu; ký số từ xa chưa hỗ trợ tệp có mật khẩu. Hãy bỏ "
        "mật khẩu của tệp hoặc ký bằng tệp .p12/token."
    ),
    en=(
        "'{path}' is password-protected; remote signing does not support such files yet. "
        "Remove the password or sign with a .p12 file or a token."
    ),
)
E_NO_JOB = define(
    "remote.no_job",
    vi="Không có yêu cầu ký số từ xa số {id}. Xem danh sách: «dvc-desk sign-jobs list».",
    en="There is no remote signing request {id}. See 'dvc-desk sign-jobs list'.",
)
E_JOB_FINISHED = define(
    "remote.job_finished",
    vi="Yêu cầu ký số từ xa {id} đã kết thúc ({state}), không huỷ được nữa.",
    en="Remote signing request {id} has already ended ({state}) and cannot be cancelled.",
)
E_REMOTE_OPTIONS = define(
    "remote.options",
    vi="Ký số từ xa cần cả --remote TÊN_DỊCH_VỤ và --user SỐ_ĐỊNH_DANH của người ký.",
    en="Remote signing needs both --remote SERVICE_NAME and --user SIGNER_ID.",
)
E_KEYRING = define(
    "remote.keyring",
    vi=(
        "Không lưu được mật khẩu tích hợp của dịch vụ «{name}» vào kho khoá của hệ điều hành "
        "({detail}). Hãy bật kho khoá (Windows Credential Manager, GNOME Keyring hoặc "
        "KWallet) rồi nhập lại."
    ),
    en=(
        "Could not store the client secret of the service '{name}' in the system keyring "
        "({detail}). Enable a keyring (Windows Credential Manager, GNOME Keyring or KWallet) "
        "and enter it again."
    ),
)
E_JOB_PENDING = define(
    "remote.job_pending",
    vi=(
        "Hồ sơ {id} đã có yêu cầu ký số từ xa {job} đang chờ xác nhận. Hãy chờ kết quả "
        "(«dvc-desk sign-jobs wait {job}») hoặc huỷ yêu cầu đó trước khi gửi yêu cầu mới."
    ),
    en=(
        "Dossier {id} already has remote signing request {job} waiting for confirmation. "
        "Wait for it ('dvc-desk sign-jobs wait {job}') or cancel it before sending a new one."
    ),
)
