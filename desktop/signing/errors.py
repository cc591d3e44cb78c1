"""Error codes of the signing package, each with a Vietnamese and an English sentence."""

from __future__ import annotations

from desktop.errors import define

# Certificate sources
E_P12_UNREADABLE = define(
    "signing.p12_unreadable",
    vi="Không đọc được tệp chứng thư số «{path}»: {reason}. Hãy kiểm tra đúng tệp .p12/.pfx.",
    en="Cannot read the certificate file '{path}': {reason}. Check that it is a .p12/.pfx file.",
)
E_P12_PASSWORD = define(
    "signing.p12_password",
    vi="Mật khẩu của tệp chứng thư số «{path}» không đúng. Hãy nhập lại mật khẩu.",
    en="The password of the certificate file '{path}' is wrong. Enter it again.",
)
E_P12_NO_KEY = define(
    "signing.p12_no_key",
    vi="Tệp «{path}» không chứa khoá bí mật kèm chứng thư số, nên không thể dùng để ký.",
    en="The file '{path}' holds no private key with its certificate, so it cannot sign.",
)
E_MODULE_LOAD = define(
    "signing.pkcs11_module",
    vi=(
        "Không nạp được thư viện token «{module}»: {reason}. Hãy cài trình điều khiển "
        "của nhà cung cấp chứng thư số hoặc chỉ đúng đường dẫn thư viện (.dll/.so)."
    ),
    en=(
        "Cannot load the token library '{module}': {reason}. Install the CA's token driver "
        "or give the right library path (.dll/.so)."
    ),
)
E_NO_MODULE = define(
    "signing.no_pkcs11_module",
    vi=(
        "Không tìm thấy thư viện PKCS#11 nào của token trên máy. Hãy cài trình điều khiển "
        "token hoặc khai báo đường dẫn bằng «dvc-desk settings set pkcs11_modules»."
    ),
    en=(
        "No PKCS#11 token library was found on this computer. Install the token driver "
        "or declare its path with 'dvc-desk settings set pkcs11_modules'."
    ),
)
E_NO_TOKEN = define(
    "signing.no_token",
    vi="Không thấy token nào{label_part}. Hãy cắm token vào máy rồi thử lại.",
    en="No token found{label_part}. Plug the token in and try again.",
)
E_MANY_TOKENS = define(
    "signing.many_tokens",
    vi="Có nhiều token đang cắm ({labels}). Hãy chọn một token bằng --token NHÃN.",
    en="Several tokens are plugged in ({labels}). Choose one with --token LABEL.",
)
E_PIN_INCORRECT = define(
    "signing.pin_incorrect",
    vi="Mã PIN của token «{token}» không đúng. Hãy kiểm tra lại trước khi nhập lần nữa.",
    en="The PIN of token '{token}' is wrong. Check it before trying again.",
)
E_PIN_INCORRECT_LOW = define(
    "signing.pin_incorrect_low",
    vi=(
        "Mã PIN của token «{token}» không đúng và token báo chỉ còn ít lần thử. Nhập sai "
        "thêm vài lần nữa token sẽ bị khoá: hãy chắc chắn về mã PIN trước khi thử lại."
    ),
    en=(
        "The PIN of token '{token}' is wrong and the token reports few tries left. A few "
        "more wrong PINs will lock it: be sure of the PIN before trying again."
    ),
)
E_PIN_FINAL_TRY = define(
    "signing.pin_final_try",
    vi=(
        "Mã PIN của token «{token}» không đúng. Chỉ còn 1 lần thử: nhập sai lần nữa token "
        "sẽ bị khoá. Hãy liên hệ nhà cung cấp chứng thư số nếu không chắc mã PIN."
    ),
    en=(
        "The PIN of token '{token}' is wrong. One try is left: another wrong PIN locks the "
        "token. Ask the CA if you are not sure of the PIN."
    ),
)
E_PIN_LOCKED = define(
    "signing.pin_locked",
    vi=(
        "Token «{token}» đã bị khoá do nhập sai PIN quá số lần cho phép. Hãy liên hệ nhà "
        "cung cấp chứng thư số để mở khoá."
    ),
    en="Token '{token}' is locked after too many wrong PINs. Ask the CA to unlock it.",
)
E_TOKEN_ERROR = define(
    "signing.token_error",
    vi="Token «{token}» báo lỗi: {reason}. Hãy rút token ra, cắm lại rồi thử lại.",
    en="Token '{token}' reported an error: {reason}. Unplug it, plug it in and try again.",
)
E_NO_KEY_ON_TOKEN = define(
    "signing.no_key_on_token",
    vi="Token «{token}» không có cặp khoá và chứng thư số nào dùng để ký{id_part}.",
    en="Token '{token}' has no key with a certificate usable for signing{id_part}.",
)
E_MANY_KEYS = define(
    "signing.many_keys",
    vi="Token «{token}» có nhiều chứng thư số ({ids}). Hãy chọn một bằng --key-id MÃ.",
    en="Token '{token}' holds several certificates ({ids}). Choose one with --key-id ID.",
)
E_BAD_KEY_ID = define(
    "signing.bad_key_id",
    vi="Mã khoá «{value}» không hợp lệ: cần dạng thập lục phân, ví dụ 01a2b3.",
    en="The key id '{value}' is not valid: give hexadecimal digits, e.g. 01a2b3.",
)
E_WRONG_THREAD = define(
    "signing.wrong_thread",
    vi="Phiên làm việc với token chỉ dùng được trên luồng đã mở nó.",
    en="A token session can only be used on the thread that opened it.",
)

