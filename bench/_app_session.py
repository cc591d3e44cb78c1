"""One desktop-app session for bench/bench_ui_lag.py: the window and its machinery as
ui/app.py builds them, the sandbox portal in-process on 127.0.0.1, a logged-in account,
and the two user actions the benchmark times (sign a dossier, submit one)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import keyring
from keyring.backend import KeyringBackend
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from bench.bench_sign import make_scan_pdf, scan_jpeg
from desktop.paths import Paths
from desktop.portal.credentials import CredentialStore
from desktop.settings import MAX_FILE_SIZE, PORTAL_URL
from desktop.workspace import Workspace
from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox
from tests.core.sync.factory import valid_dossier

MIB = 1 << 20
DEADLINE_S = 600  # a phase that takes longer than this is a failure, not a figure


PASSWORD = "mat-khau-123"


def register(url: str, username: str = "xa-an-phu") -> str:
    """An account on the sandbox portal, confirmed through its mail box."""
    with httpx.Client(timeout=10) as client:
        client.post(
            f"{url}/v1/accounts",
            json={"username": username, "email": f"{username}@example.vn",
                  "password": PASSWORD, "full_name": "UBND xã An Phú", "phone": "0912345678"},
        ).raise_for_status()  # fmt: skip
        mails = client.get(f"{url}/sandbox/mail.json", headers=ThreadedSandbox.key_for(url))
        mails = mails.json()
        client.get(next(m["link"] for m in mails if m["username"] == username)).raise_for_status()
    return username


class MemoryKeyring(KeyringBackend):
    """The OS keyring stand-in (no desktop keyring offscreen): the login is stored in it
    exactly as the app's settings screen stores it."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def wait_until(
    app: Any, done: Callable[[], bool], what: str, errors: list[str] | None = None
) -> None:
    """Run the event loop (as the app does) until `done()`; fail after DEADLINE_S."""
    deadline = time.perf_counter() + DEADLINE_S
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(50)
    errors = errors if errors is not None else []
    check.timeout.connect(lambda: loop.quit() if done() or errors else None)
    check.start()
    while not done():
        if errors:
            raise SystemExit("; ".join(errors))
        if time.perf_counter() > deadline:
            raise SystemExit(f"{what} did not finish in {DEADLINE_S} s")
        loop.exec()
    check.stop()


class Bench:
    """The app's objects over one data dir, and the two jobs the phases start."""

    def __init__(self, work: Path, sign_mb: int, upload_mib: int, *, freeze: bool) -> None:
        from signing_helpers import P12_PASSWORD, build_pki

        from ui.bridge import EventBridge
        from ui.sync_runner import SyncRunner
        from ui.tasks import TaskManager
        from ui.wiring import build_window

        self.app = QApplication.instance() or QApplication([])
        self.work = work
        pki = build_pki(work / "pki")
        self.p12, self.p12_password = str(pki.signer.p12), P12_PASSWORD
        jpeg = scan_jpeg()
        self.big_pdf = make_scan_pdf(work / "scan-200mb.pdf", sign_mb, jpeg)
        self.upload_pdf = make_scan_pdf(work / "upload.pdf", upload_mib, jpeg)

        self.sandbox = ThreadedSandbox(
            SandboxConfig(work / "portal", max_file_size=max(2 * sign_mb, 4 * upload_mib) * MIB)
        ).start()
        user = register(self.sandbox.url)
        keyring.set_keyring(MemoryKeyring())
        CredentialStore().save(self.sandbox.url, user, PASSWORD)

        self.ws = Workspace(Paths(work / "data"))
        self.ws.settings.set(PORTAL_URL, self.sandbox.url)
        # The portal's file size limit (a setting, 60 MB by default) as this sandbox's.
        self.ws.settings.set(MAX_FILE_SIZE, max(2 * sign_mb, 4 * upload_mib) * MIB)
        self.ws.catalog.ensure_bundled()
        self.tasks = TaskManager()
        self.bridge = EventBridge(self.ws.events)
        self.sync = SyncRunner(self.ws, self.tasks)
        settings = QSettings(str(work / "ui.ini"), QSettings.Format.IniFormat)
        self.window = build_window(self.ws, self.tasks, self.bridge, self.sync, settings)
        self.window.resize(1280, 800)
        self.first_paint = 0.0
        self.window.sig_first_painted.connect(lambda: setattr(self, "first_paint", time.time()))
        if freeze:  # as ui/app.py does
            from ui.app import freeze_startup_heap

            self.window.sig_first_painted.connect(freeze_startup_heap)
        self.window.show()
        self.window.start()
        started: list[str] = []
        self.sync.sig_started.connect(started.append)
        self.sync.sig_failed.connect(lambda exc: started.append(f"failed: {exc}"))
        self.sync.start()
        wait_until(self.app, lambda: bool(started), "the sync engine start")
        if started[0].startswith("failed"):
            raise SystemExit(started[0])
        self.outbox_states: dict[int, str] = {}
        self.bridge.sig_outbox_changed.connect(self._on_outbox_changed)
        self.sent: dict[int, int] = {}
        self.bridge.sig_sync_progress.connect(self._on_sync_progress)
        self._count = 0
        self.errors: list[str] = []
        self.import_ms: float | None = None

    def _on_outbox_changed(self, dossier_id: int, state: str) -> None:
        self.outbox_states[dossier_id] = state

    def _on_sync_progress(self, dossier_id: int, sent: object, _total: object) -> None:
        self.sent[dossier_id] = max(self.sent.get(dossier_id, 0), int(str(sent)))

    def dossier_with(self, pdf: Path, *, ready: bool) -> int:
        """A valid dossier (set up before a phase, not measured) holding `pdf`."""
        self._count += 1
        dossier = valid_dossier(self.ws, self.work / "sources", f"d{self._count}")
        self.ws.dossiers.attach(dossier.id, "TP5", [pdf])
        if ready:
            self.ws.dossiers.mark_ready(dossier.id)
        return dossier.id

    def start_signing(self, dossier_id: int, done: dict[str, float]) -> None:
        """What the signing dialog's "Ký số" button does (ui/views/signing/signing_dialog.py
        `_on_sign_button_clicked`), with its progress dialog."""
        from ui.views.signing.keys import P12, KeySource, sign_with_key
        from ui.views.signing.service import WorkspaceSigner
        from ui.widgets.task_progress import run_with_progress

        began = time.perf_counter()
        # The dialog imports these on the GUI thread when the button is clicked: the
        # stamp options build a StampSpec, then the SignOptions.
        from desktop.signing.signer import SignOptions
        from desktop.signing.stamp import StampSpec  # noqa: F401

        if self.import_ms is None:
            self.import_ms = (time.perf_counter() - began) * 1000
        signer, source = WorkspaceSigner(self.ws), KeySource(P12, self.p12)
        options, secret = SignOptions(), self.p12_password
        started = time.perf_counter()

        def work(progress: Any, cancel: Any) -> Any:
            return sign_with_key(
                source, secret, lambda key: signer.sign(dossier_id, key, options, progress, cancel)
            )

        def failed(exc: BaseException) -> None:
            self.errors.append(f"signing failed: {exc}")

        def signed(_report: Any) -> None:
            done.setdefault("sign", time.perf_counter() - started)

        run_with_progress(
            self.tasks, work, parent=self.window, label="Đang ký số các tệp PDF…",
            on_success=signed, on_failure=failed,
        )  # fmt: skip

    def start_upload(self, dossier_id: int, done: dict[str, float]) -> None:
        """What the editor's "Nộp hồ sơ" does; the engine (woken by the outbox) uploads."""
        from ui.tasks import Lane

        started = time.perf_counter()

        def failed(exc: BaseException) -> None:
            self.errors.append(f"submission failed: {exc}")

        def check() -> None:
            if self.outbox_states.get(dossier_id) == "DONE":
                done.setdefault("upload", time.perf_counter() - started)
                poll.stop()

        poll = QTimer(self.window)
        poll.setInterval(20)
        poll.timeout.connect(check)
        poll.start()
        outbox = self.ws.outbox
        self.tasks.run(lambda: outbox.submit(dossier_id), on_failure=failed, lane=Lane.WRITE)

    def close(self) -> None:
        self.sync.stop()
        self.bridge.close()
        self.tasks.shutdown()
        self.window.close()
        self.ws.close()
        self.sandbox.stop()
