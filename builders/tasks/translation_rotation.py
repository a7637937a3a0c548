"""T5 translation-rotation: the reference complex c1 moved by f1 (translation along x or y) then
f2 (rotation about x, y or z); which option shows the target complex c2 after the same two?

c2 is another complex of the same split (``ComplexContext.partner``). Counts 6 / 3 per complex:
training asks every (f1 axis, f2 axis) pair once, test three distinct pairs (our choice). Decoys,
their redraw and the options column: ``movement_choice``.
"""

from __future__ import annotations

from . import image_specs, prompts
from .base import ImageSpec, QuestionSpec, ReportColumn, Task
from .choice import LETTERS
from .movement_choice import (ANSWER, ANSWER_FORMAT, ROTATION, TRANSLATION, axis_pair_plan, commands, draw_options,
                              draw_pair, pair_facets)

IMAGES = [
    "the reference complex in the front view",
    "the reference complex in the left view",
    "the reference complex in the top view",
    "the reference complex in the front view after two unknown commands were applied to the scene "
    "of image 1: first a translation, then a rotation",
    "the target complex, a different protein-ligand complex, in the front view",
    "the target complex in the left view",
    "the target complex in the top view",
    "option A, the target complex in a front view after two commands",
    "option B, likewise",
    "option C, likewise",
    "option D, likewise",
]
TASK_SENTENCE = (
    "Task: image 4 is image 1 after a translation along the x or the y axis followed by a "
    "rotation about the x, the y or the z axis. Apply the same translation and then the same "
    "rotation to the target complex in its front view (image 5). Which option, A to D "
    "(images 8 to 11), shows the result? Exactly one option is right."
)


def make(ctx, axes, rng):
    target = ctx.partner(rng)
    f1, f2 = draw_pair(rng, axes, TRANSLATION, ROTATION)
    options = draw_options(
        ctx, rng, f1, f2, TRANSLATION, ROTATION,
        option_image=lambda a, b: ImageSpec("option", image_specs.complex_after(commands(a, b)), target),
        option_commands=commands,
    )
    views = ("front", "left", "top")
    return QuestionSpec(
        images=image_specs.complex_views(views)
        + [ImageSpec("front_after", image_specs.complex_after(commands(f1, f2)))]
        + [image._replace(complex=target) for image in image_specs.complex_views(views, prefix="target_")]
        + options.images,
        question=prompts.question_text(IMAGES, TASK_SENTENCE, ANSWER_FORMAT),
        answer=options.answer,
        params={"partner": target.pdb_id, "f1": f1.as_dict(), "f2": f2.as_dict(), **options.params},
        options=list(LETTERS),
    )


TASK = Task(
    "translation_rotation", 5, axis_pair_plan(TRANSLATION, ROTATION), make, ANSWER,
    columns=(ReportColumn("trans-rot", paper=(32.00, 28.00, 22.00, 88.44), averaged=False),),
    facets=pair_facets(TRANSLATION, ROTATION),
)
