"""Screenshots of the main screens with realistic Vietnamese data (`make screenshots`).

Builds a throw-away data dir (the bundled catalog and a few dossiers), opens the main
window at a typical office-PC size, and saves one PNG per screen:

    python scripts/screenshots.py docs/screenshots [--size 1366x768]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QThread
from PySide6.QtWidgets import QApplication

from desktop.paths import Paths
from desktop.workspace import Workspace
from ui.bridge import EventBridge
from ui.i18n import install_translators, pick_font_family
from ui.icons import icon
from ui.sync_runner import SyncRunner
from ui.tasks import TaskManager
from ui.views.editor.dossier_editor import TAB_FILES, DossierEditor
from ui.views.main_window import (
    SECTION_CATALOG,
    SECTION_CERTIFICATES,
    SECTION_DOSSIERS,
    SECTION_PAYMENTS,
    SECTION_QUEUE,
    SECTION_SETTINGS,
    MainWindow,
)
from ui.views.signing.p12_paths import P12_PATHS_KEY
from ui.wiring import build_window

# (procedure search, applicant fields): people and places as a commune office sees them.
SAMPLE_DOSSIERS = (
    (
        "cchn duoc xet ho so",
        {"applicant.name": "Nguyễn Thị Thu Hà", "applicant.phone": "0905123456"},
    ),
    ("gpp", {"applicant.name": "Nhà thuốc Phúc An", "applicant.kind": "organisation"}),
    ("my pham", {"applicant.name": "Trần Văn Đức", "applicant.address.province": "Quảng Ngãi"}),
    ("cap lai cchn", {"applicant.name": "Lê Hoàng Yến"}),
    ("to chuc ke thuoc", {"applicant.name": "Phạm Quốc Việt"}),
)


EDITED = {
    "applicant.name": "Nguyễn Thị Thu Hà",
    "applicant.id_number": "051190001234",
    "applicant.date_of_birth": "12/04/1990",
    "applicant.gender": "Nữ",
    "applicant.phone": "0905 123 45",
    "applicant.email": "thuha@example.vn",
    "applicant.address.province": "Quảng Ngãi",
    "applicant.address.detail": "12 Lê Lợi",
}


FORM_LINES = (
    "Kính gửi: Sở Y tế tỉnh Quảng Ngãi",
    "Họ và tên: Lê Thị Thu Hằng",
    "Số định danh cá nhân: 051190006789",
    "Địa chỉ: 12 Lê Lợi, Phường Cẩm Thành, tỉnh Quảng Ngãi",
    "Đề nghị cấp Chứng chỉ hành nghề dược theo hình thức xét hồ sơ.",
    "Tôi xin cam đoan những nội dung trên là đúng sự thật.",
)


def _pdf(path: Path, pages: int) -> Path:
    """A scanned-looking A4 form (text drawn with a Vietnamese font) of `pages` pages."""
    import io

    import img2pdf
    from PIL import Image, ImageDraw, ImageFont

    font_file = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        return (
            ImageFont.truetype(font_file, size)
            if Path(font_file).exists()
            else ImageFont.load_default(size)
        )

    images = []
    for page in range(pages):
        image = Image.new("RGB", (827, 1169), "white")
        draw = ImageDraw.Draw(image)
        draw.text(
            (413, 60),
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            fill="black",
            font=font(20),
            anchor="mt",
        )
        draw.text(
            (413, 92), "Độc lập - Tự do - Hạnh phúc", fill="black", font=font(18), anchor="mt"
        )
        draw.text(
            (413, 170),
            f"{path.stem.replace('-', ' ').upper()} ({page + 1}/{pages})",
            fill="black",
            font=font(24),
            anchor="mt",
        )
        for number, line in enumerate(FORM_LINES):
            draw.text((80, 250 + 44 * number), line, fill="black", font=font(18))
        draw.rectangle((520, 900, 760, 1060), outline="#999999")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        images.append(buffer.getvalue())
    pdf = img2pdf.convert(images, layout_fun=img2pdf.get_fixed_dpi_layout_fun((100, 100)))
    assert isinstance(pdf, bytes)
    path.write_bytes(pdf)
    return path


def populate(workspace: Workspace, folder: Path) -> int:
    """The bundled catalog, a few drafts, one queued dossier; the id of one being edited."""
    workspace.catalog.ensure_bundled()
    for query, fields in SAMPLE_DOSSIERS:
        hits = workspace.catalog.search(query, limit=1)
        if hits:
            dossier = workspace.dossiers.create(hits[0].key)
            workspace.dossiers.set_fields(dossier.id, fields)
    key = workspace.catalog.search("cchn duoc xet ho so", limit=1)[0].key
    queued = workspace.dossiers.create(key)
    workspace.dossiers.set_fields(queued.id, {
        "applicant.name": "Võ Minh Khang", "applicant.id_number": "051090004321",
        "applicant.phone": "0935111222", "applicant.address.province": "Quảng Ngãi",
        "applicant.address.commune": "Phường Cẩm Thành",
    })  # fmt: skip
    for code, name in (
        ("TP1", "don-de-nghi.pdf"),
        ("TP2", "van-bang-duoc-si.pdf"),
        ("TP3", "giay-kham-suc-khoe.pdf"),
        ("TP4", "xac-nhan-thuc-hanh.pdf"),
    ):
        workspace.dossiers.attach(queued.id, code, [_pdf(folder / name, 3)])  # fmt: skip
    workspace.outbox.submit(queued.id)
    edited = workspace.dossiers.create(key)
    workspace.dossiers.set_fields(edited.id, EDITED)
    workspace.dossiers.attach(edited.id, "TP1", [_pdf(folder / "don-de-nghi-cchn.pdf", 2)])
    workspace.dossiers.attach(edited.id, "TP2", [_pdf(folder / "bang-duoc-si.pdf", 4)])
    return edited.id


# (procedure search, applicant, fee asked by the agency, amount, payment state or None)
SAMPLE_FEES = (
    ("cchn duoc xet ho so", "Đinh Thị Mai", "Phí thẩm định hồ sơ cấp chứng chỉ hành nghề dược",
     500_000, None),
    ("gpp", "Nhà thuốc Minh Châu", "Phí thẩm định đáp ứng Thực hành tốt cơ sở bán lẻ thuốc",
     1_000_000, "pending"),
    ("my pham", "Công ty TNHH Mỹ phẩm Sen Việt", "Phí thẩm định phiếu công bố sản phẩm mỹ phẩm",
     500_000, None),
    ("cap lai cchn", "Hồ Văn Tâm", "Phí thẩm định hồ sơ cấp lại chứng chỉ hành nghề dược",
     500_000, "paid"),
)  # fmt: skip


def populate_fees(workspace: Workspace, folder: Path) -> None:
    """Submitted dossiers whose agency asked for fees (state 6): unpaid, a payment
    waiting in the browser, one paid with its receipt kept."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from desktop.dossier import state_door
    from desktop.storage import models
    from desktop.storage.outbox_models import Payment, PortalFee

    to_submitted = ("READY", "QUEUED", "UPLOADING", "SUBMITTING", "SUBMITTED")

    asked = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
    for number, (query, name, description, amount, paid) in enumerate(SAMPLE_FEES, start=1):
        procedure = workspace.catalog.search(query, limit=1)[0]
        dossier = workspace.dossiers.create(procedure.key)
        workspace.dossiers.set_fields(dossier.id, {"applicant.name": name})
        receipt_no = f"{procedure.agency_code}-261118-{40 + number:04d}"
        receipt = None
        if paid == "paid":
            pdf = _pdf(folder / f"bien-lai-{receipt_no}.pdf", 1)
            receipt = workspace.store.put(pdf, accepted=("application/pdf",)).sha256
        with workspace.db.session() as session:
            row = session.get(models.Dossier, dossier.id)
            assert row is not None
            for step in to_submitted:  # through the one door, as the engine moves it
                state_door.move(session, row, step, "Ảnh minh họa", asked)
            session.execute(
                update(models.Dossier).where(models.Dossier.id == dossier.id).values(
                    portal_state=6, receipt_no=receipt_no,
                    uuid=f"5b0c1f3e-0d7a-4c1e-9a52-{dossier.id:012d}",
                )
            )  # fmt: skip
            ref = f"VNPAY{261124000 + number}"
            session.add(PortalFee(
                dossier_id=dossier.id, fee_id=f"PHI-{number}", description=description,
                amount=amount, paid=paid == "paid", payment_ref=ref if paid else None,
            ))  # fmt: skip
            if paid:
                session.add(Payment(
                    ref=ref, dossier_id=dossier.id, fee_ids=[f"PHI-{number}"], amount=amount,
                    payment_url=f"http://127.0.0.1:8765/sandbox/pay/{ref}", state=paid,
                    paid_at=asked + timedelta(hours=3) if paid == "paid" else None,
                    receipt_sha256=receipt, created_at=asked + timedelta(hours=2),
                ))  # fmt: skip


