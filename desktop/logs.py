"""Logging: a rotating file in the data dir, with secrets and ID numbers redacted."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from pathlib import Path

from desktop.errors import define, render

LOG_FILE = "dvc-desk.log"

E_LOG_TO_STDERR = define(
    "logs.to_stderr",
    vi="Không ghi được nhật ký vào {path} ({reason}); nhật ký được in ra màn hình (stderr).",
    en="Cannot write the log file {path} ({reason}); logging to stderr instead.",
)

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


def setup(log_dir: Path, level: str = "INFO", *, stderr: bool = False) -> Path | None:
    """Send the app's log to a rotating file (5 × 2 MB); returns the file's path.

    When the file cannot be opened (a read-only or full data dir) the log goes to
    stderr instead, said once, and None is returned: no command dies for its log.
    """
    path = log_dir / LOG_FILE
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_dvc_desk", False):
            root.removeHandler(handler)
            handler.close()
    # A log write that fails later (disk full) must not print a traceback of its own.
    logging.raiseExceptions = False
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler | None = logging.handlers.RotatingFileHandler(
            path, maxBytes=2 * 1024 * 1024, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:
        file_handler, reason = None, exc.strerror or type(exc).__name__
    if file_handler is not None:
        file_handler.setFormatter(formatter)
        file_handler._dvc_desk = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
    if stderr or file_handler is None:
        console = logging.StreamHandler()
        console.setFormatter(formatter)
        console.setLevel(logging.WARNING)
        console._dvc_desk = True  # type: ignore[attr-defined]
        root.addHandler(console)
    root.setLevel(level)
    if file_handler is None:
        sys.stderr.write(f"dvc-desk: {render(E_LOG_TO_STDERR, {'path': path, 'reason': reason})}\n")
        return None
    return path
