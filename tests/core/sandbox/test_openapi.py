from __future__ import annotations

from portal_sandbox import openapi


def test_docs_openapi_json_is_up_to_date() -> None:
    committed = openapi.DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == openapi.render(), (
        "docs/openapi.json is stale: run `python -m portal_sandbox.openapi`"
    )


def test_the_document_covers_every_operation_of_api_v1() -> None:
    paths = openapi.document()["paths"]
    assert set(paths["/v1/dossiers/{uuid}"]) == {"put", "get", "head"}  # HEAD on every GET
    assert set(paths["/v1/uploads/{upload_id}"]) == {"head", "patch"}
    for path in (
        "/v1/health",
        "/v1/accounts",
        "/v1/auth/token",
        "/v1/catalog",
        "/v1/dossiers",
        "/v1/dossiers/{uuid}/submission",
        "/v1/dossiers/{uuid}/supplements/{sid}",
        "/v1/dossiers/{uuid}/payments",
        "/v1/payments/{ref}",
        "/v1/dossiers/{uuid}/results/{rid}",
    ):
        assert path in paths
