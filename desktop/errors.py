"""The three error families of the core, each with a stable code and parameters.

The core never builds user-facing sentences ad hoc: every code is declared once with
`define()`, next to the module that raises it, with a Vietnamese and an English
template. The UI and the CLI render them; logs and `--json` keep the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class MessageTemplate:
    vi: str
    en: str


_TEMPLATES: dict[str, MessageTemplate] = {}
_language = "vi"


def define(code: str, *, vi: str, en: str) -> str:
    """Declare an error code with its sentences; returns the code for use as a constant."""
    existing = _TEMPLATES.get(code)
    if existing is not None and existing != MessageTemplate(vi, en):
        raise ValueError(f"error code {code!r} declared twice with different text")
    _TEMPLATES[code] = MessageTemplate(vi=vi, en=en)
    return code


def set_language(language: str) -> None:
    """Choose the language of rendered messages ("vi" or "en")."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _language = language


def language() -> str:
    """The language chosen for rendered messages ("vi" or "en")."""
    return _language


def render(code: str, params: dict[str, Any], language: str | None = None) -> str:
    """The sentence for `code` with `params`, in `language` (default: the chosen one)."""
    template = _TEMPLATES.get(code)
    if template is None:
        details = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{code} ({details})" if details else code
    text = template.vi if (language or _language) == "vi" else template.en
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def known_codes() -> dict[str, MessageTemplate]:
    """Every code declared so far (for tests and the UI's translations)."""
    return dict(_TEMPLATES)


class DvcError(Exception):
    """Base of the core's errors: a stable code plus parameters."""

    exit_code: ClassVar[int] = 1

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self, language: str | None = None) -> str:
        return render(self.code, self.params, language)

    def __str__(self) -> str:
        return self.message()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "params": {k: _jsonable(v) for k, v in self.params.items()},
            "message": self.message(),
        }


class UserError(DvcError):
    """The user's input or environment is refused: the message says why and what to do."""

    exit_code = 1


class TransientError(DvcError):
    """Retried later by the queue (offline, timeout, server busy); shown as a status."""

    exit_code = 3


class IntegrityError(DvcError):
    """Stored data is damaged or missing: nothing is changed, a person must look."""

    exit_code = 4


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