DEMO_P12_PASSWORD = "mat-khau-minh-hoa"  # noqa: S105 - a made-up demo certificate's password


def demo_p12(folder: Path) -> Path:
    """A clerk's signing certificate issued by a made-up CA, in a .p12, for the pictures."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    def name(common: str, organisation: str) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "Quảng Ngãi"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ])  # fmt: skip

    ca_key = ec.generate_private_key(ec.SECP256R1())
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Nguyễn Thị Lan", "UBND xã Tịnh Sơn"))
        .issuer_name(name("CA minh họa dvc-desk", "Tổ chức chứng thực minh họa"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=200))
        .not_valid_after(now + timedelta(days=530))
        .add_extension(usage, critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    path = folder / "chung-thu" / "can-bo-mot-cua.p12"
    path.parent.mkdir(parents=True, exist_ok=True)
    encryption = serialization.BestAvailableEncryption(DEMO_P12_PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, None, encryption))
    return path


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not finish loading")
        app.processEvents()
        QThread.msleep(10)


def capture(out_dir: Path, width: int, height: int) -> list[Path]:
    """Save catalog.png, dossiers.png and main-window.png into `out_dir`."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    family = pick_font_family()
    if family:
        font = app.font()
        font.setFamily(family)
        app.setFont(font)
    install_translators(app, "vi")
    app.setWindowIcon(icon("dvc-desk"))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="dvc-shots-") as tmp:
        workspace = Workspace(Paths(Path(tmp) / "data"))
        tasks = TaskManager()
        bridge = EventBridge(workspace.events)
        sync = SyncRunner(workspace, tasks)  # not started: no portal in screenshots
        try:
            files = Path(tmp) / "files"
            files.mkdir()
            edited = populate(workspace, files)
            populate_fees(workspace, files)
            ui_settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
            ui_settings.setValue(P12_PATHS_KEY, [str(demo_p12(Path(tmp)))])
            window = build_window(workspace, tasks, bridge, sync, ui_settings)
            window.data_dir_label.setText("Dữ liệu: /home/canbo/.local/share/dvc-desk")
            window.sync_status.on_started("http://127.0.0.1:8765")
            window.resize(width, height)
            window.show()
            window.start()
            saved += _shoot_screens(app, window, out_dir, edited)
            window.close()
        finally:
            tasks.shutdown()
            bridge.close()
            workspace.close()
    return saved


