"""A submitted dossier's life on the portal, for the screens: its status view, the
officer's supplement requests, the stored files, and the follow-up of its payments.

The workspace builds one (`Workspace.dossier_portal`); payments need the running sync
engine's portal session, asked for only when a payment is made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.sync.payment_followup import PaymentFollowUp

if TYPE_CHECKING:
    from desktop.attachments.store import BlobStore
    from desktop.portal.capabilities import Capabilities
    from desktop.storage.db import Database
    from desktop.sync.payments import Payments
    from desktop.sync.supplements import SupplementRequest


class DossierPortal:
    """What the Trên cổng tab and Thanh toán ask about dossiers on the portal (worker
    threads)."""

    def __init__(
        self,
        db: Database,
        store: BlobStore,
        payments: Callable[[], Payments],
        capabilities: Callable[[], Capabilities] | None = None,
    ) -> None:
        self._db = db
        self._store = store
        self._capabilities = capabilities
        self.payments = PaymentFollowUp(payments)
        """Payments of its fees, followed until paid or cancelled."""

    def portal_view(self, dossier_id: int) -> dict[str, object]:
        """History, fees and results as the portal last reported them, and whether this
        portal's adapter takes payments (`payments`: the window hides "Thanh toán" if not)."""
        from desktop.sync.status import portal_view

        view = portal_view(self._db, dossier_id)
        view["payments"] = self.takes_payments()
        return view

    def takes_payments(self) -> bool:
        """This portal's adapter takes payments (Lệ phí hides "Thanh toán" if not)."""
        from desktop.portal.capabilities import FULL

        capabilities = self._capabilities() if self._capabilities is not None else FULL
        return capabilities.payments

    def supplement_of(self, dossier_id: int) -> SupplementRequest | None:
        """The supplement request a draft answers (None for any other dossier)."""
        from desktop.sync.supplements import supplement_of

        return supplement_of(self._db, dossier_id)

    def supplement_requests(self, dossier_id: int) -> list[SupplementRequest]:
        """The officer's supplement requests about a submitted dossier."""
        from desktop.sync.supplements import supplement_requests

        return supplement_requests(self._db, dossier_id)

    def blob_path(self, sha256: str) -> Path:
        """Where a stored file (a result, a receipt) is."""
        return self._store.path(sha256)
