"""Writing a bundle front to back: the format marker, the data entries (hashed on the
way), then the signed manifest listing them, its signature and the end blocks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from cryptography import x509

from desktop.attachments.store import BlobStore
from desktop.bundles import manifest as mf
from desktop.bundles.container import CHUNK, END, PartsWriter, header, padding
from desktop.bundles.errors import E_WRITE_FAILED
from desktop.bundles.names import BUNDLE_JSON, MANIFEST, SIGNATURE, attachment_entry
from desktop.errors import IntegrityError, UserError
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.sync.outbox import E_FILE_DAMAGED

if TYPE_CHECKING:
    from desktop.signing.keys import SigningKey


class StoredFileChanged(Exception):  # noqa: N818  (a fact about the store, not a bug)
    """A stored file's bytes are not those its name (SHA-256) promises."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class BundleWriter:
    """One bundle being written to `target` (split in parts of at most `part_size`)."""

    def __init__(
        self,
        target: Path,
        *,
        kind: str,
        created_at: datetime,
        part_size: int,
        total: int = 0,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self._out = PartsWriter(target, part_size)
        self._kind = kind
        self._created_at = created_at
        self._mtime = int(created_at.timestamp())
        self._entries: list[mf.Entry] = []
        self._done = 0
        self._total = total
        self._report = progress or no_progress
        self._cancel = cancel
        self.add_bytes(BUNDLE_JSON, mf.canonical({"format": mf.FORMAT, "version": mf.VERSION}))

    def _entry(self, name: str, size: int) -> None:
        self._out.write(header(name, size, self._mtime))

    def _pad(self, size: int) -> None:
        self._out.write(b"\0" * padding(size))

    def add_bytes(self, name: str, data: bytes) -> None:
        self._entry(name, len(data))
        self._out.write(data)
        self._pad(len(data))
        self._entries.append(mf.Entry(name, len(data), hashlib.sha256(data).hexdigest()))

    def add_file(self, name: str, source: BinaryIO, size: int, sha256: str) -> None:
        """Copy `size` bytes of `source`; StoredFileChanged if they do not hash to `sha256`."""
        self._entry(name, size)
        digest, left = hashlib.sha256(), size
        while left:
            chunk = source.read(min(CHUNK, left))
            if not chunk:
                raise StoredFileChanged(name)
            digest.update(chunk)
            self._out.write(chunk)
            left -= len(chunk)
            self._done += len(chunk)
            self._report(Progress(self._done, self._total, name))
            if self._cancel is not None:
                self._cancel.check()
        if source.read(1) or digest.hexdigest() != sha256:
            raise StoredFileChanged(name)
        self._pad(size)
        self._entries.append(mf.Entry(name, size, sha256))

    def finish(
        self,
        *,
        workspace: str,
        sequence: int,
        dossiers: list[str],
        key: SigningKey,
        target_workspace: str | None = None,
    ) -> tuple[list[Path], str]:
        """Sign and write the manifest, close the archive, make the parts durable.

        Returns the part files and the manifest's SHA-256.
        """
        certificate: x509.Certificate = key.certificate
        raw = mf.build(
            kind=self._kind,
            workspace=workspace,
            sequence=sequence,
            created_at=self._created_at,
            entries=self._entries,
            dossiers=dossiers,
            certificate=certificate,
            target_workspace=target_workspace,
        )
        signature = mf.sign(raw, key)
        for name, data in ((MANIFEST, raw), (SIGNATURE, signature)):
            self._entry(name, len(data))
            self._out.write(data)
            self._pad(len(data))
        self._out.write(END)
        return self._out.commit(), hashlib.sha256(raw).hexdigest()

    def abort(self) -> None:
        self._out.abort()


@dataclass(frozen=True)
class BundleSpec:
    """What goes into one bundle: small JSON documents, then stored files by SHA-256."""

    kind: str
    created_at: datetime
    workspace: str
    sequence: int
    dossiers: list[str]
    documents: list[tuple[str, bytes]]
    files: dict[str, int]  # sha256 → size, read from the store
    part_size: int
    target_workspace: str | None = None


def write_failed(target: Path, exc: OSError) -> UserError:
    return UserError(E_WRITE_FAILED, path=str(target), detail=exc.strerror or str(exc))


def write_bundle(
    target: Path,
    spec: BundleSpec,
    *,
    store: BlobStore,
    key: SigningKey,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[Path], str]:
    """Write and sign the bundle of `spec`; its parts and manifest SHA-256. Nothing that
    looks like a bundle is left behind on failure: a damaged stored file is an integrity
    error, a write that fails (stick full, pulled out) a refusal saying so."""
    writer = BundleWriter(
        target, kind=spec.kind, created_at=spec.created_at, part_size=spec.part_size,
        total=sum(spec.files.values()), progress=progress, cancel=cancel,
    )  # fmt: skip
    try:
        for name, data in spec.documents:
            writer.add_bytes(name, data)
        for sha in sorted(spec.files):
            with store.open(sha) as source:
                writer.add_file(attachment_entry(sha), source, spec.files[sha], sha)
        return writer.finish(
            workspace=spec.workspace, sequence=spec.sequence, dossiers=spec.dossiers, key=key,
            target_workspace=spec.target_workspace,
        )  # fmt: skip
    except StoredFileChanged as exc:
        writer.abort()
        raise IntegrityError(E_FILE_DAMAGED, id="(gói)", name=exc.name) from exc
    except OSError as exc:
        writer.abort()
        raise write_failed(target, exc) from exc
    except BaseException:
        writer.abort()
        raise
