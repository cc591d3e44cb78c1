"""How portal failures reach the app: transient (retry later) or refused (a person acts).

`PortalRefusedError` carries the portal's stable problem `code` as its own code, so
callers (the sync engine) branch on `exc.code`; known codes have sentences here, any
other code is rendered with the generic "the portal refused" sentence.
"""

from __future__ import annotations

from typing import Any

from desktop.errors import TransientError, UserError, define, known_codes, render

E_UNREACHABLE = define(
    "portal.unreachable",
    vi=(
        "Không kết nối được cổng dịch vụ công {url} ({detail}). Hồ sơ vẫn nằm trong hàng đợi "
        "và sẽ được gửi lại khi có mạng; hãy kiểm tra kết nối Internet."
    ),
    en=(
        "Could not reach the portal {url} ({detail}). The dossier stays queued and will be "
        "sent again when the connection is back; check the Internet connection."
    ),
)
E_BUSY = define(
    "portal.busy",
    vi="Cổng dịch vụ công đang bận (mã {status}); sẽ thử lại sau {retry_after} giây.",
    en="The portal is busy (status {status}); trying again in {retry_after} seconds.",
)
E_BAD_RESPONSE = define(
    "portal.bad_response",
    vi=(
        "Cổng dịch vụ công {url} trả lời không đúng định dạng API v1 ({detail}). Có thể địa chỉ "
        "cổng bị sai hoặc mạng đi qua một trang đăng nhập Wi-Fi; hãy kiểm tra địa chỉ cổng "
        "trong Thiết lập. Sẽ thử lại sau."
    ),
    en=(
        "The portal {url} answered something that is not API v1 ({detail}). The portal address "
        "may be wrong, or the network shows a Wi-Fi login page; check the portal address in "
        "Settings. Will try again later."
    ),
)
E_REFUSED = define(
    "portal.refused",
    vi="Cổng dịch vụ công từ chối yêu cầu (mã {status}, {problem}): {title}.",
    en="The portal refused the request (status {status}, {problem}): {title}.",
)
E_LOCAL_SIZE = define(
    "portal.local_size_mismatch",
    vi=(
        "Tệp {path} trên máy có {size} byte nhưng hồ sơ đã khai báo {declared} byte: tệp đã bị "
        "thay đổi hoặc hỏng sau khi nộp. Không gửi gì thêm; hãy chạy «dvc-desk doctor»."
    ),
    en=(
        "The file {path} has {size} bytes but the dossier declared {declared}: it changed or "
        "was damaged after submission. Nothing more was sent; run 'dvc-desk doctor'."
    ),
)
E_LOGIN_REQUIRED = define(
    "portal.login_required",
    vi=(
        "Phiên đăng nhập cổng dịch vụ công đã hết hạn. Hãy đăng nhập lại: "
        "dvc-desk account login --portal {url} --username <tên>."
    ),
    en=(
        "The portal session expired. Log in again: "
        "dvc-desk account login --portal {url} --username <name>."
    ),
)

# Sentences for the problem codes API v1 defines (docs/portal-api.md lists them).
for _code, _vi, _en in (
    (
        "account.exists",
        "Tên đăng nhập «{username}» đã có người dùng; hãy chọn tên khác.",
        "The username '{username}' is taken; choose another.",
    ),
    (
        "auth.invalid_credentials",
        "Sai tên đăng nhập hoặc mật khẩu; hãy nhập lại.",
        "Wrong username or password; try again.",
    ),
    (
        "auth.not_activated",
        "Tài khoản chưa được kích hoạt: hãy mở liên kết trong thư xác nhận rồi đăng nhập lại.",
        "The account is not activated: open the link in the confirmation e-mail, then log in.",
    ),
    (
        "upload.checksum_mismatch",
        "Tệp gửi lên không khớp mã SHA-256 đã khai báo; tệp trên cổng đã được xoá để gửi lại. "
        "Hãy chạy «dvc-desk doctor» để kiểm tra kho tệp.",
        "The uploaded file does not match its declared SHA-256; the portal reset it. "
        "Run 'dvc-desk doctor' to check the file store.",
    ),
    (
        "upload.expired",
        "Phiên tải tệp trên cổng đã hết hạn; hồ sơ sẽ được tạo lại phiên tải.",
        "The upload expired on the portal; the dossier will renew it.",
    ),
    (
        "submission.files_incomplete",
        "Cổng chưa nhận đủ tệp của hồ sơ ({missing}); các tệp sẽ được gửi tiếp.",
        "The portal does not have every file yet ({missing}); they will be sent.",
    ),
    (
        "submission.key_reused",
        "Mã nộp hồ sơ đã được dùng cho nội dung khác; hồ sơ cần được kiểm tra lại.",
        "The submission key was used with other content; the dossier needs checking.",
    ),
    (
        "dossier.conflict",
        "Trên cổng đã có hồ sơ cùng mã nhưng nội dung khác; hãy tạo phiên bản mới của hồ sơ.",
        "The portal holds a dossier with this id and other content; make a new version.",
    ),
    (
        "dossier.file_too_large",
        "Tệp {file_id} ({size} byte) vượt giới hạn {limit} byte của cổng; hãy nén hoặc tách tệp.",
        "File {file_id} ({size} bytes) is over the portal's {limit}-byte limit; "
        "compress or split it.",
    ),
    (
        "dossier.address_invalid",
        "Cổng không nhận địa chỉ {field} ({reason}): mã tỉnh «{province_code}», mã xã "
        "«{commune_code}» không khớp danh mục đơn vị hành chính từ 01/7/2025. Hãy chọn lại "
        "tỉnh, thành phố và xã, phường rồi nộp lại.",
        "The portal refused address {field} ({reason}): province code '{province_code}', "
        "commune code '{commune_code}' do not match the units of 1 July 2025. Choose them "
        "again and resubmit.",
    ),
    (
        "request.invalid",
        "Cổng cho rằng dữ liệu hồ sơ không hợp lệ: {errors}. Hãy sửa rồi nộp lại.",
        "The portal found the dossier data invalid: {errors}. Fix it and submit again.",
    ),
):
    define(_code, vi=_vi, en=_en)


