"""Portal profiles: the shipped list against the official 34 provinces, the sandbox as
default, choosing a profile (refused when it needs configuration), the data folder's own
portals.json, the one place where a kind picks its adapter, status codes mapped or shown
as they are."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from desktop.errors import UserError
from desktop.portal import oidc_account, profiles, unknown_status
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
        assert isinstance(adapter, PortalClient) and adapter.kind == "v1"
    # Back to the sandbox: its address is the local one again.
    profiles.choose_profile(settings, tmp_path, "sandbox")
    assert settings.get(PORTAL_URL) == PORTAL_URL.default


def test_an_lgsp_profile_is_given_the_lgsp_adapter_and_an_unknown_kind_none(
    tmp_path: Path,
) -> None:
    _local(
        tmp_path,
        {"id": "national", "name": "Quốc gia", "kind": "lgsp", "api_url": "http://127.0.0.1:9"},
        {"id": "x", "name": "X", "kind": "igate", "api_url": "http://127.0.0.1:9"},
    )
    chosen = profiles.profile("national", tmp_path)
    adapter = profiles.adapter_for(chosen, chosen.api_url)
    with contextlib.closing(adapter):
        assert adapter.kind == "lgsp" and not isinstance(adapter, PortalClient)
    other = profiles.profile("x", tmp_path)
    with pytest.raises(UserError) as caught:
        profiles.adapter_for(other, other.api_url)
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


def test_the_sandbox_lgsp_profile_is_the_same_sandbox_through_its_other_face(
    tmp_path: Path,
) -> None:
    settings = Settings(tmp_path / "settings.json")
    shipped = profiles.load_profiles()["sandbox-lgsp"]
    assert shipped.kind == "lgsp" and shipped.sandbox and not shipped.needs_configuration
    assert shipped.unit_code == "000.00.00.H00"
    # A sandbox on another address (set by hand): its /lgsp/ face, and back.
    settings.set(PORTAL_URL, "http://127.0.0.1:9001")
    profiles.choose_profile(settings, tmp_path, "sandbox-lgsp")
    assert settings.get(PORTAL_URL) == "http://127.0.0.1:9001/lgsp"
    assert profiles.sandbox_root("http://127.0.0.1:9001/lgsp/") == "http://127.0.0.1:9001"
    assert profiles.sandbox_root("http://127.0.0.1:9001") == "http://127.0.0.1:9001"
    assert shipped.issuer("http://127.0.0.1:9001/lgsp") == "http://127.0.0.1:9001"
    adapter = profiles.adapter_for(shipped, str(settings.get(PORTAL_URL)))
    with contextlib.closing(adapter):
        assert adapter.kind == "lgsp" and adapter.base_url == "http://127.0.0.1:9001/lgsp"
        assert getattr(adapter, "unit_code", None) == shipped.unit_code
    # No OpenID log-in there (its adapter could not use the tokens): said before a browser.
    opened: list[str] = []
    with pytest.raises(UserError) as no_oidc:
        oidc_account.log_in(settings, tmp_path, "http://127.0.0.1:9001/lgsp", opened.append)
    assert no_oidc.value.code == "portal.oidc_unavailable" and opened == []
    assert "account login --username" in no_oidc.value.message()
    profiles.choose_profile(settings, tmp_path, "sandbox")
    assert settings.get(PORTAL_URL) == "http://127.0.0.1:9001"
    # From a real portal, the sandbox's own address with the face's path.
    _local(tmp_path, {"id": "p", "name": "P", "kind": "v1", "api_url": "http://127.0.0.1:9"})
    profiles.choose_profile(settings, tmp_path, "p")
    profiles.choose_profile(settings, tmp_path, "sandbox-lgsp")
    assert settings.get(PORTAL_URL) == f"{str(PORTAL_URL.default).rstrip('/')}/lgsp"


def test_account_login_goes_through_the_active_profiles_adapter(
    run_cli, data_dir: Path, memory_keyring: object, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from desktop.portal.credentials import CredentialStore
    from portal_sandbox.config import SandboxConfig
    from portal_sandbox.server import ThreadedSandbox
    from tests.core.sync.portal import PASSWORD, register

    with ThreadedSandbox(SandboxConfig(tmp_path / "portal", catalog_procedures=5)) as sandbox:
        user = register(sandbox.url)
        run_cli("account", "portals")  # makes the data folder
        settings = Settings(data_dir / "settings.json")
        settings.set(PORTAL_URL, sandbox.url)
        assert run_cli("account", "use-portal", "sandbox-lgsp").code == 0
        face = f"{sandbox.url}/lgsp"
        monkeypatch.setattr("sys.stdin", io.StringIO("sai-mat-khau\n"))
        refused = run_cli("account", "login", "--username", user, "--password-stdin")
        assert refused.code != 0 and "Traceback" not in refused.err
        assert CredentialStore().account(face) is None
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        done = run_cli("account", "login", "--username", user, "--password-stdin", "--json")
        assert done.code == 0, done.err
        assert json.loads(done.out) == {"portal": face, "username": user, "expires_in": None}
        store = CredentialStore()
        assert store.password(face, user) == PASSWORD and store.tokens(face, user) is None
        # Its session opens on the platform: the lgsp log-in was made, not API v1's.
        conn = sqlite3.connect(sandbox.config.database)
        try:
            kinds = [r[0] for r in conn.execute("SELECT kind FROM tokens")]
        finally:
            conn.close()
        assert kinds == ["lgsp"]
