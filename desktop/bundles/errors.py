"""The messages of transfer bundles: every refusal says what is wrong and what to do."""

from __future__ import annotations

from desktop.errors import define

NOTHING_WRITTEN_VI = "Chưa có gì được ghi vào dữ liệu của máy này."

E_NOT_FOUND = define(
    "bundle.not_found",
    vi="Không tìm thấy tệp gói «{path}». Hãy kiểm tra lại đường dẫn (USB đã cắm chưa?).",
    en="The bundle file '{path}' was not found. Check the path (is the stick plugged in?).",
)
E_UNREADABLE = define(
    "bundle.unreadable",
    vi="Không đọc được tệp gói «{path}» ({detail}). Hãy cắm lại USB rồi thử lại. "
    + NOTHING_WRITTEN_VI,
    en="The bundle '{path}' could not be read ({detail}). Re-plug the stick and try again.",
)
E_NOT_A_BUNDLE = define(
    "bundle.not_a_bundle",
    vi=(
        "Tệp «{path}» không phải gói chuyển hồ sơ của dvc-desk (.dvcb). Hãy chọn đúng tệp "
        ".dvcb đã xuất từ dvc-desk. " + NOTHING_WRITTEN_VI
    ),
    en="'{path}' is not a dvc-desk transfer bundle (.dvcb). Choose the .dvcb file dvc-desk wrote.",
)
E_NEWER_FORMAT = define(
    "bundle.newer_format",
    vi=(
        "Gói «{path}» có định dạng phiên bản {version}, mới hơn phiên bản máy này đọc được "
        "({supported}). Hãy cập nhật dvc-desk rồi nhập lại. " + NOTHING_WRITTEN_VI
    ),
    en="The bundle '{path}' has format version {version}; this dvc-desk reads up to "
    "{supported}. Update dvc-desk and import it again.",
)
E_TRUNCATED = define(
    "bundle.truncated",
    vi=(
        "Gói «{path}» bị thiếu phần cuối ({detail}): có thể việc chép ra USB bị ngắt giữa "
        "chừng, hoặc thiếu một phần (.002, .003...) của gói nhiều phần. Hãy chép lại đủ "
        "gói từ máy gửi. " + NOTHING_WRITTEN_VI
    ),
    en="The bundle '{path}' is cut short ({detail}): the copy was interrupted or a part "
    "(.002, .003...) is missing. Copy the whole bundle again. Nothing was written.",
)
E_DAMAGED = define(
    "bundle.damaged",
    vi=(
        "Gói «{path}» đã bị thay đổi hoặc hỏng ({detail}). Không nhập gói này; hãy xin máy "
        "gửi xuất lại gói mới. " + NOTHING_WRITTEN_VI
    ),
    en="The bundle '{path}' was changed or is damaged ({detail}). It is not imported; ask "
    "for a new bundle. Nothing was written.",
)
E_BAD_SIGNATURE = define(
    "bundle.bad_signature",
    vi=(
        "Chữ ký số của gói «{path}» không khớp với nội dung: gói đã bị sửa sau khi ký. "
        "Không nhập gói này; hãy xin máy gửi xuất lại. " + NOTHING_WRITTEN_VI
    ),
    en="The signature of the bundle '{path}' does not match its content: it was changed "
    "after signing. It is not imported; ask for a new bundle. Nothing was written.",
)
E_UNSAFE_NAME = define(
    "bundle.unsafe_name",
    vi=(
        "Gói «{path}» chứa mục có tên không an toàn «{name}» ({reason}). Gói do dvc-desk "
        "xuất không bao giờ có tên như vậy; không nhập gói này. " + NOTHING_WRITTEN_VI
    ),
    en="The bundle '{path}' holds an entry with an unsafe name '{name}' ({reason}); dvc-desk "
    "never writes such names. It is not imported. Nothing was written.",
)
E_UNTRUSTED = define(
    "bundle.untrusted_signer",
    vi=(
        "Gói «{path}» được ký bởi «{signer}» ({organisation}) lúc {signed_at}, gồm {count} hồ sơ, "
        "nhưng máy này chưa tin chữ ký này (vân tay SHA-256: {fingerprint}). Nếu đúng là đơn "
        "vị đã gửi gói, hãy xác nhận tin cậy rồi nhập lại: «dvc-desk bundle import {path} "
        "--trust-signer {short}». " + NOTHING_WRITTEN_VI
    ),
    en=(
        "The bundle '{path}' was signed by '{signer}' ({organisation}) at {signed_at} and holds "
        "{count} dossier(s), but this PC does not trust that signer yet (SHA-256 fingerprint "
        "{fingerprint}). If that office sent it, trust it and import again: 'dvc-desk bundle "
        "import {path} --trust-signer {short}'. Nothing was written."
    ),
)
E_TRUST_MISMATCH = define(
    "bundle.trust_mismatch",
    vi=(
        "Vân tay «{given}» không phải của người ký gói này ({fingerprint}). Hãy đối chiếu lại "
        "vân tay với đơn vị gửi gói. " + NOTHING_WRITTEN_VI
    ),
    en="The fingerprint '{given}' is not that of this bundle's signer ({fingerprint}). Check "
    "it with the office that sent the bundle. Nothing was written.",
)
E_SIGNER_NOT_VALID = define(
    "bundle.signer_not_valid",
    vi=(
        "Chứng thư ký gói «{signer}» không còn hiệu lực lúc ký ({signed_at}; hiệu lực từ "
        "{not_before} đến {not_after}). Hãy xin máy gửi ký lại bằng chứng thư còn hạn. "
        + NOTHING_WRITTEN_VI
    ),
    en="The certificate '{signer}' that signed the bundle was not valid at {signed_at} (valid "
    "{not_before} to {not_after}). Ask for a bundle signed with a valid certificate.",
)
E_WRONG_WORKSPACE = define(
    "bundle.wrong_workspace",
    vi=(
        "Gói trả về «{path}» dành cho máy có mã {target}, không phải máy này ({own}). Hãy "
        "nhập gói trên đúng máy của xã đã gửi hồ sơ. " + NOTHING_WRITTEN_VI
    ),
    en="The return bundle '{path}' is for workspace {target}, not this one ({own}). Import it "
    "on the PC of the commune that sent the dossiers. Nothing was written.",
)
E_NOTHING_SELECTED = define(
    "bundle.nothing_selected",
    vi=(
        "Không có hồ sơ nào để chuyển. Hãy ghi số hồ sơ («--dossiers 12,15») hoặc trạng thái "
        "(«--state SIGNED») của các hồ sơ đã sẵn sàng hoặc đã ký số."
    ),
    en="No dossier to transfer. Give dossier numbers ('--dossiers 12,15') or a state "
    "('--state SIGNED') of ready or signed dossiers.",
)
E_BAD_ID_LIST = define(
    "bundle.bad_id_list",
    vi=(
        "«{text}» không phải danh sách số hồ sơ. Hãy ghi các số cách nhau bằng dấu phẩy, "
        "ví dụ 12,15."
    ),
    en="'{text}' is not a list of dossier numbers. Write numbers separated by commas, e.g. 12,15.",
)
E_NOT_EXPORTABLE = define(
    "bundle.not_exportable",
    vi=(
        "Hồ sơ {id} đang ở trạng thái «{label}»; chỉ chuyển đi được hồ sơ «Sẵn sàng» hoặc "
        "«Đã ký số». Hãy kiểm tra («dvc-desk dossier validate {id}») và ký hồ sơ trước."
    ),
    en="Dossier {id} is {state}; only READY or SIGNED dossiers can be handed over. Validate "
    "and sign it first.",
)
E_BAD_OUTPUT = define(
    "bundle.bad_output_name",
    vi=(
        "Không thể ghi gói với tên «{name}»: {reason}. Hãy chọn tên khác, chỉ gồm chữ, số, "
        "dấu gạch và dấu chấm, kết thúc bằng .dvcb."
    ),
    en="The bundle cannot be written as '{name}': {reason}. Choose another name of letters, "
    "digits, dashes and dots, ending in .dvcb.",
)
E_WRITE_FAILED = define(
    "bundle.write_failed",
    vi=(
        "Không ghi được gói «{path}» ({detail}). Các hồ sơ vẫn ở máy này như trước (không bị "
        "đánh dấu đã chuyển). Hãy kiểm tra USB (còn chỗ trống? bị khoá ghi?) rồi thử lại."
    ),
    en="The bundle '{path}' could not be written ({detail}). The dossiers stay here as "
    "before. Check the stick (free space? write-protected?) and try again.",
)
E_BAD_PART_SIZE = define(
    "bundle.bad_part_size",
    vi="Kích thước mỗi phần «{text}» không hợp lệ; hãy ghi ví dụ 4G, 700M (tối thiểu 1M).",
    en="The part size '{text}' is not valid; write e.g. 4G or 700M (at least 1M).",
)
E_NOT_HANDED_OVER = define(
    "bundle.not_handed_over",
    vi="Hồ sơ {id} không ở trạng thái «Đã chuyển đi» (đang là «{label}»), nên không cần lấy lại.",
    en="Dossier {id} is not handed over (it is {state}); there is nothing to take back.",
)
E_NOTHING_TO_RETURN = define(
    "bundle.nothing_to_return",
    vi=(
        "Chưa có hồ sơ nào của máy {workspace} đã nộp lên cổng để trả về. Hãy đồng bộ "
        "(«dvc-desk sync») cho các hồ sơ nhận từ xã này rồi xuất gói trả về."
    ),
    en="No dossier from workspace {workspace} has been submitted yet. Sync first, then "
    "export the returns.",
)
E_INVALID_AT_OFFICE = define(
    "bundle.invalid_dossier",
    vi=(
        "Hồ sơ {uuid} ({applicant}) trong gói chưa hợp lệ theo danh mục của máy này: {problem} "
        "Không nhập gói này; hãy báo xã sửa hồ sơ và gửi gói mới. " + NOTHING_WRITTEN_VI
    ),
    en="Dossier {uuid} ({applicant}) in the bundle is not valid here: {problem} The bundle "
    "is not imported; ask the commune to fix it and send a new bundle.",
)
