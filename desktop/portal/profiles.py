"""Portal profiles: which portal the app talks to, through which adapter, how its codes map.

`resources/portals/portals.json` lists the sandbox, the national portal and the one-stop
system of each of the 34 provinces (after the July 2025 merger); a `portals.json` in the
data folder, in the same format, adds profiles or replaces shipped ones by `id` (the
addresses a province gives its offices are not public, so most shipped profiles carry
none and are marked as needing configuration). The `portal_profile` setting names the
active one; the sandbox is the default. A sandbox profile's `api_url` is a path on the
sandbox's own address: "" for API v1, "/lgsp" for its service-style face (`sandbox-lgsp`);
`unit_code` is the lgsp `madonvi` the platform gave the office.

`adapter_for` is the one place where a profile's `kind` chooses the adapter.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desktop.catalog.resources import resources_dir
from desktop.errors import UserError, define

if TYPE_CHECKING:
    import httpx

    from desktop.paths import Paths
    from desktop.portal.adapter import PortalAdapter
    from desktop.portal.memory import PortalMemory

log = logging.getLogger(__name__)

PROFILES_FILE = "portals.json"
SANDBOX = "sandbox"
KINDS = ("v1", "lgsp")

E_PROFILES_FILE = define(
    "portal.profiles_invalid",
    vi=(
        "Tệp hồ sơ cổng {path} không đọc được ({detail}). Hãy sửa tệp theo mẫu "
        "resources/portals/portals.json hoặc xoá nó để dùng danh sách có sẵn."
    ),
    en=(
        "The portal profiles file {path} cannot be read ({detail}). Fix it after "
        "resources/portals/portals.json, or remove it to use the shipped list."
    ),
)
E_UNKNOWN_PROFILE = define(
    "portal.unknown_profile",
    vi="Không có hồ sơ cổng «{profile}». Xem danh sách: dvc-desk account portals",
    en="There is no portal profile '{profile}'. List them: dvc-desk account portals",
)
E_NEEDS_CONFIGURATION = define(
    "portal.profile_needs_configuration",
    vi=(
        "Hồ sơ cổng «{name}» chưa có {missing}: địa chỉ này không được công bố công khai. "
        "Hãy xin địa chỉ từ đơn vị quản lý cổng, rồi thêm hồ sơ có id «{profile}» vào tệp "
        "{path} (cùng định dạng với resources/portals/portals.json)."
    ),
    en=(
        "The portal profile '{name}' has no {missing}: that address is not public. Ask the "
        "portal's operator for it, then add a profile with id '{profile}' to {path} (same "
        "format as resources/portals/portals.json)."
    ),
)
E_ADAPTER_KIND = define(
    "portal.adapter_kind_unavailable",
    vi=(
        "Hồ sơ cổng «{name}» dùng kiểu kết nối «{kind}», phiên bản này chưa hỗ trợ. "
        "Các kiểu có: {known}."
    ),
    en=(
        "The portal profile '{name}' uses the adapter kind '{kind}', which this version does "
        "not support. Known kinds: {known}."
    ),
)

E_NO_OIDC = define(
    "portal.oidc_unavailable",
    vi=(
        "Hồ sơ cổng «{name}» (kiểu kết nối «{kind}») đăng nhập bằng tên và mật khẩu của nền "
        "tảng, không qua OpenID. Hãy đăng nhập bằng tên và mật khẩu: nút «Đăng nhập» trong "
        "Cài đặt, hoặc dvc-desk account login --username TÊN"
    ),
    en=(
        "The portal profile '{name}' (adapter kind '{kind}') logs in with the platform's user "
        "name and password, not through OpenID. Log in with them: «Đăng nhập» in Cài đặt, or "
        "dvc-desk account login --username NAME"
    ),
)


class SettingsStore(Protocol):
    """`desktop.settings.Settings`, or the window's view of it."""

    def get(self, setting: Any) -> Any: ...

    def set(self, setting: Any, value: Any) -> None: ...


@dataclass(frozen=True)
class StateView:
    """A portal status code as dvc-desk shows it: its portal state 1..10 when the profile
    maps it, else `state` None and the code (with the portal's own name) shown as it is."""

    code: str
    state: int | None
    label: str


