"""T1 translation: move the complex along x or y by d Å, d uniform over -4..4 without 0."""

from __future__ import annotations

from . import facets
from .answers import CommandAnswer, nonzero
from .base import ReportColumn, Task, per_split
from .unit import unit_question

DISTANCE_RANGE = (-4, 4)
ANSWER = CommandAnswer("move", ("x", "y"), nonzero(*DISTANCE_RANGE))


def make(ctx, axis, rng):
    distance = ANSWER.draw_amount(rng)
    return unit_question(
        ANSWER.command(axis, distance),
        "Task: image 4 is image 1 after a single translation along the x or the y axis. "
        "Which translation, and by how many angstroms?",
        "Answer with exactly one command 'move AXIS DISTANCE', AXIS being x or y and DISTANCE a "
        "signed integer number of angstroms, for example: move x -3",
        {"axis": axis, "distance": distance},
    )


TASK = Task(
    "translation", 1, per_split(train=("x", "x", "y", "y"), test=("x", "y")), make, ANSWER,
    columns=(ReportColumn("transl.", paper=(100.00, 45.71, 52.29, 99.84)),),
    facets=facets.command_facets(ANSWER.axes, ANSWER.values),
)
