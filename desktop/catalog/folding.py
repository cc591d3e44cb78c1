"""Text folding for offline search: what a clerk types without diacritics must match.

`fold("Cấp Chứng chỉ hành nghề Dược")` → `"cap chung chi hanh nghe duoc"`: lower case,
every tone and vowel mark removed (NFC and NFD input alike), `đ`/`Đ` → `d`, and
everything that is not a letter or a digit turned into a single space. The search index
stores folded text, and queries are folded the same way, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

# Letters that Unicode does not decompose into a base letter plus a mark. `Ð` (U+00D0,
# Icelandic eth) is what some keyboards and old fonts produce for `Đ`.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

# Every Vietnamese tone and vowel mark (grave, acute, hook, tilde, dot below, circumflex,
# breve, horn) is in the Combining Diacritical Marks block; regex removal is much faster
# than testing each character, which matters when 10,000 names are indexed.
_VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")
_NOT_ALNUM = re.compile(r"[\W_]+")

# Shortest and longest run of consecutive words whose first letters form an initialism
# ("chứng chỉ hành nghề" → "cchn"). Runs longer than eight words are not typed by anyone.
MIN_INITIALISM = 2
MAX_INITIALISM = 8
MAX_INITIALISM_START = 24

# y/i spellings of the same syllable (kí/ký, lí/lý, quí/quý): a final `y` after a
# consonant is written `i` in the search index and in queries alike.
_FINAL_Y = re.compile(r"(?<=[bcdghklmnpqrstvx])y$")
# d/gi: a word starting with "gi" + vowel is also indexed with "d" ("giấy" ~ "dấy").
_GI = re.compile(r"^gi(?=[aeiouy])")


def fold(text: str) -> str:
    """Lower-case `text` without diacritics; non-alphanumerics become single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    folded = _VIETNAMESE_MARKS.sub("", decomposed).lower().translate(_SPECIAL)
    if not folded.isascii():
        # Marks outside the common block, or letters that lower-casing decomposed.
        folded = "".join(
            c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c)
        )
    return " ".join(_NOT_ALNUM.sub(" ", folded).split())


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return fold(text).split()


def initialisms(text: str) -> list[str]:
    """See `initialisms_of`; `text` is folded first."""
    return initialisms_of(words(text))


def initialisms_of(folded_words: list[str]) -> list[str]:
    """Initialisms of every run of 2..8 consecutive words, e.g. "cchn", "cchnd", "chnd".

    Indexed in the search table's `initials` column so that "CCHN dược" finds "Cấp
    Chứng chỉ hành nghề dược". Each initialism appears once, in first-seen order. Runs
    start in the first MAX_INITIALISM_START words: the portal's names run to a hundred
    words, and nobody types the initials of the eightieth.
    """
    heads = "".join(w[0] for w in folded_words)
    size = len(heads)
    # A list, not a generator: 10,000 procedures are indexed in one import.
    return list(
        dict.fromkeys(
            [
                heads[start : start + length]
                for start in range(min(size, MAX_INITIALISM_START))
                for length in range(MIN_INITIALISM, min(MAX_INITIALISM, size - start) + 1)
            ]
        )
    )


@lru_cache(maxsize=65536)
def spelling(word: str) -> str:
    """One spelling of a folded word where Vietnamese has two: "ky" → "ki", "quy" →
    "qui" (a final y after a consonant)."""
    if word == "quy":
        return "qui"
    return _FINAL_Y.sub("i", word)


def spelled(text: str) -> str:
    """`fold(text)` with every word in its one spelling (what the search index stores)."""
    return " ".join(spelling(w) for w in fold(text).split())


def gi_variants(folded_words: list[str]) -> list[str]:
    """The "d" spelling of words starting with "gi" + vowel ("giay" → "day")."""
    return [_GI.sub("d", w) for w in folded_words if _GI.match(w)]


def _abbreviation_file() -> Path:
    from desktop.catalog.resources import resources_dir

    return resources_dir() / "search" / "abbreviations.tsv"


@cache
def abbreviations() -> dict[str, tuple[str, ...]]:
    """The abbreviation table (resources/search/abbreviations.tsv): folded, spelled key
    ("gplx", "so do") → folded, spelled expansions, in file order."""
    table: dict[str, list[str]] = {}
    path = _abbreviation_file()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}  # search still works, without abbreviations
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        key, expansion = line.split("\t", 1)
        folded_key, folded = spelled(key), spelled(expansion)
        if folded_key and folded and folded not in table.setdefault(folded_key, []):
            table[folded_key].append(folded)
    return {k: tuple(v) for k, v in table.items()}


MAX_ABBREVIATION_WORDS = 3


def expansions(text: str) -> list[str]:
    """Full words of the abbreviations found in `text` ("GCN" → "giay chung nhan")."""
    return expansions_of([spelling(w) for w in words(text)])


def expansions_of(names: list[str]) -> list[str]:
    """`expansions` of words already folded and spelled."""
    table = abbreviations()
    firsts = _first_words()
    found: dict[str, None] = {}
    for i, name in enumerate(names):
        if name not in firsts:
            continue  # most words start no abbreviation: no joins, no lookups
        for size in range(1, MAX_ABBREVIATION_WORDS + 1):
            for expansion in table.get(" ".join(names[i : i + size]), ()):
                found.setdefault(expansion, None)
    return list(found)


@cache
def _first_words() -> frozenset[str]:
    return frozenset(key.split()[0] for key in abbreviations())
