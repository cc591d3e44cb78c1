<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AccountPasswordPrompt</name>
    <message>
        <source>Đăng nhập dvc-desk</source>
        <translation>dvc-desk log-in</translation>
    </message>
    <message>
        <source>Mật khẩu của tài khoản «%1» trong văn phòng:</source>
        <translation>Password of the office account &apos;%1&apos;:</translation>
    </message>
</context>
<context>
    <name>AddressPicker</name>
    <message>
        <source>Tỉnh, thành phố</source>
        <translation>Province</translation>
    </message>
    <message>
        <source>Xã, phường, đặc khu (gõ không dấu được)</source>
        <translation>Commune, ward, special zone (diacritics optional)</translation>
    </message>
    <message>
        <source>Số nhà, đường, thôn, xóm</source>
        <translation>House number, street, village</translation>
    </message>
    <message>
        <source>Địa chỉ &amp;cũ…</source>
        <translation>&amp;Old address…</translation>
    </message>
    <message>
        <source>Đổi địa chỉ ghi trên giấy tờ cũ (trước 01/7/2025) sang đơn vị hiện hành</source>
        <translation>Convert an address written on an old paper (before 1 July 2025) to the unit in force</translation>
    </message>
    <message>
        <source>{new} (một phần {old} cũ)</source>
        <translation>{new} (part of former {old})</translation>
    </message>
    <message>
        <source>{new} (gồm {old} cũ)</source>
        <translation>{new} (includes former {old})</translation>
    </message>
</context>
<context>
    <name>AuditPanel</name>
    <message>
        <source>Lúc</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Người làm</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>Máy</source>
        <translation>PC</translation>
    </message>
    <message>
        <source>Việc</source>
        <translation>What</translation>
    </message>
</context>
<context>
    <name>BundleActions</name>
    <message>
        <source>Gói này đã được nhập trước đây; không có gì thay đổi.</source>
        <translation>This bundle was imported before; nothing changed.</translation>
    </message>
    <message>
        <source>Đã lấy lại %n hồ sơ.</source>
        <translation>%n dossier(s) taken back.</translation>
    </message>
</context>
<context>
    <name>BundleDrop</name>
    <message>
        <source>Đang kiểm tra và nhập gói hồ sơ…</source>
        <translation>Checking and importing the bundle…</translation>
    </message>
    <message>
        <source>Gói này được ký bởi «{signer}» ({organisation}) lúc {when}, gồm {count} hồ sơ.

Máy này chưa tin người ký này. Vân tay SHA-256 của chứng thư:
{fingerprint}

Hãy đối chiếu vân tay với đơn vị gửi gói. Tin người ký này và nhập gói?</source>
        <translation>This bundle was signed by “{signer}” ({organisation}) at {when} and holds {count} dossier(s).

This PC does not trust that signer yet. SHA-256 fingerprint of the certificate:
{fingerprint}

Check the fingerprint with the office that sent the bundle. Trust this signer and import the bundle?</translation>
    </message>
    <message>
        <source>Người ký chưa được tin cậy</source>
        <translation>Signer not trusted yet</translation>
    </message>
</context>
<context>
    <name>CatalogView</name>
    <message>
        <source>Tìm thủ tục, gõ không dấu cũng được (ví dụ: cchn duoc)</source>
        <translation>Search procedures, diacritics optional (e.g. cchn duoc)</translation>
    </message>
    <message>
        <source>Mọi cấp</source>
        <translation>All levels</translation>
    </message>
    <message>
        <source>Cấp bộ</source>
        <translation>Ministry level</translation>
    </message>
    <message>
        <source>Cấp tỉnh</source>
        <translation>Province level</translation>
    </message>
    <message>
        <source>Cấp xã</source>
        <translation>Commune level</translation>
    </message>
    <message>
        <source>Tạo hồ sơ</source>
        <translation>Create dossier</translation>
    </message>
    <message numerus="yes">
        <source>%n thủ tục đầu tiên; gõ thêm để thu hẹp</source>
        <translation>
            <numerusform>the first %n procedure; type more to narrow</numerusform>
            <numerusform>the first %n procedures; type more to narrow</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n thủ tục</source>
        <translation>
            <numerusform>%n procedure</numerusform>
            <numerusform>%n procedures</numerusform>
        </translation>
    </message>
    <message>
        <source>Tất cả cơ quan</source>
        <translation>All agencies</translation>
    </message>
    <message>
        <source>{name} (đến {date})</source>
        <translation>{name} (until {date})</translation>
    </message>
    <message>
        <source>Tất cả lĩnh vực</source>
        <translation>All fields</translation>
    </message>
</context>
<context>
    <name>CertificateDetails</name>
    <message>
        <source>Chủ thể</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Cơ quan cấp</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>Số hiệu</source>
        <translation>Serial number</translation>
    </message>
    <message>
        <source>Hiệu lực từ</source>
        <translation>Valid from</translation>
    </message>
    <message>
        <source>Hiệu lực đến</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>Mục đích khoá</source>
        <translation>Key usage</translation>
    </message>
    <message>
        <source>Dấu vân tay SHA-256</source>
        <translation>SHA-256 fingerprint</translation>
    </message>
    <message>
        <source>Nơi lưu</source>
        <translation>Stored in</translation>
    </message>
    <message>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Chọn một chứng thư trong bảng để xem chi tiết.</source>
        <translation>Select a certificate in the table to see its details.</translation>
    </message>
    <message>
        <source>Chứng thư nằm trong tệp «{name}» đã mã hoá. Bấm «Nhập mật khẩu…» để xem. Mật khẩu không được lưu xuống đĩa.</source>
        <translation>The certificate is inside the encrypted file “{name}”. Press “Enter password…” to see it. The password is never written to disk.</translation>
    </message>
    <message>
        <source>(giờ Việt Nam)</source>
        <translation>(Vietnam time)</translation>
    </message>
    <message>
        <source>Tệp {path}</source>
        <translation>File {path}</translation>
    </message>
    <message>
        <source>Token «{label}» (thư viện {module}), CKA_ID {key_id}</source>
        <translation>Token “{label}” (library {module}), CKA_ID {key_id}</translation>
    </message>
    <message>
        <source>Không giới hạn</source>
        <translation>Unrestricted</translation>
    </message>
</context>
<context>
    <name>CertificateTableModel</name>
    <message>
        <source>Chưa biết: cần mật khẩu</source>
        <translation>Unknown: password needed</translation>
    </message>
    <message>
        <source>Hết hạn trong vòng một ngày</source>
        <translation>Expires within a day</translation>
    </message>
    <message numerus="yes">
        <source>Còn %n ngày hết hạn</source>
        <translation>
            <numerusform>Expires in %n day</numerusform>
            <numerusform>Expires in %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Dùng được</source>
        <translation>Usable</translation>
    </message>
    <message>
        <source>Từ xa: {service} ({user})</source>
        <translation>Remote: {service} ({user})</translation>
    </message>
    <message>
        <source>Token {label}</source>
        <translation>Token {label}</translation>
    </message>
    <message>
        <source>Nhập mật khẩu để xem</source>
        <translation>Enter the password to see it</translation>
    </message>
    <message>
        <source>Chủ thể</source>
        <translation>Subject</translation>
    </message>
    <message>
        <source>Cơ quan cấp</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>Hiệu lực đến</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Dùng được?</source>
        <translation>Usable?</translation>
    </message>
</context>
<context>
    <name>CertificatesView</name>
    <message>
        <source>Thêm tệp .p12…</source>
        <translation>Add .p12 file…</translation>
    </message>
    <message>
        <source>Bỏ khỏi danh sách</source>
        <translation>Remove from list</translation>
    </message>
    <message>
        <source>Chỉ bỏ đường dẫn khỏi danh sách; tệp .p12 vẫn còn nguyên trên máy.</source>
        <translation>Only the path leaves the list; the .p12 file stays untouched on the computer.</translation>
    </message>
    <message>
        <source>Nhập mật khẩu…</source>
        <translation>Enter password…</translation>
    </message>
    <message>
        <source>Xem chi tiết</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Làm mới</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Tìm lại các token đang cắm vào máy</source>
        <translation>Look again for the tokens plugged into the computer</translation>
    </message>
    <message>
        <source>Xuất chứng thư…</source>
        <translation>Export certificate…</translation>
    </message>
    <message>
        <source>Số CCCD của người ký</source>
        <translation>Signer&apos;s ID number</translation>
    </message>
    <message>
        <source>Tìm chứng thư từ xa</source>
        <translation>Find remote certificate</translation>
    </message>
    <message>
        <source>Ký tệp PDF từ xa…</source>
        <translation>Sign PDF files remotely…</translation>
    </message>
    <message>
        <source>Ký số từ xa:</source>
        <translation>Remote signing:</translation>
    </message>
    <message>
        <source>Chưa cấu hình dịch vụ ký số từ xa (Cài đặt).</source>
        <translation>No remote signing service configured (Settings).</translation>
    </message>
    <message>
        <source>Đã tìm thấy chứng thư từ xa của {user}.</source>
        <translation>Found the remote certificate of {user}.</translation>
    </message>
    <message>
        <source>Đang hỏi dịch vụ «{name}»…</source>
        <translation>Asking the service &apos;{name}&apos;…</translation>
    </message>
    <message>
        <source>Chi tiết chứng thư</source>
        <translation>Certificate details</translation>
    </message>
    <message>
        <source>Đang tìm token…</source>
        <translation>Looking for tokens…</translation>
    </message>
    <message numerus="yes">
        <source>Có %n thư viện token không đọc được: xem danh sách thư viện bên dưới.</source>
        <translation>
            <numerusform>%n token library could not be read: see the list of libraries below.</numerusform>
            <numerusform>%n token libraries could not be read: see the list of libraries below.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tìm thấy %n chứng thư trên token.</source>
        <translation>
            <numerusform>Found %n certificate on tokens.</numerusform>
            <numerusform>Found %n certificates on tokens.</numerusform>
        </translation>
    </message>
    <message>
        <source>Thư viện token đang trả lời chậm; vẫn đang chờ. Bạn vẫn dùng được các tệp .p12 trong lúc này.</source>
        <translation>A token library is slow to answer; still waiting. The .p12 files can be used meanwhile.</translation>
    </message>
    <message>
        <source>Mở lại bằng mật khẩu…</source>
        <translation>Reopen with password…</translation>
    </message>
    <message>
        <source>Chọn tệp chứng thư số</source>
        <translation>Choose a certificate file</translation>
    </message>
    <message>
        <source>Tệp PKCS#12 (*.p12 *.pfx)</source>
        <translation>PKCS#12 files (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Đã bỏ «{name}» khỏi danh sách; tệp vẫn còn nguyên trên máy.</source>
        <translation>“{name}” was removed from the list; the file stays untouched on the computer.</translation>
    </message>
    <message>
        <source>Đã mở «{name}».</source>
        <translation>Opened “{name}”.</translation>
    </message>
    <message>
        <source>Xuất chứng thư</source>
        <translation>Export certificate</translation>
    </message>
    <message>
        <source>Chứng thư DER (*.cer *.der);;Chứng thư PEM (*.pem *.crt)</source>
        <translation>DER certificate (*.cer *.der);;PEM certificate (*.pem *.crt)</translation>
    </message>
    <message>
        <source>Đã xuất chứng thư ra «{path}».</source>
        <translation>Certificate exported to “{path}”.</translation>
    </message>
