"""Generate docs/openapi.json from the sandbox, which serves the API v1 contract.

    python -m portal_sandbox.openapi [docs/openapi.json]

tests/core/sandbox/test_openapi.py fails when the committed document is stale.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from portal_sandbox.app import create_app
from portal_sandbox.config import SandboxConfig

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def document() -> dict[str, Any]:
    """The OpenAPI document of API v1 as the sandbox implements it."""
    with tempfile.TemporaryDirectory(prefix="dvc-openapi-") as scratch:
        app = create_app(SandboxConfig(Path(scratch)))
        try:
            return app.openapi()
        finally:
            app.state.sandbox.close()


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write(path: Path = DEFAULT_PATH) -> Path:
    path.write_text(render(), encoding="utf-8")
    return path


if __name__ == "__main__":
    target = write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
    sys.stdout.write(f"wrote {target}\n")
