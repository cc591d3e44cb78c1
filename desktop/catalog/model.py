"""Frozen views of catalog data, as repositories hand them out (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CHANNELS = ("truc_tiep", "truc_tuyen", "buu_chinh")  # in person, online, post
# A catalog may give a processing time or fees without saying for which channel (the
# JSON has `"kind": null`); the model keeps that as this explicit "unknown" kind.
UNKNOWN_CHANNEL = "khong_ro"
CHANNEL_LABELS = {
    "truc_tiep": "Trực tiếp",
    "truc_tuyen": "Trực tuyến",
    "buu_chinh": "Dịch vụ bưu chính",
    UNKNOWN_CHANNEL: "Chưa rõ hình thức nộp",
}
FEE_KINDS = ("phi", "le_phi")
UNKNOWN_FEE_KIND = "khong_ro"  # JSON `"kind": null`: a fee whose kind (phí/lệ phí) is unknown
FEE_KIND_LABELS = {"phi": "Phí", "le_phi": "Lệ phí", UNKNOWN_FEE_KIND: "Phí/lệ phí"}
ONLINE_LEVELS = {"toan_trinh": "Toàn trình", "mot_phan": "Một phần"}
# The same labels for language=en (the catalog's own texts stay Vietnamese).
CHANNEL_LABELS_EN = {
    "truc_tiep": "In person",
    "truc_tuyen": "Online",
    "buu_chinh": "By post",
    UNKNOWN_CHANNEL: "Submission channel unknown",
}
FEE_KIND_LABELS_EN = {"phi": "Fee", "le_phi": "Charge", UNKNOWN_FEE_KIND: "Fee/charge"}
ONLINE_LEVELS_EN = {"toan_trinh": "Fully online", "mot_phan": "Partly online"}


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    parent_code: str | None = None
    province: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    successor_code: str | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class Field:
    code: str
    name: str


@dataclass(frozen=True)
class Fee:
    kind: str  # "phi", "le_phi" or UNKNOWN_FEE_KIND
    amount: int | None  # VND; None when unknown
    code: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Channel:
    kind: str  # one of CHANNELS or UNKNOWN_CHANNEL
    processing_days: int | None = None
    day_type: str | None = None  # "working" | "calendar" | None when unknown
    note: str | None = None
    fees: tuple[Fee, ...] = ()
    fees_known: bool = True  # False: the catalog does not know the fees (not "free")


@dataclass(frozen=True)
class ComponentSpec:
    """A dossier component (thành phần hồ sơ) as the catalog describes it."""

    code: str
    name: str
    required: bool | None
    originals: int | None = None
    copies: int | None = None
    template: str | None = None
    accepted_types: tuple[str, ...] = ()  # media types; empty = the app's defaults
    max_size: int | None = None  # bytes; None = the portal's limit setting
    case: str | None = None  # the case (trường hợp) it applies to, when not always
    note: str | None = None


@dataclass(frozen=True)
class LegalBasis:
    number: str
    title: str | None = None


@dataclass(frozen=True)
class ProcedureSummary:
    """One row of a search result or of a list."""

    key: str
    code: str | None
    name: str
    agency_code: str
    agency_name: str
    field_code: str
    field_name: str
    fee_summary: str  # e.g. "500.000 đ" or "Không rõ"
    processing_summary: str  # e.g. "15 ngày làm việc" or "Không rõ"
    score: float = 0.0


@dataclass(frozen=True)
class Procedure:
    key: str
    code: str | None
    name: str
    agency: Agency
    field: Field
    online_level: str | None
    channels: tuple[Channel, ...]
    components: tuple[ComponentSpec, ...]
    results: tuple[str, ...] = ()
    legal_basis: tuple[LegalBasis, ...] = ()
    conditions: str | None = None
    dvcqg_page_id: int | None = None
    notes: tuple[str, ...] = ()
    # False when the catalog does not know the list (not "the procedure needs nothing").
    components_known: bool = True
    results_known: bool = True

    def component(self, code: str) -> ComponentSpec | None:
        return next((c for c in self.components if c.code == code), None)
