"""The manifest: what a bundle holds (each entry's size and SHA-256), who wrote it, and
its signature by a key from any source the app has (.p12 file, PKCS#11 token).

The manifest is canonical JSON (sorted keys, no spaces, UTF-8); `manifest.sig` is the
raw signature of exactly those bytes (resources/bundle-manifest.schema.json).
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding

from desktop.bundles.names import entry_problem
from desktop.catalog.resources import resources_dir
from desktop.signing.certs import CertificateInfo, describe

if TYPE_CHECKING:
    from desktop.signing.keys import SigningKey

FORMAT = "dvc-desk-bundle"
VERSION = 1
DOSSIERS = "dossiers"
RETURNS = "returns"
SCHEMA_FILE = "bundle-manifest.schema.json"


@dataclass(frozen=True)
class Entry:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """A parsed, schema-checked manifest and the exact bytes that were signed."""

    data: dict[str, Any]
    raw: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def workspace(self) -> str:
        return str(self.data["workspace"])

    @property
    def target_workspace(self) -> str | None:
        value = self.data.get("target_workspace")
        return str(value) if value else None

    @property
    def sequence(self) -> int:
        return int(self.data["sequence"])

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.data["created_at"])

    @property
    def mtime(self) -> int:
        return int(self.created_at.timestamp())

    @property
    def entries(self) -> list[Entry]:
        return [Entry(e["name"], e["size"], e["sha256"]) for e in self.data["entries"]]

    @property
    def dossiers(self) -> list[str]:
        return [str(u) for u in self.data["dossiers"]]

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_der_x509_certificate(base64.b64decode(self.data["signer"]["certificate"]))

    @property
    def signer(self) -> CertificateInfo:
        return describe(self.certificate)


def canonical(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def build(
    *,
    kind: str,
    workspace: str,
    sequence: int,
    created_at: datetime,
    entries: list[Entry],
    dossiers: list[str],
    certificate: x509.Certificate,
    target_workspace: str | None = None,
) -> bytes:
    """The canonical bytes of a new manifest."""
    return canonical(
        {
            "format": FORMAT,
            "version": VERSION,
            "kind": kind,
            "workspace": workspace,
            "target_workspace": target_workspace,
            "sequence": sequence,
            "created_at": created_at.isoformat().replace("+00:00", "Z"),
            "entries": [{"name": e.name, "size": e.size, "sha256": e.sha256} for e in entries],
            "dossiers": dossiers,
            "signer": {
                "certificate": base64.b64encode(certificate.public_bytes(Encoding.DER)).decode(),
                "digest": "sha256",
            },
        }
    )


def sign(raw: bytes, key: SigningKey) -> bytes:
    return key.raw_sign(raw, "sha256")


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((resources_dir() / SCHEMA_FILE).read_text("utf-8"))
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    checker = jsonschema.validators.validator_for(schema())
    checker.check_schema(schema())
    validator: jsonschema.protocols.Validator = checker(schema())
    return validator


class ManifestError(Exception):
    """The manifest is not one dvc-desk could have written (a reason for the message)."""


class NewerFormatError(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def parse(raw: bytes) -> Manifest:
    """Check the manifest's shape (ManifestError, NewerFormatError); signature not checked."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ManifestError("manifest.json không phải JSON") from exc
    if (
        isinstance(data, dict)
        and isinstance(data.get("version"), int)
        and data.get("format") == FORMAT
        and data["version"] > VERSION
    ):
        raise NewerFormatError(data["version"])
    try:
        _validator().validate(data)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "manifest"
        raise ManifestError(f"manifest.json sai cấu trúc ở {where}") from exc
    for entry in data["entries"]:
        problem = entry_problem(entry["name"])
        if problem is not None:
            raise ManifestError(f"mục «{entry['name']}»: {problem}")
    try:
        manifest = Manifest(data, raw)
        # Parsed now: a broken certificate or time is a damaged manifest, not a crash later.
        manifest.certificate.public_key()
        manifest.signer  # noqa: B018
        manifest.created_at  # noqa: B018
    # A certificate from a stick can be broken in many ways; cryptography reports them
    # with several exception types (ValueError, UnsupportedAlgorithm, DuplicateExtension).
    except Exception as exc:
        raise ManifestError("chứng thư hoặc thời điểm trong manifest.json hỏng") from exc
    return manifest


def signature_valid(manifest: Manifest, signature: bytes) -> bool:
    """True when `signature` is the certificate key's signature of the manifest bytes."""
    key = manifest.certificate.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, manifest.raw, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, manifest.raw, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True
