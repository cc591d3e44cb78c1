"""A watched folder a scanner writes into: new files become PDFs handed to a sink.

Polling (portable, works on network shares): a file is taken once its size and
modification time have not changed for `settle` seconds. Images become PDFs (the same
image always gives the same bytes), PDFs pass as they are, files over the size limit are
compressed (never under 200 dpi). The sink attaches them; this package never knows what
a dossier is. Taken files move to FOLDER/done, refused ones to FOLDER/failed with a
note saying why, so a file is never attached twice; the sink is also asked whether it
already holds the same bytes (a crash between attaching and moving).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from desktop.atomic import temp_prefix
from desktop.errors import DvcError, define, render
from desktop.intake import compress
from desktop.intake.convert import images_to_pdf
from desktop.intake.files import NAME_MAX, Kind, display_name, document_name, sniff
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

W_LOW_DPI = define(
    "intake.watch_low_dpi", vi="trang {page}: {dpi} dpi", en="page {page}: {dpi} dpi"
)
W_COMPRESSED = define("intake.watch_compressed", vi="đã nén còn {size}", en="compressed to {size}")

DONE = "done"
FAILED = "failed"
WORK = ".dvc-intake"
_IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", "~")


class AttachSink(Protocol):
    """Where finished PDFs go (the dossier component the user chose)."""

    @property
    def max_size(self) -> int | None:
        """The size limit of a file, or None."""
        ...

    def holds(self, sha256: str) -> bool:
        """Whether a file with these bytes is already attached."""
        ...

    def attach(self, pdf: Path) -> None:
        """Attach `pdf` (its name is the name to show); raises DvcError when refused."""
        ...


@dataclass(frozen=True)
class WatchOutcome:
    source: str
    status: str  # "attached", "already-attached", "failed" or "still-writing"
    attached_as: str | None = None
    message: str = ""
    warnings: tuple[str, ...] = ()


@dataclass
class _Seen:
    signature: tuple[int, int]
    since: float


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unique(target: Path) -> Path:
    if not target.exists():
        return target
    for n in range(2, 100_000):
        mark = f" ({n}){target.suffix}"
        stem = os.fsencode(target.stem)[: NAME_MAX - len(os.fsencode(mark))]
        candidate = target.with_name(os.fsdecode(stem) + mark)
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)


@dataclass
class FolderWatch:
    """Watches `folder`; call `poll()` repeatedly, or `run()`."""

    folder: Path
    sink: AttachSink
    settle: float = 2.0
    interval: float = 1.0
    give_up: float = 300.0  # with `once`: stop waiting for files that never settle
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _seen: dict[Path, _Seen] = field(default_factory=dict)

    def candidates(self) -> list[Path]:
        """Files a scanner may have written, oldest name first."""
        names = []
        for path in self.folder.iterdir():
            if path.name.startswith(".") or path.name.lower().endswith(_IGNORED_SUFFIXES):
                continue
            if path.is_file():
                names.append(path)
        return sorted(names)

    def ready(self) -> list[Path]:
        """Files whose size and time have stood still for `settle` seconds."""
        now = self.clock()
        present = self.candidates()
        self._seen = {p: s for p, s in self._seen.items() if p in present}
        ready = []
        for path in present:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            seen = self._seen.get(path)
            if seen is None or seen.signature != signature:
                self._seen[path] = _Seen(signature, now)
                continue
            if stat.st_size > 0 and now - seen.since >= self.settle:
                ready.append(path)
        return ready

    def take(self, path: Path, cancel: CancelToken | None = None) -> WatchOutcome:
        """Turn one settled file into a PDF, attach it, move it to done/ (or failed/)."""
        work = self.folder / WORK
        work.mkdir(exist_ok=True)
        pdf = work / document_name(path)  # the name shown: valid text, fits NAME_MAX
        shown = display_name(path.name)
        warnings: list[str] = []
        try:
            if sniff(path) is Kind.PDF:
                shutil.copyfile(path, pdf)
            else:
                report = images_to_pdf([path], pdf, cancel=cancel)
                warnings += [
                    render(W_LOW_DPI, {"page": w.page, "dpi": f"{w.dpi:g}"})
                    for w in report.low_resolution
                ]
            limit = self.sink.max_size
            if limit is not None and pdf.stat().st_size > limit:
                smaller = work / f"{temp_prefix(path.name)}small.pdf"
                result = compress.compress(pdf, smaller, limit, cancel=cancel)
                smaller.replace(pdf)
                warnings.append(render(W_COMPRESSED, {"size": compress.format_size(result.size)}))
            if self.sink.holds(sha256_of(pdf)):
                status = "already-attached"
            else:
                self.sink.attach(pdf)
                status = "attached"
        except (DvcError, OSError) as exc:
            if isinstance(exc, DvcError) and exc.code == "cancelled":
                pdf.unlink(missing_ok=True)
                raise
            message = (
                exc.message()
                if isinstance(exc, DvcError)
                else f"không đọc hoặc ghi được tệp ({exc.strerror or type(exc).__name__})"
            )
            self._move(path, FAILED, note=message)
            pdf.unlink(missing_ok=True)
            reason = exc.code if isinstance(exc, DvcError) else exc.errno
            log.info("watched file %s refused: %s", shown, reason)
            return WatchOutcome(shown, "failed", message=message)
        self._move(path, DONE)
        pdf.unlink(missing_ok=True)
        return WatchOutcome(shown, status, pdf.name, warnings=tuple(warnings))

    def _move(self, path: Path, where: str, note: str = "") -> None:
        target_dir = self.folder / where
        target_dir.mkdir(exist_ok=True)
        target = _unique(target_dir / path.name)
        path.replace(target)
        if note:
            # Beside it, "<name>.txt"; cut to fit beside a 255-byte name.
            note_name = target.name + ".txt"
            if len(os.fsencode(note_name)) > NAME_MAX:
                note_name = document_name(target, suffix=".note.txt")
            (target_dir / note_name).write_text(note + "\n", encoding="utf-8")
        self._seen.pop(path, None)

    def poll(self, cancel: CancelToken | None = None) -> list[WatchOutcome]:
        """Take every file that is ready now."""
        outcomes = []
        for path in self.ready():
            if cancel is not None:
                cancel.check()
            outcomes.append(self.take(path, cancel))
        return outcomes

    def run(
        self,
        *,
        once: bool = False,
        cancel: CancelToken | None = None,
        progress: ProgressCallback = no_progress,
        on_outcome: Callable[[WatchOutcome], None] = lambda _o: None,
    ) -> list[WatchOutcome]:
        """Poll until cancelled; with `once`, until the files present have been taken
        (a file still changing after `give_up` seconds is reported, not taken)."""
        outcomes: list[WatchOutcome] = []
        started = self.clock()
        while True:
            if cancel is not None and cancel.cancelled:
                return outcomes
            for outcome in self.poll(cancel):
                outcomes.append(outcome)
                on_outcome(outcome)
                progress(Progress(len(outcomes), None, outcome.source))
            if once:
                left = self.candidates()
                if not left:
                    return outcomes
                if self.clock() - started >= self.give_up:
                    waiting = [WatchOutcome(p.name, "still-writing") for p in left]
                    for outcome in waiting:
                        on_outcome(outcome)
                    return outcomes + waiting
            self.sleep(self.interval)