@dataclass(frozen=True)
class PortalProfile:
    id: str
    name: str
    kind: str
    api_url: str = ""
    web_url: str = ""
    oidc_issuer: str = ""
    province_code: str = ""
    sandbox: bool = False
    name_en: str = ""
    unit_code: str = ""
    agency_codes: Mapping[str, str] = field(default_factory=dict)
    status_codes: Mapping[str, int] = field(default_factory=dict)

    @property
    def needs_configuration(self) -> bool:
        """No API address known (the sandbox's is the `portal_url` setting)."""
        return not self.sandbox and not self.api_url

    @property
    def oidc_login(self) -> bool:
        """Its adapter can use an OpenID log-in (API v1's bearer tokens); the lgsp adapter
        opens its sessions with a password only."""
        return self.kind in ("v1", "api-v1")

    def address(self, sandbox_root: str) -> str:
        """The portal address of this profile; a sandbox profile's is `sandbox_root`
        followed by its face's path (its `api_url`)."""
        if self.sandbox:
            return sandbox_root.rstrip("/") + self.api_url.rstrip("/")
        return self.api_url.rstrip("/")

    def issuer(self, portal_url: str) -> str:
        """The OpenID provider: the profile's; the sandbox is its own provider."""
        if self.oidc_issuer:
            return self.oidc_issuer.rstrip("/")
        return sandbox_root(portal_url) if self.sandbox else ""

    def agency_code(self, local: str) -> str:
        """The portal's code for the agency dvc-desk knows as `local` (same if unmapped)."""
        return self.agency_codes.get(local, local)

    def state(self, code: object, portal_name: str = "") -> StateView:
        text = str(code).strip()
        mapped = self.status_codes.get(text)
        if mapped is not None:
            from desktop.dossier.states import PORTAL_STATES

            return StateView(text, mapped, PORTAL_STATES.get(mapped, text))
        return StateView(text, None, f"{text} · {portal_name}" if portal_name else text)


def _profile(raw: Any, defaults: Mapping[str, int], source: Path) -> PortalProfile:
    def bad(detail: str) -> UserError:
        return UserError(E_PROFILES_FILE, path=str(source), detail=detail)

    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise bad("a profile without id")
    pid = raw["id"]
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        raise bad(f"{pid}: no kind")
    codes = raw.get("status_codes", {})
    agencies = raw.get("agency_codes", {})
    if not isinstance(codes, dict) or not all(
        isinstance(v, int) and 1 <= v <= 10 for v in codes.values()
    ):
        raise bad(f"{pid}: status_codes must map codes to portal states 1..10")
    if not isinstance(agencies, dict) or not all(isinstance(v, str) for v in agencies.values()):
        raise bad(f"{pid}: agency_codes must map codes to codes")
    fields = ("name", "name_en", "api_url", "web_url", "oidc_issuer", "province_code")
    text = {k: str(raw.get(k) or "") for k in (*fields, "unit_code")}
    return PortalProfile(
        id=pid,
        kind=kind,
        sandbox=bool(raw.get("sandbox", False)),
        agency_codes={str(k): v for k, v in agencies.items()},
        status_codes={**defaults, **{str(k).strip(): v for k, v in codes.items()}},
        **{**text, "name": text["name"] or pid},
    )


