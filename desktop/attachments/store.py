"""The content-addressed attachment store (ARCHITECTURE §4).

A file is stream-copied in 1 MiB chunks to a temp file in `paths.tmp` while SHA-256 is
computed, fsynced, renamed to `blobs/ab/<sha256>`, the directory is fsynced, and only
then is the `blobs` row written. So a row never points to a missing file; the reverse
(a file without a row, after a crash between rename and commit) is an orphan that
`collect_orphans()` removes at start and `check()` reports.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.atomic import fsync_dir
from desktop.attachments.facts import file_facts
from desktop.attachments.messages import (
    E_BLOB_MISSING,
    E_EMPTY,
    E_IS_DIRECTORY,
    E_NOT_FOUND,
    E_TOO_LARGE,
    E_UNREADABLE,
    E_WRITE_FAILED,
    E_WRONG_TYPE,
)
from desktop.errors import IntegrityError, UserError
from desktop.filecheck import sniff
from desktop.filecheck.pdf import inspect_stream
from desktop.paths import Paths
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress
from desktop.storage import failures, models
from desktop.storage.db import Database

log = logging.getLogger(__name__)

CHUNK = 1024 * 1024
TEMP_PREFIX = "blob-"
TEMP_SUFFIX = ".part"
# Files younger than this may belong to an import still running in another process.
ORPHAN_GRACE_SECONDS = 3600.0
_SHA_NAME = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BlobInfo:
    """What the store knows about one stored file."""

    sha256: str
    size: int
    media_type: str
    facts: dict[str, Any] = field(default_factory=dict)


class Readable(Protocol):
    """Anything read in chunks: an open file, an entry of a transfer bundle."""

    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class Staged:
    """A file copied into the store's temp folder and hashed, not yet in the store."""

    temp: Path
    sha256: str
    size: int
    name: str


@dataclass(frozen=True)
class StoreReport:
    """The result of `BlobStore.check()`: every problem found, by kind."""

    checked: int
    missing: tuple[str, ...] = ()
    corrupt: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    temp_files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.corrupt or self.orphans or self.temp_files)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


