"""Text folding for offline search: what a clerk types without diacritics must match.

`fold("Cấp Chứng chỉ hành nghề Dược")` → `"cap chung chi hanh nghe duoc"`: lower case,
every tone and vowel mark removed (NFC and NFD input alike), `đ`/`Đ` → `d`, and
everything that is not a letter or a digit turned into a single space. The search index
stores folded text, and queries are folded the same way, so both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata

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

# Abbreviations that appear in procedure names themselves (the facts write "GCN",
# "CCHN", "KB,CB"), expanded so that typing the words in full finds them too.
ABBREVIATIONS: dict[str, str] = {
    "cchn": "chung chi hanh nghe",
    "gcn": "giay chung nhan",
    "gpp": "thuc hanh tot co so ban le thuoc",
    "gmp": "thuc hanh tot san xuat",
    "gdp": "thuc hanh tot phan phoi",
    "gsp": "thuc hanh tot bao quan",
    "dkkd": "dieu kien kinh doanh",
    "kbcb": "kham benh chua benh",
    "kb": "kham benh",
    "cb": "chua benh",
    "kty": "ky thuat y",
    "gphn": "giay phep hanh nghe",
    "tthc": "thu tuc hanh chinh",
}


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
    """Initialisms of every run of 2..8 consecutive words, e.g. "cchn", "cchnd", "chnd".

    Indexed in the search table's `initials` column so that "CCHN dược" finds "Cấp
    Chứng chỉ hành nghề dược". Each initialism appears once, in first-seen order.
    """
    heads = [w[0] for w in words(text)]
    seen: dict[str, None] = {}
    for start in range(len(heads)):
        for length in range(MIN_INITIALISM, MAX_INITIALISM + 1):
            if start + length > len(heads):
                break
            seen.setdefault("".join(heads[start : start + length]), None)
    return list(seen)


def expansions(text: str) -> list[str]:
    """Full words of the abbreviations found in `text` ("GCN" → "giay chung nhan")."""
    found: dict[str, None] = {}
    for word in words(text):
        expansion = ABBREVIATIONS.get(word)
        if expansion is not None:
            found.setdefault(expansion, None)
    return list(found)
