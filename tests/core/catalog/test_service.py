"""CatalogService: the bundled catalog on first use, look-ups, agencies by date."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.catalog.model import UNKNOWN_CHANNEL, UNKNOWN_FEE_KIND
from desktop.catalog.service import CatalogService
from desktop.errors import UserError
from desktop.workspace import Workspace


def test_a_fresh_workspace_starts_with_the_bundled_catalog(workspace: Workspace) -> None:
    assert workspace.catalog.count() == 7
    assert workspace.catalog.ensure_bundled() is None  # not imported twice


def test_get_by_key_any_case_or_national_code(service: CatalogService) -> None:
    assert service.get("1.002600").key == "SYT-MYPHAM-CONG-BO-SX-TRONG-NUOC"
    assert service.get("syt-duoc-gpp-danh-gia").key == "SYT-DUOC-GPP-DANH-GIA"


def test_unknown_procedure_says_how_to_search(service: CatalogService) -> None:
    with pytest.raises(UserError) as caught:
        service.get("1.999999")
    assert caught.value.code == "catalog.unknown_procedure"
    assert "dvc-desk catalog search" in caught.value.message()
    assert "1.999999" in caught.value.message()


def test_procedure_keeps_unknowns_unknown(service: CatalogService) -> None:
    cosmetics = service.get("1.002600")
    assert cosmetics.components_known is False and cosmetics.components == ()
    assert cosmetics.results_known is False
    assert cosmetics.channels[0].note == "5 ngày làm việc nếu hồ sơ phải sửa đổi, bổ sung."
    cchn = service.get("SYT-DUOC-CCHN-XET-HO-SO")
    assert cchn.components_known is True
    assert cchn.component("TP5") is not None
    assert cchn.component("TP5").required is False  # type: ignore[union-attr]
    assert cchn.component("TP5").originals is None  # type: ignore[union-attr]
    (channel,) = cchn.channels
    assert channel.kind == UNKNOWN_CHANNEL and channel.day_type is None
    assert channel.fees[0].kind == "phi" and channel.fees[0].amount == 500_000
    byt = service.get("BYT-DUOC-CCHN-CAP-LAI-THI")
    assert byt.agency.name == "Bộ Y tế"
    assert [c.kind for c in byt.channels] == ["truc_tiep", "buu_chinh"]
    assert byt.channels[0].fees[0].kind == UNKNOWN_FEE_KIND
    ke_thuoc = service.get("SYT-DUOC-KE-THUOC-CONG-BO")
    assert all(not c.fees_known and c.fees == () for c in ke_thuoc.channels)
    assert [b.number for b in ke_thuoc.legal_basis] == ["07/2018/TT-BYT"]


def test_agencies_by_date_follow_the_merger(service: CatalogService) -> None:
    def codes(day: date | None) -> list[str]:
        return [a.code for a in service.agencies(on=day)]

    assert codes(None) == ["BYT", "SYT-KONTUM", "SYT-QUANGNGAI"]
    assert codes(date(2025, 6, 30)) == ["BYT", "SYT-KONTUM"]
    assert codes(date(2025, 7, 1)) == ["BYT", "SYT-QUANGNGAI"]
    assert [f.name for f in service.fields()] == ["Dược phẩm", "Khám bệnh, chữa bệnh", "Mỹ phẩm"]
