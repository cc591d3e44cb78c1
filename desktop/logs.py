"""Logging: a rotating file in the data dir, with secrets and ID numbers redacted."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import re
import sys
from pathlib import Path
from typing import Any

from desktop.errors import define, render

LOG_FILE = "dvc-desk.log"

E_LOG_TO_STDERR = define(
    "logs.to_stderr",
    vi="Không ghi được nhật ký vào {path} ({reason}); nhật ký được in ra màn hình (stderr).",
    en="Cannot write the log file {path} ({reason}); logging to stderr instead.",
)

# ID-like digit runs: CCCD (12 digits, mistyped as 11 or 13), CMND (9), phone numbers,
# also written in groups ("079-203-001-234", "0912 345 678"). A run of 9 or more digits
# alone or in groups of at most 4; dates ("2026-12-07": 8 digits) and receipt numbers
# ("260101-0001": a group of 6) stay readable.
_DIGIT_RUN = re.compile(r"(?<![\w])\d+(?:[-. ]\d+)*(?![\w])")
_SECRET_KV = re.compile(
    r"(?i)\b(password|passwd|pin|token|access_token|refresh_token|secret|authorization"
    r"|idempotency-key)(\"?\s*[:=]\s*\"?)(Bearer\s+)?([^\s\"',;&]+)"
)
# Anything in an applicant field, as `key=value`, `"key": "value"` or `'key': 'value'`
# (error parameters are logged as a dict): names, addresses, phones, e-mails, IDs.
_PERSONAL_KV = re.compile(
    r"(?i)(?P<key>\b(?:applicant(?:\.[\w.]+)?|id_number|full_name|phone|email|address"
    r"|date_of_birth|value|name)['\"]?\s*[:=]\s*)"
    r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
    # unquoted: every word up to the next `key=` / `key:` (a name has spaces)
    r"|[^\s,;&}]+(?:[ \t]+(?![\w.]+\s*[:=])[^\s,;&}]+)*)"
)


def _mask_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    groups = re.split(r"[-. ]", text)
    digits = "".join(groups)
    if len(digits) < 9 or (len(groups) > 1 and max(len(g) for g in groups) > 4):
        return text
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def _mask_value(match: re.Match[str]) -> str:
    value = match.group("value")
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match.group('key')}{quote}***{quote}"


def redact(text: str) -> str:
    """Hide secrets (password=..., token: ...), applicant fields and ID-like numbers."""
    text = _SECRET_KV.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}***", text)
    text = _PERSONAL_KV.sub(_mask_value, text)
    return _DIGIT_RUN.sub(_mask_digits, text)


class RedactingFormatter(logging.Formatter):
    """Redacts the message and the traceback; the time stamp in front is left alone."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = redact(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:  # noqa: N802
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return redact(super().formatStack(stack_info))


class PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log, its files readable by the user only (0600) whatever the umask."""

    def _open(self) -> Any:
        stream = super()._open()
        with contextlib.suppress(OSError):
            Path(self.baseFilename).chmod(0o600)
        return stream


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
        file_handler: logging.Handler | None = PrivateFileHandler(
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
