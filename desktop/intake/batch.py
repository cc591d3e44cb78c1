"""A folder tree of scans to draft dossiers: one dossier per subfolder, resumable.

Each subfolder of the batch folder is one dossier. Its files are assigned to components
by `desktop.intake.rules`; the images of one component become one PDF (pages in natural
name order), PDFs are attached as they are (compressed first when over the limit, signed
ones never touched). An optional ``fields.txt`` (``key=value`` lines, the keys of
``dossier set``) fills the form. The journal (`desktop.intake.journal`) makes a second
run continue without duplicates. This module knows dossiers only through `DossierSink`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from desktop.errors import DvcError, UserError, define, render
from desktop.intake import compress
from desktop.intake import metadata as records
from desktop.intake.archive import OVERHEAD, ArchiveOptions, finish
from desktop.intake.convert import images_to_pdf
from desktop.intake.files import Kind, display_name, document_name, sniff
from desktop.intake.journal import Journal
from desktop.intake.pdfs import is_signed
from desktop.intake.rules import IGNORE, Rule, assign, natural_key
from desktop.intake.watch import sha256_of
from desktop.progress import CancelToken, Progress, ProgressCallback, no_progress

log = logging.getLogger(__name__)

FIELDS_FILE = "fields.txt"
_SKIPPED_DIRS = {"done", "failed"}

E_NOT_A_FOLDER = define(
    "intake.batch_not_a_folder",
    vi="{path} không phải là thư mục. Hãy chỉ tới thư mục chứa các thư mục hồ sơ.",
    en="{path} is not a folder. Point to the folder that holds one folder per dossier.",
)
E_FIELDS_LINE = define(
    "intake.fields_line",
    vi="Dòng {line} của {path} không đúng dạng “khoá=giá trị” (tệp văn bản UTF-8). "
    "Hãy sửa tệp rồi chạy lại lệnh.",
    en="Line {line} of {path} is not “key=value” (a UTF-8 text file). Fix the file and "
    "run the command again.",
)
# What a folder of the batch leaves to a person (said in the chosen language).
E_EMPTY_FOLDER = define(
    "intake.batch_empty_folder",
    vi="thư mục trống: không có tệp quét nào",
    en="empty folder: no scanned file in it",
)
E_UNASSIGNED = define(
    "intake.batch_unassigned",
    vi="không rõ thuộc thành phần nào: {name}",
    en="belongs to no known component: {name}",
)
E_LOW_DPI = define(
    "intake.batch_low_dpi",
    vi="{code}: trang {page} ({name}) chỉ {dpi} dpi",
    en="{code}: page {page} ({name}) is only {dpi} dpi",
)
E_SIGNED_TOO_LARGE = define(
    "intake.batch_signed_too_large",
    vi="{code}: {name} đã ký số và lớn hơn {limit}",
    en="{code}: {name} is digitally signed and larger than {limit}",
)


@dataclass(frozen=True)
class ComponentInfo:
    code: str
    name: str
    max_size: int | None  # bytes a file may have for this component


class DossierSink(Protocol):
    """What a batch needs of the dossiers (implemented over DossierService by the CLI)."""

    def components(self) -> list[ComponentInfo]:
        """The procedure's components, in catalog order."""
        ...

    def find(self, tag: str) -> int | None:
        """A draft made earlier for `tag` (after a crash that lost the journal's record)."""
        ...

    def create(self, tag: str) -> int:
        """A new draft dossier of the procedure, marked with `tag`; its id."""
        ...

    def set_fields(self, dossier_id: int, values: dict[str, str]) -> None: ...

    def holds(self, dossier_id: int, component: str, sha256: str) -> bool:
        """Whether the component already has a file with these bytes."""
        ...

    def attach(self, dossier_id: int, component: str, pdf: Path) -> None: ...

    def problems(self, dossier_id: int) -> list[str]:
        """What validation still finds wrong (errors only), as sentences."""
        ...


