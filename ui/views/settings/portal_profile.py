"""Cài đặt › Hồ sơ cổng: which portal (the sandbox by default, the national portal, a
province's one-stop system) and the log-in through its OpenID provider in the browser.

Choosing a profile that needs configuration is refused by the core with a message
saying what is missing; the combo box then goes back to the active profile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from desktop.portal.oidc_account import OidcLogin
from desktop.portal.profiles import PortalProfile, SettingsStore
from ui.tasks import Lane, TaskManager


def _open_in_browser(url: str) -> None:
    """The system browser (called from the log-in's worker thread: no Qt here)."""
    import webbrowser

    webbrowser.open(url)


class PortalProfileBox(QGroupBox):
    """The profile picker and the «Đăng nhập qua trình duyệt» button."""

    sig_profile_chosen = Signal(str)
    """A profile became the active one: its id (the portal address may have changed)."""

    sig_logged_in = Signal(str)
    """Logged in through the browser: the username."""

    sig_error = Signal(object)

    def __init__(
        self,
        settings: SettingsStore,
        tasks: TaskManager,
        portal: Callable[[], str],
        *,
        data_root: Path | None = None,
        open_browser: Callable[[str], object] = _open_in_browser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Hồ sơ cổng"), parent)
        self._settings, self._tasks, self._portal = settings, tasks, portal
        self._data_root, self._open_browser = data_root, open_browser
        self._active = ""
        self._profiles: dict[str, PortalProfile] = {}
        self.profile_combo = QComboBox()
        self.profile_note = QLabel()
        self.profile_note.setWordWrap(True)
        self.oidc_button = QPushButton(self.tr("Đăng nhập qua trình duyệt (OpenID)"))
        self.oidc_label = QLabel()
        self.oidc_label.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Cổng"), self.profile_combo)
        form.addRow("", self.profile_note)
        form.addRow("", self.oidc_button)
        form.addRow("", self.oidc_label)
        self.profile_combo.activated.connect(self._on_profile_combo_activated)
        self.oidc_button.clicked.connect(self._on_oidc_button_clicked)
        self._tasks.run(self._read, on_success=self._fill, on_failure=self.sig_error.emit)

    def _read(self) -> tuple[list[PortalProfile], str]:
        from desktop.portal.profiles import active_profile, load_profiles

        profiles = load_profiles(self._data_root)
        return list(profiles.values()), active_profile(self._settings, self._data_root).id

    def _fill(self, loaded: tuple[list[PortalProfile], str]) -> None:
        profiles, active = loaded
        self.profile_combo.blockSignals(True)
        self.profile_combo.clear()
        self._profiles = {p.id: p for p in profiles}
        for profile in profiles:
            text = profile.name
            if profile.needs_configuration:
                text += self.tr(" (cần cấu hình)")
            self.profile_combo.addItem(text, profile.id)
        self.profile_combo.blockSignals(False)
        self._select(active)

    def _select(self, profile_id: str) -> None:
        self._active = profile_id
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(profile_id)))
        profile = self._profiles.get(profile_id)
        if profile is not None:
            # The lgsp adapter logs in with a password only («Đăng nhập» below).
            self.oidc_button.setVisible(profile.oidc_login)
            kind = self.tr("API v1") if profile.kind == "v1" else self.tr("dịch vụ LGSP")
            self.profile_note.setText(
                self.tr("Kiểu kết nối: {kind}. Trang: {web}").format(
                    kind=kind, web=profile.web_url or "—"
                )
            )

    def profile_id(self) -> str:
        return str(self.profile_combo.currentData() or "")

    # --- slots -------------------------------------------------------------------------

    @Slot(int)
    def _on_profile_combo_activated(self, _index: int) -> None:
        chosen = self.profile_id()
        if not chosen or chosen == self._active:
            return
        previous = self._active
        settings, root = self._settings, self._data_root

        def choose() -> str:
            from desktop.portal.profiles import choose_profile

            return choose_profile(settings, root, chosen).id

        def refused(exc: BaseException) -> None:
            self._select(previous)
            self.sig_error.emit(exc)

        def chosen_ok(profile_id: str) -> None:
            self._select(profile_id)
            self.sig_profile_chosen.emit(profile_id)

        self._tasks.run(choose, on_success=chosen_ok, on_failure=refused, lane=Lane.WRITE)

    @Slot()
    def _on_oidc_button_clicked(self) -> None:
        from desktop.portal.oidc_account import log_in

        settings, root, portal = self._settings, self._data_root, self._portal()
        opener = self._open_browser
        self.oidc_label.setText(
            self.tr("Hãy đăng nhập trong trình duyệt vừa mở, rồi quay lại đây.")
        )
        self._tasks.run_long(
            lambda _progress, cancel: log_in(settings, root, portal, opener, cancel=cancel),
            on_success=self._logged_in,
            on_failure=self._failed,
        )

    def _logged_in(self, done: OidcLogin) -> None:
        self.oidc_label.setText(
            self.tr("Đã đăng nhập qua {issuer}: {user}").format(
                issuer=done.issuer, user=done.username
            )
        )
        self.sig_logged_in.emit(done.username)

    def _failed(self, exc: BaseException) -> None:
        self.oidc_label.setText("")
        self.sig_error.emit(exc)
