"""Where PKCS#11 token drivers of Vietnamese CAs usually live (see docs/signing.md).

"Known candidates" only: these are paths the CAs' installers are reported to use. The
ones marked `verified=False` were not checked against a real installer; a configured
path (setting `pkcs11_modules`) always comes first.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath


@dataclass(frozen=True)
class ModuleCandidate:
    path: str
    vendor: str
    platform: str  # "win32" or "linux"
    verified: bool


_SYSTEM32 = str(PureWindowsPath(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32")

KNOWN_CANDIDATES: tuple[ModuleCandidate, ...] = (
    # Generic token middleware that Vietnamese CAs ship their USB tokens with.
    ModuleCandidate(_SYSTEM32 + r"\eTPKCS11.dll", "SafeNet/Thales eToken", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\ShuttleCsp11_3003.dll", "Feitian ePass2003", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\opensc-pkcs11.dll", "OpenSC", "win32", False),
    # CA-branded drivers (names as the CAs' token managers install them; unverified).
    ModuleCandidate(_SYSTEM32 + r"\vnpt-ca_csp11.dll", "VNPT-CA", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\viettel-ca_v6.dll", "Viettel-CA", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\BkavCA.dll", "BKAV-CA", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\fpt-ca.dll", "FPT-CA", "win32", False),
    ModuleCandidate(_SYSTEM32 + r"\gcapkcs11.dll", "Ban Cơ yếu (GCA)", "win32", False),
    # Linux
    ModuleCandidate("/usr/lib/libeTPkcs11.so", "SafeNet/Thales eToken", "linux", False),
    ModuleCandidate("/usr/lib/libcastle.so.1.0.0", "Feitian ePass2003", "linux", False),
    ModuleCandidate("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so", "OpenSC", "linux", True),
    ModuleCandidate("/usr/lib/opensc-pkcs11.so", "OpenSC", "linux", False),
    ModuleCandidate("/usr/lib/vnpt-ca/libvnpt-ca_p11.so", "VNPT-CA", "linux", False),
    ModuleCandidate("/usr/lib/viettel-ca/libviettel-ca_p11.so", "Viettel-CA", "linux", False),
    ModuleCandidate("/usr/lib/softhsm/libsofthsm2.so", "SoftHSM2 (tests)", "linux", True),
)


def find_modules(configured: Iterable[str] = (), *, platform: str | None = None) -> list[Path]:
    """Existing module files: the configured ones first, then the known candidates."""
    platform = platform or ("win32" if sys.platform == "win32" else "linux")
    seen: list[Path] = []
    paths = [*configured, *(c.path for c in KNOWN_CANDIDATES if c.platform == platform)]
    for raw in paths:
        path = Path(raw)
        if path.is_file() and path not in seen:
            seen.append(path)
    return seen
