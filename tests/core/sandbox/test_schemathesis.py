"""schemathesis against the published OpenAPI document, every check on, over real HTTP
on 127.0.0.1: every status, content type, header and body the sandbox answers is the one
the document states. Bounded: a fixed number of examples per operation, fixed seed."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from portal_sandbox.config import SandboxConfig
from portal_sandbox.server import ThreadedSandbox

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "20"))
_DATA = Path(tempfile.mkdtemp(prefix="dvc-schemathesis-"))
SERVER = ThreadedSandbox(SandboxConfig(_DATA / "sandbox")).start()


def _token() -> str:
    with httpx.Client(base_url=SERVER.url, timeout=20) as http:
        http.post("/v1/accounts", json={
            "username": "xa-schema", "email": "schema@example.vn", "password": "mat-khau-123",
            "full_name": "UBND xã Schema", "phone": "0912345678"}).raise_for_status()  # fmt: skip
        mail = http.get("/sandbox/mail.json", headers=SERVER.secret_headers).json()[0]
        http.get(mail["link"]).raise_for_status()
        login = {"grant_type": "password", "username": "xa-schema", "password": "mat-khau-123"}
        token: str = http.post("/v1/auth/token", data=login).json()["access_token"]
        return token


HEADERS = {"Authorization": f"Bearer {_token()}", "Tus-Resumable": "1.0.0"}
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            # Schema-valid data may still break a rule no JSON Schema can say (a file_id
            # used twice, a dossier of another state): 422 and 410 are honest answers;
            # tus answers 400 for a checksum it cannot use (schemathesis does not apply
            # header patterns when it makes "valid" headers).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "410",
                                      "412", "422", "429", "5xx"],
            },
            # A file over the size limit is refused with 413, as the document says.
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "406", "409", "413",
                                      "415", "422", "428", "429", "5xx"],
            },
        }
    }
)  # fmt: skip
# tus bodies are raw bytes, sent as application/octet-stream is.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
schema = schemathesis.openapi.from_url(f"{SERVER.url}/openapi.json", config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def _stop_the_server() -> Iterator[None]:
    yield
    SERVER.stop()
    shutil.rmtree(_DATA, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_does_what_its_document_says(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=HEADERS)


# Stateful: schemathesis chains calls by the links it infers from the document (a dossier
# created by POST is read, amended and followed by the operations that take its id), with
# every check on each step.
Workflow = schema.as_state_machine()


class _Workflow(Workflow):  # type: ignore[misc,valid-type]
    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
        return {"headers": HEADERS}


def test_chains_of_calls_keep_what_the_document_says() -> None:
    # The links exist (a dossier PUT feeds its submission, GET feeds results), so the chains
    # really reach past the first call.
    chained = [name for name in dir(Workflow) if "__POST_v1_dossiers_uuid_submission" in name]
    assert len(chained) >= 2, "schemathesis found no links to chain calls"
    _Workflow.run(
        settings=settings(
            max_examples=max(EXAMPLES // 2, 5),
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )
