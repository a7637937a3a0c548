"""The shape shared by the three unit movement tasks (T1-T3): the complex's front, left and
top views, then the front view after one command; the answer is that command."""

from __future__ import annotations

from misi_bench.renderers import Operation

from . import image_specs, prompts
from .base import ImageSpec, QuestionSpec

IMAGES = [
    "the complex in the front view",
    "the complex in the left view",
    "the complex in the top view",
    "the front view after one unknown command was applied to the scene of image 1",
]


def unit_question(command: Operation, task_sentence: str, answer_format: str, params: dict) -> QuestionSpec:
    return QuestionSpec(
        images=image_specs.complex_views(("front", "left", "top")) + [ImageSpec("front_after", image_specs.complex_after(str(command)))],
        question=prompts.question_text(IMAGES, task_sentence, answer_format),
        answer=str(command),
        params=params,
    )
