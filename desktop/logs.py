"""Logging: a rotating file in the data dir, with secrets and ID numbers redacted."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE = "dvc-desk.log"

# 12-digit citizen IDs (CCCD); also inside longer digit runs we leave alone.
_ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
_SECRET_KV = re.compile(
    r"(?i)\b(password|passwd|pin|token|access_token|refresh_token|secret|authorization"
    r"|idempotency-key)(\"?\s*[:=]\s*\"?)(Bearer\s+)?([^\s\"',;&]+)"
)


def redact(text: str) -> str:
    """Hide secrets (password=..., token: ...) and 12-digit ID numbers."""
    text = _SECRET_KV.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}***", text)
    return _ID_NUMBER.sub(lambda m: m.group(0)[:2] + "*" * 8 + m.group(0)[-2:], text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup(log_dir: Path, level: str = "INFO", *, stderr: bool = False) -> Path:
    """Send the app's log to a rotating file (5 × 2 MB); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_dvc_desk", False):
            root.removeHandler(handler)
            handler.close()
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    file_handler.setFormatter(formatter)
    file_handler._dvc_desk = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    if stderr:
        console = logging.StreamHandler()
        console.setFormatter(formatter)
        console.setLevel(logging.WARNING)
        console._dvc_desk = True  # type: ignore[attr-defined]
        root.addHandler(console)
    root.setLevel(level)
    return path
