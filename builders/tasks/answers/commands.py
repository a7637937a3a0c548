"""Answers that are commands: one ``move``/``roll`` (T1-T3) or a docking pair (T7).

Values are the renderer's `Operation` (the one command type). Lenient reading: ``move|roll AXIS
[:|=] [+|-] NUMBER``, any case and spacing, units after the number ignored; only the keywords
``move`` and ``roll`` count; decimals are read by value (``3.0`` is 3). Several commands: the last
wins. Docking: the last two consecutive commands of different kinds (either order), else the
last of whichever kind appears (the other part missing).

Scores (docs/conventions.md, Scores; our choices in docs/evaluation.md): a graded command scores 0
for another kind or axis, else ``max(0, 1 - |d^ - d| / R)`` with R the width of its sampled range
(`MetricConfig.command_range`); an ungraded one (zooming) scores exact match. Docking: the
rotation part (graded as T2) weighs ``docking_rotation_weight``, the translation part the rest and
needs the truth's kind, axis and sign, then ``max(0, 1 - |d^ - d| / |d|)``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from misi_bench.renderers.operations import Operation

from .kind import AnswerKind, MetricConfig, ParseError, pick

_NUM = r"-?\d+"
TRUTH_COMMAND = re.compile(rf"(move|roll) ([xyz]) ({_NUM})")
_TRUTH_DOCKING = re.compile(rf"(roll) ([xyz]) ({_NUM}), (move) ([xyz]) ({_NUM})")
_COMMAND = re.compile(r"(?<![A-Za-z])(move|roll)\s+([xyz])\s*(?:[:=]\s*)?(?:([+-])\s*)?(\d+(?:\.\d+)?)(?!\d)", re.I)


def nonzero(low: int, high: int, step: int = 1) -> tuple[int, ...]:
    """low..high in ``step`` steps, 0 excluded."""
    return tuple(v for v in range(low, high + 1, step) if v != 0)


def find_commands(text: str) -> list[Operation]:
    """Every well-formed command in a cleaned reply, in reading order (an amount too long to be
    a finite float is not a number of the grammar and its command is passed over)."""
    found = []
    for match in _COMMAND.finditer(text):
        value = float(match[4])
        if math.isfinite(value):
            found.append(Operation(match[1], match[2], -value if match[3] == "-" else value))
    return found


def command_score(predicted: Operation | None, truth: Operation, value_range: float) -> float:
    if predicted is None or (predicted.kind, predicted.axis) != (truth.kind, truth.axis):
        return 0.0
    return max(0.0, 1.0 - abs(predicted.amount - truth.amount) / value_range)


@dataclass(frozen=True)
class CommandAnswer(AnswerKind):
    """One command of ``kind`` about one of ``axes`` by one of ``values`` (the sampled range,
    also the random baseline's answer space); ``graded`` scores by distance, else exact match."""

    kind: str
    axes: tuple[str, ...]
    values: tuple[int, ...]
    graded: bool = True
    family: str = "unit movement"

    def parse_truth(self, text: str) -> Operation:
        match = TRUTH_COMMAND.fullmatch(text)
        if match is None:
            raise ParseError(f"answer {text!r} is not 'move|roll AXIS INTEGER'")
        return Operation(match[1], match[2], int(match[3]))

    def read(self, cleaned: str, options: Sequence[str]) -> Operation | None:
        commands = find_commands(cleaned)
        return commands[-1] if commands else None

    def format(self, value: Operation) -> str:
        return str(value)

    def command(self, axis: str, amount: int) -> Operation:
        return Operation(self.kind, axis, amount)

    def draw_amount(self, rng: np.random.Generator) -> int:
        """One of ``values``, uniform: the task's draw."""
        return pick(rng, self.values)

    def score(self, predicted: Operation, truth: Operation, config: MetricConfig) -> float:
        if not self.graded:
            return super().score(predicted, truth, config)
        return command_score(predicted, truth, config.command_range(truth.kind))

    def random_answer(self, rng: np.random.Generator, row: Mapping) -> str:
        return f"{self.kind} {pick(rng, self.axes)} {pick(rng, self.values)}"


@dataclass(frozen=True)
class Docking:
    """T7 answer; a part is None when a model's reply lacks it (never for ground truth)."""

    rotation: Operation | None
    translation: Operation | None


def _docking(commands: list[Operation]) -> Docking | None:
    for first, second in reversed(list(zip(commands, commands[1:]))):
        if first.kind != second.kind:
            pair = {first.kind: first, second.kind: second}
            return Docking(pair["roll"], pair["move"])
    rolls = [c for c in commands if c.kind == "roll"]
    moves = [c for c in commands if c.kind == "move"]
    if not rolls and not moves:
        return None
    return Docking(rolls[-1] if rolls else None, moves[-1] if moves else None)


def docking_translation_score(predicted: Operation | None, truth: Operation) -> float:
    if predicted is None or (predicted.kind, predicted.axis) != (truth.kind, truth.axis):
        return 0.0
    if predicted.amount == 0 or (predicted.amount > 0) != (truth.amount > 0):
        return 0.0
    return max(0.0, 1.0 - abs(predicted.amount - truth.amount) / abs(truth.amount))


@dataclass(frozen=True)
class DockingAnswer(AnswerKind):
    """``roll AXIS θ, move AXIS D``: the rotation about the ligand's own center, then the
    translation; each part's ``values`` are the random baseline's answer space."""

    rotation: CommandAnswer
    translation: CommandAnswer
    family: str = "docking"

    def parse_truth(self, text: str) -> Docking:
        match = _TRUTH_DOCKING.fullmatch(text)
        if match is None:
            raise ParseError(f"answer {text!r} is not 'roll AXIS INTEGER, move AXIS INTEGER'")
        return Docking(Operation(match[1], match[2], int(match[3])), Operation(match[4], match[5], int(match[6])))

    def read(self, cleaned: str, options: Sequence[str]) -> Docking | None:
        return _docking(find_commands(cleaned))

    def format(self, value: Docking) -> str:
        return f"{value.rotation}, {value.translation}"

    def score(self, predicted: Docking, truth: Docking, config: MetricConfig) -> float:
        weight = config.docking_rotation_weight
        rotation = command_score(predicted.rotation, truth.rotation, config.rotation_range)
        return weight * rotation + (1 - weight) * docking_translation_score(predicted.translation, truth.translation)

    def random_answer(self, rng: np.random.Generator, row: Mapping) -> str:
        rotation = self.rotation.random_answer(rng, row)
        return f"{rotation}, {self.translation.random_answer(rng, row)}"
