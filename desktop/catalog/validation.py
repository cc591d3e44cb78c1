"""Checks of a parsed catalog: the JSON Schema, then meaning.

Every problem is named by its path in the file (`procedures[3].components[1].name`)
with a stable code (desktop.catalog.problems), so the CLI can list them all at once and
a script can read them. Nothing here touches the database: the caller passes the
agency and field codes that already exist, which a file may refer to without
repeating them.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from desktop.catalog.problems import (
    MAX_COUNTED,
    MAX_PROBLEMS,
    P_BAD_DATE,
    P_DATE_ORDER,
    P_DUPLICATE,
    P_EMPTY,
    P_ENUM,
    P_FORMAT_VERSION,
    P_MANY_MORE,
    P_MISSING,
    P_MORE,
    P_PATTERN,
    P_RANGE,
    P_SCHEMA,
    P_SUCCESSOR_CYCLE,
    P_TOO_LONG,
    P_TYPE,
    P_UNKNOWN_AGENCY,
    P_UNKNOWN_COMPONENT,
    P_UNKNOWN_FIELD,
    P_UNKNOWN_PROPERTY,
    Problem,
    format_path,
    more_problems,
)
from desktop.catalog.resources import SCHEMA_PATH


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    # Resolving "$ref" on every node halves the speed of validating a large catalog;
    # the schema has no recursion, so it is inlined once.
    return Draft202012Validator(_inline_refs(schema, schema.get("$defs", {})))


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with every local `{"$ref": "#/$defs/name"}` replaced by its definition."""
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    inlined = {k: _inline_refs(v, defs) for k, v in node.items() if k not in ("$ref", "$defs")}
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {**_inline_refs(defs[ref.removeprefix("#/$defs/")], defs), **inlined}
    return inlined


def schema_problems(data: Any) -> list[Problem]:
    """Problems found by the JSON Schema (resources/catalog.schema.json)."""
    problems: dict[tuple[str, str], Problem] = {}
    errors = _validator().iter_errors(data)
    for error in errors:
        for problem in _from_schema_error(error):
            problems.setdefault((problem.path, problem.code), problem)
        if len(problems) >= MAX_PROBLEMS:
            # A file wrong everywhere (a million errors took 1.9 GB and 95 s): stop here
            # and count the rest cheaply, without building their problems.
            more = sum(1 for _ in itertools.islice(errors, MAX_COUNTED))
            found = sorted(problems.values(), key=lambda p: _sort_key(p.path))[:MAX_PROBLEMS]
            return [*found, more_problems(more)] if more else found
    return sorted(problems.values(), key=lambda p: _sort_key(p.path))


def _sort_key(path: str) -> list[Any]:
    # Numeric order of indexes: procedures[10] comes after procedures[9].
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


_TYPE_NAMES = {
    "string": "chuỗi",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true/false",
    "array": "danh sách",
    "object": "đối tượng",
    "null": "null",
}


def _from_schema_error(error: ValidationError) -> list[Problem]:
    parts = list(error.absolute_path)
    here = format_path(parts)
    instance = error.instance
    kind = error.validator
    if kind == "required":
        return [
            Problem(format_path([*parts, name]), P_MISSING)
            for name in error.validator_value
            if isinstance(instance, dict) and name not in instance
        ]
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = [k for k in instance if k not in known and not str(k).startswith("x-")]
        return [Problem(format_path([*parts, k]), P_UNKNOWN_PROPERTY) for k in extra]
    if kind == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        return [Problem(here, P_TYPE, {"expected": " hoặc ".join(_TYPE_NAMES[n] for n in names)})]
    if kind in ("const", "enum") and parts == ["format_version"]:
        return [Problem(here, P_FORMAT_VERSION, {"value": json.dumps(instance)})]
    if kind == "enum":
        allowed = ", ".join(json.dumps(v, ensure_ascii=False) for v in error.validator_value)
        value = json.dumps(instance, ensure_ascii=False)
        return [Problem(here, P_ENUM, {"value": value, "allowed": allowed})]
    if kind == "minLength":
        return [Problem(here, P_EMPTY)]
    if kind == "maxLength":
        return [Problem(here, P_TOO_LONG, {"maximum": error.validator_value})]
    if kind == "pattern":
        expected = "chữ, số, '.', '-', '_'" if "A-Za-z0-9" in str(error.validator_value) else ""
        if "[0-9]{4}" in str(error.validator_value):
            expected = "YYYY-MM-DD"
        if "/" in str(error.validator_value):
            expected = "kiểu MIME, ví dụ application/pdf"
        return [Problem(here, P_PATTERN, {"value": json.dumps(instance), "expected": expected})]
    if kind == "minimum":
        return [Problem(here, P_RANGE, {"value": instance, "minimum": error.validator_value})]
    return [Problem(here, P_SCHEMA, {"detail": error.message})]


def _objects(value: Any) -> list[dict[str, Any]]:
    """The objects of a list that may be broken (the schema names what is wrong with
    it; the checks of meaning look at what is there)."""
    return (
        [item if isinstance(item, dict) else {} for item in value]
        if isinstance(value, list)
        else []
    )