</context>
<context>
    <name>ComponentsChecklist</name>
    <message>
        <source>Thành phần / tệp</source>
        <translation>Component / file</translation>
    </message>
    <message>
        <source>Trang</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>Dung lượng</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Chữ ký số</source>
        <translation>Digital signature</translation>
    </message>
    <message>
        <source>cần kiểm tra</source>
        <translation>needs checking</translation>
    </message>
    <message>
        <source>Nguồn không ghi có bắt buộc hay không: đính kèm tệp hoặc bấm «Không áp dụng cho hồ sơ này».</source>
        <translation>The source does not say whether it is required: attach a file or press “Not applicable to this dossier”.</translation>
    </message>
    <message>
        <source>không áp dụng</source>
        <translation>not applicable</translation>
    </message>
    <message>
        <source>Ghi bởi %1</source>
        <translation>Recorded by %1</translation>
    </message>
    <message>
        <source>thiếu</source>
        <translation>missing</translation>
    </message>
    <message numerus="yes">
        <source>%n tệp</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>✔ đã ký (%n)</source>
        <translation>
            <numerusform>✔ signed (%n)</numerusform>
            <numerusform>✔ signed (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>chưa ký</source>
        <translation>not signed</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>dvc-desk gặp lỗi</source>
        <translation>dvc-desk ran into a problem</translation>
    </message>
    <message>
        <source>Ứng dụng gặp một lỗi không mong muốn. Dữ liệu đã lưu không bị ảnh hưởng; bạn có thể làm tiếp. Hãy bấm «Sao chép báo cáo» và gửi cho bộ phận hỗ trợ kèm tệp nhật ký.</source>
        <translation>The app ran into an unexpected error. Saved data is not affected; you can go on working. Click &quot;Copy report&quot; and send it to support with the log file.</translation>
    </message>
    <message>
        <source>Sao chép báo cáo</source>
        <translation>Copy report</translation>
    </message>
    <message>
        <source>Mở thư mục nhật ký</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Đã sao chép</source>
        <translation>Copied</translation>
    </message>
</context>
<context>
    <name>DefaultStampBox</name>
    <message>
        <source>Chữ ký mặc định</source>
        <translation>Default stamp</translation>
    </message>
    <message>
        <source>Không hiện trên trang</source>
        <translation>Not shown on the page</translation>
    </message>
    <message>
        <source>Hiện chữ ký (ảnh chữ ký, con dấu)</source>
        <translation>Visible signature (signature image, seal)</translation>
    </message>
    <message>
        <source>Bản sao điện tử (SAO Y, SAO LỤC, TRÍCH SAO)</source>
        <translation>Electronic copy (SAO Y, SAO LỤC, TRÍCH SAO)</translation>
    </message>
    <message>
        <source>Để trống: dùng tên tổ chức trong chứng thư</source>
        <translation>Empty: the organisation named in the certificate</translation>
    </message>
    <message>
        <source>Hộp thoại Ký số bắt đầu với lựa chọn này (vẫn đổi được khi ký). Lệnh dvc-desk sign và dossier sign cũng dùng nó khi không có tuỳ chọn nào về dấu.</source>
        <translation>The signing dialog starts on this choice (it can still be changed when signing). The dvc-desk sign and dossier sign commands also use it when no stamp option is given.</translation>
    </message>
    <message>
        <source>Hình thức</source>
        <translation>Form</translation>
    </message>
    <message>
        <source>Ảnh chữ ký</source>
        <translation>Signature image</translation>
    </message>
    <message>
        <source>Ảnh con dấu</source>
        <translation>Seal image</translation>
    </message>
    <message>
        <source>Hình thức sao</source>
        <translation>Copy form</translation>
    </message>
    <message>
        <source>Cơ quan sao</source>
        <translation>Copying agency</translation>
    </message>
</context>
<context>
    <name>DeliveryForm</name>
    <message>
        <source>Thu gom hồ sơ tại nhà (dịch vụ bưu chính)</source>
        <translation>Collect the dossier at home (postal service)</translation>
    </message>
    <message>
        <source>Trả kết quả qua bưu điện</source>
        <translation>Return the result by post</translation>
    </message>
</context>
<context>
    <name>DossierEditor</name>
    <message>
        <source>← Danh sách hồ sơ</source>
        <translation>← Dossier list</translation>
    </message>
    <message>
        <source>Chủ hồ sơ và người nộp</source>
        <translation>Applicant and submitter</translation>
    </message>
    <message>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier components</translation>
    </message>
    <message>
        <source>Nhận và trả kết quả</source>
        <translation>Collection and delivery</translation>
    </message>
    <message>
        <source>Trên cổng</source>
        <translation>On the portal</translation>
    </message>
    <message>
        <source>Nhật ký</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>Người nộp hồ sơ cũng là chủ hồ sơ</source>
        <translation>The submitter is the applicant</translation>
    </message>
    <message>
        <source>&lt;b&gt;Chủ hồ sơ&lt;/b&gt;</source>
        <translation>&lt;b&gt;Applicant&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Ghi chú cho cán bộ tiếp nhận (không bắt buộc)</source>
        <translation>Notes for the receiving officer (optional)</translation>
    </message>
    <message>
        <source>Ghi chú</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Kiểm tra</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Ký số…</source>
        <translation>Sign…</translation>
    </message>
    <message>
        <source>Nộp</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>Hồ sơ #{id} — {name}</source>
        <translation>Dossier #{id} — {name}</translation>
    </message>
    <message>
        <source>Cơ quan giải quyết yêu cầu bổ sung hồ sơ số %1: %2. Đính kèm giấy tờ được yêu cầu rồi bấm Nộp bổ sung.</source>
        <translation>The processing agency asks for more documents for dossier %1: %2. Attach the requested documents, then press Submit supplement.</translation>
    </message>
    <message>
        <source>Nộp bổ sung</source>
        <translation>Submit supplement</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;Cần sửa: %n lỗi&lt;/b&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;To fix: %n error&lt;/b&gt;</numerusform>
            <numerusform>&lt;b&gt;To fix: %n errors&lt;/b&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Đủ để nộp bổ sung&lt;/b&gt;</source>
        <translation>&lt;b&gt;Ready to submit the supplement&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Không có lỗi&lt;/b&gt; (có lưu ý)</source>
        <translation>&lt;b&gt;No errors&lt;/b&gt; (see the notes)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Hồ sơ hợp lệ&lt;/b&gt;</source>
        <translation>&lt;b&gt;The dossier is valid&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Chưa lưu…</source>
        <translation>Not saved yet…</translation>
    </message>
    <message>
        <source>Đang lưu…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Đã lưu bản nháp lúc {time}</source>
        <translation>Draft saved at {time}</translation>
    </message>
</context>
<context>
    <name>DossierTableModel</name>
    <message>
        <source>Mã</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Người nộp</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Cập nhật</source>
        <translation>Updated</translation>
    </message>
</context>
<context>
    <name>DossiersView</name>
    <message>
        <source>Tìm theo mã, người nộp hoặc thủ tục</source>
        <translation>Search by number, applicant or procedure</translation>
    </message>
    <message>
        <source>Mọi trạng thái</source>
        <translation>Any state</translation>
    </message>
    <message>
        <source>Chuyển bằng USB…</source>
        <translation>Transfer by USB…</translation>
    </message>
    <message>
        <source>Ghi các hồ sơ đã chọn (sẵn sàng hoặc đã ký) vào một gói để mang đi nộp</source>
        <translation>Write the selected (ready or signed) dossiers into a bundle to carry to an office that submits them</translation>
    </message>
    <message>
        <source>Lấy lại…</source>
        <translation>Take back…</translation>
    </message>
    <message>
        <source>Lấy lại hồ sơ đã chuyển đi để sửa hoặc nộp tại máy này (ghi vào lịch sử)</source>
        <translation>Take handed-over dossiers back to edit or submit them on this PC (recorded in their history)</translation>
    </message>
    <message>
        <source>Không có hồ sơ nào khớp với bộ lọc.</source>
        <translation>No dossier matches the filter.</translation>
    </message>
    <message>
        <source>Chưa có hồ sơ nào. Vào mục Thủ tục, chọn thủ tục cần làm rồi bấm «Tạo hồ sơ».</source>
        <translation>No dossiers yet. In Procedures, choose the procedure and press “Create dossier”.</translation>
    </message>
</context>
<context>
    <name>EditionMoveDialog</name>
    <message>
        <source>Chuyển hồ sơ sang ấn bản mới</source>
        <translation>Move the dossier to a newer edition</translation>
    </message>
    <message>
        <source>Ấn bản %1 → %2. Các tệp đính kèm giữ theo mã thành phần. Thay đổi:</source>
        <translation>Edition %1 → %2. Attached files are kept by component code. Changes:</translation>
    </message>
    <message>
        <source>(không khác về thành phần hồ sơ)</source>
        <translation>(no difference in the dossier&apos;s components)</translation>
    </message>
    <message>
        <source>Trường hợp mới:</source>
        <translation>New case:</translation>
    </message>
    <message>
        <source>%1 (%2), tệp: %3</source>
        <translation>%1 (%2), files: %3</translation>
    </message>
    <message>
        <source>Chọn thành phần mới cho các tệp của thành phần đã bị bỏ.</source>
        <translation>Choose a new component for the files of the dropped components.</translation>
    </message>
    <message>
        <source>Chuyển</source>
        <translation>Move</translation>
    </message>
</context>
<context>
    <name>FeesTableModel</name>
    <message>
        <source>Hồ sơ</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Khoản phí</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
</context>
<context>
    <name>FilesPage</name>
    <message>
        <source>Thêm tệp…</source>
        <translation>Add files…</translation>
    </message>
    <message>
        <source>Gỡ tệp</source>
        <translation>Remove file</translation>
    </message>
    <message>
        <source>Sửa tệp</source>
        <translation>Repair file</translation>
    </message>
    <message>
        <source>Ghi lại tệp PDF bị lỗi cấu trúc (bằng qpdf) mà không đổi nội dung trang; bản gốc vẫn được giữ trong kho.</source>
        <translation>Rewrite a PDF with a structural defect (with qpdf) without changing its pages; the original stays in the store.</translation>
    </message>
    <message>
        <source>Chọn một thành phần rồi bấm «Thêm tệp…», hoặc kéo tệp từ thư mục thả vào thành phần. Dấu * là thành phần bắt buộc.</source>
        <translation>Choose a component and click &quot;Add files…&quot;, or drag files from a folder onto the component. * marks a required component.</translation>
    </message>
    <message>
        <source>Không áp dụng cho hồ sơ này</source>
        <translation>Not applicable to this dossier</translation>
    </message>
    <message>
        <source>Ghi lại (kèm người ghi và thời điểm) rằng thành phần cần kiểm tra này không áp dụng cho hồ sơ; bấm lại để bỏ.</source>
        <translation>Record (with who and when) that this component does not apply to the dossier; press again to take it back.</translation>
    </message>
    <message>
        <source>Trường hợp:</source>
        <translation>Case:</translation>
    </message>
    <message>
        <source>Chuyển sang ấn bản mới…</source>
        <translation>Move to a newer edition…</translation>
    </message>
    <message>
        <source>Xem thay đổi và chuyển hồ sơ sang ấn bản mới; tệp giữ theo mã thành phần.</source>
        <translation>Review the changes and move the dossier to a newer edition; files are kept by component code.</translation>
    </message>
    <message>
        <source>— Chọn trường hợp của hồ sơ này —</source>
        <translation>— Choose this dossier’s case —</translation>
    </message>
    <message>
        <source>  (không khác về thành phần hồ sơ)</source>
        <translation>  (no change in the dossier components)</translation>
    </message>
    <message>
        <source>Đã có ấn bản mới hơn của thủ tục (ấn bản %1). Hồ sơ này giữ ấn bản %2 đã dùng khi lập; các tệp không bị chuyển sang thành phần khác. Thay đổi:</source>
        <translation>A newer edition of the procedure exists (edition %1). This dossier keeps edition %2, under which it was created; no file moves to another component. Changes:</translation>
    </message>
    <message>
        <source>Chọn tệp đính kèm</source>
        <translation>Choose files to attach</translation>
    </message>
    <message>
        <source>Tài liệu (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx);;Mọi tệp (*)</source>
        <translation>Documents (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.doc *.docx *.xls *.xlsx);;All files (*)</translation>
    </message>
    <message numerus="yes">
        <source>Đang đính kèm %n tệp…</source>
        <translation>
            <numerusform>Attaching %n file…</numerusform>
            <numerusform>Attaching %n files…</numerusform>
        </translation>
    </message>
    <message>
        <source>Đã sửa «%1» (lỗi đã sửa: %2). Bản gốc vẫn được giữ trong kho.</source>
        <translation>Repaired &apos;%1&apos; (mended: %2). The original stays in the store.</translation>
    </message>
    <message>
        <source>Bỏ «không áp dụng»</source>
        <translation>Take back “not applicable”</translation>
    </message>
    <message>
        <source>Chọn một tệp PDF hoặc ảnh trong danh sách để xem trước.</source>
        <translation>Select a PDF or an image in the list to preview it.</translation>
    </message>
    <message>
        <source>Chỉ xem trước được tệp PDF và ảnh (JPEG, PNG, TIFF); «%1» là tệp khác.</source>
        <translation>Only PDFs and images (JPEG, PNG, TIFF) can be previewed; “%1” is another kind of file.</translation>
    </message>
    <message>
        <source>Không xem trước được tệp trong chế độ này.</source>
        <translation>Files cannot be previewed in this mode.</translation>
    </message>
    <message>
        <source>Đã thay tệp; chọn tệp mới rồi kiểm tra lại.</source>
        <translation>The file was replaced; select the new file and check it again.</translation>
    </message>
</context>
<context>
    <name>ImagePreview</name>
    <message>
        <source>Không tìm thấy tệp ảnh trong kho; hãy đính kèm lại.</source>
        <translation>The image file is missing from the store; attach it again.</translation>
    </message>
    <message>
        <source>Không đọc được ảnh này: tệp bị hỏng, chưa tải xong hoặc không phải ảnh JPEG, PNG, TIFF. Hãy quét hoặc chụp lại giấy tờ rồi đính kèm lại.</source>
        <translation>This image cannot be read: the file is damaged, incomplete, or not a JPEG, PNG or TIFF image. Scan or photograph the document again and attach it again.</translation>
    </message>
    <message>
        <source>Ảnh %1 × %2 điểm ảnh quá lớn để xem trước; tệp vẫn được đính kèm và gửi bình thường. Nếu cần xem, hãy quét lại ở độ phân giải thấp hơn (300 dpi là đủ).</source>
        <translation>The %1 × %2 pixel image is too large to preview; it is still attached and sent as usual. To see it, scan it again at a lower resolution (300 dpi is enough).</translation>
    </message>
    <message>
        <source>Đang mở ảnh…</source>
        <translation>Opening the image…</translation>
    </message>
    <message>
        <source>%1 × %2 điểm ảnh</source>
        <translation>%1 × %2 pixels</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 dpi</translation>
    </message>
</context>
<context>
    <name>ImageRow</name>
    <message>
        <source>Tệp PNG, đường dẫn đầy đủ (không bắt buộc)</source>
        <translation>PNG file, full path (optional)</translation>
    </message>
    <message>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Bỏ ảnh</source>
        <translation>Remove image</translation>
    </message>
    <message>
        <source>Chọn ảnh</source>
        <translation>Choose an image</translation>
    </message>
    <message>
        <source>Ảnh PNG (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>dvc-desk — Hồ sơ dịch vụ công</source>
        <translation>dvc-desk — Public service dossiers</translation>
    </message>
    <message>
        <source>Thủ tục</source>
        <translation>Procedures</translation>
    </message>
    <message>
        <source>Hồ sơ</source>
        <translation>Dossiers</translation>
    </message>
    <message>
        <source>Hàng đợi gửi</source>
        <translation>Sending queue</translation>
    </message>
    <message>
        <source>Thanh toán</source>
        <translation>Payments</translation>
    </message>
    <message>
        <source>Chứng thư số</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <source>Cài đặt</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Dữ liệu: {path}</source>
        <translation>Data: {path}</translation>
    </message>
    <message>
        <source>Đang mở…</source>
        <translation>Opening…</translation>
    </message>
    <message>
        <source>Ký số từ xa: {done} yêu cầu đã ký xong, {waiting} đang chờ xác nhận trên điện thoại, {ended} hết hạn hoặc bị từ chối (gửi lại trong hộp thoại Ký số).</source>
        <translation>Remote signing: {done} requests signed, {waiting} waiting for confirmation on the phone, {ended} expired or refused (send again from the Sign dialog).</translation>
    </message>
    <message>
        <source>&lt;b&gt;CỔNG THỬ NGHIỆM&lt;/b&gt; — hồ sơ không được gửi tới cơ quan nào · &lt;a href=&apos;officer&apos;&gt;Mở trang cán bộ&lt;/a&gt;</source>
        <translation>&lt;b&gt;SANDBOX PORTAL&lt;/b&gt; — dossiers go to no agency · &lt;a href=&apos;officer&apos;&gt;Open the officer console&lt;/a&gt;</translation>
    </message>
    <message numerus="yes">
        <source>Đã dọn %n tệp không còn dùng, giải phóng {size}.</source>
        <translation>
            <numerusform>Removed %n file no longer used, freeing {size}.</numerusform>
            <numerusform>Removed %n files no longer used, freeing {size}.</numerusform>
        </translation>
    </message>
    <message>
        <source>Đã tạo hồ sơ #{id} (nháp).</source>
        <translation>Dossier #{id} created (draft).</translation>
    </message>
    <message>
        <source>Hồ sơ #{id} đã vào hàng đợi gửi.</source>
        <translation>Dossier #{id} is in the sending queue.</translation>
    </message>
    <message numerus="yes">
        <source>Danh mục thủ tục đã cập nhật: %n thủ tục mới hoặc có ấn bản mới (%1).</source>
        <translation>
            <numerusform>Procedure catalog updated: %n procedure new or in a new edition (%1).</numerusform>
            <numerusform>Procedure catalog updated: %n procedures new or in a new edition (%1).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ</source>
        <translation>
            <numerusform>%n dossier</numerusform>
            <numerusform>%n dossiers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MasterPasswordPrompt</name>
    <message>
        <source>Mật khẩu chính</source>
        <translation>Master password</translation>
    </message>
    <message>
        <source>Mật khẩu cổng dịch vụ công được giữ trong tệp khoá mã hoá.
Nhập mật khẩu chính để mở (chỉ hỏi một lần mỗi phiên):</source>
        <translation>Portal passwords are kept in an encrypted key file.
Enter the master password to open it (asked once per session):</translation>
    </message>
</context>
<context>
    <name>ModulesPanel</name>
    <message>
        <source>Thư viện token (PKCS#11) đã tìm thấy</source>
        <translation>Token libraries (PKCS#11) found</translation>
    </message>
    <message>
        <source>tìm thấy tại đường dẫn cài đặt của {vendor}</source>
        <translation>found at the install path of {vendor}</translation>
    </message>
    <message>
        <source>đã cấu hình</source>
        <translation>configured</translation>
    </message>
    <message numerus="yes">
        <source>%n chứng thư</source>
        <translation>
            <numerusform>%n certificate</numerusform>
            <numerusform>%n certificates</numerusform>
        </translation>
    </message>
    <message>
        <source>Không có token nào đang cắm</source>
        <translation>No token plugged in</translation>
    </message>
    <message>
        <source>Không tìm thấy thư viện token nào. Cài trình điều khiển token của nhà cung cấp chứng thư số, hoặc thêm đường dẫn thư viện trong Cài đặt.</source>
        <translation>No token library was found. Install the token driver of your certificate provider, or add the library&apos;s path under Settings.</translation>
    </message>
</context>
<context>
    <name>OfficeDatabaseBox</name>
    <message>
        <source>Cơ sở dữ liệu dùng chung của cơ quan</source>
        <translation>The office&apos;s shared database</translation>
    </message>
    <message>
        <source>Thư mục trên máy chủ tệp, ví dụ /mnt/dvc</source>
        <translation>A folder on the file server, e.g. /mnt/dvc</translation>
    </message>
    <message>
        <source>Để trống: dữ liệu ở trên máy này. Dán địa chỉ do lệnh scripts/office-db-setup.sh in ra để nhiều máy dùng chung một hàng chờ. Có hiệu lực sau khi mở lại ứng dụng.</source>
        <translation>Empty: the data stays on this PC. Paste the address that scripts/office-db-setup.sh printed so that several PCs share one queue. Takes effect when the app is opened again.</translation>
    </message>
    <message>
        <source>Địa chỉ cơ sở dữ liệu</source>
        <translation>Database address</translation>
    </message>
    <message>
        <source>Kho tệp dùng chung</source>
        <translation>Shared file store</translation>
    </message>
</context>
<context>
    <name>OldAddressDialog</name>
    <message>
        <source>Đổi địa chỉ cũ sang đơn vị hành chính mới</source>
        <translation>Convert an old address to the new administrative unit</translation>
    </message>
    <message>
        <source>Địa chỉ như trên giấy tờ, ví dụ: xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum</source>
        <translation>The address as on the paper, e.g. xã Đăk Pxi, huyện Đăk Hà, tỉnh Kon Tum</translation>
    </message>
    <message>
        <source>Dùng đơn vị này</source>
        <translation>Use this unit</translation>
    </message>
    <message>
        <source>Địa chỉ cũ (gõ không dấu được), rồi Enter:</source>
        <translation>Old address (diacritics optional), then Enter:</translation>
    </message>
</context>
<context>
    <name>PartyForm</name>
    <message>
        <source>Cá nhân</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Tổ chức</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <source>— Chưa chọn —</source>
        <translation>— Not chosen —</translation>
    </message>
    <message>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>Khác</source>
        <translation>Other</translation>
    </message>
    <message>
        <source>12 chữ số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <source>ngày/tháng/năm, ví dụ 05/03/1990</source>
        <translation>dd/mm/yyyy, e.g. 05/03/1990</translation>
    </message>
    <message>
        <source>ví dụ 0912 345 678</source>
        <translation>e.g. 0912 345 678</translation>
    </message>
    <message>
        <source>ví dụ ten@example.vn</source>
        <translation>e.g. name@example.vn</translation>
    </message>
    <message>
        <source>10 chữ số (hoặc 10-3)</source>
        <translation>10 digits (or 10-3)</translation>
    </message>
    <message>
        <source>Là</source>
        <translation>Is a</translation>
    </message>
    <message>
        <source>Họ và tên *</source>
        <translation>Full name *</translation>
    </message>
    <message>
        <source>Số CCCD *</source>
        <translation>ID number *</translation>
    </message>
    <message>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Giới tính</source>
        <translation>Gender</translation>
    </message>
    <message>
        <source>Điện thoại *</source>
        <translation>Phone *</translation>
    </message>
    <message>
        <source>Thư điện tử</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Mã số thuế</source>
        <translation>Tax code</translation>
    </message>
    <message>
        <source>Người đại diện *</source>
        <translation>Representative *</translation>
    </message>
    <message>
        <source>Địa chỉ *</source>
        <translation>Address *</translation>
    </message>
    <message>
        <source>Tên tổ chức *</source>
        <translation>Organisation name *</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Mật khẩu tệp chứng thư</source>
        <translation>Certificate file password</translation>
    </message>
    <message>
        <source>Mật khẩu của tệp «{name}»</source>
        <translation>Password of the file “{name}”</translation>
    </message>
    <message>
        <source>Nhớ đến khi đóng ứng dụng (không lưu xuống đĩa)</source>
        <translation>Remember until the app closes (never written to disk)</translation>
    </message>
    <message>
        <source>Mở</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PaymentsView</name>
    <message>
        <source>Chưa nộp</source>
        <translation>Unpaid</translation>
    </message>
    <message>
        <source>Đã nộp</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <source>Thanh toán</source>
        <translation>Pay</translation>
    </message>
    <message>
        <source>Mở hồ sơ</source>
        <translation>Open dossier</translation>
    </message>
    <message>
        <source>Xem biên lai</source>
        <translation>View receipt</translation>
    </message>
    <message>
        <source>Hiển thị:</source>
        <translation>Show:</translation>
    </message>
    <message numerus="yes">
        <source>Tổng còn phải nộp: &lt;b&gt;{amount}&lt;/b&gt; · %n khoản</source>
        <translation>
            <numerusform>Still to pay: &lt;b&gt;{amount}&lt;/b&gt; · %n fee</numerusform>
            <numerusform>Still to pay: &lt;b&gt;{amount}&lt;/b&gt; · %n fees</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> của %n hồ sơ</source>
        <translation>
            <numerusform> of %n dossier</numerusform>
            <numerusform> of %n dossiers</numerusform>
        </translation>
    </message>
    <message>
        <source>Tổng còn phải nộp: &lt;b&gt;0 đ&lt;/b&gt;</source>
        <translation>Still to pay: &lt;b&gt;0 đ&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Chưa có khoản phí, lệ phí nào. Khi cơ quan giải quyết yêu cầu thực hiện nghĩa vụ tài chính cho một hồ sơ đã nộp, các khoản phí hiện ở đây sau lần đồng bộ kế tiếp với cổng, cùng nút «Thanh toán» để nộp trực tuyến.</source>
        <translation>No fees yet. When the agency asks for the fees of a submitted dossier, they appear here after the next sync with the portal, with a “Pay” button to pay them online.</translation>
    </message>
    <message>
        <source>Không còn khoản phí nào phải nộp. Các khoản đã nộp và biên lai của chúng ở mục «Đã nộp».</source>
        <translation>Nothing left to pay. Paid fees and their receipts are under “Paid”.</translation>
    </message>
    <message>
        <source>Chưa có khoản phí nào được nộp. Khoản đã thanh toán xong hiện ở đây cùng biên lai điện tử.</source>
        <translation>No fee has been paid yet. Paid fees appear here with their electronic receipt.</translation>
    </message>
    <message numerus="yes">
        <source>«Thanh toán» mở trang thanh toán %n khoản chưa nộp của hồ sơ này ({amount}) trong trình duyệt.</source>
        <translation>
            <numerusform>“Pay” opens the payment page of this dossier&apos;s %n unpaid fee ({amount}) in the browser.</numerusform>
            <numerusform>“Pay” opens the payment page of this dossier&apos;s %n unpaid fees ({amount}) in the browser.</numerusform>
        </translation>
    </message>
    <message>
        <source>Mã giao dịch {ref}; biên lai điện tử đã được lưu.</source>
        <translation>Payment {ref}; the electronic receipt is kept.</translation>
    </message>
    <message>
        <source>Tiếp tục thanh toán</source>
        <translation>Continue payment</translation>
    </message>
    <message>
        <source>Đang hỏi cổng về giao dịch {ref}…</source>
        <translation>Asking the portal about payment {ref}…</translation>
    </message>
    <message>
        <source>Đang tạo giao dịch thanh toán trên cổng…</source>
        <translation>Creating the payment on the portal…</translation>
    </message>
    <message>
        <source>Đã mở trang thanh toán {amount} trong trình duyệt; đang chờ kết quả…</source>
        <translation>The payment page for {amount} is open in the browser; waiting for the result…</translation>
    </message>
    <message>
        <source>Sẽ hỏi lại sau ít giây.</source>
        <translation>Asking again in a few seconds.</translation>
    </message>
    <message>
        <source>Đã thanh toán {amount}; biên lai điện tử đã được lưu.</source>
        <translation>Paid {amount}; the electronic receipt is kept.</translation>
    </message>
    <message>
        <source>Giao dịch {amount} đã bị huỷ; có thể bấm «Thanh toán» lại.</source>
        <translation>The payment of {amount} was cancelled; you can press “Pay” again.</translation>
    </message>
    <message>
        <source>Chưa nhận được kết quả thanh toán {amount}. Khi đã trả tiền, bấm «Tiếp tục thanh toán» để cập nhật.</source>
        <translation>No result yet for the payment of {amount}. Once it is paid, press “Continue payment” to update.</translation>
    </message>
    <message>
        <source>Hồ sơ #{id}: {text}</source>
        <translation>Dossier #{id}: {text}</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>Chọn một tệp PDF hoặc ảnh trong danh sách để xem trước.</source>
        <translation>Select a PDF or an image in the list to preview it.</translation>
    </message>
    <message numerus="yes">
        <source>%n trang</source>
        <translation>
            <numerusform>%n page</numerusform>
            <numerusform>%n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>✔ Đã ký số (%n chữ ký)</source>
        <translation>
            <numerusform>✔ Digitally signed (%n signature)</numerusform>
            <numerusform>✔ Digitally signed (%n signatures)</numerusform>
        </translation>
    </message>
    <message>
        <source>Chưa ký số</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <source> · trang 1: %1 × %2 mm</source>
        <translation> · page 1: %1 × %2 mm</translation>
    </message>
    <message>
        <source>Tệp PDF này được đặt mật khẩu nên không xem trước được và cổng sẽ không đọc được. Hãy mở tệp bằng mật khẩu, in lại ra PDF không mật khẩu rồi đính kèm lại.</source>
        <translation>This PDF is password-protected, so it cannot be previewed and the portal will not be able to read it. Open it with its password, print it again to a PDF without a password, then attach that one.</translation>
    </message>
    <message>
        <source>Không tìm thấy tệp trong kho dữ liệu. Hãy chạy «dvc-desk doctor» hoặc gỡ tệp và đính kèm lại.</source>
        <translation>The file is missing from the data store. Run &quot;dvc-desk doctor&quot;, or remove the file and attach it again.</translation>
    </message>
    <message>
        <source>Tệp không đọc được như một PDF (có thể bị hỏng hoặc không phải PDF). Hãy mở thử bằng trình đọc PDF; nếu hỏng, hãy quét hoặc xuất lại rồi đính kèm lại.</source>
        <translation>The file cannot be read as a PDF (it may be damaged or not a PDF). Try opening it in a PDF reader; if it is damaged, scan or export it again and attach it again.</translation>
    </message>
</context>
<context>
    <name>PdfSigningDialog</name>
    <message>
        <source>Ký tệp PDF từ xa</source>
        <translation>Sign PDF files remotely</translation>
    </message>
    <message>
        <source>Thêm tệp PDF…</source>
        <translation>Add PDF files…</translation>
    </message>
    <message>
        <source>Bỏ tệp đã chọn</source>
        <translation>Remove the selected file</translation>
    </message>
    <message>
        <source>Tệp đã ký được lưu cạnh tệp gốc, thêm «{suffix}» vào tên.</source>
        <translation>Signed files are saved beside the originals, with &apos;{suffix}&apos; added to the name.</translation>
    </message>
    <message>
        <source>Tệp PDF cần ký</source>
        <translation>PDF files to sign</translation>
    </message>
    <message>
        <source>Chọn tệp PDF</source>
        <translation>Choose PDF files</translation>
    </message>
    <message>
        <source>Tệp PDF (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PortalPanel</name>
    <message>
        <source>Đang gửi</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>Đã gửi</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Chưa trả lời</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <source>Khoản phí</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>Số tiền</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Thanh toán</source>
        <translation>Pay</translation>
    </message>
    <message>
        <source>&lt;b&gt;Quá trình xử lý&lt;/b&gt;</source>
        <translation>&lt;b&gt;Processing history&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Phí, lệ phí&lt;/b&gt;</source>
        <translation>&lt;b&gt;Fees and charges&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Kết quả&lt;/b&gt; (bấm đúp để mở)</source>
        <translation>&lt;b&gt;Results&lt;/b&gt; (double-click to open)</translation>
    </message>
    <message>
        <source>Ngày yêu cầu</source>
        <translation>Requested on</translation>
    </message>
    <message>
        <source>Nội dung cần bổ sung</source>
        <translation>What to supply</translation>
    </message>
    <message>
        <source>Trả lời</source>
        <translation>Answer</translation>
    </message>
    <message>
        <source>Mở bản bổ sung</source>
        <translation>Open the supplement</translation>
    </message>
    <message>
        <source>&lt;b&gt;Yêu cầu bổ sung&lt;/b&gt;</source>
        <translation>&lt;b&gt;Supplement requests&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Số biên nhận: &lt;b&gt;{receipt}&lt;/b&gt; · {state}</source>
        <translation>Receipt number: &lt;b&gt;{receipt}&lt;/b&gt; · {state}</translation>
    </message>
    <message>
        <source>Hồ sơ chưa được cổng tiếp nhận; quá trình xử lý hiện ở đây sau khi nộp.</source>
        <translation>The portal has not received the dossier yet; its processing shows here after submission.</translation>
    </message>
    <message>
        <source>Đã thanh toán</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Chưa thanh toán</source>
        <translation>Not paid</translation>
    </message>
    <message>
        <source>✔ chữ ký hợp lệ</source>
        <translation>✔ valid signature</translation>
    </message>
    <message>
        <source>✘ chữ ký không hợp lệ</source>
        <translation>✘ signature not valid</translation>
    </message>
    <message>
        <source>Đã mở trang thanh toán {amount} trong trình duyệt; đang chờ kết quả…</source>
        <translation>The payment page for {amount} is open in the browser; waiting for the result…</translation>
    </message>
    <message>
        <source>Đã thanh toán {amount}.</source>
        <translation>Paid {amount}.</translation>
    </message>
    <message>
        <source>Giao dịch {amount} đã bị huỷ; có thể bấm «Thanh toán» lại.</source>
        <translation>The payment of {amount} was cancelled; you can click &quot;Pay&quot; again.</translation>
    </message>
    <message>
        <source>Chưa nhận được kết quả thanh toán {amount}.</source>
        <translation>No result yet for the payment of {amount}.</translation>
    </message>
</context>
<context>
    <name>PortalProfileBox</name>
    <message>
        <source>Hồ sơ cổng</source>
        <translation>Portal profile</translation>
    </message>
    <message>
        <source>Đăng nhập qua trình duyệt (OpenID)</source>
        <translation>Log in through the browser (OpenID)</translation>
    </message>
    <message>
        <source>Cổng</source>
        <translation>Portal</translation>
    </message>
    <message>
        <source> (cần cấu hình)</source>
        <translation> (needs configuration)</translation>
    </message>
    <message>
        <source>API v1</source>
        <translation>API v1</translation>
    </message>
    <message>
        <source>dịch vụ LGSP</source>
        <translation>LGSP services</translation>
    </message>
    <message>
        <source>Kiểu kết nối: {kind}. Trang: {web}</source>
        <translation>Adapter: {kind}. Web site: {web}</translation>
    </message>
    <message>
        <source>Hãy đăng nhập trong trình duyệt vừa mở, rồi quay lại đây.</source>
        <translation>Log in in the browser that just opened, then come back here.</translation>
    </message>
    <message>
        <source>Đã đăng nhập qua {issuer}: {user}</source>
        <translation>Logged in through {issuer}: {user}</translation>
    </message>
</context>
<context>
    <name>ProblemsList</name>
    <message>
        <source>Lưu ý</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>ProcedureDetails</name>
    <message>
        <source>Chọn một thủ tục để xem chi tiết.</source>
        <translation>Select a procedure to see its details.</translation>
    </message>
    <message>
        <source>Không rõ</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>Dữ liệu của thủ tục này chưa đủ:</source>
        <translation>The data of this procedure is incomplete:</translation>
    </message>
    <message>
        <source>Mã thủ tục</source>
        <translation>Procedure code</translation>
    </message>
    <message>
        <source>Cơ quan</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Lĩnh vực</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Cấp thực hiện</source>
        <translation>Level</translation>
    </message>
    <message>
        <source>Mức độ trực tuyến</source>
        <translation>Online level</translation>
    </message>
    <message>
        <source>Ấn bản</source>
        <translation>Edition</translation>
    </message>
    <message>
        <source>Thành phần hồ sơ</source>
        <translation>Dossier components</translation>
    </message>
    <message>
        <source>Trường hợp (chọn một khi lập hồ sơ)</source>
        <translation>Cases (choose one when creating a dossier)</translation>
    </message>
    <message>
        <source>Cách thức nộp, thời gian và phí</source>
        <translation>How to submit, processing time and fees</translation>
    </message>
    <message>
        <source>Điều kiện</source>
        <translation>Conditions</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Căn cứ pháp lý</source>
        <translation>Legal basis</translation>
    </message>
    <message numerus="yes">
        <source>%n bản chính</source>
        <translation>
            <numerusform>%n original</numerusform>
            <numerusform>%n originals</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bản sao</source>
        <translation>
            <numerusform>%n copy</numerusform>
            <numerusform>%n copies</numerusform>
        </translation>
    </message>
    <message>
        <source>không bắt buộc</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>cần kiểm tra</source>
        <translation>needs checking</translation>
    </message>
    <message>
        <source>mẫu: %1</source>
        <translation>form: %1</translation>
    </message>
    <message>
        <source>trường hợp: {case}</source>
        <translation>case: {case}</translation>
    </message>
    <message>
        <source>Mẫu đơn, tờ khai</source>
        <translation>Form template</translation>
    </message>
    <message>
        <source>thời gian giải quyết không rõ</source>
        <translation>processing time unknown</translation>
    </message>
    <message numerus="yes">
        <source>%n ngày làm việc</source>
        <translation>
            <numerusform>%n working day</numerusform>
            <numerusform>%n working days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ngày</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n ngày (không rõ loại ngày)</source>
        <translation>
            <numerusform>%n day (kind of day unknown)</numerusform>
            <numerusform>%n days (kind of days unknown)</numerusform>
        </translation>
    </message>
    <message>
        <source>không có phí, lệ phí</source>
        <translation>no fees</translation>
    </message>
    <message>
        <source>phí, lệ phí không rõ</source>
        <translation>fees unknown</translation>
    </message>
    <message numerus="yes">
        <source>%n giờ</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tháng</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message>
        <source>theo quy định (nguồn không ghi số)</source>
        <translation>as regulated (the source gives no number)</translation>
    </message>
    <message>
        <source>Lệ phí</source>
        <translation>Charge</translation>
    </message>
    <message>
        <source>Phí</source>
        <translation>Fee</translation>
    </message>
    <message>
        <source>không rõ</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>theo quy định</source>
        <translation>as regulated</translation>
    </message>
</context>
<context>
    <name>ProcedureTableModel</name>
    <message>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <source>Cơ quan</source>
        <translation>Agency</translation>
    </message>
    <message>
        <source>Lĩnh vực</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>Phí/lệ phí</source>
        <translation>Fees</translation>
    </message>
    <message>
        <source>Thời gian giải quyết</source>
        <translation>Processing time</translation>
    </message>
</context>
<context>
    <name>QualityList</name>
    <message>
        <source>Kiểm tra chất lượng</source>
        <translation>Check quality</translation>
    </message>
    <message>
        <source>cả nhận dạng chữ (chậm hơn)</source>
        <translation>with text recognition (slower)</translation>
    </message>
    <message>
        <source>Xoay trang</source>
        <translation>Rotate page</translation>
    </message>
    <message>
        <source>Xoá trang</source>
        <translation>Delete page</translation>
    </message>
    <message>
        <source>Thay bằng bản quét mới…</source>
        <translation>Replace with a new scan…</translation>
    </message>
    <message numerus="yes">
        <source>%n trang, không có điểm nào cần xử lý.</source>
        <translation>
            <numerusform>%n page, nothing to act on.</numerusform>
            <numerusform>%n pages, nothing to act on.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n điểm cần xử lý trước khi ký:</source>
        <translation>
            <numerusform>%n finding to act on before signing:</numerusform>
            <numerusform>%n findings to act on before signing:</numerusform>
        </translation>
    </message>
    <message>
        <source>Đang kiểm tra…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>QueueTableModel</name>
    <message>
        <source>Hồ sơ</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Đã gửi</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Số lần thử</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Thử lại lúc</source>
        <translation>Next try</translation>
    </message>
    <message>
        <source>Lỗi gần nhất</source>
        <translation>Last error</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>Hàng đợi trống. Hồ sơ bấm «Nộp» sẽ vào đây và tự gửi khi có mạng.</source>
        <translation>The queue is empty. Dossiers you submit come here and are sent when the network is up.</translation>
    </message>
    <message>
        <source>Gửi ngay</source>
        <translation>Send now</translation>
    </message>
    <message>
        <source>Rút và sửa</source>
        <translation>Withdraw and edit</translation>
    </message>
    <message>
        <source>Xem biên nhận</source>
        <translation>View receipt</translation>
    </message>
    <message>
        <source>Hồ sơ #{id}: {state}.</source>
        <translation>Dossier #{id}: {state}.</translation>
    </message>
</context>
<context>
    <name>ReceiptDialog</name>
    <message>
        <source>Biên nhận hồ sơ #%1</source>
        <translation>Receipt of dossier #%1</translation>
    </message>
    <message>
        <source>cổng chưa hẹn ngày</source>
        <translation>no date set by the portal yet</translation>
    </message>
    <message>
        <source>Số biên nhận</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <source>Nộp lúc</source>
        <translation>Submitted at</translation>
    </message>
    <message>
        <source>Ngày hẹn trả kết quả</source>
        <translation>Result due on</translation>
    </message>
    <message>
        <source>Tài khoản nộp</source>
        <translation>Submitted by account</translation>
    </message>
    <message>
        <source>Số biên nhận do cổng dịch vụ công cấp; công dân dùng số này để tra cứu hồ sơ. Quá trình xử lý tiếp theo xem ở tab «Trên cổng» của hồ sơ.</source>
        <translation>The receipt number is issued by the public service portal; citizens use it to look up their dossier. What happens next is shown in the dossier&apos;s &quot;On the portal&quot; tab.</translation>
    </message>
    <message>
        <source>Sao chép số biên nhận</source>
        <translation>Copy receipt number</translation>
    </message>
    <message>
        <source>Mở hồ sơ</source>
        <translation>Open dossier</translation>
    </message>
</context>
<context>
    <name>RemotePanel</name>
    <message>
        <source>Đang chờ xác nhận trên điện thoại (còn {left})</source>
        <translation>Waiting for confirmation on the phone ({left} left)</translation>
    </message>
    <message>
        <source>Chưa cấu hình dịch vụ ký số từ xa. Hãy khai báo trong Cài đặt.</source>
        <translation>No remote signing service is configured. Add one in Settings.</translation>
    </message>
    <message>
        <source>Số CCCD của người ký</source>
        <translation>Signer&apos;s ID number</translation>
    </message>
    <message>
        <source>Mã PIN/OTP</source>
        <translation>PIN/OTP</translation>
    </message>
    <message>
        <source>Tìm chứng thư</source>
        <translation>Find certificate</translation>
    </message>
    <message>
        <source>Dịch vụ</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Ký số từ xa</source>
        <translation>Remote signing</translation>
    </message>
    <message>
        <source>Huỷ yêu cầu</source>
        <translation>Cancel request</translation>
    </message>
    <message>
        <source>Đang tìm chứng thư…</source>
        <translation>Looking for the certificate…</translation>
    </message>
    <message>
        <source>Chứng thư: {name} — cấp bởi {issuer}, hiệu lực đến {until}</source>
        <translation>Certificate: {name} — issued by {issuer}, valid until {until}</translation>
    </message>
    <message>
        <source>Chứng thư dùng được để ký.</source>
        <translation>The certificate can sign.</translation>
    </message>
    <message>
        <source>Hãy chọn các tệp PDF cần ký.</source>
        <translation>Choose the PDF files to sign.</translation>
    </message>
    <message>
        <source>Đang gửi yêu cầu ký…</source>
        <translation>Sending the signing request…</translation>
    </message>
    <message>
        <source>Đang ký…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <source>Đang ký số từ xa các tệp PDF…</source>
        <translation>Signing the PDF files remotely…</translation>
    </message>
    <message>
        <source>Đã gửi yêu cầu ký {count} tệp tới «{service}», người ký {signer}.</source>
        <translation>Sent the request to sign {count} files to &apos;{service}&apos;, signer {signer}.</translation>
    </message>
    <message>
        <source>Đã ký số {count} tệp.</source>
        <translation>Signed {count} files.</translation>
    </message>
</context>
<context>
    <name>RemoteServicesBox</name>
    <message>
        <source>Ký số từ xa (chứng thư số lưu ở nhà cung cấp dịch vụ)</source>
        <translation>Remote signing (certificate held by a trust service)</translation>
    </message>
    <message>
        <source>Xác nhận trên điện thoại (kiểu SmartCA)</source>
        <translation>Confirmation on the phone (SmartCA-like)</translation>
    </message>
    <message>
        <source>CSC API (nhập PIN/OTP)</source>
        <translation>CSC API (PIN/OTP typed in)</translation>
    </message>
    <message>
        <source>lưu vào kho khoá của hệ điều hành</source>
        <translation>kept in the system keyring</translation>
    </message>
    <message>
        <source>Lưu dịch vụ</source>
        <translation>Save service</translation>
    </message>
    <message>
        <source>Xoá dịch vụ đã chọn</source>
        <translation>Remove the selected service</translation>
    </message>
    <message>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Loại</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Địa chỉ (URL)</source>
        <translation>Address (URL)</translation>
    </message>
    <message>
        <source>Mã tích hợp (client id)</source>
        <translation>Client id</translation>
    </message>
    <message>
        <source>Mật khẩu tích hợp</source>
        <translation>Client secret</translation>
    </message>
    <message>
        <source>Đã lưu dịch vụ «{name}».</source>
        <translation>Saved the service &apos;{name}&apos;.</translation>
    </message>
    <message>
        <source>Đã xoá dịch vụ «{name}».</source>
        <translation>Removed the service &apos;{name}&apos;.</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <source>Cổng dịch vụ công và tài khoản</source>
        <translation>Portal and account</translation>
    </message>
    <message>
        <source>Mặc định là cổng thử nghiệm chạy ngay trên máy này (127.0.0.1:8765). Đổi địa chỉ cổng có hiệu lực sau khi mở lại ứng dụng.</source>
        <translation>The default is the sandbox portal running on this computer (127.0.0.1:8765). A new portal address takes effect after the app is reopened.</translation>
    </message>
    <message>
        <source>Đăng ký tài khoản</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Mở hộp thư thử nghiệm</source>
        <translation>Open the sandbox mailbox</translation>
    </message>
    <message>
        <source>Địa chỉ cổng</source>
        <translation>Portal address</translation>
    </message>
    <message>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Họ và tên (khi đăng ký)</source>
        <translation>Full name (to register)</translation>
    </message>
    <message>
        <source>Thư điện tử (khi đăng ký)</source>
        <translation>E-mail (to register)</translation>
    </message>
    <message>
        <source>Điện thoại (khi đăng ký)</source>
        <translation>Phone (to register)</translation>
    </message>
    <message>
        <source>Token ký số (thư viện PKCS#11)</source>
        <translation>Signing tokens (PKCS#11 libraries)</translation>
    </message>
    <message>
        <source>Thêm thư viện…</source>
        <translation>Add a library…</translation>
    </message>
    <message>
        <source>Bỏ</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Ngoài các thư viện ở đây, ứng dụng tự tìm trình điều khiển token của các nhà cung cấp chứng thư số thông dụng (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA…).</source>
        <translation>Besides these libraries, the app looks for the token drivers of the usual certificate providers (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA…).</translation>
    </message>
    <message>
        <source>Chung</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Dung lượng tối đa một tệp</source>
        <translation>Largest file</translation>
    </message>
    <message>
        <source>Ngôn ngữ</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Đã đăng nhập: {user}</source>
        <translation>Logged in: {user}</translation>
    </message>
    <message>
        <source>Chưa đăng nhập: hồ sơ chỉ được gửi sau khi đăng nhập.</source>
        <translation>Not logged in: dossiers are sent only after you log in.</translation>
    </message>
    <message>
        <source>Đổi địa chỉ cổng có hiệu lực sau khi mở lại ứng dụng.</source>
        <translation>A new portal address takes effect when the app is opened again.</translation>
    </message>
    <message>
        <source>Đã gửi đăng ký. Hãy mở liên kết trong thư xác nhận (cổng thử nghiệm: bấm «Mở hộp thư thử nghiệm»), rồi bấm «Đăng nhập».</source>
        <translation>Registration sent. Open the link in the confirmation e-mail (sandbox: click &quot;Open the sandbox mailbox&quot;), then click &quot;Log in&quot;.</translation>
    </message>
    <message>
        <source>Chọn thư viện PKCS#11</source>
        <translation>Choose a PKCS#11 library</translation>
    </message>
    <message>
        <source>Thư viện (*.so *.dll *.dylib)</source>
        <translation>Libraries (*.so *.dll *.dylib)</translation>
    </message>
    <message>
        <source>Ngôn ngữ mới có hiệu lực sau khi mở lại ứng dụng.</source>
        <translation>The new language takes effect after the app is reopened.</translation>
    </message>
</context>
<context>
    <name>SigningDialog</name>
    <message>
        <source>Ký số hồ sơ #{id}</source>
        <translation>Sign dossier #{id}</translation>
    </message>
    <message>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>Người ký</source>
        <translation>Signer</translation>
    </message>
    <message>
        <source>Cấp bởi</source>
        <translation>Issued by</translation>
    </message>
    <message>
        <source>Hiệu lực đến</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <source>Tình trạng</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Thêm tệp .p12…</source>
        <translation>Add a .p12 file…</translation>
    </message>
    <message>
        <source>Xem chứng thư</source>
        <translation>Show certificate</translation>
    </message>
    <message>
        <source>Nhớ đến khi đóng ứng dụng (không lưu xuống đĩa)</source>
        <translation>Remember until the app closes (never written to disk)</translation>
    </message>
    <message>
        <source>Chứng thư số</source>
        <translation>Certificates</translation>
    </message>
    <message>
        <source>Tệp .p12 / token</source>
        <translation>.p12 file / token</translation>
    </message>
    <message>
        <source>Ký số từ xa</source>
        <translation>Remote signing</translation>
    </message>
    <message>
        <source>Hình thức chữ ký</source>
        <translation>How the signature appears</translation>
    </message>
    <message>
        <source>Tệp</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Ký số</source>
        <translation>Sign</translation>
    </message>
    <message>
        <source>Đóng</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Token {label}</source>
        <translation>Token {label}</translation>
    </message>
    <message>
        <source>Dùng được</source>
        <translation>Usable</translation>
    </message>
    <message>
        <source>(nhập mật khẩu rồi bấm «Xem chứng thư»)</source>
        <translation>(enter the password, then click &quot;Show certificate&quot;)</translation>
    </message>
    <message>
        <source>Không đọc được token qua «{module}»: {error}</source>
        <translation>Could not read tokens through “{module}”: {error}</translation>
    </message>
    <message>
        <source>Mật khẩu tệp .p12</source>
        <translation>.p12 password</translation>
    </message>
    <message>
        <source>Mã PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Chọn tệp chứng thư số</source>
        <translation>Choose a certificate file</translation>
    </message>
    <message>
        <source>Tệp PKCS#12 (*.p12 *.pfx)</source>
        <translation>PKCS#12 files (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Chứng thư dùng được để ký.</source>
        <translation>The certificate can sign.</translation>
    </message>
    <message>
        <source>Đang ký…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <source>Đang ký số các tệp PDF…</source>
        <translation>Signing the PDF files…</translation>
    </message>
    <message>
        <source>Đã ký</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>Không ký: không phải PDF</source>
        <translation>Not signed: not a PDF</translation>
    </message>
    <message numerus="yes">
        <source>Đã ký số %n tệp.</source>
        <translation>
            <numerusform>Signed %n file.</numerusform>
            <numerusform>Signed %n files.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StampOptions</name>
    <message>
        <source>Chữ ký số không hiển thị trên trang</source>
        <translation>Invisible signature</translation>
    </message>
    <message>
        <source>Hiện chữ ký (ảnh chữ ký, con dấu)</source>
        <translation>Visible signature (signature image, seal)</translation>
    </message>
    <message>
        <source>Bản sao điện tử (SAO Y, SAO LỤC, TRÍCH SAO)</source>
        <translation>Electronic copy (SAO Y, SAO LỤC, TRÍCH SAO)</translation>
    </message>
    <message>
        <source>Góc dưới bên phải</source>
        <translation>Bottom right</translation>
    </message>
    <message>
        <source>Góc dưới bên trái</source>
        <translation>Bottom left</translation>
    </message>
    <message>
        <source>Giữa phía dưới</source>
        <translation>Bottom centre</translation>
    </message>
    <message>
        <source>Góc trên bên phải</source>
        <translation>Top right</translation>
    </message>
    <message>
        <source>Góc trên bên trái</source>
        <translation>Top left</translation>
    </message>
    <message>
        <source>Tên cơ quan, tổ chức sao</source>
        <translation>Agency making the copy</translation>
    </message>
    <message>
        <source>Trang</source>
        <translation>Page</translation>
    </message>
    <message>
        <source>Vị trí</source>
        <translation>Position</translation>
    </message>
    <message>
        <source>Ảnh chữ ký</source>
        <translation>Signature image</translation>
    </message>
    <message>
        <source>Ảnh con dấu</source>
        <translation>Seal image</translation>
    </message>
    <message>
        <source>Hình thức sao</source>
        <translation>Copy form</translation>
    </message>
    <message>
        <source>Cơ quan sao</source>
        <translation>Copying agency</translation>
    </message>
    <message>
        <source>Kéo chuột trên trang để đặt khung chữ ký (không kéo: dùng «Vị trí»).</source>
        <translation>Drag on the page to place the signature box (without a box, &quot;Position&quot; is used).</translation>
    </message>
    <message>
        <source>Bỏ khung đã kéo</source>
        <translation>Remove the dragged box</translation>
    </message>
    <message>
        <source>Tệp PNG (không bắt buộc)</source>
        <translation>PNG file (optional)</translation>
    </message>
    <message>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Chọn ảnh</source>
        <translation>Choose an image</translation>
    </message>
    <message>
        <source>Ảnh PNG (*.png)</source>
        <translation>PNG images (*.png)</translation>
    </message>
    <message>
        <source>Khung trên trang %1: %2 × %3 pt, cách mép trái %4 pt, mép dưới %5 pt</source>
        <translation>Box on page %1: %2 × %3 pt, %4 pt from the left edge, %5 pt from the bottom edge</translation>
    </message>
</context>
<context>
    <name>StampPlacer</name>
    <message>
        <source>Không có tệp PDF để đặt chữ ký.</source>
        <translation>There is no PDF to place the signature on.</translation>
    </message>
    <message>
        <source>Không mở được tệp PDF để xem trang.</source>
        <translation>The PDF could not be opened to show the page.</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>Đang kết nối cổng…</source>
        <translation>Connecting to the portal…</translation>
    </message>
    <message>
        <source>Gửi ngay</source>
        <translation>Send now</translation>
    </message>
    <message>
        <source>Trực tuyến</source>
        <translation>Online</translation>
    </message>
    <message numerus="yes">
        <source> · %n hồ sơ chờ gửi</source>
        <translation>
            <numerusform> · %n dossier waiting</numerusform>
            <numerusform> · %n dossiers waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Chưa đăng nhập cổng</source>
        <translation>Not logged in to the portal</translation>
    </message>
    <message>
        <source>Ngoại tuyến</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source> · thử lại lúc {time}</source>
        <translation> · retrying at {time}</translation>
    </message>
    <message>
        <source>Đang gửi hồ sơ #{id}</source>
        <translation>Sending dossier #{id}</translation>
    </message>
    <message>
        <source>Gửi thành công lúc {time}</source>
        <translation>Last sent at {time}</translation>
    </message>
    <message>
        <source>Vào mục Cài đặt, đăng ký hoặc đăng nhập tài khoản cổng để gửi hồ sơ.</source>
        <translation>Go to Settings and register or log in to the portal account to send dossiers.</translation>
    </message>
    <message>
        <source>Sẵn sàng gửi</source>
        <translation>Ready to send</translation>
    </message>
    <message>
        <source>Cổng dịch vụ công: {url}</source>
        <translation>Portal: {url}</translation>
    </message>
    <message>
        <source>Không chạy được đồng bộ</source>
        <translation>Sync could not start</translation>
    </message>
</context>
<context>
    <name>TaskProgress</name>
    <message>
        <source>Đang huỷ…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>dvc-desk</source>
        <translation>dvc-desk</translation>
    </message>
    <message>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Chuyển hồ sơ bằng USB</source>
        <translation>Transfer dossiers by USB</translation>
    </message>
    <message numerus="yes">
        <source>%n hồ sơ sẽ được ghi vào một gói đã ký số để mang đến nơi nộp. Sau khi ghi, các hồ sơ này được đánh dấu «Đã chuyển đi» và không sửa hay nộp được ở máy này cho đến khi lấy lại.</source>
        <translation>
            <numerusform>%n dossier will be written into a signed bundle to carry to the office that submits it. Once written, it is marked “Handed over” and cannot be edited or submitted on this PC until taken back.</numerusform>
            <numerusform>%n dossiers will be written into a signed bundle to carry to the office that submits them. Once written, they are marked “Handed over” and cannot be edited or submitted on this PC until taken back.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ví dụ E:/ho-so-xa.dvcb</source>
        <translation>e.g. E:/commune-dossiers.dvcb</translation>
    </message>
    <message>
        <source>Chọn…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>Thêm tệp .p12…</source>
        <translation>Add a .p12 file…</translation>
    </message>
    <message>
        <source>Mật khẩu tệp .p12 hoặc mã PIN token</source>
        <translation>.p12 password or token PIN</translation>
    </message>
    <message>
        <source>Tệp gói trên USB</source>
        <translation>Bundle file on the stick</translation>
    </message>
    <message>
        <source>Chứng thư ký gói</source>
        <translation>Certificate that signs the bundle</translation>
    </message>
    <message>
        <source>Mật khẩu / PIN</source>
        <translation>Password / PIN</translation>
    </message>
    <message>
        <source>Ghi gói</source>
        <translation>Write bundle</translation>
    </message>
    <message>
        <source>Token: {name}</source>
        <translation>Token: {name}</translation>
    </message>
    <message>
        <source>Ghi gói hồ sơ</source>
        <translation>Write the bundle</translation>
    </message>
    <message>
        <source>Gói hồ sơ dvc-desk (*.dvcb)</source>
        <translation>dvc-desk bundles (*.dvcb)</translation>
    </message>
    <message>
        <source>Chọn tệp chứng thư số</source>
        <translation>Choose a certificate file</translation>
    </message>
    <message>
        <source>Tệp PKCS#12 (*.p12 *.pfx)</source>
        <translation>PKCS#12 files (*.p12 *.pfx)</translation>
    </message>
    <message>
        <source>Đang ghi gói…</source>
        <translation>Writing the bundle…</translation>
    </message>
    <message>
        <source>Đang ghi gói hồ sơ ra USB…</source>
        <translation>Writing the bundle to the stick…</translation>
    </message>
    <message>
        <source>Đã ghi gói số {n}: {count} hồ sơ.</source>
        <translation>Bundle {n} written: {count} dossier(s).</translation>
    </message>
    <message>
        <source>Gói gồm {parts} phần; hãy chép đủ tất cả.</source>
        <translation>The bundle has {parts} parts; copy all of them.</translation>
    </message>
</context>
<context>
    <name>TrayNotifier</name>
    <message>
        <source>Hồ sơ #%1: cần bổ sung giấy tờ</source>
        <translation>Dossier #%1: documents requested</translation>
    </message>
    <message>
        <source>Hồ sơ #%1: %2</source>
        <translation>Dossier #%1: %2</translation>
    </message>
    <message>
        <source>Cổng dịch vụ công đã chuyển hồ sơ sang «%1».</source>
        <translation>The public service portal moved the dossier to &quot;%1&quot;.</translation>
    </message>
    <message>
        <source>Đã tải kết quả nhưng chữ ký số trên kết quả không hợp lệ. Hãy mở hồ sơ, tab «Trên cổng», để xem chi tiết trước khi trả cho công dân.</source>
        <translation>The result was downloaded but its digital signature is not valid. Open the dossier, tab &quot;On the portal&quot;, to see the details before handing it to the citizen.</translation>
    </message>
    <message>
        <source>Đã tải kết quả về; mở hồ sơ để xem và in.</source>
        <translation>The result was downloaded; open the dossier to view and print it.</translation>
    </message>
    <message>
        <source>Hồ sơ #%1: có kết quả</source>
        <translation>Dossier #%1: result available</translation>
    </message>
    <message>
        <source>dvc-desk — Hồ sơ dịch vụ công</source>
        <translation>dvc-desk — Public service dossiers</translation>
    </message>
</context>
<context>
    <name>certificates</name>
    <message>
        <source>Ký số</source>
        <translation>Digital signature</translation>
    </message>
    <message>
        <source>Chống chối bỏ</source>
        <translation>Non-repudiation</translation>
    </message>
    <message>
        <source>Mã hoá khoá</source>
        <translation>Key encipherment</translation>
    </message>
    <message>
        <source>Mã hoá dữ liệu</source>
        <translation>Data encipherment</translation>
    </message>
    <message>
        <source>Thoả thuận khoá</source>
        <translation>Key agreement</translation>
    </message>
    <message>
        <source>Ký chứng thư</source>
        <translation>Certificate signing</translation>
    </message>
    <message>
        <source>Ký danh sách thu hồi</source>
        <translation>CRL signing</translation>
    </message>
    <message>
        <source>Chỉ mã hoá</source>
        <translation>Encipher only</translation>
    </message>
    <message>
        <source>Chỉ giải mã</source>
        <translation>Decipher only</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Đã xảy ra lỗi không mong muốn ({kind}). Dữ liệu đã lưu không bị ảnh hưởng. Hãy thử lại; nếu lỗi lặp lại, gửi tệp nhật ký cho bộ phận hỗ trợ.</source>
        <translation>An unexpected error occurred ({kind}). Saved data is not affected. Try again; if it happens again, send the log file to support.</translation>
    </message>
    <message>
        <source>Thư mục nhật ký: {path}</source>
        <translation>Log folder: {path}</translation>
    </message>
    <message>
        <source>dvc-desk</source>
        <translation>dvc-desk</translation>
    </message>
</context>
<context>
    <name>fees</name>
    <message>
        <source>Đã nộp {date}</source>
        <translation>Paid {date}</translation>
    </message>
    <message>
        <source>Đã nộp</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Đang chờ thanh toán</source>
        <translation>Awaiting payment</translation>
    </message>
    <message>
        <source>Chưa nộp (giao dịch đã huỷ)</source>
        <translation>Unpaid (payment cancelled)</translation>
    </message>
    <message>
        <source>Chưa nộp</source>
        <translation>Unpaid</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>Cơ quan giải quyết yêu cầu bổ sung giấy tờ. Mở hồ sơ, tab «Trên cổng», bấm «Mở bản bổ sung», đính kèm giấy tờ rồi bấm «Nộp bổ sung».</source>
        <translation>The processing agency asks for more documents. Open the dossier, tab “On the portal”, press “Open the supplement”, attach the documents, then press “Submit supplement”.</translation>
    </message>
</context>
</TS>
