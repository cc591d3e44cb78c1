"""Signatures dvc-desk did not make: pyHanko's own API with its defaults, poppler's
`pdfsig -add-signature`, and hand-built malformed CMS (issue #11, item 6).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from asn1crypto import algos
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from signing_helpers import P12_PASSWORD, Identity, dummy_stamper
from validators import nss_db


def pyhanko_sign(
    source: Path,
    out: Path,
    identity: Identity,
    *,
    md: str = "sha256",
    field: str = "Foreign",
    timestamper: Any = None,
) -> Path:
    """Sign with pyHanko's SimpleSigner as another program would (no checks of ours)."""
    signer = signers.SimpleSigner.load_pkcs12(str(identity.p12), passphrase=P12_PASSWORD.encode())
    assert signer is not None
    _sign(source, out, signer, md=md, field=field, timestamper=timestamper)
    return out


def _sign(
    source: Path, out: Path, signer: Any, *, md: str, field: str, timestamper: Any = None
) -> None:
    with source.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=field, md_algorithm=md, subfilter=fields.SigSeedSubFilter.PADES
        )
        with out.open("wb") as target:
            signers.sign_pdf(writer, meta, signer=signer, output=target, timestamper=timestamper)


class LyingStamper:
    """An in-process TSA whose tokens carry the wrong message imprint."""

    def __new__(cls, pki: Any) -> Any:
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
        from signing_helpers import faulty_reply, make_tsa

        honest = dummy_stamper(*make_tsa(pki))

        class _Lying(DummyTimeStamper):  # type: ignore[misc]
            def request_tsa_response(self, req: Any) -> Any:
                return faulty_reply(honest, req, "wrong_imprint")

            async def async_request_tsa_response(self, req: Any) -> Any:
                return faulty_reply(honest, req, "wrong_imprint")

        return _Lying(tsa_cert=honest.tsa_cert, tsa_key=honest.tsa_key)


class _MislabelledSigner(signers.SimpleSigner):
    """An ECDSA signature whose CMS says rsassa_pkcs1v15, as endesive writes them."""

    def get_signature_mechanism_for_digest(self, digest_algorithm: Any) -> Any:
        return algos.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        key = self._ec_key
        return key.sign(data, ec.ECDSA(hashes.SHA256()))


def mislabelled_ecdsa_sign(source: Path, out: Path, identity: Identity) -> Path:
    signer = signers.SimpleSigner.load_pkcs12(str(identity.p12), passphrase=P12_PASSWORD.encode())
    assert signer is not None
    bad = _MislabelledSigner(
        signing_cert=signer.signing_cert,
        signing_key=signer.signing_key,
        cert_registry=signer.cert_registry,
    )
    bad._ec_key = identity.key  # type: ignore[attr-defined]
    _sign(source, out, bad, md="sha256", field="Endesive")
    return out


def poppler_sign(source: Path, out: Path, identity: Identity, folder: Path, root: Path) -> Path:
    """`pdfsig -add-signature` with the identity imported into an NSS database."""
    db = nss_db(folder, root)
    done = subprocess.run(
        ["pk12util", "-i", str(identity.p12), "-d", db, "-W", P12_PASSWORD,
         "-k", str(folder / "empty-password")],
        capture_output=True, text=True, check=False, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    nick = subprocess.run(
        ["pdfsig", "-nssdir", db, "-list-nicks", str(source)],
        capture_output=True, text=True, check=False, timeout=60, stdin=subprocess.DEVNULL,
    ).stdout.split("\n")  # fmt: skip
    names = [n.strip() for n in nick if n.strip() and "Certificate nicknames" not in n]
    done = subprocess.run(
        ["pdfsig", "-nssdir", db, "-add-signature", "-nick", names[0],
         "-new-signature-field-name", "Poppler", str(source), str(out)],
        capture_output=True, text=True, check=False, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
    return out
