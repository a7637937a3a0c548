"""T6 rotation-rotation: the complex after f1 then f2, two rotations about different axes (image
4); which option shows image 4's scene after f1 then f2 once more?

Decoys perturb the second application only (camera commands f1, f2, f1', f2'). Counts 6 / 3 per
complex: training asks every ordered pair of different axes once, test three distinct pairs (our
choice). Decoys, their redraw and the options column: ``movement_choice``.
"""

from __future__ import annotations

from . import image_specs, prompts
from .base import ImageSpec, QuestionSpec, ReportColumn, Task
from .choice import LETTERS
from .movement_choice import ANSWER, ANSWER_FORMAT, ROTATION, axis_pair_plan, commands, draw_options, draw_pair, pair_facets

IMAGES = [
    "the complex in the front view",
    "the complex in the left view",
    "the complex in the top view",
    "the front view after two unknown rotations were applied to the scene of image 1, one after "
    "the other",
    "option A, the complex after further commands applied to the scene of image 4",
    "option B, likewise",
    "option C, likewise",
    "option D, likewise",
]
TASK_SENTENCE = (
    "Task: image 4 is image 1 after a rotation about one screen axis followed by a rotation about "
    "another screen axis. Apply the same two rotations, in the same order, once more to the scene "
    "of image 4. Which option, A to D (images 5 to 8), shows the result? Exactly one option is "
    "right."
)


def make(ctx, axes, rng):
    f1, f2 = draw_pair(rng, axes, ROTATION, ROTATION)
    options = draw_options(
        ctx, rng, f1, f2, ROTATION, ROTATION,
        option_image=lambda a, b: ImageSpec("option", image_specs.complex_after(commands(f1, f2, a, b))),
        option_commands=lambda a, b: commands(f1, f2, a, b),
    )
    return QuestionSpec(
        images=image_specs.complex_views(("front", "left", "top"))
        + [ImageSpec("front_after", image_specs.complex_after(commands(f1, f2)))]
        + options.images,
        question=prompts.question_text(IMAGES, TASK_SENTENCE, ANSWER_FORMAT),
        answer=options.answer,
        params={"f1": f1.as_dict(), "f2": f2.as_dict(), **options.params},
        options=list(LETTERS),
    )


TASK = Task(
    "rotation_rotation", 6, axis_pair_plan(ROTATION, ROTATION), make, ANSWER,
    columns=(ReportColumn("rot-rot", paper=(26.00, 26.00, 22.44, 89.59), averaged=False),),
    facets=pair_facets(ROTATION, ROTATION),
)
