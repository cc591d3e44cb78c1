"""Schemathesis-style fuzzing from docs/openapi.json: no input makes the sandbox answer 500.

Every operation of the document gets path parameters (real ids and random text), query
and header values, and JSON or form bodies (valid-looking, mutated, or arbitrary JSON).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal_sandbox import openapi
from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig

from .helpers import account, manifest, new_uuid

DOCUMENT = openapi.document()
OPERATIONS = [
    (path, method) for path, item in sorted(DOCUMENT["paths"].items()) for method in sorted(item)
]
SAFE_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + "-._~:@!$&'()*+,;=% ", max_size=40
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | SAFE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(SAFE_TEXT, inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = Path(tmp_path_factory.mktemp("fuzz"))
    config = SandboxConfig(data / "sandbox")
    app = create_app(config)
    with TestClient(app, base_url="http://127.0.0.1:8765") as api:
        api.headers.update({**config.secret_headers, "Tus-Resumable": "1.0.0"})
        auth = account(api, "xa-fuzz")
        uuid = new_uuid()
        body = manifest({"don": b"%PDF-1.4 fuzz"})
        created = api.put(f"/v1/dossiers/{uuid}", json=body, headers=auth).json()
        upload_id = created["files"][0]["upload_url"].rsplit("/", 1)[1]
        yield {"api": api, "auth": auth, "uuid": uuid, "upload_id": upload_id, "body": body}
    app.state.sandbox.close()


def _path_value(name: str, world: dict[str, Any]) -> st.SearchStrategy[str]:
    real = {"uuid": world["uuid"], "upload_id": world["upload_id"]}.get(name, "x1")
    return st.sampled_from([real, new_uuid(), "ABC", "0" * 64]) | SAFE_TEXT.filter(
        lambda text: text.strip() not in {"", ".", ".."} and "%" not in text
    )


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_input_gives_a_500(
    world: dict[str, Any], path: str, method: str, data: st.DataObject
) -> None:
    operation = DOCUMENT["paths"][path][method]
    url = path
    query: dict[str, str] = {}
    headers: dict[str, str] = dict(world["auth"]) if data.draw(st.booleans()) else {}
    for parameter in operation.get("parameters", []):
        name, where = parameter["name"], parameter["in"]
        if where == "path":
            url = url.replace("{" + name + "}", data.draw(_path_value(name, world)))
        elif data.draw(st.booleans()):
            value = data.draw(SAFE_TEXT | st.integers(-5, 10**6).map(str))
            if where == "query":
                query[name] = value
            elif where == "header":
                headers[name] = value
    kwargs: dict[str, Any] = {"params": query, "headers": headers}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        valid = world["body"]
        mutated = st.builds(
            lambda key, value: {**valid, key: value}, st.sampled_from(sorted(valid)), JSON
        )
        kwargs["json"] = data.draw(st.just(valid) | mutated | JSON)
    elif "application/x-www-form-urlencoded" in content:
        kwargs["data"] = data.draw(st.dictionaries(SAFE_TEXT, SAFE_TEXT, max_size=4))
    elif method == "patch":
        kwargs["content"] = data.draw(st.binary(max_size=64))
        headers.setdefault("Content-Type", "application/offset+octet-stream")
    response = world["api"].request(method.upper(), url, **kwargs)
    assert response.status_code < 500, (method, url, kwargs, response.text)
    answers_html = "text/html" in str(operation["responses"])
    if response.status_code >= 400 and method != "head" and not answers_html:
        # The token endpoint answers RFC 6749 errors as application/json (also a problem).
        oauth = path == "/v1/auth/token"
        expected = "application/json" if oauth else "application/problem+json"
        assert response.headers["content-type"].startswith(expected)
        assert "code" in response.json()
