"""Text from outside (officer notes, names, file names) made safe to show.

A terminal obeys escape sequences (`\\x1b[2J` clears the screen) and every display
obeys bidi overrides (U+202E turns `gpj.exe` into `exe.jpg`); zero-width characters
hide differences between two names. `safe_text` escapes every control and format
character (Unicode Cc, Cf), and lone surrogates (bytes of a file name that were not
UTF-8), as visible `\\x1b` / `\\u202e` text; line breaks and tabs stay. The CLI writes
everything through `SafeWriter`; the UI passes outside text through `safe_text`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, TextIO

_KEPT = {"\n", "\t"}
# Fast path: text with nothing but printable characters and line breaks.
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f"
                      r"\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
                      r"\ufff9-\ufffb\ud800-\udfff\U000110bd\U0001bca0-\U0001bca3"
                      r"\U0001d173-\U0001d17a\U000e0001-\U000e007f]")  # fmt: skip


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """`text` with control and format characters shown as escapes (newline and tab kept)."""
    if not _SUSPECT.search(text):
        return text
    return "".join(
        _escape(c) if c not in _KEPT and unicodedata.category(c) in ("Cc", "Cf", "Cs") else c
        for c in text
    )


def safe_html(text: str, quote: bool = True) -> str:
    """`text` made safe to show and escaped for Qt rich text (`<`, `&`, quotes)."""
    return html.escape(safe_text(text), quote=quote)


class SafeWriter:
    """A text stream that writes through `safe_text` (what the CLI prints to)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(safe_text(text))

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
