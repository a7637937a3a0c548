"""Audit facets a task declares: the values of its answers and draws that the audit counts per
task (``misi-bench audit``, distributions), each with the distribution the task intends to draw
from, taken from the task's own ranges so the audit and the builder cannot drift.

A facet is ``(name, value of a row, intended shares or None)``; shares are relative weights per
value written as text, None for facets the spec leaves free (e.g. bond counts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .answers import LETTERS
from .answers.commands import TRUTH_COMMAND

Facet = tuple[str, Callable[[dict], Any], dict | None]


def uniform(values: Sequence) -> dict[str, float]:
    return {str(v): 1.0 for v in values}


def command(row: dict, index: int = 0) -> tuple[str, int]:
    """(axis, amount) of the answer's ``index``-th command."""
    _, axis, amount = TRUTH_COMMAND.findall(row["answer"])[index]
    return axis, int(amount)


def sign(v: int) -> str:
    return "+" if v > 0 else "-"


def _signed(values: Sequence[int]) -> tuple[dict, dict, dict]:
    magnitudes = sorted({abs(v) for v in values})
    return uniform(values), uniform(["+", "-"]), uniform(magnitudes)


def command_facets(axes: Sequence[str], values: Sequence[int]) -> tuple[Facet, ...]:
    """Axis, signed amount, sign and magnitude of a one-command answer."""
    value_share, sign_share, magnitude_share = _signed(values)
    return (
        ("axis", lambda r: command(r)[0], uniform(axes)),
        ("amount", lambda r: command(r)[1], value_share),
        ("sign", lambda r: sign(command(r)[1]), sign_share),
        ("magnitude", lambda r: abs(command(r)[1]), magnitude_share),
    )


def step_facets(name: str, magnitudes: Sequence[int]) -> tuple[Facet, ...]:
    """Amount, sign and magnitude of the command ``params[name]`` (axis pairs are a facet of
    their own)."""
    value_share, sign_share, magnitude_share = _signed([s * m for s in (-1, 1) for m in magnitudes])
    return (
        (f"{name}_axis", lambda r: r["params"][name]["axis"], None),
        (f"{name}_amount", lambda r: r["params"][name]["amount"], value_share),
        (f"{name}_sign", lambda r: sign(r["params"][name]["amount"]), sign_share),
        (f"{name}_magnitude", lambda r: abs(r["params"][name]["amount"]), magnitude_share),
    )


def bond_count(row: dict) -> int:
    answer = row["answer"].strip()
    return 0 if answer == "No" else answer.count(";") + 1


def yes_no(row: dict) -> str:
    return "No" if row["answer"].strip() == "No" else "Yes"


LETTER: Facet = ("letter", lambda r: r["answer"], uniform(LETTERS))
