"""Which component a scanned file belongs to: a RULES file, then the naming convention.

RULES file (``--map``), one rule a line, first match wins, ``#`` starts a comment::

    don*.jpg        = TP1      # a glob on the file name (case-insensitive)
    giay-to/*       = TP2      # a glob with "/" matches the path inside the dossier folder
    *.txt           = -        # "-" means: ignore these files

Then the naming convention: a file whose name starts with a component code followed by
``_``, ``-``, ``.`` or a space belongs to it (``TP1_don.jpg``, ``tp2-001.png``).
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from desktop.errors import UserError, define

IGNORE = "-"

E_RULES_LINE = define(
    "intake.rules_line",
    vi="Dòng {line} của tệp quy tắc {path} không đúng dạng “MẪU = MÃ_THÀNH_PHẦN” "
    "(ví dụ: don*.jpg = TP1). Hãy sửa dòng đó.",
    en="Line {line} of the rules file {path} is not “PATTERN = COMPONENT_CODE” "
    "(e.g. don*.jpg = TP1). Fix that line.",
)
E_RULES_CODE = define(
    "intake.rules_unknown_component",
    vi="Dòng {line} của tệp quy tắc {path} dùng mã “{component}” không có trong thủ tục; "
    "các mã có: {known}.",
    en="Line {line} of the rules file {path} uses “{component}”, which the procedure does not "
    "have; known codes: {known}.",
)
E_RULES_READ = define(
    "intake.rules_unreadable",
    vi="Không đọc được tệp quy tắc {path}. Hãy kiểm tra đường dẫn (tệp văn bản UTF-8).",
    en="The rules file {path} cannot be read. Check the path (a UTF-8 text file).",
)


@dataclass(frozen=True)
class Rule:
    pattern: str
    component: str  # a component code, or IGNORE
    line: int


def load_rules(path: Path, codes: Sequence[str]) -> list[Rule]:
    """The rules of `path`, each checked against the procedure's component `codes`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise UserError(E_RULES_READ, path=str(path)) from None
    rules = []
    known = {c.upper(): c for c in codes}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        pattern, equals, code = (part.strip() for part in line.rpartition("="))
        if not equals or not pattern or not code:
            raise UserError(E_RULES_LINE, line=number, path=str(path))
        if code != IGNORE and code.upper() not in known:
            raise UserError(
                E_RULES_CODE, line=number, path=str(path), component=code, known=", ".join(codes)
            )
        rules.append(Rule(pattern, known.get(code.upper(), IGNORE), number))
    return rules


def assign(relative: PurePosixPath, rules: Sequence[Rule], codes: Sequence[str]) -> str | None:
    """The component code of the file at `relative` (inside its dossier folder), IGNORE,
    or None when nothing matches (a person must decide)."""
    # NFC on both sides: macOS and some scanners write names in NFD, rules are typed NFC.
    name = unicodedata.normalize("NFC", relative.name).lower()
    full = unicodedata.normalize("NFC", relative.as_posix()).lower()
    for rule in rules:
        pattern = unicodedata.normalize("NFC", rule.pattern).lower()
        if fnmatch.fnmatchcase(full if "/" in pattern else name, pattern):
            return rule.component
    # Longest code first, so that TP10_ is not taken for TP1.
    for code in sorted(codes, key=len, reverse=True):
        if re.match(rf"{re.escape(code.lower())}[_\-. ]", name):
            return code
    return None


def natural_key(path: Path | PurePosixPath) -> list[object]:
    """Sort key putting page2 before page10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", str(path))]
