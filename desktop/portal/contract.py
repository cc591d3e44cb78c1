"""Portal API v1: the pydantic models of every request and response (ARCHITECTURE §6).

The sandbox serves these models and the client validates every answer against them, so
the contract is written once. Errors are RFC 9457 problem documents with a stable `code`
(see `Problem`); docs/portal-api.md tells the flow and docs/openapi.json is generated
from the sandbox, which uses these models.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_VERSION = "v1"
PROBLEM_MEDIA_TYPE = "application/problem+json"
UPLOAD_MEDIA_TYPE = "application/offset+octet-stream"
TUS_VERSION = "1.0.0"

SHA256_PATTERN = r"^[0-9a-f]{64}$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,39}$"

# Dossier states on the portal: the national codes (DOMAIN.md).
STATE_NAMES: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
#: Before submission a created dossier is "draft" on the portal: state 0.
STATE_CREATED = 0


class _Model(BaseModel):
    """Answers may grow new fields in later versions: clients ignore unknown ones."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class _Request(BaseModel):
    """Requests are strict: a misspelled field is refused, never silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- errors


class Problem(_Model):
    """An error answer (`application/problem+json`); `code` is stable, `title` is for people."""

    type: str = Field(description="URI naming the error kind: urn:dvc-desk:problem:<code>")
    title: str
    status: int
    code: str = Field(description="stable machine code, e.g. upload.offset_mismatch")
    detail: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    errors: list[dict[str, Any]] = Field(default_factory=list)


def problem_type(code: str) -> str:
    """The `type` URI of a problem code."""
    return f"urn:dvc-desk:problem:{code}"


# ---------------------------------------------------------------- accounts and tokens


class AccountRegistration(_Request):
    """POST /v1/accounts."""

    username: str = Field(pattern=USERNAME_PATTERN)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    password: str = Field(min_length=8, max_length=256)
    full_name: str = Field(min_length=1, max_length=200)
    phone: str = Field(pattern=r"^(0|\+84)[35789][0-9]{8}$")


class AccountAccepted(_Model):
    """202: the account exists but waits for its e-mail confirmation."""

    username: str
    state: Literal["pending_confirmation", "active"]
    detail: str


class TokenResponse(_Model):
    """OAuth2 token answer of POST /v1/auth/token (password or refresh_token grant)."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer", "Bearer"] = "bearer"  # noqa: S105 (a scheme name)
    expires_in: int = Field(ge=0, description="seconds the access token stays valid")


# ---------------------------------------------------------------- catalog


class CatalogDocument(_Model):
    """GET /v1/catalog: a catalog snapshot in the app's bundled format (ETag → 304)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    agencies: list[dict[str, Any]] = Field(default_factory=list)
    fields: list[dict[str, Any]] = Field(default_factory=list)
    procedures: list[dict[str, Any]] = Field(default_factory=list)


# ---------------------------------------------------------------- dossiers and uploads


class FileManifestEntry(_Request):
    """One file the dossier will carry; its bytes are uploaded afterwards."""

    file_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, max_length=255)
    size: int = Field(ge=1)
    sha256: str = Field(pattern=SHA256_PATTERN)
    media_type: str = Field(min_length=3, max_length=127)
    component_code: str | None = Field(default=None, max_length=64)


class FormAddress(_Request):
    """An address since 1 July 2025: the official unit codes next to the names.

    Codes: province 2 digits (34 units, Công văn 915/CTK-CSCL), commune, ward or special
    zone 5 digits (3,321 units, Công văn 1027/CTK-CSCL). An address with names carries
    their codes; the portal checks that they exist, match the names, and that the
    commune lies in the province.
    """

    # Strict: `needs_review: 0` is not a boolean, and JSON Schema says so (schemathesis).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    province: str = Field(default="", max_length=100, description="e.g. Quảng Ngãi")
    province_code: str = Field(default="", pattern=r"^(\d{2})?$", description="e.g. 51")
    commune: str = Field(default="", max_length=200, description="e.g. Phường Cẩm Thành")
    commune_code: str = Field(default="", pattern=r"^(\d{5})?$", description="e.g. 21025")
    detail: str = Field(default="", max_length=500, description="house number, street, hamlet")
    needs_review: bool = Field(
        default=False, description="true: the address must be chosen again (never sent valid)"
    )


class FormParty(BaseModel):
    """The applicant or the submitter; fields other than the address pass as sent."""

    model_config = ConfigDict(extra="allow", frozen=True)

    address: FormAddress | None = None


class FormDelivery(BaseModel):
    """Collect at home / return by post, each with its address; other fields as sent."""

    model_config = ConfigDict(extra="allow", frozen=True)

    collect_address: FormAddress | None = None
    return_address: FormAddress | None = None


class DossierForm(BaseModel):
    """The form data: parties, delivery options, notes; unknown keys pass as sent."""

    model_config = ConfigDict(extra="allow", frozen=True)

    applicant: FormParty | None = None
    submitter: FormParty | None = None
    delivery: FormDelivery | None = None


class DossierCreate(_Request):
    """PUT /v1/dossiers/{uuid}: the form data and the file manifest."""

    procedure_code: str | None = Field(
        default=None, max_length=64, description="national code, or the catalog key"
    )
    procedure_name: str = Field(min_length=1, max_length=500)
    agency_code: str = Field(max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    form: DossierForm = Field(default_factory=DossierForm, description="applicant and form fields")
    files: list[FileManifestEntry] = Field(min_length=1, max_length=200)


class UploadTarget(_Model):
    """Where and from which offset the bytes of one file go."""

    file_id: str
    upload_url: str
    offset: int
    length: int
    complete: bool
    expires_at: datetime | None


class DossierCreated(_Model):
    """201/200 answer of PUT /v1/dossiers/{uuid} (the replay gives the current offsets)."""

    uuid: str
    state: int
    files: list[UploadTarget]


class FileRef(_Request):
    file_id: str = Field(pattern=ID_PATTERN)
    sha256: str = Field(pattern=SHA256_PATTERN)


class SubmissionRequest(_Request):
    """POST /v1/dossiers/{uuid}/submission body; the Idempotency-Key header is required."""

    files: list[FileRef] = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=2000)


class Receipt(_Model):
    """The portal's receipt: `{agency code}-{yymmdd}-{NNNN}`."""

    receipt_no: str
    submitted_at: datetime
    appointment_date: date


