"""A realistic procedure catalog in the portal's own format, for the sandbox, the
search-quality set and the benchmarks: the 20 real records (resources/catalog/dvcqg/)
plus generated records of the same shape.

Generated records are built on a real record's shape (its 71 keys, its long texts,
legal bases and steps are reused as they are) with a generated code (`9.xxxxxx`, a
series the national database does not use), name, field, agency, level, components and
times. The first ones are the procedures citizens ask for most (đăng ký kết hôn, giấy
phép lái xe, căn cước, ...) with the variants that make them hard to find (cấp lại,
cấp đổi, gia hạn ...); the rest combine actions and subjects across fields, levels and
34 provinces. Deterministic: the same count gives the same records.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

GENERATED_PREFIX = "9."
_NAMESPACE = uuid.UUID("5b2f8a52-6a43-4f57-9d59-0d1f3c0c2a10")

Anchor = tuple[str, str, str, tuple[str, ...]]  # name, field, keywords, components


@cache
def _words() -> dict[str, Any]:
    """resources/catalog/generator.json: fields, the anchors, the words of the rest."""
    return dict(json.loads(WORDS_FILE.read_text(encoding="utf-8")))


def fields() -> dict[str, tuple[str, str, tuple[str, ...], tuple[str, str]]]:
    """Field key → (field code, field name, levels, executing agency (code, name))."""
    return {
        key: (f["code"], f["name"], tuple(f["levels"]), (f["agency"]["code"], f["agency"]["name"]))
        for key, f in _words()["fields"].items()
    }


def anchors() -> list[Anchor]:
    """The procedures clerks are asked for most: (name, field, keywords, components)."""
    return [
        (a["name"], a["field"], a["keywords"], tuple(a["components"])) for a in _words()["anchors"]
    ]


UNITS = ("WORKING_DAY", "WORKING_DAY", "WORKING_DAY", "DAY", "HOUR", "MONTH", "OTHER")


# The sandbox imports only the portal contract: the resources folder by its place.
SHARED_DIR = Path(__file__).resolve().parents[1] / "resources" / "catalog" / "dvcqg"
WORDS_FILE = SHARED_DIR.parent / "generator.json"


def shared_dir() -> Path:
    """The real records bundled with the app (copied verbatim from shared/data)."""
    return SHARED_DIR


@cache
def _templates() -> tuple[dict[str, Any], ...]:
    return tuple(
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(shared_dir().glob("*.json"))
    )


def shared_records() -> list[dict[str, Any]]:
    return [dict(t) for t in _templates()]


def _names(count: int) -> Iterator[tuple[str, str, str, tuple[str, ...]]]:
    """(name, field, keywords, components) of `count` procedures, anchors first."""
    emitted: set[str] = set()

    def fresh(item: tuple[str, str, str, tuple[str, ...]]) -> bool:
        if item[0] in emitted:
            return False
        emitted.add(item[0])
        return True

    words = _words()
    for anchor in anchors():
        if fresh(anchor):
            yield anchor
    for name, field, _keywords, components in anchors():
        plain = name.startswith("Cấp ") and not name.startswith(("Cấp lại ", "Cấp đổi "))
        subject = name.split(" ", 1)[1] if plain else None
        for action in words["variant_actions"] if subject else ():
            item = (f"{action} {subject}", field, "", components)
            if fresh(item):
                yield item
    keys = list(words["fields"])
    n = 0
    for subject in words["filler_subjects"]:
        for obj in words["filler_objects"]:
            for action in words["filler_actions"]:
                for qualifier in words["filler_qualifiers"]:
                    field = keys[n % len(keys)]
                    n += 1
                    name = f"{action} {obj} {subject}{qualifier}"
                    item = (
                        name,
                        field,
                        "",
                        (f"Đơn đề nghị {action.lower()} {obj}", f"Hồ sơ của {subject}"),
                    )
                    if fresh(item):
                        yield item
                    if len(emitted) >= count:
                        return


def generate(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """`count` generated records in the portal's format (real records not included)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    templates = _templates()
    all_fields = fields()
    out = []
    for n, (name, field_key, keywords, components) in enumerate(_names(count)):
        if n >= count:
            break
        template = templates[n % len(templates)]
        field_code, field_name, levels, agency = all_fields[field_key]
        code = f"{GENERATED_PREFIX}{n + 1:06d}"
        record = dict(template)
        record_id = str(uuid.uuid5(_NAMESPACE, code))
        unit = rng.choice(UNITS)
        time = {"HOUR": rng.choice((4, 8, 24)), "MONTH": rng.choice((1, 3))}.get(
            unit, rng.randint(1, 30)
        )
        fee_value = rng.choice((0, 0, 0, 10000, 50000, 100000, 200000))
        fees = (
            []
            if rng.random() < 0.3
            else [
                {
                    "type": "FEE",
                    "value": fee_value,
                    "description": ""
                    if fee_value
                    else rng.choice(("", "Mức lệ phí do HĐND tỉnh quyết định")),
                }
            ]
        )
        methods = [
            {
                "submissionMethod": method,
                "processingTime": time,
                "processingTimeUnit": unit,
                "description": f"{time} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
                "fees": fees,
            }
            for method in ("DIRECT", "ONLINE", "POSTAL")[: rng.randint(1, 3)]
        ]
        profile = [
            {
                "profileComponentId": str(uuid.uuid5(_NAMESPACE, f"{code}-{i}")),
                "code": f"GEN-{code}-KQ{i + 1:02d}",
                "name": component_name,
                "originalQty": 1,
                "copyQty": rng.randint(0, 1),
                "required": False,
                "hasElectronicForm": False,
                "isProcessingResult": False,
                "attachments": [],
            }
            for i, component_name in enumerate(
                (*components, "Giấy tờ khác có liên quan (nếu có)")[
                    : rng.randint(1, len(components) + 1)
                ]
            )
        ]
        record.update(
            {
                "id": record_id,
                "code": code,
                "codeNotation": code,
                "name": name,
                "keywords": keywords,
                "isWard": "xa" in levels,
                "isProvince": "tinh" in levels,
                "isMinistry": "bo" in levels,
                "categoryIds": [field_code],
                "categoriesDetails": [{"id": field_code, "name": field_name, "code": field_code}],
                "departmentsExecuting": [{"id": agency[0], "name": agency[1], "code": agency[0]}],
                "unitGroupsExecuting": [],
                "executionMethods": methods,
                "executionCases": [{"name": "", "profileComponents": profile}],
                "cases": [],
            }
        )
        out.append(record)
    return out


def catalog(count: int) -> list[dict[str, Any]]:
    """The 20 real records followed by generated ones: `count` records in all."""
    real = shared_records()
    return real + generate(max(0, count - len(real)))
