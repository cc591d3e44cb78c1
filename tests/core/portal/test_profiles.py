"""Portal profiles: the shipped list against the official 34 provinces, the sandbox as
default, choosing a profile (refused when it needs configuration), the data folder's own
portals.json, the one place where a kind picks its adapter, status codes mapped or shown
as they are."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.portal import profiles, unknown_status
from desktop.portal.client import PortalClient
from desktop.settings import PORTAL_PROFILE, PORTAL_URL, Settings

PROVINCES = Path(__file__).parents[3] / "../shared/data/dvhcvn-20250701/915_CTK-CSCL.csv"


@pytest.fixture(autouse=True)
def _fresh_process() -> None:
    unknown_status._forget_seen()


def test_shipped_profiles_are_the_sandbox_the_national_portal_and_the_34_provinces() -> None:
    with PROVINCES.open(encoding="utf-8") as handle:
        official = {row["Mã số"]: row["Tên 34 tỉnh sau sáp nhập"] for row in csv.DictReader(handle)}
    assert len(official) == 34
    shipped = profiles.load_profiles()
    provinces = {p.province_code: p for p in shipped.values() if p.province_code}
    assert set(provinces) == set(official)
    for code, name in official.items():
        assert provinces[code].name.endswith(name)
        assert provinces[code].kind == "lgsp"
        assert provinces[code].needs_configuration  # no API address is public
    assert shipped["sandbox"].kind == "v1" and not shipped["sandbox"].needs_configuration
    assert shipped["national"].web_url == "https://dichvucong.gov.vn"
    # Every profile maps the national state codes 1..10 at least.
    assert all(p.status_codes.get("5") == 5 for p in shipped.values())


def test_the_sandbox_is_the_default_and_its_own_openid_provider(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    active = profiles.active_profile(settings, tmp_path)
    assert active.id == "sandbox" == settings.get(PORTAL_PROFILE)
    assert active.issuer("http://127.0.0.1:8765/") == "http://127.0.0.1:8765"
    assert profiles.load_profiles()["national"].issuer("https://x") == ""


def test_a_profile_needing_configuration_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(UserError) as caught:
        profiles.choose_profile(settings, tmp_path, "province-01")
    assert caught.value.code == "portal.profile_needs_configuration"
    assert str(tmp_path / "portals.json") in caught.value.message()
    assert settings.get(PORTAL_PROFILE) == "sandbox"
    assert settings.get(PORTAL_URL) == PORTAL_URL.default
    with pytest.raises(UserError) as unknown:
        profiles.choose_profile(settings, tmp_path, "province-99")
    assert unknown.value.code == "portal.unknown_profile"


def _local(tmp_path: Path, *entries: dict[str, object]) -> None:
    (tmp_path / "portals.json").write_text(
        json.dumps({"profiles": list(entries)}, ensure_ascii=False), encoding="utf-8"
    )


def test_the_data_folder_file_completes_a_province(tmp_path: Path) -> None:
    _local(
        tmp_path,
        {"id": "province-51", "name": "Quảng Ngãi (cấu hình của sở)", "kind": "v1",
         "api_url": "http://127.0.0.1:9/api/", "oidc_issuer": "http://127.0.0.1:9/realms/qn",
         "agency_codes": {"000.00.01.H55": "QNG-01"}, "status_codes": {"DA_TIEP_NHAN": 2}},
    )  # fmt: skip
    settings = Settings(tmp_path / "settings.json")
    chosen = profiles.choose_profile(settings, tmp_path, "province-51")
    assert settings.get(PORTAL_URL) == "http://127.0.0.1:9/api"
    assert Settings(tmp_path / "settings.json").get(PORTAL_PROFILE) == "province-51"
    assert chosen.issuer("ignored") == "http://127.0.0.1:9/realms/qn"
    assert chosen.agency_code("000.00.01.H55") == "QNG-01"
    assert chosen.agency_code("other") == "other"
    assert chosen.state("DA_TIEP_NHAN").state == 2
    assert chosen.state("4").state == 4  # the national codes still map
    # The one place where a kind picks the adapter: v1 is the API v1 client.
    adapter = profiles.adapter_for(chosen, "http://127.0.0.1:9/api")
    with adapter:
        assert isinstance(adapter, PortalClient) and adapter.kind == "api-v1"
    # Back to the sandbox: its address is the local one again.
    profiles.choose_profile(settings, tmp_path, "sandbox")
    assert settings.get(PORTAL_URL) == PORTAL_URL.default


def test_an_lgsp_profile_is_not_given_the_v1_client(tmp_path: Path) -> None:
    _local(
        tmp_path,
        {"id": "national", "name": "Quốc gia", "kind": "lgsp", "api_url": "http://127.0.0.1:9"},
    )
    chosen = profiles.profile("national", tmp_path)
    with pytest.raises(UserError) as caught:
        profiles.adapter_for(chosen, chosen.api_url)
    assert caught.value.code == "portal.adapter_kind_unavailable"


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("{not json", "JSON"),
        ('{"profiles": [{"name": "x"}]}', "without id"),
        ('{"profiles": [{"id": "a", "kind": "v1", "status_codes": {"X": 11}}]}', "1..10"),
    ],
)
def test_a_broken_data_folder_file_gets_a_clear_message(
    tmp_path: Path, content: str, detail: str
) -> None:
    (tmp_path / "portals.json").write_text(content, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        profiles.load_profiles(tmp_path)
    assert caught.value.code == "portal.profiles_invalid"
    assert detail in caught.value.message()


def test_unknown_status_codes_are_shown_as_they_are_logged_once_and_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    watch = unknown_status.StatusWatch(profiles.load_profiles()["sandbox"], tmp_path)
    assert watch.see(5).state == 5
    with caplog.at_level(logging.WARNING, logger="desktop.portal.unknown_status"):
        view = watch.see("CHO_KY_DUYET", "Chờ ký duyệt")
        again = watch.see("CHO_KY_DUYET", "Chờ ký duyệt")
    assert view.state is None and view.code == "CHO_KY_DUYET"
    assert view.label == "CHO_KY_DUYET · Chờ ký duyệt" == again.label
    assert len([r for r in caplog.records if "CHO_KY_DUYET" in r.getMessage()]) == 1
    recorded = unknown_status.unknown_statuses(tmp_path)
    assert [(e["profile"], e["code"], e["portal_name"]) for e in recorded] == [
        ("sandbox", "CHO_KY_DUYET", "Chờ ký duyệt")
    ]
    # A later process sees it again: logged again, not recorded twice.
    unknown_status._forget_seen()
    watch.see("CHO_KY_DUYET")
    assert len(unknown_status.unknown_statuses(tmp_path)) == 1


def test_cli_lists_and_chooses_profiles(run_cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    listed = run_cli("account", "portals", "--json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert len(rows) == 37 and [r["id"] for r in rows if r["active"]] == ["sandbox"]
    refused = run_cli("account", "use-portal", "province-79")
    assert refused.code == 1 and "chưa có địa chỉ API" in refused.err
    assert "Traceback" not in refused.err
    _local(
        data_dir,
        {"id": "province-79", "name": "TP HCM", "kind": "v1", "api_url": "http://127.0.0.1:9"},
    )
    chosen = run_cli("account", "use-portal", "province-79", "--json")
    assert chosen.code == 0, chosen.err
    assert json.loads(chosen.out)["portal_url"] == "http://127.0.0.1:9"