class HistoryEntry(_Model):
    state: int
    state_name: str
    at: datetime
    note: str | None = None


class FeeItem(_Model):
    fee_id: str
    description: str
    amount: int = Field(description="VND")
    paid: bool
    payment_ref: str | None = None


class SupplementRequest(_Model):
    """What the officer asked for (state 5) and whether the applicant answered."""

    request_id: str
    note: str
    requested_at: datetime
    answered_by: str | None = Field(default=None, description="supplement id that answered")


class ResultFile(_Model):
    result_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    url: str


class DossierStatus(_Model):
    """GET /v1/dossiers/{uuid}: state 1..10 (0 before submission), history, fees, results."""

    uuid: str
    state: int
    state_name: str
    procedure_code: str | None
    agency_code: str
    receipt_no: str | None
    submitted_at: datetime | None
    appointment_date: date | None
    updated_at: datetime
    cursor: str
    history: list[HistoryEntry]
    fees: list[FeeItem]
    supplement_requests: list[SupplementRequest]
    results: list[ResultFile]


class DossierChanges(_Model):
    """GET /v1/dossiers?changed_since=: dossiers changed after a cursor, oldest first."""

    items: list[DossierStatus]
    cursor: str = Field(description="pass back as changed_since to get later changes")
    has_more: bool


class SupplementCreate(_Request):
    """PUT /v1/dossiers/{uuid}/supplements/{sid}: documents answering a supplement request."""

    request_id: str = Field(pattern=ID_PATTERN)
    note: str | None = Field(default=None, max_length=2000)
    files: list[FileManifestEntry] = Field(min_length=1, max_length=200)


class SupplementCreated(_Model):
    supplement_id: str
    state: Literal["uploading", "received"]
    files: list[UploadTarget]


# ---------------------------------------------------------------- payments


class PaymentCreate(_Request):
    """POST /v1/dossiers/{uuid}/payments."""

    fee_ids: list[str] = Field(min_length=1, max_length=50)


class PaymentCreated(_Model):
    payment_ref: str
    payment_url: str = Field(description="open in the browser: the bank / e-wallet page")
    amount: int


class PaymentStatus(_Model):
    """GET /v1/payments/{ref}."""

    payment_ref: str
    state: Literal["pending", "paid", "cancelled"]
    amount: int
    fee_ids: list[str]
    method: str | None
    paid_at: datetime | None
    receipt_url: str | None


# --- The sandbox portal run on this machine (portal_sandbox/) and the app -----------------
# The sandbox writes its run's secret to this file in its data folder (readable by the
# user only); the app, with the same data folder, reads it to open the officer console
# and asks IDENTITY_PATH to prove the server on the port is that sandbox.
SANDBOX_RUN_KEY_FILE = "run-key"
SANDBOX_IDENTITY_PATH = "/sandbox/identity"


def sandbox_identity_proof(secret: str, nonce: str) -> str:
    """What the sandbox answers at SANDBOX_IDENTITY_PATH for `nonce`: only a server that
    knows the run's secret can give it."""
    import hmac

    return hmac.new(secret.encode(), b"dvc-desk-sandbox:" + nonce.encode(), "sha256").hexdigest()
