"""Reading a whole bundle into staging: every byte checked, nothing stored yet.

Attachments are streamed into the store's temp folder (hashed on the way); the small JSON
entries are kept in memory. Only when the last byte was checked does the caller install
the staged files and write its one unit of work; on any problem the staged files go.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from desktop.attachments.store import BlobInfo, BlobStore, Staged
from desktop.bundles.errors import E_DAMAGED, E_SIGNER_NOT_VALID, E_TRUST_MISMATCH, E_UNTRUSTED
from desktop.bundles.names import is_attachment, sha_of
from desktop.bundles.reading import Opened, entries, load_json
from desktop.errors import IntegrityError, UserError
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.signing.certs import vietnam_time
from desktop.sync.crash import crash_point

CRASH_POINTS = ("bundle.staging", "bundle.staged", "bundle.installed", "bundle.committed")
"""Named kill points of an import (desktop.sync.crash), for the SIGKILL tests."""


@dataclass
class Staging:
    """What a bundle holds, read and checked: JSON entries by name, staged attachments."""

    documents: dict[str, Any] = field(default_factory=dict)
    files: list[Staged] = field(default_factory=list)

    def discard(self, store: BlobStore) -> None:
        store.discard_staged(self.files)
        self.files.clear()


def read_all(
    opened: Opened,
    store: BlobStore,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Staging:
    """Every entry of `opened`, checked; IntegrityError (nothing left behind) otherwise."""
    report = progress or no_progress
    total = sum(e.size for e in opened.manifest.entries)
    staging, done = Staging(), 0
    try:
        for item in entries(opened):
            name = item.entry.name
            if is_attachment(name):
                base = done

                def forward(p: Progress, base: int = base, label: str = name) -> None:
                    report(Progress(base + p.done, total, label))

                staged = store.stage(
                    item.stream, sha_of(name), total=item.entry.size,
                    progress=forward, cancel=cancel,
                )  # fmt: skip
                # Kept before it is checked: a damaged entry may hash like another one,
                # and every staged file must go if anything is wrong.
                staging.files.append(staged)
                crash_point("bundle.staging")  # one file staged, the rest not read yet
                if staged.sha256 != item.entry.sha256 or staged.size != item.entry.size:
                    raise IntegrityError(
                        E_DAMAGED, path=str(opened.path), detail=f"tệp {name} khác với manifest"
                    )
            else:
                staging.documents[name] = load_json(item, opened.path)
            done += item.entry.size
    except BaseException:
        staging.discard(store)
        raise
    return staging


@contextmanager
def installed(staging: Staging, store: BlobStore) -> Iterator[list[BlobInfo]]:
    """Move the staged files into the store, for the caller's one unit of work (inside the
    `with`); if that fails, or anything before it, every file it brought in goes again."""
    infos: list[BlobInfo] = []
    try:
        while staging.files:
            infos.append(store.install(staging.files[0]))
            staging.files.pop(0)
        crash_point("bundle.installed")
        yield infos
        crash_point("bundle.committed")
    except BaseException:
        staging.discard(store)
        store.discard_unrecorded([i.sha256 for i in infos])
        raise


def short_fingerprint(fingerprint: str) -> str:
    return fingerprint[:16]


def check_signer(opened: Opened, *, trusted: bool, trust_signer: str | None) -> bool:
    """Whether this import records a new trust; UserError when the clerk must decide.

    The certificate must have been valid when the bundle was signed; a signer not yet
    trusted here needs `trust_signer` (the fingerprint shown, at least 16 hex digits).
    """
    manifest = opened.manifest
    info = manifest.signer
    signed_at = manifest.created_at
    if not info.not_before <= signed_at <= info.not_after:
        raise UserError(
            E_SIGNER_NOT_VALID,
            signer=info.common_name or info.subject,
            signed_at=vietnam_time(signed_at),
            not_before=vietnam_time(info.not_before),
            not_after=vietnam_time(info.not_after),
        )
    if trusted:
        return False
    given = (trust_signer or "").lower().replace(":", "").strip()
    if not given:
        raise UserError(
            E_UNTRUSTED,
            path=str(opened.path),
            signer=info.common_name or info.subject,
            organisation=info.organisation or "không ghi đơn vị",
            signed_at=vietnam_time(signed_at),
            count=len(manifest.dossiers),
            fingerprint=info.sha256,
            short=short_fingerprint(info.sha256),
        )
    if len(given) < 16 or not info.sha256.startswith(given):
        raise UserError(E_TRUST_MISMATCH, given=trust_signer, fingerprint=info.sha256)
    return True
