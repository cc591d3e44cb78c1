"""What changed between two editions of a procedure (for "a newer edition exists").

Components are compared by their stable code: added, removed, changed (name, required,
originals, copies, kind); the rest of the procedure by a few labelled parts (name,
channels with times and fees, cases, legal basis, results).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.catalog.model import ComponentSpec, Procedure

_COMPARED = ("name", "required", "originals", "copies", "kind")
_PARTS = {
    "name": "tên thủ tục",
    "channels": "cách thức thực hiện, thời hạn, phí",
    "cases": "các trường hợp",
    "legal_basis": "căn cứ pháp lý",
    "results": "kết quả",
    "conditions": "yêu cầu, điều kiện",
    "agency": "cơ quan thực hiện",
}
_PARTS_EN = {
    "name": "procedure name",
    "channels": "ways to submit, time limits, fees",
    "cases": "cases",
    "legal_basis": "legal basis",
    "results": "results",
    "conditions": "requirements and conditions",
    "agency": "handling agency",
}


@dataclass(frozen=True)
class EditionDiff:
    old: int | None
    new: int | None
    added: tuple[ComponentSpec, ...]
    removed: tuple[ComponentSpec, ...]
    changed: tuple[tuple[ComponentSpec, ComponentSpec], ...]
    other: tuple[str, ...]  # the other parts that changed (keys of _PARTS)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.other)

    def lines(self, language: str = "vi") -> list[str]:
        """The diff in Vietnamese (or English with language="en"), one line per change."""
        if language == "en":
            out = [f"+ component added {c.code}: {c.name}" for c in self.added]
            out += [f"- component removed {c.code}: {c.name}" for c in self.removed]
            for old, new in self.changed:
                what = [n for n in _COMPARED if getattr(old, n) != getattr(new, n)]
                out.append(f"~ component {new.code} changed ({', '.join(what)}): {new.name}")
            return out + [f"~ {_PARTS_EN[part]} changed" for part in self.other]
        out = [f"+ thêm thành phần {c.code}: {c.name}" for c in self.added]
        out += [f"- bỏ thành phần {c.code}: {c.name}" for c in self.removed]
        for old, new in self.changed:
            what = [n for n in _COMPARED if getattr(old, n) != getattr(new, n)]
            out.append(f"~ thành phần {new.code} thay đổi ({', '.join(what)}): {new.name}")
        return out + [f"~ {_PARTS[part]} thay đổi" for part in self.other]


def diff(old: Procedure, new: Procedure) -> EditionDiff:
    before = {c.code: c for c in old.components}
    after = {c.code: c for c in new.components}
    changed = tuple(
        (before[code], after[code])
        for code in after
        if code in before
        and any(getattr(before[code], n) != getattr(after[code], n) for n in _COMPARED)
    )
    other = tuple(part for part in _PARTS if getattr(old, part) != getattr(new, part))
    return EditionDiff(
        old=old.edition.number if old.edition else None,
        new=new.edition.number if new.edition else None,
        added=tuple(c for code, c in after.items() if code not in before),
        removed=tuple(c for code, c in before.items() if code not in after),
        changed=changed,
        other=other,
    )