class BlobStore:
    """Content-addressed files under `paths.blobs`, one `blobs` row per file."""

    def __init__(self, paths: Paths, db: Database) -> None:
        self._paths = paths
        self._db = db
        if failures.folder_read_only(paths.root):
            return  # a read-only data dir is only read: nothing to create or collect
        paths.blobs.mkdir(parents=True, exist_ok=True)
        paths.tmp.mkdir(parents=True, exist_ok=True)
        removed = self.collect_orphans()
        if removed:
            log.warning("removed %d orphan file(s) from the store", len(removed))

    # --- reading ---------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        """Where the blob `sha256` lives (it may not exist)."""
        return self._paths.blobs / sha256[:2] / sha256

    def open(self, sha256: str) -> BinaryIO:
        """The stored file opened for binary reading; IntegrityError when it is gone."""
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError as exc:
            raise IntegrityError(E_BLOB_MISSING, sha256=sha256) from exc

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A private folder in the store's temp area for a file about to be imported;
        removed with everything in it afterwards, whatever happens."""
        with tempfile.TemporaryDirectory(dir=self._paths.tmp, prefix="scratch-") as folder:
            yield Path(folder)

    def info(self, sha256: str) -> BlobInfo | None:
        with self._db.session() as session:
            row = session.get(models.Blob, sha256)
            if row is None:
                return None
            return BlobInfo(row.sha256, row.size, row.media_type, dict(row.facts))

    # --- writing ---------------------------------------------------------------------

    def put(
        self,
        path: str | os.PathLike[str],
        *,
        max_size: int | None = None,
        accepted: Collection[str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> BlobInfo:
        """Store the file at `path` and commit its row; returns its info.

        Refuses (UserError) a missing path, a folder, an empty file, a file over
        `max_size` bytes, a type outside `accepted` (default PDF, JPEG, PNG, TIFF) and a
        damaged PDF or image. Identical content is stored once. On any failure nothing
        is left behind: no file, no row, no temp file.
        """
        info = self.import_file(
            path, max_size=max_size, accepted=accepted, progress=progress, cancel=cancel
        )
        try:
            with self._db.session() as session:
                self.record(session, info)
        except BaseException:
            self.discard_unrecorded([info.sha256])
            raise
        return info

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        max_size: int | None = None,
        accepted: Collection[str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> BlobInfo:
        """The durable-file half of `put`: the blob file is in place, its row is not.

        The caller adds the row with `record()` in its own unit of work, and calls
        `discard_unrecorded()` if that unit of work fails.
        """
        source = Path(path)
        self._check_source(source, max_size)
        report = progress or no_progress
        try:
            handle = source.open("rb")
        except OSError as exc:
            raise UserError(E_UNREADABLE, path=str(source), detail=exc.strerror or exc) from exc
        with handle:
            head = handle.read(sniff.HEAD_SIZE)
            kind = sniff.sniff(head)
            allowed = tuple(accepted) if accepted else sniff.ACCEPTED_DEFAULT
            if kind.media_type == "application/x-empty":
                raise UserError(E_EMPTY, name=source.name)
            if kind.media_type not in allowed:
                raise UserError(
                    E_WRONG_TYPE,
                    name=source.name,
                    kind=kind.label,
                    kind_en=kind.label_en,
                    accepted=", ".join(sniff.label(t) for t in allowed),
                    accepted_en=", ".join(sniff.label(t, "en") for t in allowed),
                )
            return self._copy_in(
                source,
                handle,
                head,
                kind.media_type,
                max_size=max_size,
                report=report,
                cancel=cancel,
            )

    def pdf_verdict(self, sha256: str) -> dict[str, Any]:
        """The PDF verdict of a stored PDF, computed now and kept in its facts.

        For files stored before the verdict existed: validation then judges them like
        new ones. Never refuses: damage is part of the verdict.
        """
        with self.open(sha256) as handle:
            verdict = inspect_stream(handle).as_facts()
        with self._db.session() as session:
            row = session.get(models.Blob, sha256)
            if row is not None:
                row.facts = {**row.facts, "pdf": verdict}
        return verdict

    def record(self, session: Session, info: BlobInfo) -> None:
        """Add the row of an imported file to `session` (no-op when it exists)."""
        if session.get(models.Blob, info.sha256) is None:
            session.add(
                models.Blob(
                    sha256=info.sha256,
                    size=info.size,
                    media_type=info.media_type,
                    facts=info.facts,
                    created_at=datetime.now(UTC),
                )
            )
            session.flush()

    def discard_unrecorded(self, shas: Collection[str]) -> None:
        """Delete the files among `shas` that have no row (after a failed unit of work)."""
        if not shas:
            return
        with self._db.session() as session:
            known = set(
                session.scalars(select(models.Blob.sha256).where(models.Blob.sha256.in_(shas)))
            )
        for sha in set(shas) - known:
            self.path(sha).unlink(missing_ok=True)

    def _check_source(self, source: Path, max_size: int | None) -> None:
        try:
            stat = source.stat()
        except FileNotFoundError as exc:
            raise UserError(E_NOT_FOUND, path=str(source)) from exc
        except OSError as exc:
            raise UserError(E_UNREADABLE, path=str(source), detail=exc.strerror or exc) from exc
        if source.is_dir():
            raise UserError(E_IS_DIRECTORY, path=str(source))
        if stat.st_size == 0:
            raise UserError(E_EMPTY, name=source.name)
        if max_size is not None and stat.st_size > max_size:
            self._too_large(source, stat.st_size, max_size)

    @staticmethod
    def _too_large(source: Path, size: int, limit: int) -> None:
        raise UserError(
            E_TOO_LARGE, name=source.name, path=str(source), size_mb=_mb(size), limit_mb=_mb(limit)
        )

    def _copy_in(
        self,
        source: Path,
        handle: BinaryIO,
        head: bytes,
        media_type: str,
        *,
        max_size: int | None,
        report: ProgressCallback,
        cancel: CancelToken | None,
    ) -> BlobInfo:
        total = source.stat().st_size

        def too_large(done: int) -> None:
            assert max_size is not None
            self._too_large(source, done, max_size)

        staged = self._write_temp(
            handle, head, source.name, total=total, max_size=max_size, too_large=too_large,
            report=report, cancel=cancel,
        )  # fmt: skip
        try:
            with staged.temp.open("rb") as out:
                facts = file_facts(out, media_type, source.name)
            self._install(staged.temp, staged.sha256, staged.size)
        except OSError as exc:
            staged.temp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise failures.disk_full(self._paths.root, needed=total) from exc
            mapped = failures.as_dvc_error(exc, self._paths.database)
            if mapped is not None:
                raise mapped from exc
            raise UserError(
                E_WRITE_FAILED, name=source.name, root=str(self._paths.root), detail=exc.strerror
            ) from exc
        except BaseException:
            staged.temp.unlink(missing_ok=True)
            raise
        return BlobInfo(staged.sha256, staged.size, media_type, facts)

    def _write_temp(
        self,
        handle: Readable,
        head: bytes,
        name: str,
        *,
        total: int,
        max_size: int | None,
        too_large: Callable[[int], None],
        report: ProgressCallback,
        cancel: CancelToken | None,
    ) -> Staged:
        """Copy `head` then the rest of `handle` to a fsynced temp file while hashing."""
        fd, temp_name = tempfile.mkstemp(
            dir=self._paths.tmp, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX
        )
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                digest = hashlib.sha256()
                chunk, done = head or handle.read(CHUNK), 0
                while chunk:
                    digest.update(chunk)
                    out.write(chunk)
                    done += len(chunk)
                    if max_size is not None and done > max_size:
                        too_large(done)
                    report(Progress(done, total, name))
                    if cancel is not None:
                        cancel.check()
                    chunk = handle.read(CHUNK)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            temp.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise failures.disk_full(self._paths.root, needed=total) from exc
            raise UserError(
                E_WRITE_FAILED, name=name, root=str(self._paths.root), detail=exc.strerror or exc
            ) from exc
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return Staged(temp, digest.hexdigest(), done, name)

    # --- staging (files that arrive in a stream, e.g. a transfer bundle) ------------------

    def stage(
        self,
        source: Readable,
        name: str,
        *,
        total: int,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Staged:
        """Copy a stream into the temp folder while hashing; fsynced, not yet stored.

        The caller checks the SHA-256 and then `install()`s or `discard_staged()`s it. A
        staged file left by a killed process is collected with the other temp files.
        """

        def never(_done: int) -> None:  # no size limit on a stream checked by its hash
            return

        return self._write_temp(
            source, b"", name, total=total, max_size=None, too_large=never,
            report=progress or no_progress, cancel=cancel,
        )  # fmt: skip

    def install(self, staged: Staged) -> BlobInfo:
        """Move a staged file into the store (its type sniffed, its facts read); its row is
        the caller's to `record()` in its unit of work (`discard_unrecorded()` on failure)."""
        try:
            with staged.temp.open("rb") as handle:
                kind = sniff.sniff(handle.read(sniff.HEAD_SIZE))
                handle.seek(0)
                facts = file_facts(handle, kind.media_type, staged.name)
            self._install(staged.temp, staged.sha256, staged.size)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise failures.disk_full(self._paths.root, needed=staged.size) from exc
            raise UserError(
                E_WRITE_FAILED, name=staged.name, root=str(self._paths.root), detail=exc.strerror
            ) from exc
        return BlobInfo(staged.sha256, staged.size, kind.media_type, facts)

    @staticmethod
    def discard_staged(staged: Collection[Staged]) -> None:
        for item in staged:
            item.temp.unlink(missing_ok=True)

    def _install(self, temp: Path, sha: str, size: int) -> None:
        final = self.path(sha)
        if final.exists() and final.stat().st_size == size:
            # Same content already stored: keep the existing file (it may be open), and
            # mark it as just written so housekeeping running right now keeps it too.
            temp.unlink()
            os.utime(final)
            return
        if not final.parent.exists():
            final.parent.mkdir(parents=True, exist_ok=True)
            fsync_dir(self._paths.blobs)
        temp.replace(final)
        fsync_dir(final.parent)

    # --- maintenance -----------------------------------------------------------------

    def _stored_files(self) -> Iterator[Path]:
        if not self._paths.blobs.is_dir():
            return
        for sub in self._paths.blobs.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for item in sub.iterdir():
                    if _SHA_NAME.match(item.name):
                        yield item

    def _temp_files(self) -> list[Path]:
        return sorted(self._paths.tmp.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"))

    def _known(self) -> set[str]:
        with self._db.session() as session:
            return set(session.scalars(select(models.Blob.sha256)))

    def collect_orphans(self, grace_seconds: float = ORPHAN_GRACE_SECONDS) -> list[Path]:
        """Delete temp files and blob files without a row, older than `grace_seconds`.

        The grace period spares an import running right now in another process (its
        temp file, or its blob renamed but whose row is not committed yet).
        """
        cutoff = time.time() - grace_seconds
        known = self._known()
        removed: list[Path] = []
        candidates = self._temp_files() + [p for p in self._stored_files() if p.name not in known]
        for item in candidates:
            with contextlib.suppress(FileNotFoundError):
                if item.stat().st_mtime <= cutoff:
                    item.unlink()
                    removed.append(item)
        return removed

    def check(
        self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None
    ) -> StoreReport:
        """Re-hash every stored file: missing, corrupt, orphan and leftover temp files."""
        report = progress or no_progress
        with self._db.session() as session:
            rows = [(r.sha256, r.size) for r in session.scalars(select(models.Blob))]
        missing: list[str] = []
        corrupt: list[str] = []
        for index, (sha, size) in enumerate(rows):
            if cancel is not None:
                cancel.check()
            report(Progress(index, len(rows), sha))
            target = self.path(sha)
            if not target.is_file():
                missing.append(sha)
            elif target.stat().st_size != size or _hash_file(target) != sha:
                corrupt.append(sha)
        report(Progress(len(rows), len(rows), ""))
        known = {sha for sha, _ in rows}
        orphans = sorted(p.name for p in self._stored_files() if p.name not in known)
        temps = [p.name for p in self._temp_files()]
        return StoreReport(len(rows), tuple(missing), tuple(corrupt), tuple(orphans), tuple(temps))


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_verified(source_blobs: Path, target_blobs: Path, sha256: str) -> bool:
    """Copy the blob `sha256` between two stores if its content still matches its name
    (used to salvage a damaged data dir); False when it is missing or corrupt."""
    source = source_blobs / sha256[:2] / sha256
    try:
        if not source.is_file() or _hash_file(source) != sha256:
            return False
    except OSError:  # unreadable sectors: lost like a corrupt file
        return False
    target = target_blobs / sha256[:2] / sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)  # a full target disk is said by the caller
    return True
