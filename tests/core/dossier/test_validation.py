"""Each rule of DOMAIN.md, one by one, on frozen dossiers (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from desktop.catalog.model import Agency, ComponentSpec, Field, Procedure
from desktop.dossier.model import (
    ERROR,
    WARNING,
    Address,
    Attachment,
    Delivery,
    Dossier,
    Party,
    Problem,
)
from desktop.dossier.validation import validate

TODAY = date(2026, 11, 25)
MB = 1024 * 1024
PROCEDURE = Procedure(
    key="P",
    code=None,
    name="Thủ tục thử",
    agency=Agency("A", "Sở Y tế"),
    field=Field("F", "Dược"),
    online_level=None,
    channels=(),
    components=(
        ComponentSpec("TP1", "Đơn đề nghị", True, accepted_types=("application/pdf",)),
        ComponentSpec("TP2", "Bản sao văn bằng", True, max_size=1 * MB),
        ComponentSpec("TP3", "Giấy khám sức khỏe", False),
        ComponentSpec("TP4", "Giấy ủy quyền", True, case="Người nộp không phải chủ hồ sơ"),
    ),
)
GOOD_PERSON = Party(
    name="Nguyễn Thị Lan",
    id_number="051190001234",
    date_of_birth="1990-03-05",
    gender="Nữ",
    phone="0912345678",
    email="lan@example.vn",
    address=Address("Quảng Ngãi", "Phường Kon Tum", "12 Trần Hưng Đạo", "51", "23293"),
)


def _file(
    code: str, *, media: str = "application/pdf", size: int = 1000, **facts: object
) -> Attachment:
    return Attachment(1, code, "a" * 64, f"{code}.pdf", size, media, dict(facts))


GOOD = Dossier(
    id=1,
    procedure_key="P",
    state="DRAFT",
    version=1,
    supersedes_id=None,
    uuid=None,
    applicant=GOOD_PERSON,
    submitter=None,
    delivery=Delivery(),
    notes="",
    attachments=(_file("TP1"), _file("TP2")),
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
)


def check(dossier: Dossier) -> list[Problem]:
    return validate(dossier, PROCEDURE, max_file_size=60 * MB, today=TODAY)


def only(problems: list[Problem], severity: str = ERROR) -> dict[str, str]:
    return {p.field: p.code for p in problems if p.severity == severity}


def with_applicant(**changes: object) -> Dossier:
    return replace(GOOD, applicant=replace(GOOD_PERSON, **changes))  # type: ignore[arg-type]


def test_a_complete_dossier_has_only_the_case_hint() -> None:
    problems = check(GOOD)
    assert only(problems) == {}
    assert only(problems, WARNING) == {"components.TP4": "dossier.component_case"}


def test_an_empty_dossier_lists_every_problem_at_once() -> None:
    empty = replace(GOOD, applicant=Party(), attachments=())
    errors = only(check(empty))
    assert errors == {
        "applicant.name": "dossier.required",
        "applicant.id_number": "dossier.required",
        "applicant.phone": "dossier.required",
        "applicant.address.province": "dossier.required",
        "applicant.address.commune": "dossier.required",
        "components.TP1": "dossier.component_missing",
        "components.TP2": "dossier.component_missing",
    }
    messages = [p.message() for p in check(empty)]
    assert "Chưa nhập họ và tên. Hãy nhập họ và tên trước khi nộp." in messages
    assert any("«Đơn đề nghị» (TP1)" in m for m in messages)


@pytest.mark.parametrize(
    "value", ["05119000123", "0511900012345", "05119000123A", "０５１１９０００１２３４"]
)
def test_cccd_must_be_exactly_12_digits(value: str) -> None:
    problems = check(with_applicant(id_number=value))
    assert only(problems) == {"applicant.id_number": "dossier.id_number_format"}


def test_old_cccd_structure_is_only_a_hint() -> None:
    # 999: no such province code; 0 → male born 19xx; 85 → 1985
    problems = check(with_applicant(id_number="999085001234"))
    assert only(problems) == {}
    warnings = [p.code for p in problems if p.field == "applicant.id_number"]
    assert warnings == [
        "dossier.id_number_province_hint",
        "dossier.id_number_birth_hint",
        "dossier.id_number_gender_hint",
    ]
    assert all(p.severity == WARNING for p in problems)


@pytest.mark.parametrize("phone", ["0212345678", "091234567", "+1 415 555 0100", "abc"])
def test_bad_phones(phone: str) -> None:
    problems = check(with_applicant(phone=phone))
    assert only(problems) == {"applicant.phone": "dossier.phone_format"}
    assert phone in problems[0].message()


@pytest.mark.parametrize("phone", ["0912345678", "+84912345678", "0391234567", "0587654321"])
def test_good_phones(phone: str) -> None:
    assert only(check(with_applicant(phone=phone))) == {}


@pytest.mark.parametrize("email", ["lan", "lan@", "lan@example", "l an@example.vn", "a@b@c.vn"])
def test_bad_emails(email: str) -> None:
    assert only(check(with_applicant(email=email))) == {"applicant.email": "dossier.email_format"}


def test_dates() -> None:
    assert only(check(with_applicant(date_of_birth="31/02/1990"))) == {
        "applicant.date_of_birth": "dossier.date_format"
    }
    future = check(with_applicant(date_of_birth="2027-01-01"))
    assert only(future) == {"applicant.date_of_birth": "dossier.date_in_future"}
    (in_future,) = [p for p in future if p.code == "dossier.date_in_future"]
    assert "01/01/2027" in in_future.message()


def test_gender_must_be_known() -> None:
    assert only(check(with_applicant(gender="?"))) == {"applicant.gender": "dossier.gender_unknown"}


def test_unknown_province_is_an_error_and_a_former_one_a_warning() -> None:
    unknown = check(with_applicant(address=Address("Atlantis", "Xã A", "")))
    assert only(unknown) == {"applicant.address.province": "dossier.province_unknown"}
    former = check(with_applicant(address=Address("Kon Tum", "Phường Kon Tum", "")))
    # A former province typed without codes: the units must be chosen again.
    assert only(former) == {"applicant.address.commune": "address.needs_review"}
    merged = [p for p in former if p.code == "dossier.province_merged"]
    assert merged[0].field == "applicant.address.province"
    assert "«Quảng Ngãi»" in merged[0].message()


def test_the_commune_must_belong_to_the_province() -> None:
    elsewhere = Address("Hà Nội", "Phường Kon Tum", "", "01", "23293")
    problems = check(with_applicant(address=elsewhere))
    assert only(problems) == {"applicant.address.commune": "address.commune_not_in_province"}
    (problem,) = [p for p in problems if p.code == "address.commune_not_in_province"]
    assert problem.message() == (
        "Phường Kon Tum (mã 23293) không thuộc Hà Nội. Hãy chọn lại xã, phường của Hà Nội, "
        "hoặc đổi tỉnh, thành phố."
    )
    unknown = Address("Quảng Ngãi", "Phường X", "", "51", "99999")
    assert only(check(with_applicant(address=unknown))) == {
        "applicant.address.commune": "address.unknown_code"
    }


def test_an_address_flagged_by_the_migration_must_be_chosen_again() -> None:
    flagged = replace(GOOD_PERSON.address, commune_code="", needs_review=True)
    problems = check(with_applicant(address=flagged))
    assert only(problems) == {"applicant.address.commune": "address.needs_review"}
    (problem,) = [p for p in problems if p.code == "address.needs_review"]
    assert problem.message().startswith("Địa chỉ cần chọn lại: «12 Trần Hưng Đạo, Phường Kon")


def test_organisation_needs_name_and_representative_not_cccd() -> None:
    org = Party(
        kind="organisation", phone="0912345678", tax_code="12345", address=GOOD_PERSON.address
    )
    errors = only(check(replace(GOOD, applicant=org)))
    assert errors == {
        "applicant.name": "dossier.required",
        "applicant.representative": "dossier.required",
        "applicant.tax_code": "dossier.tax_code_format",
    }
    good_org = replace(
        org, name="Công ty TNHH Dược An", representative="Trần Văn B", tax_code="0101234567-001"
    )
    assert only(check(replace(GOOD, applicant=good_org))) == {}


def test_submitter_fields_are_required_when_different() -> None:
    problems = check(replace(GOOD, submitter=Party(name="Trần Văn Bình", phone="123")))
    assert only(problems) == {
        "submitter.id_number": "dossier.required",
        "submitter.phone": "dossier.phone_format",
        "submitter.address.province": "dossier.required",
        "submitter.address.commune": "dossier.required",
    }


def test_attachment_type_and_size_per_component() -> None:
    dossier = replace(
        GOOD,
        attachments=(
            _file("TP1", media="image/jpeg"),
            _file("TP2", size=2 * MB),
            _file("TP3", size=61 * MB),
        ),
    )
    problems = check(dossier)
    codes = sorted((p.field, p.code) for p in problems if p.severity == ERROR)
    assert codes == [
        ("components.TP1", "dossier.attachment_type"),
        ("components.TP2", "dossier.attachment_size"),
        ("components.TP3", "dossier.attachment_size"),
    ]
    sizes = [p.message() for p in problems if p.code == "dossier.attachment_size"]
    assert "2 MB" in sizes[0] and "1 MB" in sizes[0]
    assert "61 MB" in sizes[1] and "60 MB" in sizes[1]


def test_encrypted_and_signed_files_are_flagged() -> None:
    dossier = replace(
        GOOD, attachments=(_file("TP1", encrypted=True), _file("TP2", signed=True, signatures=2))
    )
    warnings = {p.code for p in check(dossier) if p.severity == WARNING}
    assert {"dossier.attachment_encrypted", "dossier.attachment_signed"} <= warnings
    assert only(check(dossier)) == {}


def test_file_on_a_component_the_procedure_no_longer_has() -> None:
    dossier = replace(GOOD, attachments=(*GOOD.attachments, _file("TP9")))
    assert only(check(dossier)) == {"components.TP9": "dossier.component_unknown"}


def test_delivery_addresses_when_chosen() -> None:
    delivery = Delivery(
        collect_at_home=True, return_by_post=True, return_address=Address("Kon Tum", "", "5 Lê Lợi")
    )
    problems = check(replace(GOOD, delivery=delivery))
    errors = [(p.field, p.code) for p in problems if p.severity == ERROR]
    assert errors == [
        ("delivery.collect_address", "dossier.delivery_address"),
        ("delivery.return_address", "dossier.delivery_address"),
    ]
    texts = [p.message() for p in problems if p.severity == ERROR]
    assert "Thu gom hồ sơ tại nhà" in texts[0] and "tỉnh, thành phố" in texts[0]
    assert "xã, phường" in texts[1] and "tỉnh" not in texts[1].split(":")[1]
    assert any(
        p.code == "dossier.province_merged" and p.field == "delivery.return_address.province"
        for p in problems
    )
    unchosen = Delivery(collect_at_home=False, collect_address=Address())
    assert only(check(replace(GOOD, delivery=unchosen))) == {}


def test_procedure_whose_components_are_unknown() -> None:
    unknown = replace(PROCEDURE, components=(), components_known=False)
    dossier = replace(GOOD, attachments=(_file("GIAY-TO", media="text/html"), _file("KHAC")))
    problems = validate(dossier, unknown, max_file_size=60 * MB, today=TODAY)
    assert [(p.field, p.code, p.severity) for p in problems] == [
        ("components", "dossier.components_unknown", WARNING),
        ("components.GIAY-TO", "dossier.attachment_type", ERROR),
    ]
    assert "đối chiếu với hướng dẫn" in problems[0].message()
