"""What the OpenAPI document adds to FastAPI's own: the schemas of the answers that do
not come from a response model (problems, RFC 6749 token errors, the token request)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from desktop.portal.contract import PROBLEM_MEDIA_TYPE, UPLOAD_MEDIA_TYPE, Problem


class TokenRequest(BaseModel):
    """POST /v1/auth/token, form-encoded (RFC 6749 §4.3 and §6); no parameter twice."""

    model_config = ConfigDict(extra="allow")

    grant_type: str = Field(description="password or refresh_token")
    username: str | None = Field(default=None, description="with grant_type=password")
    password: str | None = Field(default=None, description="with grant_type=password")
    refresh_token: str | None = Field(default=None, description="with grant_type=refresh_token")


class OAuthError(BaseModel):
    """RFC 6749 §5.2 error of the token endpoint; also a problem document (code, status)."""

    error: str = Field(description="invalid_request, invalid_grant or unsupported_grant_type")
    error_description: str
    type: str
    title: str
    status: int
    code: str
    params: dict[str, Any] = Field(default_factory=dict)


def _schemas() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in (Problem, OAuthError, TokenRequest):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out.update(schema.pop("$defs", {}))
        out[model.__name__] = schema
    return out


PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
UNSAFE = {"post", "put", "patch", "delete"}
TOKEN_PATH = "/v1/auth/token"  # noqa: S105 (a path)
UPLOAD_PATH = "/v1/uploads/{upload_id}"
# What every operation may answer whatever its route does (middlewares, validation).
COMMON = {
    "413": "request body over 1 MiB (uploads: over the declared file size)",
    "421": "Host is not 127.0.0.1, localhost or [::1]",
    "503": "a fault switch of the sandbox is on (Retry-After says when to retry)",
}
UPLOAD_ERRORS = {
    "400": "Upload-Checksum names an unsupported algorithm or is not base64",
    "404": "no such upload (or not this account's)",
    "409": "Upload-Offset is not the server's offset, or another PATCH is running",
    "410": "the upload expired; PUT the dossier again to renew it",
    "412": "Tus-Resumable is not 1.0.0",
    "415": "Content-Type is not application/offset+octet-stream",
    "422": "the file's SHA-256 differs from the manifest at completion (reset to 0)",
    "460": "Upload-Checksum does not match the bytes of this PATCH (offset unchanged)",
}


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": PROBLEM}


def _document_errors(path: str, method: str, operation: dict[str, Any]) -> None:
    """Every error status this operation really answers, each a Problem document."""
    responses: dict[str, Any] = operation.setdefault("responses", {})
    wanted = dict(COMMON)
    if method in UNSAFE:
        wanted["403"] = "Origin names another site"
    if operation.get("security"):
        wanted["401"] = "no, unknown or expired bearer token (WWW-Authenticate says which)"
    if "{" in path:
        wanted["404"] = "no such resource for this account"
    if path == UPLOAD_PATH:
        wanted.update(UPLOAD_ERRORS)
    if path != TOKEN_PATH:
        wanted.setdefault("422", "the request does not follow API v1 (errors: [{loc, msg}])")
    if "requestBody" in operation and path != TOKEN_PATH:
        wanted["400"] = "the body cannot be parsed (not JSON, or not UTF-8)"
    if method == "head":  # no body, so no content
        for status, description in wanted.items():
            responses.setdefault(status, {"description": description})
        for entry in responses.values():
            entry.pop("content", None)
        return
    for status, description in wanted.items():
        entry = responses.setdefault(status, _problem_response(description))
        if _answers_html(operation):
            entry["content"] = {"text/html": {"schema": {"type": "string"}}}
            continue  # pages for people (the activation link) answer HTML
        if status.startswith(("4", "5")) and not (path == TOKEN_PATH and status in ("400", "429")):
            entry["content"] = PROBLEM


def _answers_html(operation: dict[str, Any]) -> bool:
    ok = operation.get("responses", {}).get("200", {}).get("content", {})
    return "text/html" in ok


def _upload_content_type(operation: dict[str, Any]) -> None:
    """The PATCH body's media type as the schema says it (415 for anything else);
    Content-Length is HTTP's own header, not a parameter of the API."""
    operation["parameters"] = [
        p
        for p in operation.get("parameters", [])
        if not (p.get("in") == "header" and p.get("name", "").lower() == "content-length")
    ]
    operation["requestBody"] = {
        "required": True,
        "content": {UPLOAD_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    }
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name", "").lower() == (
            "upload-checksum"
        ):
            parameter["description"] = "tus checksum extension: `sha256 <base64 digest>`"
            parameter["schema"] = {
                "type": "string",
                "pattern": r"^(sha256|sha1) [A-Za-z0-9+/]+={0,2}$",
            }
        if parameter.get("in") == "header" and parameter.get("name", "").lower() == "content-type":
            parameter["schema"] = {
                "type": "string",
                "pattern": r"^application/offset\+octet-stream(;.*)?$",
            }


def _add_head(paths: dict[str, Any]) -> None:
    """HEAD is answered on every GET endpoint (portal_sandbox/head.py)."""
    for item in paths.values():
        if "get" in item and "head" not in item:
            get = item["get"]
            item["head"] = {
                "summary": f"{get.get('summary', '')} (headers only)".strip(),
                "operationId": f"{get.get('operationId', 'get')}_head",
                "parameters": get.get("parameters", []),
                "security": get.get("security", []),
                "responses": {s: {"description": r.get("description", "")}
                              for s, r in get.get("responses", {}).items()},
            }  # fmt: skip
            if not item["head"]["security"]:
                del item["head"]["security"]
            if not item["head"]["parameters"]:
                del item["head"]["parameters"]


def _state_limits(components: dict[str, Any], max_file_size: int) -> None:
    """The sandbox's file size limit in the manifest's schema (413 above it)."""
    entry = components.get("FileManifestEntry", {}).get("properties", {}).get("size")
    if entry is not None:
        entry["maximum"] = max_file_size
        entry["description"] = f"bytes; at most {max_file_size} (the portal's file limit)"


def install(app: FastAPI, max_file_size: int | None = None) -> None:
    """Make `app.openapi()` tell the truth: the extra schemas, HEAD on GET endpoints, and
    every error status each endpoint answers as a Problem (served and in
    docs/openapi.json)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(_schemas())
            for name in ("HTTPValidationError", "ValidationError"):
                components.pop(name, None)
            if max_file_size is not None:
                _state_limits(components, max_file_size)
            _add_head(schema["paths"])
            for path, item in schema["paths"].items():
                for method, operation in item.items():
                    _document_errors(path, method, operation)
            if "patch" in schema["paths"].get(UPLOAD_PATH, {}):
                _upload_content_type(schema["paths"][UPLOAD_PATH]["patch"])
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
