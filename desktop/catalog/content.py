"""A procedure's content in the native format (one object of `procedures[]`, see
docs/catalog-format.md) → the frozen `model.Procedure`, and its canonical SHA-256.

Editions store exactly this content, so every edition of every procedure is read by
the one function `to_procedure`, whichever format it was imported from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from desktop.catalog import model

LEGACY_DAY_UNITS = {"working": "working_day", "calendar": "day"}
DAY_TYPES = {"working_day": "working", "day": "calendar"}


def canonical_json(content: Mapping[str, Any]) -> str:
    """The canonical JSON of `content` (sorted keys, no spaces, UTF-8 text): what an
    edition stores, and what its digest is computed on."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_sha256(content: Mapping[str, Any], canonical: str | None = None) -> str:
    """SHA-256 of the canonical JSON of `content`: the same content gives the same
    digest whatever file layout it came in."""
    text = canonical if canonical is not None else canonical_json(content)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _time(data: Any) -> model.ProcessingTime | None:
    if not isinstance(data, dict):
        return None
    value = data.get("value")
    return model.ProcessingTime(
        value=value if isinstance(value, int | float) else None,
        unit=str(data.get("unit") or "text"),
        text=data.get("text"),
    )


def channel_time(item: Mapping[str, Any]) -> model.ProcessingTime | None:
    """The time of a stored channel: `processing_time`, else the older
    `processing_days` + `day_type`."""
    time = _time(item.get("processing_time"))
    if time is not None:
        return time
    days = item.get("processing_days")
    if days is None:
        return None
    unit = LEGACY_DAY_UNITS.get(item.get("day_type") or "", "day")
    return model.ProcessingTime(value=days, unit=unit, text=None)


def to_channels(stored: Sequence[Any]) -> tuple[model.Channel, ...]:
    """Channels as stored (the catalog file's shape) → model channels."""
    channels = []
    for item in stored:
        fees = item.get("fees")
        time = channel_time(item)
        days = item.get("processing_days")
        day_type = item.get("day_type")
        if days is None and time is not None and time.unit in DAY_TYPES and time.value:
            days, day_type = int(time.value), DAY_TYPES[time.unit]
        channels.append(
            model.Channel(
                kind=item.get("kind") or model.UNKNOWN_CHANNEL,
                processing_days=days,
                day_type=day_type,
                note=item.get("note"),
                fees=tuple(
                    model.Fee(
                        kind=fee.get("kind") or model.UNKNOWN_FEE_KIND,
                        amount=fee.get("amount"),
                        code=fee.get("code"),
                        note=fee.get("note"),
                        currency=fee.get("currency") or "VND",
                        description=fee.get("description"),
                    )
                    for fee in fees or ()
                ),
                fees_known=fees is not None,
                time=time,
            )
        )
    return tuple(channels)


def _named(items: Iterable[Any] | None) -> tuple[model.Named, ...]:
    out = []
    for item in items or ():
        if isinstance(item, str):
            out.append(model.Named(name=item))
        elif isinstance(item, dict):
            out.append(model.Named(name=str(item.get("name") or ""), code=item.get("code")))
    return tuple(out)


def to_component(data: Mapping[str, Any]) -> model.ComponentSpec:
    return model.ComponentSpec(
        code=data["code"],
        name=data["name"],
        required=data.get("required"),
        originals=data.get("originals"),
        copies=data.get("copies"),
        template=data.get("template"),
        accepted_types=tuple(data.get("accepted_types") or ()),
        max_size=data.get("max_size"),
        case=data.get("case"),
        note=data.get("note"),
        kind=data.get("kind") or model.DOCUMENT,
        templates=_named(data.get("templates")),
        electronic_form=data.get("electronic_form"),
    )


def to_procedure(
    content: Mapping[str, Any],
    agency: model.Agency,
    field: model.Field,
    edition: model.EditionInfo | None = None,
) -> model.Procedure:
    """The model of one procedure's native content (`agency` and `field` resolved)."""
    results = content.get("results")
    return model.Procedure(
        key=content["key"],
        code=content.get("code"),
        name=content["name"],
        agency=agency,
        field=field,
        online_level=content.get("online_level"),
        channels=to_channels(content.get("channels") or []),
        components=tuple(to_component(c) for c in content.get("components") or ()),
        results=tuple(r.name for r in _named(results)),
        legal_basis=tuple(
            model.LegalBasis(number=b.get("number"), title=b.get("title"))
            for b in content.get("legal_basis") or ()
        ),
        conditions=content.get("conditions"),
        dvcqg_page_id=content.get("dvcqg_page_id"),
        notes=tuple(content.get("notes") or ()),
        components_known=content.get("components") is not None,
        results_known=results is not None,
        levels=tuple(content.get("level") or ()),
        cases=tuple(
            model.Case(code=c["code"], name=c["name"], components=tuple(c.get("components") or ()))
            for c in content.get("cases") or ()
        ),
        steps=tuple(
            model.Step(name=s.get("name"), description=s["description"])
            for s in content.get("steps") or ()
        ),
        result_details=_named(results),
        subject_types=_named(content.get("subject_types")),
        categories=_named(content.get("categories")),
        agencies_involved=tuple(
            model.AgencyRole(role=a["role"], name=a["name"], code=a.get("code"))
            for a in content.get("agencies_involved") or ()
        ),
        keywords=tuple(content.get("keywords") or ()),
        returning_methods=tuple(content.get("returning_methods") or ()),
        variants=tuple(
            model.Variant(code=v.get("code"), name=v["name"], time=_time(v.get("processing_time")))
            for v in content.get("variants") or ()
        ),
        offline_only=content.get("offline_only"),
        state=content.get("state"),
        description=content.get("description"),
        edition=edition,
    )


def content_from_rows(
    row: Mapping[str, Any], components: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The native content of a procedure stored before editions existed (migration 0005
    and procedures written without an edition): the `procedures` row and its
    `procedure_components` rows, with JSON columns already decoded."""
    notes = [n for n in row.get("notes") or [] if isinstance(n, str)]
    flags: dict[str, Any] = {}
    for item in row.get("notes") or []:
        if isinstance(item, dict):
            flags.update(item.get("flags", {}))
    content: dict[str, Any] = {
        "key": row["key"],
        "code": row.get("code"),
        "name": row["name"],
        "agency": row["agency_code"],
        "field": row["field_code"],
        "online_level": row.get("online_level"),
        "channels": list(row.get("channels") or []),
        "components": None
        if flags.get("components_known") is False
        else [
            {
                k: v
                for k, v in {
                    "code": c["code"],
                    "name": c["name"],
                    "required": c.get("required"),
                    "originals": c.get("originals"),
                    "copies": c.get("copies"),
                    "template": c.get("template"),
                    "accepted_types": list(c.get("accepted_types") or []) or None,
                    "max_size": c.get("max_size"),
                    "case": c.get("case"),
                    "note": c.get("note"),
                }.items()
                if v is not None
            }
            for c in components
        ],
        "results": None if flags.get("results_known") is False else list(row.get("results") or []),
        "legal_basis": list(row.get("legal_basis") or []),
        "conditions": row.get("conditions"),
        "notes": notes,
    }
    if row.get("dvcqg_page_id") is not None:
        content["dvcqg_page_id"] = row["dvcqg_page_id"]
    return content
