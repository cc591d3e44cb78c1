"""GET /v1/catalog: the bundled catalog snapshot, read at request time, with an ETag.
GET /v1/catalog/procedures: the catalog in the national portal's own record format
(the 20 real records plus generated ones, or a folder of records), with an ETag."""

from __future__ import annotations

import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response

from desktop.portal.contract import CatalogDocument
from portal_sandbox.state import Sandbox, get_sandbox

log = logging.getLogger(__name__)
router = APIRouter()

BUNDLED_CATALOG = Path(__file__).resolve().parents[1] / "resources" / "catalog" / "so-y-te.json"
# The shape of resources/catalog.schema.json with nothing in it.
EMPTY_CATALOG: dict[str, Any] = {
    "format_version": 1,
    "agencies": [],
    "fields": [],
    "procedures": [],
}


def catalog_bytes(path: Path) -> bytes:
    """The snapshot's bytes, or an empty catalog of the same shape if it is missing/broken."""
    try:
        data = path.read_bytes()
        parsed = json.loads(data)
    except (OSError, ValueError) as exc:
        log.warning("catalog %s unusable (%s); serving an empty catalog", path, exc)
    else:
        if isinstance(parsed, dict):
            return data
        log.warning("catalog %s is not a JSON object; serving an empty catalog", path)
    return json.dumps(EMPTY_CATALOG).encode()


def catalog_procedure(path: Path, code: str | None) -> dict[str, Any] | None:
    """The procedure with `code` in the snapshot, if any (to compute appointment dates)."""
    if not code:
        return None
    procedures = json.loads(catalog_bytes(path)).get("procedures", [])
    for procedure in procedures if isinstance(procedures, list) else []:
        if isinstance(procedure, dict) and code in (procedure.get("code"), procedure.get("key")):
            return procedure
    return None


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 §13.1.2: `*` matches any current representation, and the comparison is
    weak (`W/"x"` matches `"x"`)."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


@router.get(
    "/v1/catalog",
    name="catalog",
    response_model=CatalogDocument,
    responses={304: {"description": "not modified (If-None-Match matched the ETag)"}},
)
def catalog(
    sandbox: Annotated[Sandbox, Depends(get_sandbox)],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Agencies, fields and procedures with components and fees; no token needed."""
    data = catalog_bytes(sandbox.config.catalog_file or BUNDLED_CATALOG)
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match and _matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type="application/json", headers=headers)


@lru_cache(maxsize=4)
def _generated(count: int) -> bytes:
    from portal_sandbox.catalog_gen import catalog as generated_catalog

    return json.dumps(generated_catalog(count), ensure_ascii=False).encode("utf-8")


def records_bytes(folder: Path | None, count: int) -> bytes:
    """The records served: those of `folder` (each *.json one record, broken ones
    skipped with a warning) or the generated catalog of `count` procedures."""
    if folder is None:
        return _generated(count)
    records = []
    for path in sorted(folder.glob("*.json")):
        try:
            records.append(json.loads(path.read_bytes()))
        except (OSError, ValueError) as exc:
            log.warning("catalog record %s unusable (%s); skipped", path, exc)
    return json.dumps(records, ensure_ascii=False).encode("utf-8")


@router.get(
    "/v1/catalog/procedures",
    name="catalog_procedures",
    responses={
        200: {"description": "a JSON array of procedure records in the national portal's format"},
        304: {"description": "not modified (If-None-Match matched the ETag)"},
    },
)
def catalog_procedures(
    sandbox: Annotated[Sandbox, Depends(get_sandbox)],
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Every procedure as the national procedure database publishes it; no token needed."""
    config = sandbox.config
    data = records_bytes(config.catalog_records_dir, config.catalog_procedures)
    etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(content=data, media_type="application/json", headers=headers)