class PortalRefusedError(UserError):
    """The portal answered 4xx; `code` is the portal's problem code (e.g. upload.expired)."""

    def __init__(self, code: str, *, status: int, title: str, **params: Any) -> None:
        super().__init__(code, status=status, title=title, **params)
        self.status = status

    def message(self, language: str | None = None) -> str:
        if self.code in known_codes():
            return render(self.code, self.params, language)
        return render(
            E_REFUSED,
            {"status": self.status, "problem": self.code, "title": self.params.get("title", "")},
            language,
        )


class PortalUnreachableError(TransientError):
    """No answer: the connection failed or broke during the request.

    What the portal did with the request is unknown, so a caller that sent a side
    effect asks the portal (HEAD, GET) before going on.
    """

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(E_UNREACHABLE, url=url, detail=detail)


class PortalBusyError(TransientError):
    """5xx or 429 (or an upload still busy): try again later.

    `retry_after` is what the portal asked for (seconds), None when it did not say;
    the sentence then names 30 seconds.
    """

    def __init__(self, status: int, retry_after: int | None) -> None:
        super().__init__(
            E_BUSY, status=status, retry_after=retry_after if retry_after is not None else 30
        )
        self.retry_after = retry_after


class LoginRequiredError(PortalRefusedError):
    """No token, refresh or stored password gets in: the person must log in again."""

    def __init__(self, url: str, *, status: int = 401, title: str = "login required") -> None:
        super().__init__(E_LOGIN_REQUIRED, status=status, title=title, url=url)


class UploadGoneError(PortalRefusedError):
    """404/410 on an upload: it expired or vanished; PUT the dossier again to renew it."""


class OffsetMismatchError(PortalRefusedError):
    """409 on a PATCH: the portal holds another offset (`offset`, None if it did not say),
    or another PATCH of the same upload is still running (code `upload.busy`)."""

    def __init__(self, code: str, *, offset: int | None, title: str = "") -> None:
        super().__init__(code, status=409, title=title, offset=offset)
        self.offset = offset


class ChecksumMismatchError(PortalRefusedError):
    """422 at the last byte: the file's SHA-256 differs; the portal reset it to offset 0."""


E_UNSUPPORTED = define(
    "portal.unsupported",
    vi=(
        "Cổng {url} (kiểu kết nối {kind}) không hỗ trợ {feature}. Hãy làm việc này trực tiếp "
        "trên cổng, hoặc chọn một cổng hỗ trợ trong Cài đặt."
    ),
    en=(
        "The portal {url} ({kind} adapter) does not offer {feature}. Do this on the portal "
        "itself, or choose a portal that offers it in Settings."
    ),
)
E_SERVICE_REFUSED = define(
    "portal.service_refused",
    vi=(
        "Nền tảng tích hợp {url} từ chối dịch vụ {service} (mã lỗi {error_code}): {title}. "
        "Hồ sơ cần được kiểm tra lại."
    ),
    en=(
        "The integration platform {url} refused {service} (error code {error_code}): {title}. "
        "The dossier needs checking."
    ),
)


class UnsupportedError(PortalRefusedError):
    """The adapter cannot make this call (its `capabilities` say so); nothing was sent."""

    def __init__(self, url: str, kind: str, feature: str) -> None:
        super().__init__(
            E_UNSUPPORTED, status=501, title=feature, url=url, kind=kind, feature=feature
        )


class ServiceRefusedError(PortalRefusedError):
    """A service-style portal answered `error_code` != 0; `status` is its HTTP-like meaning
    (404 not found, 409 exists, 422 invalid) so the engine treats it as any refusal."""

    def __init__(self, url: str, service: str, error_code: int, message: str, status: int) -> None:
        super().__init__(
            E_SERVICE_REFUSED, status=status, title=message, url=url, service=service,
            error_code=error_code,
        )  # fmt: skip
        self.error_code = error_code