# Certificate checks
E_CERT_EXPIRED = define(
    "signing.cert_expired",
    vi=(
        "Chứng thư số của «{subject}» đã hết hạn từ {not_after}. Hãy gia hạn chứng thư số "
        "với nhà cung cấp rồi ký lại."
    ),
    en="The certificate of '{subject}' expired on {not_after}. Renew it with the CA.",
)
E_CERT_NOT_YET_VALID = define(
    "signing.cert_not_yet_valid",
    vi=(
        "Chứng thư số của «{subject}» chỉ có hiệu lực từ {not_before}. Hãy kiểm tra đồng hồ "
        "của máy tính hoặc chờ đến ngày đó."
    ),
    en="The certificate of '{subject}' is valid only from {not_before}. Check the clock.",
)
E_CERT_USAGE = define(
    "signing.cert_usage",
    vi=(
        "Chứng thư số của «{subject}» không được phép dùng để ký số (thiếu digitalSignature "
        "hoặc nonRepudiation). Hãy dùng chứng thư số ký của cơ quan."
    ),
    en=(
        "The certificate of '{subject}' is not allowed to sign (no digitalSignature or "
        "nonRepudiation key usage). Use the agency's signing certificate."
    ),
)
E_KEY_MISMATCH = define(
    "signing.key_mismatch",
    vi=(
        "Khoá bí mật không khớp với chứng thư số của «{subject}». Hãy chọn đúng cặp khoá "
        "và chứng thư số."
    ),
    en="The private key does not match the certificate of '{subject}'. Choose the right pair.",
)

