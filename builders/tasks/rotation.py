"""T2 rotation: roll the complex about x, y or z by θ in -90..90, 15° steps, without 0."""

from __future__ import annotations

from . import facets
from .answers import CommandAnswer, nonzero
from .base import ReportColumn, Task, per_split
from .unit import unit_question

ANGLE_RANGE = (-90, 90, 15)
ANSWER = CommandAnswer("roll", ("x", "y", "z"), nonzero(*ANGLE_RANGE))


def make(ctx, axis, rng):
    angle = ANSWER.draw_amount(rng)
    return unit_question(
        ANSWER.command(axis, angle),
        "Task: image 4 is image 1 after a single rotation about the x, the y or the z axis. "
        "Which rotation, and by how many degrees?",
        "Answer with exactly one command 'roll AXIS ANGLE', AXIS being x, y or z and ANGLE a "
        "signed integer number of degrees (a multiple of 15 between -90 and 90), for example: roll y -45",
        {"axis": axis, "angle": angle},
    )


TASK = Task(
    "rotation", 2, per_split(train=("x", "x", "y", "y", "z", "z"), test=("x", "y", "z")), make, ANSWER,
    columns=(ReportColumn("rot.", paper=(70.18, 44.18, 43.82, 99.71)),),
    facets=facets.command_facets(ANSWER.axes, ANSWER.values),
)
