"""Sign many PDFs with one key (one PIN entry), with progress, cancel and a per-file report.

One bad file does not stop the others; a cancel stops before the next file and leaves
the files already signed in place (each output is complete or absent, never partial).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop.errors import DvcError
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.signing.keys import SigningKey
from desktop.signing.signer import SignOptions, SignResult, sign_pdf

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchItem:
    source: Path
    output: Path
    pdf_password: str | None = None
    label: str = ""  # what progress shows (the file's name); the source's name if empty


@dataclass(frozen=True)
class BatchOutcome:
    source: str
    output: str
    status: str  # "signed", "failed", "cancelled"
    code: str = ""
    message: str = ""
    result: SignResult | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source": self.source,
            "output": self.output,
            "status": self.status,
            "code": self.code,
            "message": self.message,
        }
        if self.result is not None:
            data["result"] = self.result.as_dict()
        return data


def sign_many(
    items: Sequence[BatchItem],
    key: SigningKey,
    options: SignOptions | None = None,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> list[BatchOutcome]:
    """Sign every item with `key` on the calling thread (a token session stays on it)."""
    options = options or SignOptions()
    total = len(items)
    outcomes: list[BatchOutcome] = []
    for index, item in enumerate(items):
        progress(Progress(index, total, item.label or item.source.name))
        if cancel is not None and cancel.cancelled:
            outcomes += [
                BatchOutcome(str(i.source), str(i.output), "cancelled") for i in items[index:]
            ]
            break
        own = options
        if item.pdf_password is not None:
            own = replace(options, pdf_password=item.pdf_password)
        try:
            result = sign_pdf(item.source, item.output, key, own)
        except DvcError as exc:
            log.info("batch: %s refused: %s", item.source, exc.code)
            outcomes.append(
                BatchOutcome(str(item.source), str(item.output), "failed", exc.code, exc.message())
            )
            continue
        outcomes.append(BatchOutcome(str(item.source), str(item.output), "signed", result=result))
    progress(Progress(len([o for o in outcomes if o.status != "cancelled"]), total, ""))
    return outcomes
