"""The watched folder: settled files only, images become PDFs, nothing attached twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from scanfakes import noisy_scan, quadrants, save

from desktop.errors import UserError, define
from desktop.intake.watch import FolderWatch, sha256_of
from desktop.progress import CancelToken

E_SINK_REFUSED = define("test.sink_refused", vi="Hồ sơ không nhận tệp.", en="Refused.")


@dataclass
class FakeSink:
    """Keeps what it was given, as a dossier component would."""

    max_size: int | None = None
    refuse: bool = False
    attached: list[tuple[str, str, int]] = field(default_factory=list)  # name, sha, pages

    def holds(self, sha256: str) -> bool:
        return any(sha == sha256 for _, sha, _ in self.attached)

    def attach(self, pdf: Path) -> None:
        if self.refuse:
            raise UserError(E_SINK_REFUSED)
        with pikepdf.open(pdf) as doc:
            self.attached.append((pdf.name, sha256_of(pdf), len(doc.pages)))


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def watcher(folder: Path, sink: FakeSink, clock: FakeClock, **kw) -> FolderWatch:  # type: ignore[no-untyped-def]
    return FolderWatch(folder, sink, settle=2.0, interval=1.0, clock=clock, sleep=clock.sleep, **kw)


def test_a_file_is_taken_only_after_it_stops_growing(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink()
    watch = watcher(scans, sink, clock)
    whole = save(quadrants((200, 200)), scans.parent / "whole.jpg", dpi=(300, 300)).read_bytes()
    growing = scans / "scan001.jpg"
    growing.write_bytes(whole[:100])
    assert watch.poll() == []
    clock.now = 5
    with growing.open("ab") as f:  # the scanner is still writing
        f.write(whole[100:])
    assert watch.poll() == []
    clock.now = 6
    assert watch.poll() == []  # settled for 1 s only
    clock.now = 7.5
    [outcome] = watch.poll()
    assert outcome.status == "attached" and outcome.attached_as == "scan001.pdf"
    assert [(n, p) for n, _, p in sink.attached] == [("scan001.pdf", 1)]
    assert (scans / "done" / "scan001.jpg").read_bytes() == whole
    assert not growing.exists()


def test_run_once_takes_images_and_pdfs_and_files_refusals(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink()
    save(quadrants(), scans / "a.png", dpi=(300, 300))
    save(quadrants(), scans / "b.jpg", dpi=(150, 150))
    (scans / "c.pdf").write_bytes(
        noisy_scan(scans.parent / "pdf", pages=2, size=(100, 100)).read_bytes()
    )
    (scans / "d.jpg").write_text("not an image")
    (scans / ".hidden.jpg").write_text("ignored")
    (scans / "e.jpg.part").write_text("still uploading")
    outcomes = watcher(scans, sink, clock).run(once=True)
    by_name = {o.source: o for o in outcomes}
    assert {n: o.status for n, o in by_name.items()} == {
        "a.png": "attached", "b.jpg": "attached", "c.pdf": "attached", "d.jpg": "failed",
    }  # fmt: skip
    assert by_name["b.jpg"].warnings == ("trang 1: 150 dpi",)
    assert [(n, p) for n, _, p in sink.attached] == [("a.pdf", 1), ("b.pdf", 1), ("c.pdf", 2)]
    assert sorted(p.name for p in (scans / "done").iterdir()) == ["a.png", "b.jpg", "c.pdf"]
    note = (scans / "failed" / "d.jpg.txt").read_text(encoding="utf-8")
    assert "không phải ảnh" in note
    assert (scans / ".hidden.jpg").exists() and (scans / "e.jpg.part").exists()


def test_the_same_scan_dropped_again_is_not_attached_twice(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink()
    image = quadrants()
    save(image, scans / "a.jpg", dpi=(300, 300))
    watcher(scans, sink, clock).run(once=True)
    save(image, scans / "a.jpg", dpi=(300, 300))  # e.g. a crash before it was moved
    [again] = watcher(scans, sink, clock).run(once=True)
    assert again.status == "already-attached" and len(sink.attached) == 1
    assert sorted(p.name for p in (scans / "done").iterdir()) == ["a (2).jpg", "a.jpg"]


def test_an_oversized_scan_is_compressed_to_the_limit(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink(max_size=150_000)
    noisy_scan(scans.parent / "big", pages=2).replace(scans / "big.pdf")
    [outcome] = watcher(scans, sink, clock).run(once=True)
    assert outcome.status == "attached" and outcome.warnings[-1].startswith("đã nén còn")
    assert not any(p.name.endswith(".pdf") for p in (scans / ".dvc-intake").iterdir())


def test_a_refusing_sink_sends_the_file_to_failed(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink(refuse=True)
    save(quadrants(), scans / "a.jpg", dpi=(300, 300))
    [outcome] = watcher(scans, sink, clock).run(once=True)
    assert outcome.status == "failed" and "không nhận" in outcome.message
    assert (scans / "failed" / "a.jpg").exists()


def test_once_gives_up_on_a_file_that_never_settles(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink()
    (scans / "empty.jpg").write_bytes(b"")  # a scanner that opened the file and stalled
    watch = watcher(scans, sink, clock, give_up=30.0)
    assert [o.status for o in watch.run(once=True)] == ["still-writing"]
    assert clock.now >= 30 and (scans / "empty.jpg").exists()


def test_cancel_stops_the_loop(scans: Path) -> None:
    clock, sink = FakeClock(), FakeSink()
    token = CancelToken()

    def sleep(seconds: float) -> None:
        clock.now += seconds
        if clock.now > 10:
            token.cancel()

    watch = FolderWatch(scans, sink, clock=clock, sleep=sleep)
    assert watch.run(cancel=token) == []
    assert 10 < clock.now < 12
    save(quadrants(), scans / "late.jpg")
    watch.ready()
    clock.now += 100
    with pytest.raises(UserError):  # a cancelled token stops before taking a file
        watch.poll(token)
    assert (scans / "late.jpg").exists() and sink.attached == []
