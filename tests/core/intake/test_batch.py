"""A folder tree to dossiers: naming rules, a report, and resume without duplicates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from scanfakes import noisy_scan, numbered_pdf, quadrants, save, signed_pdf, widths

from desktop.errors import UserError
from desktop.intake import journal as journal_mod
from desktop.intake import rules as rules_mod
from desktop.intake.batch import BatchRun, ComponentInfo
from desktop.intake.journal import Journal
from desktop.intake.watch import sha256_of

COMPONENTS = [
    ComponentInfo("TP1", "Đơn đề nghị", None),
    ComponentInfo("TP2", "Giấy tờ kèm theo", 200_000),
    ComponentInfo("TP10", "Khác", None),
]


class Crash(BaseException):
    """Stands for the process being killed (not an error the batch would catch)."""


@dataclass
class FakeDossiers:
    dossiers: dict[int, dict] = field(default_factory=dict)  # type: ignore[type-arg]
    crash_on_attach: int | None = None  # crash right AFTER this many attaches succeed
    crash_after_create: bool = False
    attaches: int = 0
    page_widths: dict[str, list[int]] = field(default_factory=dict)

    def components(self) -> list[ComponentInfo]:
        return COMPONENTS

    def find(self, tag: str) -> int | None:
        return next((i for i, d in self.dossiers.items() if d["tag"] == tag), None)

    def create(self, tag: str) -> int:
        number = len(self.dossiers) + 1
        self.dossiers[number] = {"tag": tag, "fields": {}, "files": []}
        if self.crash_after_create:
            self.crash_after_create = False
            raise Crash
        return number

    def set_fields(self, dossier_id: int, values: dict[str, str]) -> None:
        self.dossiers[dossier_id]["fields"].update(values)

    def holds(self, dossier_id: int, component: str, sha256: str) -> bool:
        return (component, sha256) in {(c, s) for c, _, s in self.dossiers[dossier_id]["files"]}

    def attach(self, dossier_id: int, component: str, pdf: Path) -> None:
        self.dossiers[dossier_id]["files"].append((component, pdf.name, sha256_of(pdf)))
        self.page_widths[pdf.name] = widths(pdf)
        self.attaches += 1
        if self.attaches == self.crash_on_attach:
            raise Crash

    def problems(self, dossier_id: int) -> list[str]:
        have = {c for c, _, _ in self.dossiers[dossier_id]["files"]}
        return [f"thiếu {c}" for c in ("TP1", "TP2") if c not in have]

    def files(self, dossier_id: int) -> list[tuple[str, str]]:
        return [(c, n) for c, n, _ in self.dossiers[dossier_id]["files"]]


def make_tree(root: Path) -> Path:
    a, b = root / "ho-so-01", root / "ho-so-02"
    a.mkdir(parents=True)
    b.mkdir()
    save(quadrants(), a / "TP1_don_trang2.jpg", dpi=(300, 300))
    save(quadrants((160, 120)), a / "TP1_don_trang10.jpg", dpi=(300, 300))
    save(quadrants(), a / "tp10-khac.png", dpi=(300, 300))
    numbered_pdf(a / "TP2 giay to.pdf", 2)
    (a / "fields.txt").write_text("applicant.name = Nguyễn Văn A\n", encoding="utf-8")
    save(quadrants(), b / "don.jpg", dpi=(300, 300))
    save(quadrants(), b / "anh-chup.jpg", dpi=(150, 150))
    (b / "ghi-chu.txt").write_text("xin chào")
    return root


def run(root: Path, sink: FakeDossiers, rules: list[rules_mod.Rule] | None = None):  # type: ignore[no-untyped-def]
    journal = Journal(root / ".dvc-intake-batch", "1.002600")
    return BatchRun(root, sink, journal, rules=rules or []).run()


def test_one_dossier_per_folder_with_files_by_naming_rules(tmp_path: Path) -> None:
    root, sink = make_tree(tmp_path / "batch"), FakeDossiers()
    report = run(root, sink)
    first, second = report.folders
    assert first.folder == "ho-so-01" and first.created and first.status == "ok"
    # The two TP1 pages became one PDF in natural order (trang2 before trang10).
    assert sink.files(1) == [("TP1", "TP1_don_trang2.pdf"), ("TP2", "TP2 giay to.pdf"),
                             ("TP10", "tp10-khac.pdf")]  # fmt: skip
    assert sink.page_widths["TP1_don_trang2.pdf"] == [2, 4]  # 80 then 160 px at 300 dpi
    assert sink.dossiers[1]["fields"] == {"applicant.name": "Nguyễn Văn A"}
    assert second.status == "needs-person" and sink.files(2) == []
    assert set(second.needs_person) == {
        "không rõ thuộc thành phần nào: anh-chup.jpg",
        "không rõ thuộc thành phần nào: don.jpg",
        "không rõ thuộc thành phần nào: ghi-chu.txt",
        "thiếu TP1",
        "thiếu TP2",
    }


def test_a_rules_file_maps_globs_to_components(tmp_path: Path) -> None:
    root, sink = make_tree(tmp_path / "batch"), FakeDossiers()
    rules_file = tmp_path / "rules.txt"
    rules_file.write_text(
        "don*.jpg = TP1\nanh-*.jpg = TP2   # photos\n*.txt = -\n", encoding="utf-8"
    )
    rules = rules_mod.load_rules(rules_file, [c.code for c in COMPONENTS])
    second = run(root, sink, rules).folders[1]
    assert sink.files(2) == [("TP1", "don.pdf"), ("TP2", "anh-chup.pdf")]
    assert second.needs_person == ["TP2: trang 1 (anh-chup.jpg) chỉ 150 dpi"]


def test_rules_file_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.txt"
    bad.write_text("# comment\nno equals sign\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        rules_mod.load_rules(bad, ["TP1"])
    assert caught.value.code == rules_mod.E_RULES_LINE and "Dòng 2" in str(caught.value)
    bad.write_text("*.jpg = TP9\n", encoding="utf-8")
    with pytest.raises(UserError) as unknown:
        rules_mod.load_rules(bad, ["TP1"])
    assert "TP9" in str(unknown.value) and "TP1" in str(unknown.value)


def test_an_interrupted_batch_resumes_without_duplicates(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "batch")
    sink = FakeDossiers(crash_on_attach=2)
    with pytest.raises(Crash):
        run(root, sink)
    assert len(sink.dossiers) == 1 and len(sink.files(1)) == 2
    sink.crash_on_attach = None
    report = run(root, sink)
    assert len(sink.dossiers) == 2
    assert len(sink.files(1)) == 3 and len(set(sink.files(1))) == 3
    assert report.folders[0].attached == ["TP1: TP1_don_trang2.pdf", "TP2: TP2 giay to.pdf",
                                          "TP10: tp10-khac.pdf"]  # fmt: skip
    again = run(root, sink)  # a third run finds everything done
    assert all(f.skipped for f in again.folders) and len(sink.dossiers) == 2
    assert len(sink.files(1)) == 3


def test_a_crash_right_after_creating_a_dossier_does_not_make_a_second(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "batch")
    sink = FakeDossiers(crash_after_create=True)
    with pytest.raises(Crash):
        run(root, sink)
    run(root, sink)
    assert len(sink.dossiers) == 2 and len(sink.files(1)) == 3


def test_a_folder_changed_after_a_run_is_looked_at_again(tmp_path: Path) -> None:
    root, sink = make_tree(tmp_path / "batch"), FakeDossiers()
    run(root, sink)
    folder = root / "ho-so-02"
    (folder / "don.jpg").rename(folder / "TP1_don.jpg")  # a person fixed the name
    second = run(root, sink).folders[1]
    assert not second.skipped and sink.files(2) == [("TP1", "TP1_don.pdf")]
    assert len(sink.dossiers) == 2


def test_oversized_files_are_compressed_and_signed_ones_left_to_a_person(tmp_path: Path) -> None:
    root = tmp_path / "batch"
    folder = root / "ho-so"
    folder.mkdir(parents=True)
    noisy_scan(tmp_path / "big", pages=2).replace(folder / "TP2_scan.pdf")
    signed_pdf(noisy_scan(tmp_path / "big2", pages=2), folder / "TP2_signed.pdf")
    sink = FakeDossiers()
    [result] = run(root, sink).folders
    assert sink.files(1) == [("TP2", "TP2_scan.pdf")]
    assert any("TP2_signed.pdf đã ký số" in reason for reason in result.needs_person)
    assert (folder / "TP2_scan.pdf").stat().st_size > 200_000  # the original is kept


def test_journal_of_another_procedure_or_damaged_is_refused(tmp_path: Path) -> None:
    root, sink = make_tree(tmp_path / "batch"), FakeDossiers()
    run(root, sink)
    with pytest.raises(UserError) as other:
        Journal(root / ".dvc-intake-batch", "9.999")
    assert other.value.code == journal_mod.E_JOURNAL_PROCEDURE
    [record] = [
        p for p in (root / ".dvc-intake-batch" / "folders").iterdir() if "ho-so-01" in p.read_text()
    ]
    record.write_text("{ half a journ")
    with pytest.raises(UserError) as damaged:
        run(root, sink)
    assert damaged.value.code == journal_mod.E_JOURNAL_DAMAGED and str(record) in str(damaged.value)
    assert len(sink.dossiers) == 2  # nothing was created on a damaged journal
