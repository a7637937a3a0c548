"""Per-question scores of docs/conventions.md (Scores): the composite score (0..1) and exact match.

Each task's answer kind computes them (``misi_bench.builders.tasks.answers``). Our choices (also in
docs/evaluation.md):

* T1/T2: 0 when the kind (move/roll) or the axis differs from the truth, else
  ``max(0, 1 - |d^ - d| / R)``; R = 8 Å (translation) and 180° (rotation), the widths of the
  sampled ranges. Angles are compared as written (``roll y 345`` is not ``roll y -15``).
* T3 and multiple choice: 1 for an exact match, else 0.
* T7: rotation part (scored as T2) x 0.5 + translation part x 0.5. The translation part needs
  the truth's kind and axis (``move x``) and a non-zero distance of the truth's sign, then
  ``max(0, 1 - |d^ - d| / |d|)``. A wrong rotation axis zeroes only the rotation part; a reply
  missing one command scores only the part it has. Command order does not matter: rotating the
  ligand about its own center commutes with translating it.
* T4/T9: bonds compared as sets of upper-cased tokens (T4: residue name, residue atom, ligand
  atom; T9: also residue number with insertion code and chain). No/No = 1; No vs bonds (either
  way) = 0; more than twice as many distinct bonds as the truth = 0 (checked first); every true
  bond plus extras = 0.5; otherwise the fraction of true bonds named.
* Exact match: the parsed reply equals the parsed truth (a docking reply needs both parts).
* Unparsable reply: 0 and not exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from misi_bench.builders.tasks.answers import DEFAULT_CONFIG, MetricConfig

from .parsing import Answer, answer_kind, check_task, parse_prediction, parse_truth


@dataclass(frozen=True)
class Judgement:
    """One question's outcome: the parsed reply (None when unparsable), score and exact match."""

    parsed: Answer | None
    truth: Answer
    score: float
    exact: bool


def score_parsed(task: str, predicted: Answer | None, truth: Answer, config: MetricConfig = DEFAULT_CONFIG) -> float:
    """Composite score of an already parsed reply (None = unparsable)."""
    kind = answer_kind(task)
    if predicted is None or type(predicted) is not type(truth):
        return 0.0
    return kind.score(predicted, truth, config)


def _row_truth(task: str, row: Mapping) -> Answer:
    check_task(task)
    if row.get("task", task) != task:
        raise ValueError(f"row {row.get('id', '?')} is a {row['task']} question, not {task}")
    return parse_truth(task, row["answer"])


def judge(task: str, prediction: str | None, row: Mapping, config: MetricConfig = DEFAULT_CONFIG) -> Judgement:
    """Parse a reply against its row and score it."""
    truth = _row_truth(task, row)
    options = row.get("options") or ()
    parsed = parse_prediction(task, prediction, options)
    return Judgement(parsed, truth, score_parsed(task, parsed, truth, config), parsed == truth)


def score(task: str, prediction: str | None, row: Mapping, config: MetricConfig = DEFAULT_CONFIG) -> float:
    """Composite score in 0..1 of a model's raw reply to ``row``."""
    return judge(task, prediction, row, config).score


def exact(task: str, prediction: str | None, row: Mapping) -> bool:
    """Whether the reply, once parsed, equals the ground truth."""
    return judge(task, prediction, row).exact


__all__ = [
    "DEFAULT_CONFIG",
    "Judgement",
    "MetricConfig",
    "exact",
    "judge",
    "score",
    "score_parsed",
]
