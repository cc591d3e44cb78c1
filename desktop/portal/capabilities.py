"""What a portal adapter can do: the engine and the window ask, never guess from the kind.

API v1 does everything; a service-style (LGSP) portal sends files whole, has no payment
or supplement service and no change feed (docs/portal-api.md, one chapter per adapter).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    #: Files go up in pieces and resume from the portal's offset (else whole, once each).
    resumable_upload: bool
    #: Answers to a supplement request can be sent through the portal.
    supplements: bool
    #: Fees can be paid through the portal (payment link, payment status, receipt).
    payments: bool
    #: The portal's procedure catalog can be fetched.
    catalog_sync: bool
    #: One request tells every changed dossier (else one look-up per open dossier).
    change_feed: bool
    #: Accounts can be registered from the app.
    registration: bool


FULL = Capabilities(
    resumable_upload=True,
    supplements=True,
    payments=True,
    catalog_sync=True,
    change_feed=True,
    registration=True,
)
