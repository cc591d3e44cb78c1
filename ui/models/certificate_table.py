"""Every certificate the app can sign with, as a table: .p12 files and token certificates.

A remembered .p12 file is a row before its password is typed (its certificate is inside
the encrypted file); once opened, the row shows the certificate. Token certificates are
public objects, listed without a PIN. The model holds a few rows and replaces them as a
whole when the files or the tokens change.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.display import safe_text
from ui.views.signing.keys import P12, REMOTE, CertificateChoice, KeySource

if TYPE_CHECKING:
    from desktop.signing.certs import CertificateInfo

Index = QModelIndex | QPersistentModelIndex
Entry = CertificateChoice | KeySource
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's CertificateChoice or KeySource
COLUMN_SUBJECT, COLUMN_ISSUER, COLUMN_VALID_UNTIL, COLUMN_SOURCE, COLUMN_USABLE = range(5)
EXPIRY_WARNING = timedelta(days=30)
GREEN, AMBER, RED, GREY = "#1b6e2d", "#8a5300", "#b3261e", "#5f6368"


def source_of(entry: Entry) -> KeySource:
    return entry.source if isinstance(entry, CertificateChoice) else entry


def file_name(path: str) -> str:
    """The last part of a path written with / or \\ (a Windows path on any system)."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def name_parts(rfc4514: str) -> tuple[str, str]:
    """(CN, O) of a distinguished name written as RFC 4514; ("", "") if unreadable."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        name = x509.Name.from_rfc4514_string(rfc4514)
    except ValueError:
        return "", ""

    def part(oid: x509.ObjectIdentifier) -> str:
        values = name.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    return part(NameOID.COMMON_NAME), part(NameOID.ORGANIZATION_NAME)


def vietnam_time_text(moment: datetime, *, seconds: bool = False) -> str:
    """dd/mm/yyyy HH:MM[:SS] in Vietnam time (UTC+7), whatever the computer's zone:
    validity is stated in Vietnam time."""
    from desktop.signing.certs import VIETNAM

    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")


def issuer_text(info: CertificateInfo) -> str:
    """The issuing CA as a clerk knows it (its CN, else the whole name)."""
    common_name, organisation = name_parts(info.issuer)
    return common_name or organisation or info.issuer


class CertificateTableModel(QAbstractTableModel):
    """.p12 rows first (in the order they were added), then the tokens' certificates."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._files: list[Entry] = []
        self._tokens: list[CertificateChoice] = []
        self._remote: list[CertificateChoice] = []  # found at trust services (issue #15)

    # --- contents ----------------------------------------------------------------------

    def set_p12_paths(self, paths: list[str]) -> None:
        """The remembered .p12 files; a file already opened keeps its certificate."""
        opened = {source_of(e).path: e for e in self._files}
        self.beginResetModel()
        self._files = [opened.get(path, KeySource(P12, path)) for path in paths]
        self.endResetModel()

    def set_token_certificates(self, found: list[CertificateChoice]) -> None:
        """Replace every token row (after a scan)."""
        self.beginResetModel()
        self._tokens = list(found)
        self.endResetModel()

    def add_remote(self, choice: CertificateChoice) -> int:
        """Show a certificate found at a trust service (again: replaced); its row."""
        self.beginResetModel()
        self._remote = [c for c in self._remote if c.source != choice.source] + [choice]
        self.endResetModel()
        return len(self._files) + len(self._tokens) + len(self._remote) - 1

    def put(self, choice: CertificateChoice) -> int | None:
        """Show an opened .p12's certificate in its row; the row, or None if not listed."""
        row = self.row_of(choice.source)
        if row is None or row >= len(self._files):
            return None
        self._files[row] = choice
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return row

    def entry(self, row: int) -> Entry | None:
        rows = self._rows()
        return rows[row] if 0 <= row < len(rows) else None

    def row_of(self, source: KeySource) -> int | None:
        return next((i for i, e in enumerate(self._rows()) if source_of(e) == source), None)

    def _rows(self) -> list[Entry]:
        return [*self._files, *self._tokens, *self._remote]

    # --- texts -------------------------------------------------------------------------

    def usable_text(self, entry: Entry) -> tuple[str, str]:
        """The Dùng được? column: (text, colour)."""
        if not isinstance(entry, CertificateChoice):
            return self.tr("Chưa biết: cần mật khẩu"), GREY
        if not entry.usable:
            return entry.problem, RED
        left = entry.info.not_after - self._now()
        if left < EXPIRY_WARNING:
            if left < timedelta(days=1):
                return self.tr("Hết hạn trong vòng một ngày"), AMBER
            return self.tr("Còn %n ngày hết hạn", "", left.days), AMBER
        return self.tr("Dùng được"), GREEN

    def _texts(self, entry: Entry) -> list[str]:
        source = source_of(entry)
        if source.kind == P12:
            origin = file_name(source.path)
        elif source.kind == REMOTE:
            origin = self.tr("Từ xa: {service} ({user})").format(
                service=source.path, user=source.token_label
            )
        else:
            origin = self.tr("Token {label}").format(label=source.token_label)
        if not isinstance(entry, CertificateChoice):
            return [self.tr("Nhập mật khẩu để xem"), "", "", origin, self.usable_text(entry)[0]]
        info = entry.info
        subject = info.common_name or info.subject
        if info.organisation:
            subject = f"{subject} — {info.organisation}"
        return [
            subject,
            issuer_text(info),
            vietnam_time_text(info.not_after),
            origin,
            self.usable_text(entry)[0],
        ]

    # --- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self._rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            self.tr("Chủ thể"),
            self.tr("Cơ quan cấp"),
            self.tr("Hiệu lực đến"),
            self.tr("Nguồn"),
            self.tr("Dùng được?"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self.entry(index.row())
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return safe_text(self._texts(entry)[column])  # names from certificates and tokens
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COLUMN_SOURCE:
                source = source_of(entry)
                if source.kind == P12:
                    return safe_text(source.path)
                return safe_text(f"{source.token_label} — {source.path}")
            return safe_text(self._texts(entry)[column]) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == COLUMN_USABLE:
            return QBrush(QColor(self.usable_text(entry)[1]))
        return None
