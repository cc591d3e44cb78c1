"""Verdicts of validators we did not write: poppler's pdfsig (NSS) and `openssl cms`.

Each trusts only the root it is given, as a recipient who installed the national root
CA would: an NSS database holding that one root for pdfsig, `-CAfile` for openssl.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=120, check=False, stdin=subprocess.DEVNULL
    )


def nss_db(folder: Path, root_pem: Path) -> str:
    """An NSS database in `folder` that trusts `root_pem` (and nothing else)."""
    assert shutil.which("certutil"), "libnss3-tools is needed (scripts/system-deps.sh)"
    folder.mkdir(parents=True, exist_ok=True)
    db = f"sql:{folder}"
    if (folder / "cert9.db").exists():
        return db
    (folder / "empty-password").write_text("\n")
    done = _run("certutil", "-N", "-d", db, "-f", str(folder / "empty-password"))
    assert done.returncode == 0, done.stderr
    done = _run("certutil", "-A", "-d", db, "-n", "root", "-t", "CT,C,C", "-i", str(root_pem))
    assert done.returncode == 0, done.stderr
    return db


@dataclass(frozen=True)
class PdfsigVerdict:
    valid: bool  # "Signature is Valid."
    trusted: bool  # "Certificate is Trusted."
    text: str


def pdfsig_verdicts(path: Path, nssdir: str) -> list[PdfsigVerdict]:
    """pdfsig's verdict on each signature of `path`, trusting what `nssdir` trusts."""
    assert shutil.which("pdfsig"), "poppler-utils is needed (scripts/system-deps.sh)"
    done = _run("pdfsig", "-nssdir", nssdir, str(path))
    text = done.stdout + done.stderr
    blocks = re.split(r"\n(?=Signature #\d+:)", text)
    return [
        PdfsigVerdict(
            valid="Signature Validation: Signature is Valid." in block,
            trusted="Certificate Validation: Certificate is Trusted." in block,
            text=block,
        )
        for block in blocks
        if block.startswith("Signature #")
    ]


def openssl_cms_verify(path: Path, root_pem: Path, folder: Path) -> list[bool]:
    """`openssl cms -verify` (root only in -CAfile) on each signature's CMS and bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    verdicts = []
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        for index, sig in enumerate(reader.embedded_signatures):
            cms = folder / f"sig{index}.der"
            content = folder / f"sig{index}.bin"
            cms.write_bytes(bytes(sig.pkcs7_content))
            start1, length1, start2, length2 = sig.byte_range
            handle.seek(start1)
            data = handle.read(length1)
            handle.seek(start2)
            content.write_bytes(data + handle.read(length2))
            done = _run(
                "openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(cms),
                "-content", str(content), "-CAfile", str(root_pem), "-purpose", "any",
                "-out", "/dev/null",
            )  # fmt: skip
            verdicts.append(done.returncode == 0)
    return verdicts


def openssl_ts_verify(path: Path, root_pem: Path, folder: Path) -> list[bool]:
    """`openssl ts -verify` (root only) on every RFC 3161 token of `path`: each
    signature's timestamp (imprint: SHA-256 of its signature value) and each document
    timestamp (imprint: its signed byte ranges)."""
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    verdicts = []
    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        for index, sig in enumerate(reader.embedded_signatures):
            token = folder / f"tst{index}.der"
            if str(sig.sig_object.get("/Type", "")) == "/DocTimeStamp":
                token.write_bytes(bytes(sig.pkcs7_content))
                start1, length1, start2, length2 = sig.byte_range
                handle.seek(start1)
                data = handle.read(length1)
                handle.seek(start2)
                data += handle.read(length2)
                digest = hashlib.sha256(data).hexdigest()
            else:
                unsigned = sig.signer_info["unsigned_attrs"]
                stamps = [
                    a["values"][0]
                    for a in (unsigned if unsigned.native else [])
                    if a["type"].native == "signature_time_stamp_token"
                ]
                if not stamps:
                    continue
                token.write_bytes(stamps[0].dump())
                digest = hashlib.sha256(sig.signer_info["signature"].native).hexdigest()
            done = _run(
                "openssl", "ts", "-verify", "-digest", digest, "-in", str(token), "-token_in",
                "-CAfile", str(root_pem),
            )  # fmt: skip
            verdicts.append(done.returncode == 0 and "Verification: OK" in done.stdout)
    return verdicts
