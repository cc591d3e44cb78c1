"""Parts of the Chứng thư số screen: the details pane, the password prompt of a .p12
file, and writing a certificate out as a .cer file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.atomic import write_atomically
from desktop.display import safe_text
from desktop.signing.sources import P12, CertificateChoice
from ui.models.certificate_table import file_name, issuer_text, vietnam_time_text


def usage_label(usage: str) -> str:
    """A key usage of RFC 5280 in the clerk's words."""
    labels = {
        "digital_signature": QCoreApplication.translate("certificates", "Ký số"),
        "non_repudiation": QCoreApplication.translate("certificates", "Chống chối bỏ"),
        "key_encipherment": QCoreApplication.translate("certificates", "Mã hoá khoá"),
        "data_encipherment": QCoreApplication.translate("certificates", "Mã hoá dữ liệu"),
        "key_agreement": QCoreApplication.translate("certificates", "Thoả thuận khoá"),
        "key_cert_sign": QCoreApplication.translate("certificates", "Ký chứng thư"),
        "crl_sign": QCoreApplication.translate("certificates", "Ký danh sách thu hồi"),
        "encipher_only": QCoreApplication.translate("certificates", "Chỉ mã hoá"),
        "decipher_only": QCoreApplication.translate("certificates", "Chỉ giải mã"),
    }
    return labels.get(usage, usage)


def grouped_hex(value: str, per_line: int = 16) -> str:
    """AB:CD:EF… as certificate viewers show serials and fingerprints, `per_line` bytes
    a line (a SHA-256 fingerprint on two lines fits a narrow pane)."""
    value = value.upper()
    if len(value) % 2:
        value = "0" + value
    pairs = [value[i : i + 2] for i in range(0, len(value), 2)]
    return "\n".join(":".join(pairs[i : i + per_line]) for i in range(0, len(pairs), per_line))


class CertificateDetails(QWidget):
    """Every fact of the selected certificate; the values can be selected and copied."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows = (
            ("subject", self.tr("Chủ thể")),
            ("issuer", self.tr("Cơ quan cấp")),
            ("serial", self.tr("Số hiệu")),
            ("not_before", self.tr("Hiệu lực từ")),
            ("not_after", self.tr("Hiệu lực đến")),
            ("usage", self.tr("Mục đích khoá")),
            ("sha256", self.tr("Dấu vân tay SHA-256")),
            ("source", self.tr("Nơi lưu")),
            ("state", self.tr("Tình trạng")),
        )
        for key, label in rows:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            form.addRow(label, value)
        self._form = QWidget()
        self._form.setLayout(form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self._form)
        layout.addStretch(1)
        self.clear_certificate()

    def clear_certificate(self) -> None:
        self._form.hide()
        self.hint.setText(self.tr("Chọn một chứng thư trong bảng để xem chi tiết."))
        self.hint.show()

    def show_locked(self, path: str) -> None:
        self._form.hide()
        self.hint.setText(
            self.tr(
                "Chứng thư nằm trong tệp «{name}» đã mã hoá. Bấm «Nhập mật khẩu…» để xem. "
                "Mật khẩu không được lưu xuống đĩa."
            ).format(name=file_name(path))
        )
        self.hint.show()

    def show_certificate(self, choice: CertificateChoice, state: tuple[str, str]) -> None:
        info, source = choice.info, choice.source
        hours = self.tr("(giờ Việt Nam)")
        if source.kind == P12:
            where = self.tr("Tệp {path}").format(path=source.path)
        else:
            where = self.tr("Token «{label}» (thư viện {module}), CKA_ID {key_id}").format(
                label=source.token_label, module=source.path, key_id=info.key_id or "-"
            )
        usages = ", ".join(usage_label(u) for u in info.key_usage)
        texts = {
            "subject": info.subject,
            "issuer": f"{issuer_text(info)}\n{info.issuer}",
            "serial": grouped_hex(info.serial),
            "not_before": f"{vietnam_time_text(info.not_before, seconds=True)} {hours}",
            "not_after": f"{vietnam_time_text(info.not_after, seconds=True)} {hours}",
            "usage": usages or self.tr("Không giới hạn"),
            "sha256": grouped_hex(info.sha256),
            "source": where,
            "state": state[0],
        }
        for key, text in texts.items():
            self.values[key].setText(safe_text(text))  # names from the certificate
        self.values["state"].setStyleSheet(f"color: {state[1]};")
        self.hint.hide()
        self._form.show()


class PasswordDialog(QDialog):
    """The password of one .p12 file: masked, never written; kept in memory if ticked."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mật khẩu tệp chứng thư"))
        label = QLabel(self.tr("Mật khẩu của tệp «{name}»").format(name=name))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self.tr("Nhớ đến khi đóng ứng dụng (không lưu xuống đĩa)"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Mở"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Huỷ"))
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.remember_check)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text)))
        self.ok_button.setEnabled(False)

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isChecked()


def export_certificate(der: bytes, path: str, *, pem: bool) -> None:
    """Write a certificate (public data) to `path` as DER or PEM, atomically."""
    import base64

    if pem:
        body = base64.encodebytes(der).decode("ascii").replace("\n", "")
        lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        data = ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n"
                "-----END CERTIFICATE-----\n").encode("ascii")  # fmt: skip
    else:
        data = der
    write_atomically(Path(path), data)
