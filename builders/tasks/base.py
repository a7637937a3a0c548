"""What a task module declares, and the per-complex context it reads.

A task is declarative (style.md: a task module reads like its row in the spec): ``plan`` lists
one slot per question for a complex and split (the counts of the spec's table), ``make`` turns a
slot and the question's own random generator into a :class:`QuestionSpec` (scenes to render,
question text, answer, options, draws). Rendering, hashing, validation and writing are shared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..structure import Complex

SPLIT_COUNTS = ("train", "test")


@dataclass
class ComplexContext:
    """A complex plus annotations computed once and shared by all its questions."""

    complex: Complex

    @property
    def pdb_id(self) -> str:
        return self.complex.pdb_id

    @cached_property
    def hbonds(self) -> list:
        from ..hbonds import find_hbonds

        return find_hbonds(self.complex)


@dataclass
class QuestionSpec:
    images: list[tuple[str, Any]]  # (role, renderer scene) in question order
    question: str
    answer: str
    params: dict  # every draw; the shared layer adds the scenes
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    name: str
    question_type: str  # cloze | multiple_choice
    plan: Callable[[ComplexContext, str, np.random.Generator], Sequence[Any]]
    make: Callable[[ComplexContext, Any, np.random.Generator], QuestionSpec]


def per_split(train: Sequence[Any], test: Sequence[Any]) -> Callable[[ComplexContext, str, np.random.Generator], Sequence[Any]]:
    """A plan with fixed slots per split (e.g. axes x, x, y, y for training)."""
    slots = {"train": tuple(train), "test": tuple(test)}
    return lambda ctx, split, rng: slots[split]


def nonzero_choice(rng: np.random.Generator, low: int, high: int, step: int = 1) -> int:
    """Uniform over low..high in ``step`` steps, 0 excluded."""
    values = [v for v in range(low, high + 1, step) if v != 0]
    return int(values[rng.integers(len(values))])
