from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig


def test_etag_gives_304_and_a_changed_file_a_new_etag(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text(
        json.dumps(
            {
                "format_version": 1,
                "agencies": [],
                "fields": [],
                "procedures": [{"key": "A", "name": "Thủ tục A"}],
            }
        )
    )
    app = create_app(SandboxConfig(tmp_path / "sb", catalog_file=catalog))
    with TestClient(app, base_url="http://127.0.0.1:8765") as api:
        first = api.get("/v1/catalog")
        assert first.json()["procedures"][0]["name"] == "Thủ tục A"
        etag = first.headers["etag"]
        assert api.get("/v1/catalog", headers={"If-None-Match": etag}).status_code == 304
        catalog.write_text(
            json.dumps({"format_version": 1, "agencies": [], "fields": [], "procedures": []})
        )
        changed = api.get("/v1/catalog", headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        catalog.write_text("{ hỏng")
        assert api.get("/v1/catalog").json() == {
            "format_version": 1,
            "agencies": [],
            "fields": [],
            "procedures": [],
        }
    app.state.sandbox.close()
