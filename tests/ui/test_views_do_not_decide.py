"""Views show, they do not decide (issue #19 item 3): no state string compared in ui/views.

A view asks the core (`desktop.dossier.actions.actions_of`, the payment follow-up's
rounds, the remote jobs' summary) instead of comparing a state with a literal. This
scan fails when such a comparison comes back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ui
from desktop.dossier.states import State

VIEWS = Path(ui.__file__).parent / "views"
STATE_NAMES = {s.value for s in State}


def _literals(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [v for e in node.elts for v in _literals(e)]
    return []


def _is_state(node: ast.expr) -> bool:
    """`x.state`, `str(x.state)` or a name ending in `state`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        return node.func.id == "str" and _is_state(node.args[0])
    if isinstance(node, ast.Attribute):
        return node.attr == "state"
    return isinstance(node, ast.Name) and node.id.endswith("state") and node.id != "state"


def state_comparisons(source: str) -> list[tuple[int, str]]:
    """(line, text) of every comparison of a state with a string in `source`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        literals = [v for side in sides for v in _literals(side)]
        if not literals:
            continue
        if any(_is_state(side) for side in sides) or STATE_NAMES & set(literals):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_the_scan_finds_what_it_looks_for() -> None:
    assert state_comparisons('if dossier.state in ("DRAFT", "READY"): pass')
    assert state_comparisons('if str(payment.state) == "pending": pass')
    assert state_comparisons('n = sum(1 for j in jobs if j.state == "DONE")')
    assert state_comparisons('ok = current == "SIGNED"')
    assert not state_comparisons("if actions.can_sign: pass")
    assert not state_comparisons('if state == "unpaid": pass')  # a filter's own value


def test_no_view_compares_state_strings() -> None:
    offences = [
        f"{path.relative_to(VIEWS.parent.parent)}:{line}: {text}"
        for path in sorted(VIEWS.rglob("*.py"))
        for line, text in state_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert not offences, "views decide on states:\n" + "\n".join(offences)
