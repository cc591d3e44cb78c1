"""A small catalog inserted through the ORM: one procedure with four components."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.dossier.service import DossierService
from desktop.storage import models
from desktop.workspace import Workspace

PROCEDURE = "TEST-CCHN"
CODE = "9.999001"
MB = 1024 * 1024


def insert_catalog(workspace: Workspace) -> None:
    with workspace.db.session() as session:
        session.add(models.Agency(code="TEST.SYT", name="Sở Y tế (thử nghiệm)"))
        session.add(models.Field(code="DUOC", name="Dược phẩm"))
        session.flush()
        session.add(
            models.Procedure(
                key=PROCEDURE,
                code=CODE,
                name="Cấp Chứng chỉ hành nghề dược (thử nghiệm)",
                agency_code="TEST.SYT",
                field_code="DUOC",
            )
        )
        session.flush()
        components = [
            ("TP1", "Đơn đề nghị", True, ["application/pdf"], None, None),
            ("TP2", "Bản sao văn bằng chuyên môn", True, [], 1 * MB, None),
            ("TP3", "Giấy khám sức khỏe", False, [], None, None),
            ("TP4", "Giấy ủy quyền", True, [], None, "Người nộp không phải chủ hồ sơ"),
        ]
        for position, (code, name, required, types, size, case) in enumerate(components):
            session.add(
                models.ProcedureComponent(
                    procedure_key=PROCEDURE,
                    code=code,
                    position=position,
                    name=name,
                    required=required,
                    accepted_types=types,
                    max_size=size,
                    case=case,
                )
            )


@pytest.fixture
def catalog_ready(workspace: Workspace) -> Workspace:
    insert_catalog(workspace)
    return workspace


@pytest.fixture
def service(catalog_ready: Workspace) -> DossierService:
    return catalog_ready.dossiers


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


GOOD_APPLICANT = {
    "applicant.name": "Nguyễn Thị Lan",
    "applicant.id_number": "051190001234",
    "applicant.date_of_birth": "05/03/1990",
    "applicant.gender": "nữ",
    "applicant.phone": "+84 912 345 678",
    "applicant.email": "lan@example.vn",
    "applicant.address.province": "Kon Tum",
    "applicant.address.commune": "Phường Kon Tum",
    "applicant.address.detail": "12 Trần Hưng Đạo",
}
