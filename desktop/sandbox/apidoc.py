"""What the OpenAPI document adds to FastAPI's own: the schemas of the answers that do
not come from a response model (problems, RFC 6749 token errors, the token request)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from desktop.portal.contract import Problem


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


def install(app: FastAPI) -> None:
    """Make `app.openapi()` include the extra schemas (served and in docs/openapi.json)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("schemas", {}).update(_schemas())
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
