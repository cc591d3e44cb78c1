"""The order within a tier (desktop.catalog.query._order) against a plain reading of its
rule: the fast path (jumping to name words by their first letter) must order exactly as
scanning every name word did."""

from __future__ import annotations

import random

from desktop.catalog import query
from desktop.catalog.folding import fold
from portal_sandbox.catalog_gen import catalog


def _reference(folded_name: str, words: list[str]) -> tuple[int, int, int]:
    name_words = folded_name.split()
    heads = "".join(w[0] for w in name_words)
    first, skipped, position, covered = len(name_words), 0, 0, 0
    for word in words:
        for i in range(position, len(name_words)):
            if name_words[i].startswith(word):
                span = 1
            elif len(word) > 1 and heads.startswith(word, i):
                span = len(word)
            else:
                continue
            if covered == 0:
                first = i
            else:
                skipped += i - position
            position = i + span
            covered += span
            break
        else:
            skipped += len(name_words)
    return first, skipped, len(name_words) - covered


def _words_typed(rng: random.Random, name_words: list[str]) -> list[str]:
    typed = []
    for _ in range(rng.randint(1, 5)):
        if rng.random() < 0.3:  # an initialism of a run of name words
            i = rng.randrange(len(name_words))
            typed.append("".join(w[0] for w in name_words[i : i + rng.randint(1, 5)]))
        else:  # a prefix of a name word, in any order
            typed.append(rng.choice(name_words)[: rng.randint(1, 6)])
    return typed


def test_alignment_matches_the_plain_scan() -> None:
    rng = random.Random(13)
    names = sorted({fold(record["name"]) for record in catalog(400)})
    names += ["cap chung chi hanh nghe duoc", "cap lai cap cap", "a b c a b c"]
    for name in names:
        name_words = name.split()
        heads = "".join(w[0] for w in name_words)
        for _ in range(25):
            words = _words_typed(rng, name_words)
            assert query._alignment(name_words, heads, words) == _reference(name, words)
        assert query._alignment(name_words, heads, ["zz"]) == _reference(name, ["zz"])


def test_order_of_an_initialism_and_of_words_out_of_order() -> None:
    name = "cap chung chi hanh nghe duoc"
    assert query._order(name, [["cchn"]], 0) == (1, 0, 0, 2, 0)
    assert query._order(name, [["duoc", "cap"]], 0) == (5, 6, 0, 5, 0)
    assert query._order(name, [["cchn"], ["cap", "chung"]], 2) == (0, 0, -2, 4, 0)
