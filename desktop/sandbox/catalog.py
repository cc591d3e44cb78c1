"""GET /v1/catalog: the bundled catalog snapshot, read at request time, with an ETag."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Response

from desktop.portal.contract import CatalogDocument
from desktop.sandbox.state import Sandbox, get_sandbox

log = logging.getLogger(__name__)
router = APIRouter()

BUNDLED_CATALOG = Path(__file__).resolve().parents[2] / "resources" / "catalog" / "so-y-te.json"
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
