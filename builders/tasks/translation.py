"""T1 translation: move the complex along x or y by d Å, d uniform over -4..4 without 0."""

from __future__ import annotations

from . import image_specs
from .base import Task, nonzero_choice, per_split
from .unit import unit_question

DISTANCE_RANGE = (-4, 4)


def make(ctx, axis, rng):
    distance = nonzero_choice(rng, *DISTANCE_RANGE)
    return unit_question(
        image_specs.command("move", axis, distance),
        "Task: image 4 is image 1 after a single translation along the x or the y axis. "
        "Which translation, and by how many angstroms?",
        "Answer with exactly one command 'move AXIS DISTANCE', AXIS being x or y and DISTANCE a "
        "signed integer number of angstroms, for example: move x -3",
        {"axis": axis, "distance": distance},
    )


TASK = Task("translation", "cloze", per_split(train=("x", "x", "y", "y"), test=("x", "y")), make)