@dataclass
class FolderResult:
    """What happened to one dossier folder."""

    folder: str
    dossier_id: int | None = None
    created: bool = False
    attached: list[str] = field(default_factory=list)  # "TP1: name.pdf", earlier runs too
    skipped: bool = False  # finished in an earlier run and unchanged
    needs_person: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "needs-person" if self.needs_person else "ok"


@dataclass
class BatchReport:
    journal: str
    folders: list[FolderResult] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "journal": self.journal,
            "folders": [{**vars(f), "status": f.status} for f in self.folders],
        }


@dataclass
class _Plan:
    groups: dict[str, list[Path]]
    unassigned: list[str]
    fields_file: Path | None
    metadata_file: Path | None = None


def _fingerprint(files: Sequence[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        name = os.fsencode(path.relative_to(base).as_posix())  # names need not be UTF-8
        digest.update(name + f"|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(found, key=lambda p: natural_key(p.relative_to(folder)))


def _plan(
    folder: Path, files: Sequence[Path], rules: Sequence[Rule], codes: Sequence[str]
) -> _Plan:
    groups: dict[str, list[Path]] = {}
    unassigned = []
    fields_file = metadata_file = None
    for path in files:
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if relative.as_posix().lower() == FIELDS_FILE:
            fields_file = path
            continue
        if relative.as_posix().lower() == records.METADATA_FILE:
            metadata_file = path
            continue
        code = assign(relative, rules, codes)
        if code is None:
            unassigned.append(display_name(relative.as_posix()))
        elif code != IGNORE:
            groups.setdefault(code, []).append(path)
    return _Plan(groups, unassigned, fields_file, metadata_file)


def _os_problem(what: str, exc: OSError) -> str:
    """A file the system refused (name too long, no permission, I/O error), for the
    "needs a person" list; the batch goes on with the next file."""
    return f"{what}: không đọc hoặc ghi được tệp ({exc.strerror or type(exc).__name__})"


def _read_fields(path: Path) -> dict[str, str]:
    values = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise UserError(E_FIELDS_LINE, line=1, path=str(path)) from None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, equals, value = line.partition("=")
        if not equals or not key.strip():
            raise UserError(E_FIELDS_LINE, line=number, path=str(path))
        values[key.strip()] = value.strip()
    return values


class BatchRun:
    """One run of a batch over `root`, for one procedure, with its journal."""

    def __init__(
        self,
        root: Path,
        sink: DossierSink,
        journal: Journal,
        *,
        rules: Sequence[Rule] = (),
        archive: ArchiveOptions | None = None,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> None:
        """`archive`: OCR / PDF/A for every PDF attached, with its record metadata (the
        batch's, overridden by a folder's metadata.txt), stored through the sink."""
        if not root.is_dir():
            raise UserError(E_NOT_A_FOLDER, path=str(root))
        self.root = root
        self.sink = sink
        self.journal = journal
        self.rules = list(rules)
        self.archive = archive or ArchiveOptions()
        self.progress = progress
        self.cancel = cancel
        self.components = {c.code: c for c in sink.components()}

    def folders(self) -> list[Path]:
        return sorted(
            (
                p
                for p in self.root.iterdir()
                if p.is_dir() and not p.name.startswith(".") and p.name not in _SKIPPED_DIRS
            ),
            key=natural_key,
        )

    def run(self) -> BatchReport:
        report = BatchReport(str(self.journal.path))
        folders = self.folders()
        for index, folder in enumerate(folders):
            self._check_cancel()
            self.progress(Progress(index, len(folders), display_name(folder.name)))
            report.folders.append(self._process_safely(folder))
        self.progress(Progress(len(folders), len(folders), ""))
        return report

    def _check_cancel(self) -> None:
        if self.cancel is not None:
            self.cancel.check()

    def _tag(self, folder: Path) -> str:
        return f"Tạo từ thư mục quét: {display_name(str(folder.resolve()))}"

    def _process_safely(self, folder: Path) -> FolderResult:
        """`process`, with a failure of the disk or a file system limit said as the
        folder's "needs a person" entry: one folder never stops the batch."""
        try:
            return self.process(folder)
        except OSError as exc:
            log.warning("batch folder failed: %s", exc.strerror)
            result = FolderResult(display_name(folder.name))
            result.needs_person.append(_os_problem(display_name(folder.name), exc))
            return result

    def process(self, folder: Path) -> FolderResult:
        # Shown, stored and journaled as text: a name that is not UTF-8 is shown with U+FFFD.
        name = display_name(folder.name)
        entry = self.journal.folder(name)
        files = _files(folder)
        fingerprint = _fingerprint(files, folder)
        result = FolderResult(name, entry.get("dossier_id"))
        if entry.get("finished") == fingerprint:
            result.skipped = True
            result.attached = list(entry.get("report", {}).get("attached", []))
            result.needs_person = list(entry.get("report", {}).get("needs_person", []))
            return result
        if not files:
            result.needs_person.append(render(E_EMPTY_FOLDER, {}))
            return result
        plan = _plan(folder, files, self.rules, list(self.components))
        result.dossier_id = self._dossier(folder, entry, result)
        if plan.fields_file is not None:
            try:
                self.sink.set_fields(result.dossier_id, _read_fields(plan.fields_file))
            except DvcError as exc:
                result.needs_person.append(f"{FIELDS_FILE}: {exc.message()}")
        options = self._record(result.dossier_id, plan.metadata_file, result)
        with tempfile.TemporaryDirectory(prefix=".dvc-intake-", dir=self.root) as tmp:
            # Catalog order, so the dossier lists its files as the procedure does.
            for code in [c for c in self.components if c in plan.groups]:
                found = self._documents(code, plan.groups[code], Path(tmp), result, options)
                for document in found:
                    self._attach(result.dossier_id, code, document, entry, result)
        result.needs_person += [render(E_UNASSIGNED, {"name": n}) for n in plan.unassigned]
        result.needs_person += self.sink.problems(result.dossier_id)
        entry["finished"] = fingerprint
        entry["report"] = {"attached": result.attached, "needs_person": result.needs_person}
        self.journal.save(name)
        return result

    def _dossier(self, folder: Path, entry: dict[str, Any], result: FolderResult) -> int:
        if entry.get("dossier_id") is not None:
            return int(entry["dossier_id"])
        tag = self._tag(folder)
        found = self.sink.find(tag) if entry.get("creating") else None
        if found is None:
            entry["creating"] = True
            self.journal.save(display_name(folder.name))
            found = self.sink.create(tag)
            result.created = True
        entry["dossier_id"] = found
        entry.pop("creating", None)
        self.journal.save(display_name(folder.name))
        return found

    def _record(
        self, dossier_id: int, metadata_file: Path | None, result: FolderResult
    ) -> ArchiveOptions:
        """The folder's record metadata (the batch's with metadata.txt over it), stored
        for the dossier; the archive options carrying it."""
        record = self.archive.record
        if metadata_file is not None:
            try:
                own = records.read_file(metadata_file)
            except DvcError as exc:
                result.needs_person.append(f"{records.METADATA_FILE}: {exc.message()}")
            else:
                record = own if record is None else record.merged(own)
        if record is None:
            return self.archive
        save = getattr(self.sink, "save_record", None)
        if save is not None:
            save(dossier_id, record)
        missing = record.missing()
        if missing:
            result.needs_person.append("siêu dữ liệu hồ sơ còn thiếu: " + ", ".join(missing))
        return self.archive.with_record(record)

    def _documents(
        self,
        code: str,
        paths: Sequence[Path],
        scratch: Path,
        result: FolderResult,
        options: ArchiveOptions | None = None,
    ) -> list[Path]:
        """The PDFs to attach for one component: its images as one PDF, each PDF as is
        (then OCR / PDF/A when `options` ask for them)."""
        options = options or ArchiveOptions()
        images: list[Path] = []
        documents: list[Path] = []
        for path in paths:
            try:
                kind = sniff(path)
                if kind is Kind.PDF and document_name(path) != path.name:
                    # An odd name (not UTF-8, NFD, too long to add to): attached under
                    # the name it is shown by, from a short-named scratch copy.
                    copy = scratch / "named" / document_name(path)
                    copy.parent.mkdir(exist_ok=True)
                    shutil.copyfile(path, copy)
                    path = copy  # noqa: PLW2901
            except DvcError as exc:
                result.needs_person.append(f"{display_name(path.name)}: {exc.message()}")
                continue
            except OSError as exc:
                result.needs_person.append(_os_problem(display_name(path.name), exc))
                continue
            (documents if kind is Kind.PDF else images).append(path)
        if images:
            target = scratch / document_name(images[0])
            # Without OCR, PDF/A is written as the images stream; OCR comes after.
            streamed = options.pdfa and not options.ocr
            try:
                report = images_to_pdf(
                    images, target, pdfa=streamed, record=options.record, cancel=self.cancel
                )
            except DvcError as exc:
                if exc.code == "cancelled":
                    raise
                result.needs_person.append(f"{code}: {exc.message()}")
            except OSError as exc:
                result.needs_person.append(_os_problem(code, exc))
            else:
                documents.insert(0, target)
                result.needs_person += [
                    render(
                        E_LOW_DPI,
                        {
                            "code": code,
                            "page": w.page,
                            "name": display_name(Path(w.source).name),
                            "dpi": f"{w.dpi:g}",
                        },
                    )
                    for w in report.low_resolution
                ]
        fitted = [d for d in (self._fit(code, d, scratch, result) for d in documents) if d]
        if not options.active:
            return fitted
        made = target if images else None
        return [self._archival(code, d, made, scratch, result, options) for d in fitted]

    def _archival(  # noqa: PLR0917 (one private step of _documents)
        self,
        code: str,
        pdf: Path,
        made: Path | None,
        scratch: Path,
        result: FolderResult,
        options: ArchiveOptions,
    ) -> Path:
        """`pdf` with OCR / PDF/A; the file as it is (and a note) when that is refused."""
        if pdf == made and options.pdfa and not options.ocr:
            return pdf  # written as PDF/A already
        if is_signed(pdf):
            result.needs_person.append(f"{code}: {pdf.name} đã ký số, không chuyển PDF/A được")
            return pdf
        out = scratch / "archival" / pdf.name
        out.parent.mkdir(exist_ok=True)
        try:
            return finish(pdf, out, options, self.cancel)
        except DvcError as exc:
            if exc.code == "cancelled":
                raise
            result.needs_person.append(f"{code}: {pdf.name}: {exc.message()}")
            return pdf

    def _fit(self, code: str, pdf: Path, scratch: Path, result: FolderResult) -> Path | None:
        limit = self.components[code].max_size
        if limit is not None and self.archive.active:
            limit -= OVERHEAD  # room for the profile and XMP PDF/A adds
        if limit is None or pdf.stat().st_size <= limit:
            return pdf
        if is_signed(pdf):
            size = compress.format_size(limit)
            result.needs_person.append(
                render(E_SIGNED_TOO_LARGE, {"code": code, "name": pdf.name, "limit": size})
            )
            return None
        smaller = scratch / "compressed" / pdf.name
        smaller.parent.mkdir(exist_ok=True)
        try:
            compress.compress(pdf, smaller, limit, cancel=self.cancel)
        except DvcError as exc:
            if exc.code == "cancelled":
                raise
            result.needs_person.append(f"{code}: {exc.message()}")
            return None
        return smaller

    def _attach(
        self, dossier_id: int, code: str, pdf: Path, entry: dict[str, Any], result: FolderResult
    ) -> None:
        self._check_cancel()
        sha = sha256_of(pdf)
        done: list[str] = entry["attached"].setdefault(code, [])
        # The sink is asked too: a crash may have come between attaching and the journal.
        if sha not in done and not self.sink.holds(dossier_id, code, sha):
            try:
                self.sink.attach(dossier_id, code, pdf)
            except DvcError as exc:
                if exc.code == "cancelled":
                    raise
                result.needs_person.append(f"{code}: {pdf.name}: {exc.message()}")
                return
        result.attached.append(f"{code}: {pdf.name}")
        if sha not in done:
            done.append(sha)
            self.journal.save(result.folder)
