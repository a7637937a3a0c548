"""Read answers in the fixed answer grammar (docs/conventions.md, Answers and ranges): strictly for
ground truth, leniently for models, each task by the answer kind its module declares
(``misi_bench.builders.tasks.answers``; the lenient rules are listed in docs/evaluation.md).

Ground truth (`parse_truth`) must match the grammar exactly; anything else is a dataset bug and
raises `ParseError`. A model reply (`parse_prediction`) with nothing recognisable gives ``None``
(scored 0, counted unparsable).
"""

from __future__ import annotations

from typing import Sequence, Union

from misi_bench.builders.tasks import TASKS as REGISTRY
from misi_bench.builders.tasks.answers import NO, AnswerKind, Bond, BondList, Choice, Docking, ParseError
from misi_bench.renderers.operations import Operation

TASKS = tuple(REGISTRY)

Answer = Union[Operation, Docking, Choice, BondList]

__all__ = ["NO", "TASKS", "Answer", "Bond", "BondList", "Choice", "Docking", "ParseError", "UnknownTaskError",
           "answer_kind", "check_task", "parse_prediction", "parse_truth"]


class UnknownTaskError(ValueError):
    """A task name that is not one of the configs."""


def check_task(task: str) -> None:
    if task not in REGISTRY:
        raise UnknownTaskError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")


def answer_kind(task: str) -> AnswerKind:
    check_task(task)
    return REGISTRY[task].answer


def parse_truth(task: str, text: str) -> Answer:
    """A ground-truth answer, which must follow the answer grammar exactly (ParseError otherwise)."""
    try:
        return answer_kind(task).parse_truth(text)
    except ParseError as error:
        raise ParseError(f"{task} {error}") from None


def parse_prediction(task: str, text: str | None, options: Sequence[str] = ()) -> Answer | None:
    """A model's reply read leniently; None when nothing in it follows the grammar.

    ``options`` (the row's option texts) lets a reply to a text-option question name an
    option by its text.
    """
    return answer_kind(task).parse_prediction(text, options)
