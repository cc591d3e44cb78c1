"""An encrypted file keyring, for machines without an OS keyring (a Linux desktop
without Secret Service, a headless batch server).

Chosen explicitly by the clerk (setting `credential_store = encrypted-file`), never as a
silent fallback, and never plaintext: the entries are one JSON document encrypted with
AES-256-GCM under a key derived from a master password by scrypt (n=2^15, r=8, p=1; a
fresh salt and nonce on every write). The master password is asked once per session
(the derived key stays in this object's memory) and is never stored. The file is
written atomically, mode 0600.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from desktop.atomic import atomic_output
from desktop.errors import UserError, define

VERSION = 1
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1

E_WRONG_MASTER_PASSWORD = define(
    "portal.wrong_master_password",
    vi="Mật khẩu chính không đúng: không mở được tệp khoá mã hoá {path}. Hãy nhập lại.",
    en="Wrong master password: the encrypted key file {path} could not be opened. Try again.",
)
E_KEY_FILE_DAMAGED = define(
    "portal.key_file_damaged",
    vi="Tệp khoá mã hoá {path} bị hỏng. Hãy chuyển nó đi rồi đăng nhập lại cổng dịch vụ công.",
    en="The encrypted key file {path} is damaged. Move it away and log in to the portal again.",
)
E_EMPTY_MASTER_PASSWORD = define(
    "portal.empty_master_password",
    vi="Chưa nhập mật khẩu chính cho tệp khoá mã hoá.",
    en="No master password was given for the encrypted key file.",
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        password.encode("utf-8")
    )


class EncryptedFileKeyring(KeyringBackend):
    """keyring's backend API over one encrypted file; `master_password` is called at most
    once, when the file is first read or written."""

    priority = 0  # never chosen by keyring on its own

    def __init__(self, path: Path, master_password: Callable[[], str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = path
        self._ask = master_password
        self._lock = threading.Lock()
        self._password: str | None = None
        self._entries: dict[str, dict[str, str]] | None = None

    # --- the file ----------------------------------------------------------------------

    def _unlock(self) -> dict[str, dict[str, str]]:
        if self._entries is not None:
            return self._entries
        password = self._password or self._ask()
        if not password:
            raise UserError(E_EMPTY_MASTER_PASSWORD)
        if not self.path.exists():
            self._password, self._entries = password, {}
            return self._entries
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            salt = base64.b64decode(document["salt"])
            nonce = base64.b64decode(document["nonce"])
            sealed = base64.b64decode(document["ciphertext"])
        except (OSError, ValueError, KeyError, TypeError):
            raise UserError(E_KEY_FILE_DAMAGED, path=str(self.path)) from None
        try:
            plain = AESGCM(_derive(password, salt)).decrypt(nonce, sealed, b"dvc-desk")
        except InvalidTag:
            raise UserError(E_WRONG_MASTER_PASSWORD, path=str(self.path)) from None
        entries: dict[str, dict[str, str]] = json.loads(plain)
        self._password, self._entries = password, entries
        return entries

    def _write(self, entries: dict[str, dict[str, str]]) -> None:
        assert self._password is not None
        salt, nonce = os.urandom(16), os.urandom(12)
        plain = json.dumps(entries).encode("utf-8")
        sealed = AESGCM(_derive(self._password, salt)).encrypt(nonce, plain, b"dvc-desk")
        document: dict[str, Any] = {
            "version": VERSION,
            "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
            "cipher": "AES-256-GCM",
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "ciphertext": _b64(sealed),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(self.path) as handle:  # a temp file made 0600, then renamed
            handle.write(json.dumps(document).encode("utf-8"))

    # --- keyring's API -----------------------------------------------------------------

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._unlock().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            entries = self._unlock()
            entries.setdefault(service, {})[username] = password
            self._write(entries)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            entries = self._unlock()
            if username not in entries.get(service, {}):
                raise PasswordDeleteError(username)
            del entries[service][username]
            self._write(entries)
