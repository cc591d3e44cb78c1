"""Portal status codes the active profile does not map: shown as they are, logged once,
remembered for `dvc-desk doctor`.

A code no profile entry maps is never dropped: the dossier keeps the portal's code and
name and shows them. The first sighting of each (profile, code) in a process writes a
warning to the log and adds it to `portal-unknown-status.json` in the data folder, which
`doctor` lists so someone can add the mapping to the profile.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.atomic import atomic_output
from desktop.errors import DvcError
from desktop.portal.profiles import PortalProfile, StateView, active_profile

if TYPE_CHECKING:
    from desktop.paths import Paths

log = logging.getLogger(__name__)

UNKNOWN_FILE = "portal-unknown-status.json"
_seen: set[tuple[str, str]] = set()
_lock = threading.Lock()


def unknown_statuses(root: Path) -> list[dict[str, Any]]:
    """What was recorded: [{profile, code, portal_name, first_seen}], oldest first."""
    try:
        data = json.loads((root / UNKNOWN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entries = data.get("unknown", []) if isinstance(data, dict) else []
    return [e for e in entries if isinstance(e, dict) and "code" in e and "profile" in e]


class StatusWatch:
    """The active profile's status mapping, noting the codes it does not know."""

    def __init__(self, profile: PortalProfile, root: Path) -> None:
        self.profile, self.root = profile, root

    def see(self, code: object, portal_name: str = "") -> StateView:
        view = self.profile.state(code, portal_name)
        if view.state is None:
            self._note(view.code, portal_name)
        return view

    def _note(self, code: str, portal_name: str) -> None:
        key = (self.profile.id, code)
        with _lock:
            if key in _seen:
                return
            _seen.add(key)
            log.warning(
                "portal profile %s: unknown status code %r (%s), shown as it is",
                self.profile.id,
                code,
                portal_name,
            )
            entries = unknown_statuses(self.root)
            if any((e["profile"], e["code"]) == key for e in entries):
                return
            entries.append(
                {
                    "profile": self.profile.id,
                    "code": code,
                    "portal_name": portal_name,
                    "first_seen": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            )
            try:
                with atomic_output(self.root / UNKNOWN_FILE) as out:
                    text = json.dumps({"unknown": entries}, ensure_ascii=False, indent=1)
                    out.write(text.encode("utf-8"))
            except OSError as exc:  # the log line above still says it
                log.warning("could not record unknown status codes: %r", exc)


def status_watch(paths: Paths) -> StatusWatch | None:
    """The watch for the active profile; None (and a log line) when the profiles cannot
    be read: the poller then records statuses as before."""
    from desktop.settings import Settings

    try:
        profile = active_profile(Settings(paths.settings_file), paths.root)
    except DvcError as exc:
        log.warning("portal profiles unavailable: %s", exc.code)
        return None
    return StatusWatch(profile, paths.root)


def _forget_seen() -> None:
    """Tests: start as a fresh process would."""
    with _lock:
        _seen.clear()
