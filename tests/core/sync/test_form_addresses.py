"""The dossier payload of API v1 carries the unit codes next to the names."""

from __future__ import annotations

from pathlib import Path

from desktop.portal.contract import DossierCreate
from desktop.storage.outbox_models import OutboxItem
from desktop.sync.outbox import Outbox
from desktop.workspace import Workspace
from portal_sandbox.addresses import address_problem

from .factory import valid_dossier


def test_the_queued_payload_has_codes_the_portal_accepts(
    workspace: Workspace, tmp_path: Path
) -> None:
    outbox = Outbox(workspace.db, workspace.dossiers, workspace.store, workspace.events)
    dossier = valid_dossier(workspace, tmp_path, "a")
    workspace.dossiers.set_fields(
        dossier.id,
        {
            "delivery.return_by_post": "yes",
            "delivery.return_address.province": "Kon Tum",  # a former province name
            "delivery.return_address.commune": "dak pxi",
            "delivery.return_address.detail": "Thôn 5",
        },
    )
    entry = outbox.submit(dossier.id)
    with workspace.db.session() as session:
        item = session.get(OutboxItem, entry.id)
        assert item is not None
        body = item.body
    address = body["form"]["applicant"]["address"]
    assert (address["province"], address["province_code"]) == ("Quảng Ngãi", "51")
    assert (address["commune"], address["commune_code"]) == ("Phường Trương Quang Trọng", "21172")
    returned = body["form"]["delivery"]["return_address"]
    assert (returned["commune"], returned["commune_code"]) == ("Xã Đăk Pxi", "23504")
    parsed = DossierCreate.model_validate(body)
    assert parsed.form.applicant is not None and parsed.form.applicant.address is not None
    assert address_problem(parsed.form.applicant.address) is None
    assert parsed.form.delivery is not None and parsed.form.delivery.return_address is not None
    assert address_problem(parsed.form.delivery.return_address) is None
