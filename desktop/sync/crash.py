"""Named crash points for the kill tests: `DVC_DESK_CRASH_AT=<name>[,<name>...]`.

Each point sits between a side effect (a request the portal answered, a file written)
and the commit that records it, where a power cut hurts most. When the environment
names a point, the process dies there with `os._exit` (no cleanup, no flush), exactly
like a SIGKILL. Unset, the check costs one dictionary lookup.
"""

from __future__ import annotations

import os

ENV = "DVC_DESK_CRASH_AT"
EXIT_CODE = 137

POINTS = (
    "put.intent",  # intent to PUT committed, request not sent
    "put.sent",  # the portal created the dossier; the answer is not committed
    "patch.sent",  # the portal stored a piece of a file; the new offset is not committed
    "supplement.intent",  # intent to send a supplement's last piece committed, not sent
    "submit.intent",  # intent to submit committed, request not sent
    "submit.sent",  # the portal issued the receipt; it is not committed
    "receipt.committed",  # the receipt is committed; events not yet published
)

SUPPLEMENT_POINTS = ("supplement.intent",)
"""Points only a supplement item passes (a dossier's kill campaign never reaches them)."""


_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die here if the environment names this point: `name` dies at the first pass,
    `name:k` lets k passes go by and dies at the next one."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    for spec in wanted.split(","):
        point, _, skip = spec.partition(":")
        if point == name:
            seen = _hits.get(name, 0)
            _hits[name] = seen + 1
            if seen >= int(skip or 0):
                os._exit(EXIT_CODE)