def semantic_problems(
    data: Any,
    known_agencies: Iterable[str] = (),
    known_fields: Iterable[str] = (),
) -> list[Problem]:
    """Problems of meaning: duplicates, dangling references, impossible dates, loops of
    successors, cases naming components that do not exist. Runs on any shape (what
    is broken is skipped here; the schema reports it), so every problem is listed at
    once."""
    problems: list[Problem] = []
    data = data if isinstance(data, dict) else {}
    agencies = _objects(data.get("agencies"))
    fields = _objects(data.get("fields"))
    procedures = _objects(data.get("procedures"))
    agency_codes = _unique(agencies, "agencies", "code", problems) | set(known_agencies)
    field_codes = _unique(fields, "fields", "code", problems) | set(known_fields)
    _unique(procedures, "procedures", "key", problems)

    problems.extend(_agency_problems(agencies, agency_codes))
    _procedure_problems(procedures, agency_codes, field_codes, problems)
    return problems


def _agency_problems(agencies: list[dict[str, Any]], agency_codes: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    successors: dict[str, str] = {}
    for i, agency in enumerate(agencies):
        dates: dict[str, date] = {}
        for name in ("valid_from", "valid_to"):
            value = agency.get(name)
            if not isinstance(value, str):
                continue
            try:
                dates[name] = date.fromisoformat(value)
            except ValueError:
                problems.append(Problem(f"agencies[{i}].{name}", P_BAD_DATE, {"value": value}))
        if (
            "valid_from" in dates
            and "valid_to" in dates
            and dates["valid_from"] > dates["valid_to"]
        ):
            problems.append(
                Problem(
                    f"agencies[{i}].valid_from",
                    P_DATE_ORDER,
                    {"start": agency["valid_from"], "end": agency["valid_to"]},
                )
            )
        for name in ("parent", "successor"):
            value = agency.get(name)
            if isinstance(value, str) and value not in agency_codes:
                problems.append(
                    Problem(f"agencies[{i}].{name}", P_UNKNOWN_AGENCY, {"value": value})
                )
        if isinstance(agency.get("successor"), str) and isinstance(agency.get("code"), str):
            successors[agency["code"]] = agency["successor"]
    problems.extend(_successor_loops(agencies, successors))
    return problems


def _procedure_problems(
    procedures: list[dict[str, Any]],
    agency_codes: set[str],
    field_codes: set[str],
    problems: list[Problem],
) -> None:
    for i, procedure in enumerate(procedures):
        here = f"procedures[{i}]"
        agency_code = procedure.get("agency")
        if isinstance(agency_code, str) and agency_code not in agency_codes:
            problems.append(Problem(f"{here}.agency", P_UNKNOWN_AGENCY, {"value": agency_code}))
        field_code = procedure.get("field")
        if isinstance(field_code, str) and field_code not in field_codes:
            problems.append(Problem(f"{here}.field", P_UNKNOWN_FIELD, {"value": field_code}))
        codes = _unique(
            _objects(procedure.get("components")), f"{here}.components", "code", problems
        )
        # Several channel rows of one kind are allowed (one per case or stage).
        cases = _objects(procedure.get("cases"))
        _unique(cases, f"{here}.cases", "code", problems)
        for c, case in enumerate(cases):
            listed = case.get("components")
            for n, code in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(code, str) and code not in codes:
                    problems.append(
                        Problem(
                            f"{here}.cases[{c}].components[{n}]",
                            P_UNKNOWN_COMPONENT,
                            {"value": code},
                        )
                    )


def _unique(items: list[dict[str, Any]], where: str, key: str, problems: list[Problem]) -> set[str]:
    first: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = item.get(key)
        if not isinstance(value, str | int) or isinstance(value, bool):
            continue  # missing or of the wrong type: the schema says so
        if value in first:
            problems.append(
                Problem(
                    f"{where}[{i}].{key}",
                    P_DUPLICATE,
                    {
                        "value": json.dumps(value, ensure_ascii=False),
                        "other": f"{where}[{first[value]}]",
                    },
                )
            )
        else:
            first[value] = i
    return {v for v in first if isinstance(v, str)}


def _successor_loops(agencies: list[dict[str, Any]], successors: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for i, agency in enumerate(agencies):
        chain = [agency["code"]]
        current = successors.get(agency["code"])
        while current is not None and current not in chain:
            chain.append(current)
            current = successors.get(current)
        if current is not None and agency["code"] not in reported:
            reported.update(chain)
            problems.append(
                Problem(
                    f"agencies[{i}].successor",
                    P_SUCCESSOR_CYCLE,
                    {"chain": " → ".join([*chain, current])},
                )
            )
    return problems


def validate(
    data: Any, known_agencies: Iterable[str] = (), known_fields: Iterable[str] = ()
) -> list[Problem]:
    """Every problem of a parsed catalog at once: those of shape (the schema), then
    those of meaning (duplicates, references), each path and code once."""
    problems = schema_problems(data)
    if problems and problems[-1].code in (P_MORE, P_MANY_MORE):
        return problems  # wrong everywhere: the first thousand say enough
    try:
        meaning = semantic_problems(data, known_agencies, known_fields)
    except (KeyError, TypeError, AttributeError, ValueError):
        if not problems:
            raise
        # Meaning is read from the shape; where the shape is broken its problems say why.
        meaning = []
    seen = {(p.path, p.code) for p in problems}
    for problem in meaning:
        if (problem.path, problem.code) not in seen:
            seen.add((problem.path, problem.code))
            problems.append(problem)
    return problems
