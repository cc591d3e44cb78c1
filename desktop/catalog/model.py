"""Frozen views of catalog data, as repositories hand them out (no ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
LEVELS = {"bo": "Cấp bộ", "tinh": "Cấp tỉnh", "xa": "Cấp xã"}
LEVELS_EN = {"bo": "Ministry", "tinh": "Province", "xa": "Commune"}
# Units of a processing time as the portal writes them; "text" = only words, no number.
TIME_UNITS = {
    "working_day": "ngày làm việc",
    "day": "ngày",
    "hour": "giờ",
    "month": "tháng",
    "text": "",
}
# The text the portal converter stores for a time without a number and without words of
# the portal's own (our words, so shown in English with language=en).
TIME_WITHOUT_NUMBER = "Theo quy định (nguồn không ghi số)"
TIME_WITHOUT_NUMBER_EN = "As regulated (the source gives no number)"
TIME_UNITS_EN = {
    "working_day": "working day(s)",
    "day": "day(s)",
    "hour": "hour(s)",
    "month": "month(s)",
    "text": "",
}
DOCUMENT = "document"
NOTE = "note"  # a row of the component list that is a remark, not a document
NOT_APPLICABLE = "not_applicable"


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
class Named:
    """A coded item of the portal's lists (category, subject type, result...)."""

    name: str
    code: str | None = None


@dataclass(frozen=True)
class Fee:
    kind: str  # "phi", "le_phi" or UNKNOWN_FEE_KIND
    amount: int | None  # in `currency`; None when unknown (see `description`)
    code: str | None = None
    note: str | None = None
    currency: str = "VND"
    # The rule as the source writes it ("Mức lệ phí do HĐND tỉnh quyết định"): what
    # applies when there is no amount, or the condition of the amount.
    description: str | None = None


@dataclass(frozen=True)
class ProcessingTime:
    """A time as the portal writes it: a number and a unit, or only text."""

    value: float | None
    unit: str  # a key of TIME_UNITS
    text: str | None = None


@dataclass(frozen=True)
class Channel:
    kind: str  # one of CHANNELS or UNKNOWN_CHANNEL
    processing_days: int | None = None
    day_type: str | None = None  # "working" | "calendar" | None when unknown
    note: str | None = None
    fees: tuple[Fee, ...] = ()
    fees_known: bool = True  # False: the catalog does not know the fees (not "free")
    time: ProcessingTime | None = None  # any unit; processing_days only for day units


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
    kind: str = DOCUMENT  # NOTE: a remark in the list; nothing to attach
    templates: tuple[Named, ...] = ()  # form files (name, path in the portal's store)
    electronic_form: bool | None = None

    @property
    def attachable(self) -> bool:
        return self.kind == DOCUMENT


@dataclass(frozen=True)
class Case:
    """A case (trường hợp): its own components (plus those of no case, common to all)."""

    code: str
    name: str
    components: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    name: str | None
    description: str


@dataclass(frozen=True)
class AgencyRole:
    """An agency named by the procedure, with its role (executing, authority, ...)."""

    role: str
    name: str
    code: str | None = None


@dataclass(frozen=True)
class Variant:
    """A sub-procedure of the portal (`cases[]`): a code, a name and its own time."""

    code: str | None
    name: str
    time: ProcessingTime | None = None


@dataclass(frozen=True)
class EditionInfo:
    """Where an edition of a procedure came from."""

    number: int
    source: str
    source_format: str
    sha256: str | None  # of the source record, when it was one record
    fetched_at: datetime | None
    imported_at: datetime


@dataclass(frozen=True)
class LegalBasis:
    number: str | None
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
    levels: tuple[str, ...] = ()


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
    dvcqg_page_id: int | str | None = None
    notes: tuple[str, ...] = ()
    # False when the catalog does not know the list (not "the procedure needs nothing").
    components_known: bool = True
    results_known: bool = True
    levels: tuple[str, ...] = ()
    cases: tuple[Case, ...] = ()
    steps: tuple[Step, ...] = ()
    result_details: tuple[Named, ...] = ()
    subject_types: tuple[Named, ...] = ()
    categories: tuple[Named, ...] = ()
    agencies_involved: tuple[AgencyRole, ...] = ()
    keywords: tuple[str, ...] = ()
    returning_methods: tuple[str, ...] = ()
    variants: tuple[Variant, ...] = ()
    offline_only: bool | None = None
    state: str | None = None
    description: str | None = None
    edition: EditionInfo | None = None

    def component(self, code: str) -> ComponentSpec | None:
        return next((c for c in self.components if c.code == code), None)

    def case(self, code: str) -> Case | None:
        return next((c for c in self.cases if c.code == code), None)

    def checklist(self, case_code: str | None) -> tuple[ComponentSpec, ...]:
        """The components of one case: its own and those of no case. Without cases (or
        before a case is chosen) every component."""
        chosen = self.case(case_code) if case_code else None
        if chosen is None:
            return self.components
        in_some_case = {code for c in self.cases for code in c.components}
        return tuple(
            c for c in self.components if c.code in chosen.components or c.code not in in_some_case
        )

    def incomplete(self, language: str = "vi") -> tuple[str, ...]:
        """What the source does not say, for the procedure's page (Vietnamese, or
        English with language="en")."""
        en = language == "en"
        reasons: list[str] = []
        if not self.components_known:
            reasons.append(
                "The source lists no components."
                if en
                else "Nguồn không có danh sách thành phần hồ sơ."
            )
        unclear = [c for c in self.components if c.attachable and c.required is None]
        if unclear:
            reasons.append(
                f"The source does not say which components are required: {len(unclear)} "
                "component(s) 'need checking' (attach a file or mark 'not applicable to "
                "this dossier')."
                if en
                else f"Nguồn không ghi thành phần nào bắt buộc: {len(unclear)} thành phần "
                "«cần kiểm tra» (đính kèm hoặc ghi «không áp dụng cho hồ sơ này»)."
            )
        if not self.channels:
            reasons.append(
                "The source gives no way to submit, time limit or fee."
                if en
                else "Nguồn không ghi cách thức thực hiện, thời hạn và phí."
            )
        elif all(c.time is None or c.time.value is None for c in self.channels):
            reasons.append(
                "The source gives no clear time limit."
                if en
                else "Nguồn không ghi rõ thời hạn giải quyết."
            )
        if self.channels and not any(c.fees_known for c in self.channels):
            reasons.append(
                "The source gives no fees or charges (which does not mean free)."
                if en
                else "Nguồn không ghi phí, lệ phí (không có nghĩa là miễn phí)."
            )
        if not self.results_known:
            reasons.append(
                "The source gives no result." if en else "Nguồn không ghi kết quả thực hiện."
            )
        return tuple(reasons)