def _read(path: Path, defaults: Mapping[str, int] | None = None) -> list[PortalProfile]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(E_PROFILES_FILE, path=str(path), detail=type(exc).__name__) from exc
    except json.JSONDecodeError as exc:
        raise UserError(E_PROFILES_FILE, path=str(path), detail=f"JSON, line {exc.lineno}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("profiles"), list):
        raise UserError(E_PROFILES_FILE, path=str(path), detail="no profiles list")
    own = doc.get("default_status_codes")
    if defaults is None or own is not None:
        defaults = {str(k): int(v) for k, v in (own or {}).items()}
    return [_profile(raw, defaults, path) for raw in doc["profiles"]]


def shipped_path() -> Path:
    return resources_dir() / "portals" / PROFILES_FILE


def load_profiles(data_root: Path | None = None) -> dict[str, PortalProfile]:
    """Every profile by id: the shipped ones, then the data folder's by id."""
    shipped = _read(shipped_path())
    profiles = {p.id: p for p in shipped}
    local = data_root / PROFILES_FILE if data_root is not None else None
    if local is not None and local.exists():
        defaults = dict(profiles[SANDBOX].status_codes) if SANDBOX in profiles else {}
        for profile in _read(local, defaults):
            profiles[profile.id] = profile
    return profiles


def profile(profile_id: str, data_root: Path | None = None) -> PortalProfile:
    profiles = load_profiles(data_root)
    try:
        return profiles[profile_id]
    except KeyError:
        raise UserError(E_UNKNOWN_PROFILE, profile=profile_id) from None


def active_profile(settings: SettingsStore, data_root: Path | None) -> PortalProfile:
    """The profile the `portal_profile` setting names (the sandbox by default)."""
    from desktop.settings import PORTAL_PROFILE

    return profile(settings.get(PORTAL_PROFILE), data_root)


def choose_profile(
    settings: SettingsStore, data_root: Path | None, profile_id: str
) -> PortalProfile:
    """Make `profile_id` the active profile; its API address becomes `portal_url` (the
    sandbox's is the default address the app starts it on). Refused, nothing changed, when the
    profile needs configuration or its adapter kind is unknown."""
    from desktop.settings import PORTAL_PROFILE, PORTAL_URL

    chosen = profile(profile_id, data_root)
    if chosen.kind not in KINDS:
        raise UserError(E_ADAPTER_KIND, name=chosen.name, kind=chosen.kind, known=", ".join(KINDS))
    if chosen.needs_configuration:
        where = (data_root / PROFILES_FILE) if data_root is not None else PROFILES_FILE
        raise UserError(
            E_NEEDS_CONFIGURATION,
            name=chosen.name,
            profile=chosen.id,
            missing="địa chỉ API (api_url)",
            path=str(where),
        )
    if chosen.sandbox:
        # Coming from another portal: the sandbox's own address again; from one face of the
        # sandbox to the other, the same sandbox (an address set by hand stays).
        current = load_profiles(data_root).get(str(settings.get(PORTAL_PROFILE)))
        root = str(PORTAL_URL.default).rstrip("/")
        if current is not None and current.sandbox:
            root = sandbox_root(str(settings.get(PORTAL_URL)))
        settings.set(PORTAL_URL, chosen.address(root))
    else:
        settings.set(PORTAL_URL, chosen.address(""))
    settings.set(PORTAL_PROFILE, chosen.id)
    return chosen


def sandbox_root(portal: str) -> str:
    """The sandbox's own address of `portal`: without the path of a shipped sandbox face
    (`/lgsp`); `portal` itself when it names no face."""
    portal = portal.rstrip("/")
    for face in _read(shipped_path()):
        path = face.api_url.rstrip("/")
        if face.sandbox and path and portal.endswith(path):
            return portal[: -len(path)]
    return portal


def adapter_for(
    profile: PortalProfile,
    portal: str,
    *,
    http: httpx.Client | None = None,
    memory: PortalMemory | None = None,
) -> PortalAdapter:
    """The logged-in adapter of `profile` for the portal at `portal` (the keyring's login).

    THE one place where a profile's kind chooses its adapter: "v1" is the API v1 client
    (an OpenID log-in included), "lgsp" the service-style adapter (desktop/portal/lgsp.py),
    both made by `desktop.portal.adapter.make_adapter`.
    """
    if profile.kind not in KINDS:
        raise UserError(
            E_ADAPTER_KIND, name=profile.name, kind=profile.kind, known=", ".join(KINDS)
        )
    from desktop.portal.credentials import keyring_client

    return keyring_client(
        portal, http=http, kind=profile.kind, memory=memory, unit_code=profile.unit_code or None
    )


def open_portal(paths: Paths, portal: str, *, memory: PortalMemory | None = None) -> PortalAdapter:
    """The adapter the sync engine uses: the active profile's, for `portal`."""
    from desktop.settings import Settings

    settings = Settings(paths.settings_file)
    return adapter_for(active_profile(settings, paths.root), portal, memory=memory)
