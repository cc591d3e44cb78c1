"""ui/models/certificate_table.py: .p12 files and token certificates as table rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from desktop.signing.certs import CertificateInfo
from ui.models.certificate_table import (
    AMBER,
    COLUMN_ISSUER,
    COLUMN_SOURCE,
    COLUMN_SUBJECT,
    COLUMN_USABLE,
    COLUMN_VALID_UNTIL,
    ENTRY_ROLE,
    GREEN,
    RED,
    CertificateTableModel,
)
from ui.views.signing.keys import P12, TOKEN, CertificateChoice, KeySource, why_unusable

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
ISSUER = "CN=VNPT Certification Authority,OU=VNPT-CA Trust Network,O=VNPT Group,C=VN"


def choice(source: KeySource, name: str, *, days_left: int = 300, usage=("digital_signature",)):
    info = CertificateInfo(
        subject=f"CN={name},O=UBND xã Hòa Bình,C=VN",
        common_name=name,
        organisation="UBND xã Hòa Bình",
        issuer=ISSUER,
        serial="1a2b",
        not_before=NOW - timedelta(days=30),
        not_after=NOW + timedelta(days=days_left, hours=2),
        key_usage=tuple(usage),
        sha256="ab" * 32,
    )
    return CertificateChoice(source, info, why_unusable(info, NOW))


def colour(model: CertificateTableModel, row: int) -> str:
    brush = model.data(model.index(row, COLUMN_USABLE), Qt.ItemDataRole.ForegroundRole)
    return str(brush.color().name())


def texts(model: CertificateTableModel, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def test_files_then_tokens_with_usable_or_why_not(qtmodeltester) -> None:
    model = CertificateTableModel(now=lambda: NOW)
    qtmodeltester.check(model)
    one, two = KeySource(P12, "/home/canbo/mot.p12"), KeySource(P12, r"C:\Chung thu\hai.pfx")
    model.set_p12_paths([one.path, two.path])
    assert model.rowCount() == 2
    assert texts(model, 0)[COLUMN_SUBJECT] == "Nhập mật khẩu để xem"
    assert texts(model, 1)[COLUMN_SOURCE] == "hai.pfx"  # a Windows path on any system
    assert model.data(model.index(1, COLUMN_SOURCE), Qt.ItemDataRole.ToolTipRole) == two.path

    token = KeySource(TOKEN, "/usr/lib/vnpt-ca/libvnpt-ca_p11.so", "VNPT-CA Token", "a1b2")
    model.set_token_certificates([
        choice(token, "NGUYỄN VĂN A", days_left=12),
        choice(KeySource(TOKEN, token.path, "Cũ", "01"), "TRẦN THỊ B", days_left=-3),
    ])  # fmt: skip
    assert model.put(choice(one, "LÊ VĂN C")) == 0
    qtmodeltester.check(model)
    assert model.rowCount() == 4

    row = texts(model, 0)
    assert row[COLUMN_SUBJECT] == "LÊ VĂN C — UBND xã Hòa Bình"
    assert row[COLUMN_ISSUER] == "VNPT Certification Authority"
    assert row[COLUMN_VALID_UNTIL].startswith((NOW + timedelta(days=300, hours=2)).astimezone()
                                              .strftime("%d/%m/%Y"))  # fmt: skip
    assert row[COLUMN_USABLE] == "Dùng được"
    assert colour(model, 0) == GREEN

    soon = texts(model, 2)
    assert soon[COLUMN_SOURCE] == "Token VNPT-CA Token"
    assert soon[COLUMN_USABLE] == "Còn 12 ngày hết hạn"
    assert colour(model, 2) == AMBER
    expired = texts(model, 3)[COLUMN_USABLE]
    assert "hết hạn" in expired and "TRẦN THỊ B" in expired  # the core's sentence
    assert colour(model, 3) == RED
    assert model.data(model.index(3, 0), ENTRY_ROLE).source.token_label == "Cũ"


def test_wrong_key_usage_is_explained_and_files_keep_their_certificate(qtmodeltester) -> None:
    model = CertificateTableModel(now=lambda: NOW)
    one = KeySource(P12, "/home/canbo/mot.p12")
    model.set_p12_paths([one.path])
    model.put(choice(one, "LÊ VĂN C", usage=("key_encipherment",)))
    assert "ký" in texts(model, 0)[COLUMN_USABLE].lower()
    assert texts(model, 0)[COLUMN_USABLE] != "Dùng được"
    # A new list of paths keeps the opened file's certificate and drops forgotten ones.
    model.set_p12_paths(["/home/canbo/moi.p12", one.path])
    assert texts(model, 1)[COLUMN_SUBJECT].startswith("LÊ VĂN C")
    assert texts(model, 0)[COLUMN_SUBJECT] == "Nhập mật khẩu để xem"
    model.set_p12_paths([])
    assert model.rowCount() == 0
    assert model.put(choice(one, "LÊ VĂN C")) is None  # no longer listed
    qtmodeltester.check(model)


def test_a_ca_certificate_on_a_token_is_not_offered_for_signing() -> None:
    """Issue #11, item 8: a token's CA certificate (no key of its own) cannot sign."""
    from dataclasses import replace

    base = choice(KeySource(TOKEN, "/usr/lib/x.so", "VNPT-CA Token", "ca01"), "VNPT-CA SHA256")
    ca = replace(base.info, is_ca=True, key_usage=("key_cert_sign", "crl_sign"))
    assert "CA" in why_unusable(replace(ca, key_usage=()), NOW)
    assert why_unusable(replace(base.info, has_key=False), NOW)
    assert why_unusable(base.info, NOW) == ""


def test_names_from_a_certificate_are_shown_escaped() -> None:
    from dataclasses import replace

    model = CertificateTableModel(now=lambda: NOW)
    hostile = choice(KeySource(P12, "/home/canbo/\u202egpj.p12"), "Lan\x1b[2J")
    hostile = replace(hostile, info=replace(hostile.info, subject="CN=Lan\x1b[2J\u202e"))
    model.set_token_certificates([hostile])
    shown = texts(model, 0)
    assert "Lan\\x1b[2J" in " ".join(shown)
    assert not any("\x1b" in str(cell) or "\u202e" in str(cell) for cell in shown)
    tips = [
        model.data(model.index(0, c), Qt.ItemDataRole.ToolTipRole)
        for c in range(model.columnCount())
    ]
    assert not any("\u202e" in str(tip) for tip in tips)
