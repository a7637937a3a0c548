"""T3 zooming: move the complex toward the viewer by an integer depth of 40..60 Å."""

from __future__ import annotations

from . import facets
from .answers import CommandAnswer
from .base import ReportColumn, Task, per_split
from .unit import unit_question

DEPTH_RANGE = (40, 60)
# Scored by exact match (docs/conventions.md, Scores), so not graded by distance.
ANSWER = CommandAnswer("move", ("z",), tuple(range(DEPTH_RANGE[0], DEPTH_RANGE[1] + 1)), graded=False)


def make(ctx, slot, rng):
    depth = int(rng.integers(DEPTH_RANGE[0], DEPTH_RANGE[1] + 1))
    return unit_question(
        ANSWER.command("z", depth),
        "Task: image 4 is image 1 after the scene was moved toward the viewer along the z axis "
        "(a zoom in). By how many angstroms was it moved?",
        f"Answer with exactly one command 'move z DEPTH', DEPTH being an integer number of "
        f"angstroms between {DEPTH_RANGE[0]} and {DEPTH_RANGE[1]}, for example: move z 47",
        {"depth": depth},
    )


TASK = Task(
    "zooming", 3, per_split(train=(None,) * 4, test=(None,) * 2), make, ANSWER,
    columns=(ReportColumn("zoom", paper=(30.00, 6.00, 2.00, 27.14)),),
    facets=(("depth", lambda r: facets.command(r)[1], facets.uniform(ANSWER.values)),),
)