# Documents
E_NOT_PDF = define(
    "signing.not_pdf",
    vi="Tệp «{path}» không phải là tệp PDF. Hãy chọn tệp PDF để ký.",
    en="'{path}' is not a PDF file. Choose a PDF to sign.",
)
E_UNREADABLE = define(
    "signing.unreadable",
    vi="Không đọc được tệp «{path}»: {reason}.",
    en="Cannot read '{path}': {reason}.",
)
E_DAMAGED = define(
    "signing.damaged",
    vi=(
        "Tệp PDF «{path}» bị hỏng ({reason}). Có thể sửa tệp trước khi ký (ghi lại tệp) "
        "bằng tuỳ chọn --repair; tệp gốc vẫn được giữ nguyên."
    ),
    en=(
        "The PDF '{path}' is damaged ({reason}). It can be repaired (rewritten) before "
        "signing with --repair; the original is kept."
    ),
)
E_PDF_PASSWORD_NEEDED = define(
    "signing.pdf_password_needed",
    vi="Tệp PDF «{path}» được đặt mật khẩu. Hãy nhập mật khẩu của tệp để ký.",
    en="The PDF '{path}' is password protected. Give its password to sign it.",
)
E_PDF_PASSWORD_WRONG = define(
    "signing.pdf_password_wrong",
    vi="Mật khẩu của tệp PDF «{path}» không đúng. Hãy nhập lại.",
    en="The password of the PDF '{path}' is wrong. Enter it again.",
)
E_PDF_ENCRYPTION = define(
    "signing.pdf_encryption",
    vi="Tệp PDF «{path}» dùng kiểu mã hoá không hỗ trợ ({reason}). Hãy gỡ mật khẩu rồi ký.",
    en="The PDF '{path}' uses unsupported encryption ({reason}). Remove it, then sign.",
)
E_BAD_PAGE = define(
    "signing.bad_page",
    vi="Tệp có {pages} trang, không có trang {page}. Hãy chọn trang từ 1 đến {pages}.",
    en="The file has {pages} pages, there is no page {page}. Choose 1 to {pages}.",
)
E_BAD_RECT = define(
    "signing.bad_rect",
    vi="Vùng đặt chữ ký «{value}» không hợp lệ: cần x1,y1,x2,y2 (điểm, x1<x2, y1<y2).",
    en="The stamp rectangle '{value}' is not valid: give x1,y1,x2,y2 in points, x1<x2, y1<y2.",
)
E_BAD_IMAGE = define(
    "signing.bad_image",
    vi="Không đọc được ảnh «{path}»: {reason}. Hãy dùng ảnh PNG nền trong suốt.",
    en="Cannot read the image '{path}': {reason}. Use a PNG with a transparent background.",
)
E_NO_FONT = define(
    "signing.no_font",
    vi="Không tìm thấy phông chữ để vẽ dấu chữ ký ({path}). Hãy cài lại ứng dụng.",
    en="The font for the signature stamp is missing ({path}). Reinstall the application.",
)
E_TSA_UNREACHABLE = define(
    "signing.tsa_unreachable",
    vi=(
        "Không kết nối được máy chủ cấp dấu thời gian «{url}» ({reason}). Hãy kiểm tra mạng, "
        "hoặc cho phép ký không có dấu thời gian bằng --allow-no-timestamp."
    ),
    en=(
        "Cannot reach the timestamp server '{url}' ({reason}). Check the network, or allow "
        "signing without a timestamp with --allow-no-timestamp."
    ),
)
E_SIGN_FAILED = define(
    "signing.failed",
    vi="Ký tệp «{path}» không thành công: {reason}. Tệp gốc không bị thay đổi.",
    en="Signing '{path}' failed: {reason}. The original is unchanged.",
)
E_OUTPUT_INVALID = define(
    "signing.output_invalid",
    vi="Tệp vừa ký «{path}» không vượt qua bước kiểm tra ({reason}) nên đã bị huỷ.",
    en="The freshly signed '{path}' failed its check ({reason}) and was discarded.",
)
E_SAME_OUTPUT = define(
    "signing.same_output",
    vi="Tệp kết quả phải khác tệp gốc «{path}»: tệp gốc luôn được giữ nguyên.",
    en="The output must differ from the original '{path}': the original is always kept.",
)
E_TRUST_UNREADABLE = define(
    "signing.trust_unreadable",
    vi="Không đọc được chứng thư gốc tin cậy «{path}»: {reason}. Cần tệp PEM hoặc DER.",
    en="Cannot read the trusted root '{path}': {reason}. Give a PEM or DER file.",
)
E_NO_SIGNATURES = define(
    "signing.no_signatures",
    vi="Tệp «{path}» không có chữ ký số nào để kiểm tra.",
    en="'{path}' carries no digital signature to verify.",
)
E_SIGNATURES_INVALID = define(
    "signing.signatures_invalid",
    vi=(
        "Tệp «{path}» có chữ ký số KHÔNG hợp lệ hoặc không đọc được (lý do ghi ở từng chữ "
        "ký bên trên). Đừng dùng tệp này khi chưa làm rõ; hãy xin lại bản gốc từ người ký."
    ),
    en=(
        "'{path}' has an INVALID or unreadable signature (the reason is shown under each "
        "signature above). Do not use it until this is cleared; ask the signer for the "
        "original."
    ),
)
E_NO_KEY_SOURCE = define(
    "signing.no_key_source",
    vi="Hãy chọn chứng thư số để ký: --p12 TỆP hoặc --pkcs11 THƯ_VIỆN (hoặc --pkcs11 auto).",
    en="Choose the signing certificate: --p12 FILE or --pkcs11 MODULE (or --pkcs11 auto).",
)
E_NO_SECRET = define(
    "signing.no_secret",
    vi="Chưa nhập {what}: hãy nhập khi được hỏi hoặc qua đầu vào chuẩn với {flag}.",
    en="No {what} was given: type it at the prompt or pass it on stdin with {flag}.",
)
E_NOT_PDF_VERIFY = define(
    "signing.not_pdf_verify",
    vi="Tệp «{path}» không phải là tệp PDF. Hãy chọn tệp PDF đã ký cần kiểm tra.",
    en="'{path}' is not a PDF file. Choose the signed PDF to verify.",
)
E_TSA_REFUSED = define(
    "signing.tsa_refused",
    vi=(
        "Máy chủ dấu thời gian «{url}» từ chối cấp dấu thời gian (máy chủ báo: {reason}). "
        "Hãy liên hệ nhà cung cấp dịch vụ dấu thời gian, hoặc ký không có dấu thời gian "
        "(mức B-B) bằng --allow-no-timestamp."
    ),
    en=(
        "The timestamp server '{url}' refused to issue a timestamp (it said: {reason}). "
        "Contact the timestamp provider, or sign without a timestamp (B-B) with "
        "--allow-no-timestamp."
    ),
)
E_TSA_IMPRINT = define(
    "signing.tsa_imprint",
    vi=(
        "Máy chủ dấu thời gian «{url}» trả về dấu thời gian không khớp với chữ ký vừa tạo, "
        "nên không dùng được. Hãy báo cho nhà cung cấp dịch vụ dấu thời gian, hoặc ký không "
        "có dấu thời gian (mức B-B) bằng --allow-no-timestamp."
    ),
    en=(
        "The timestamp server '{url}' returned a timestamp that does not match the new "
        "signature, so it cannot be used. Tell the timestamp provider, or sign without a "
        "timestamp (B-B) with --allow-no-timestamp."
    ),
)
E_TSA_NONCE = define(
    "signing.tsa_nonce",
    vi=(
        "Máy chủ dấu thời gian «{url}» trả lời không đúng yêu cầu đã gửi (số ngẫu nhiên "
        "nonce khác), có thể là câu trả lời cũ hoặc giả mạo, nên không dùng được. Hãy thử "
        "lại sau, hoặc ký không có dấu thời gian (mức B-B) bằng --allow-no-timestamp."
    ),
    en=(
        "The timestamp server '{url}' answered another request (its nonce differs): an old "
        "or forged answer, so it cannot be used. Try again later, or sign without a "
        "timestamp (B-B) with --allow-no-timestamp."
    ),
)
E_TSA_SIGNER = define(
    "signing.tsa_signer",
    vi=(
        "Dấu thời gian của máy chủ «{url}» không được ký hợp lệ bởi một chứng thư cấp dấu "
        "thời gian ({reason}), nên không dùng được. Hãy kiểm tra địa chỉ máy chủ, hoặc ký "
        "không có dấu thời gian (mức B-B) bằng --allow-no-timestamp."
    ),
    en=(
        "The timestamp from '{url}' is not validly signed by a timestamping certificate "
        "({reason}), so it cannot be used. Check the server address, or sign without a "
        "timestamp (B-B) with --allow-no-timestamp."
    ),
)
E_RECT_OUTSIDE = define(
    "signing.rect_outside",
    vi=(
        "Vùng đặt chữ ký «{value}» nằm ngoài trang: trang này rộng {width} × cao {height} "
        "điểm (khung {box}). Hãy chọn vùng nằm trong khung đó, hoặc dùng --position."
    ),
    en=(
        "The stamp rectangle '{value}' is outside the page: this page is {width} wide × "
        "{height} high in points (box {box}). Choose a rectangle inside it, or use --position."
    ),
)
E_CERTIFIED_VISIBLE = define(
    "signing.certified_visible",
    vi=(
        "Tệp PDF «{path}» đã được chứng thực chỉ cho phép điền biểu mẫu và ký vào ô chữ ký "
        "có sẵn, nên không thể thêm dấu chữ ký hiện trên trang. Hãy ký không hiện dấu "
        "(--invisible)."
    ),
    en=(
        "The PDF '{path}' is certified to allow only form filling and signing existing "
        "fields, so a visible stamp cannot be added. Sign without a stamp (--invisible)."
    ),
)
E_BAD_LEVEL = define(
    "signing.bad_level",
    vi="Mức chữ ký «{level}» không có. Hãy chọn một trong: {levels}.",
    en="There is no signature level '{level}'. Choose one of: {levels}.",
)
E_LEVEL_NEEDS_TSA = define(
    "signing.level_needs_tsa",
    vi=(
        "Mức chữ ký PAdES {level} cần dấu thời gian: hãy cho địa chỉ máy chủ dấu thời gian "
        "bằng --tsa URL, hoặc chọn --level B-B."
    ),
    en="PAdES {level} needs a timestamp: give the timestamp server with --tsa URL, or "
    "choose --level B-B.",
)
E_LT_NO_ROOT = define(
    "signing.lt_no_root",
    vi=(
        "Không ký được mức dài hạn (B-LT/B-LTA) cho «{subject}»: chưa có chứng thư gốc của "
        "nhà cung cấp để kiểm tra chuỗi chứng thư. Hãy chép chứng thư gốc vào thư mục trust "
        "của dữ liệu, hoặc ký mức B-T."
    ),
    en=(
        "Cannot sign long-term (B-LT/B-LTA) for '{subject}': the CA's root certificate is "
        "not available to check the chain. Copy the root into the data dir's trust folder, "
        "or sign at B-T."
    ),
)
E_CERT_REVOKED = define(
    "signing.cert_revoked",
    vi=(
        "Chứng thư số của «{subject}» đã bị nhà cung cấp THU HỒI: không được dùng để ký nữa. "
        "Hãy liên hệ nhà cung cấp chứng thư số."
    ),
    en="The certificate of '{subject}' has been REVOKED by its CA: it may no longer sign. "
    "Contact the CA.",
)
E_REVINFO_UNAVAILABLE = define(
    "signing.revinfo_unavailable",
    vi=(
        "Không lấy được dữ liệu thu hồi (OCSP/CRL) cho chuỗi chứng thư của «{subject}» "
        "({reason}), nên không ký được mức dài hạn B-LT/B-LTA. Hãy kiểm tra mạng, hoặc ký "
        "mức B-T (--level B-T)."
    ),
    en=(
        "Could not get revocation data (OCSP/CRL) for the chain of '{subject}' ({reason}), "
        "so a long-term B-LT/B-LTA signature cannot be made. Check the network, or sign at "
        "B-T (--level B-T)."
    ),
)
E_NOT_SIGNING_CERT = define(
    "signing.not_signing_certificate",
    vi=(
        "«{subject}» là chứng thư của nhà cung cấp (CA) hoặc không có khoá bí mật đi kèm trên "
        "token, nên không dùng để ký. Hãy chọn chứng thư số của người ký."
    ),
    en=(
        "'{subject}' is a CA certificate or has no private key beside it on the token, so "
        "it cannot sign. Choose the signer's own certificate."
    ),
)
E_SIGN_FAILED_PDF = define(
    "signing.failed_pdf",
    vi=(
        "Ký tệp «{path}» không thành công: thư viện ký số không xử lý được cấu trúc của tệp "
        "PDF này. Tệp gốc không bị thay đổi. Hãy thử --repair (với tệp chưa ký) hoặc xuất "
        "lại tệp PDF; chi tiết kỹ thuật nằm trong nhật ký."
    ),
    en=(
        "Signing '{path}' failed: the signing library cannot handle this PDF's structure. "
        "The original is unchanged. Try --repair (unsigned files) or export the PDF again; "
        "the technical detail is in the log."
    ),
)
E_SIGN_FAILED_LIBRARY = define(
    "signing.failed_library",
    vi=(
        "Ký tệp «{path}» không thành công: thư viện ký số từ chối tạo chữ ký với tệp và "
        "chứng thư số này. Tệp gốc không bị thay đổi; chi tiết kỹ thuật nằm trong nhật ký."
    ),
    en=(
        "Signing '{path}' failed: the signing library refused to sign this file with this "
        "certificate. The original is unchanged; the technical detail is in the log."
    ),
)