def _preview_first_file(app: QApplication, editor: DossierEditor) -> None:
    """Select the first attached file so the preview shows its pages."""
    checklist = editor.files_page.checklist
    component = checklist.item_of_component("TP1")
    first_file = component.child(0) if component is not None else None
    assert first_file is not None
    checklist.setCurrentItem(first_file)
    preview = editor.files_page.preview
    wait_until(app, lambda: all(preview.thumbnail_drawn(p) for p in range(preview.page_count())))


def _show_every_fee(app: QApplication, window: MainWindow) -> None:
    """Thanh toán with every fee listed (unpaid, waiting, paid) and the first selected."""
    window.show_section(SECTION_PAYMENTS)
    payments = window.payments_view
    assert payments is not None
    payments.state_combo.setCurrentIndex(payments.state_combo.findData("all"))
    wait_until(app, lambda: payments.model.state == "all" and payments.model.rowCount() == 4)
    payments.table.selectRow(0)


def _show_certificate(app: QApplication, window: MainWindow) -> None:
    """Chứng thư số with the demo .p12 opened by its password, as a clerk would."""
    window.show_section(SECTION_CERTIFICATES)
    certificates = window.certificates_view
    assert certificates is not None
    wait_until(app, lambda: not certificates.scanning)
    certificates.table.selectRow(0)
    certificates.ask_password()
    dialog = certificates.password_dialog
    assert dialog is not None
    dialog.password_edit.setText(DEMO_P12_PASSWORD)
    dialog.accept()
    model = certificates.model
    wait_until(app, lambda: "Nguyễn Thị Lan" in str(model.index(0, 0).data()))
    certificates.table.selectRow(0)


def _shoot_screens(app: QApplication, window: MainWindow, out_dir: Path, edited: int) -> list[Path]:
    saved: list[Path] = []

    def shoot(name: str, widget: object = None) -> None:
        for _ in range(3):  # layout requests are posted events: let them run first
            app.processEvents()
        saved.append(out_dir / f"{name}.png")
        target = widget if widget is not None else window
        target.grab().save(str(saved[-1]))  # type: ignore[attr-defined]

    view = window.catalog_view
    view.search_edit.setText("cchn duoc")
    view.search()
    wait_until(app, lambda: "Thành phần hồ sơ" in view.details.toPlainText())
    wait_until(app, lambda: window.count_label.text() != "")
    window.show_section(SECTION_CATALOG)
    shoot("main-window")
    shoot("catalog")
    window.show_section(SECTION_DOSSIERS)
    model = window.dossiers_view.model
    wait_until(app, lambda: model.rowCount() == model.total > 0)
    shoot("dossiers")
    editor = window.editor
    window.open_dossier(edited)
    wait_until(app, lambda: editor.dossier is not None and editor.dossier.id == edited)
    wait_until(app, lambda: editor.problems_list.count() > 0)
    shoot("dossier-editor")
    editor.tabs.setCurrentIndex(TAB_FILES)
    _preview_first_file(app, editor)
    shoot("dossier-files")
    editor.sign_button.setEnabled(True)
    editor.sig_sign_requested.emit(edited)
    dialog = window.signing_dialog
    dialog.table.selectRow(0)
    options = dialog.stamp_options
    options.visible_radio.setChecked(True)
    wait_until(app, options.placer.rendered)
    options.placer.box = (380.0, 90.0, 560.0, 190.0)  # as if dragged over the signing area
    options.placer.sig_box_changed.emit()
    shoot("signing", dialog)
    dialog.close()
    window.show_section(SECTION_QUEUE)
    queue = window.queue_view
    assert queue is not None
    wait_until(app, lambda: queue.model.rowCount() > 0)
    queue.table.selectRow(0)
    shoot("queue")
    _show_every_fee(app, window)
    shoot("payments")
    _show_certificate(app, window)
    shoot("certificates")
    window.show_section(SECTION_SETTINGS)
    shoot("settings")
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    for path in capture(args.out_dir, width, height):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
