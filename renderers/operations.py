"""Camera / ligand operations as values, in the benchmark's answer grammar.

Grammar (one language for tasks, answers and the renderer)::

    operations := operation ("," operation)*
    operation  := ("move" | "roll") ("x" | "y" | "z") number

``move a d`` translates what is shown by ``d`` Å along screen axis ``a`` (x right, y up, z toward
the viewer, so ``move z`` > 0 zooms in); ``roll a θ`` rotates by ``θ`` degrees about screen axis
``a`` through the center of rotation, right-hand rule (ChimeraX's one-shot ``turn``). Integers
print without decimals (``move x -14``); other amounts print in Python's shortest round-trip form.
Parsing ignores case and extra whitespace; ``Operations.parse("")`` is the empty sequence.

``Operation`` is the one command value of the project: the renderer applies it, the tasks draw
and print it (answers, params), and the evaluation's parser returns it. An integral amount is
held as an ``int`` (``3.0`` becomes ``3``), so a task's params carry integers and a parsed
``move x 3.0`` equals the truth ``move x 3``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("move", "roll")
AXES = ("x", "y", "z")

_OPERATION = re.compile(r"^\s*(move|roll)\s+([xyz])\s+([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*$", re.IGNORECASE)


class OperationSyntaxError(ValueError):
    """Text that is not in the operation grammar."""


def format_amount(value: float) -> str:
    """``3`` for 3.0, ``-14`` for -14.0, ``2.5`` for 2.5; never ``-0``."""
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"operation amount must be finite, got {value}")
    if value == int(value):
        return str(int(value))
    return repr(value)


def _canonical(value: float) -> int | float:
    """``int`` when integral (which also folds -0.0 to 0), else the float."""
    value = float(value)
    return int(value) if value.is_integer() else value


@dataclass(frozen=True)
class Operation:
    """One ``move``/``roll`` about a screen axis; ``amount`` in Å or degrees, ``int`` when integral."""

    kind: str
    axis: str
    amount: int | float

    def __post_init__(self) -> None:
        kind, axis = str(self.kind).lower(), str(self.axis).lower()
        if kind not in KINDS:
            raise OperationSyntaxError(f"unknown operation {self.kind!r}; expected move or roll")
        if axis not in AXES:
            raise OperationSyntaxError(f"unknown axis {self.axis!r}; expected x, y or z")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "axis", axis)
        object.__setattr__(self, "amount", _canonical(self.amount))
        format_amount(self.amount)  # rejects inf / nan

    @classmethod
    def parse(cls, text: str) -> Operation:
        match = _OPERATION.match(text)
        if not match:
            raise OperationSyntaxError(f"not an operation: {text!r} (expected e.g. 'move x 3' or 'roll y -15')")
        return cls(match.group(1), match.group(2), float(match.group(3)))

    def inverse(self) -> Operation:
        return Operation(self.kind, self.axis, -self.amount)

    def as_dict(self) -> dict:
        """``{"kind", "axis", "amount"}``, as the tasks' params record a command."""
        return {"kind": self.kind, "axis": self.axis, "amount": self.amount}

    def __str__(self) -> str:
        return f"{self.kind} {self.axis} {format_amount(self.amount)}"


@dataclass(frozen=True)
class Operations:
    """An ordered sequence of operations, applied first to last."""

    items: tuple[Operation, ...] = ()

    def __post_init__(self) -> None:
        items = tuple(Operation.parse(i) if isinstance(i, str) else i for i in self.items)
        if not all(isinstance(i, Operation) for i in items):
            raise TypeError("Operations holds Operation values")
        object.__setattr__(self, "items", items)

    @classmethod
    def parse(cls, text: str | Operations | Operation | None) -> Operations:
        """Parse ``"roll x 75, move x -14"``; also accepts an Operations/Operation (returned as is)."""
        if text is None:
            return cls()
        if isinstance(text, Operations):
            return text
        if isinstance(text, Operation):
            return cls((text,))
        if not text.strip():
            return cls()
        return cls(tuple(Operation.parse(part) for part in text.split(",")))

    @classmethod
    def of(cls, *items: Operation | str) -> Operations:
        return cls(tuple(items))

    def then(self, other: Operations | Operation | str) -> Operations:
        """This sequence followed by ``other``."""
        return Operations(self.items + Operations.parse(other).items)

    def inverse(self) -> Operations:
        """Reverse order, negated amounts: undoes the sequence (the center of rotation travels with
        the model under ``move``, so this is exact for camera operations)."""
        return Operations(tuple(op.inverse() for op in reversed(self.items)))

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __str__(self) -> str:
        return ", ".join(str(op) for op in self.items)
