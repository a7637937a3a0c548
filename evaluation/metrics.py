"""Per-question scores of docs/conventions.md (Scores): the composite score (0..1) and exact match.

Our choices (also in docs/evaluation.md):

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

from misi_bench.renderers.operations import Operation

from .parsing import (
    Answer,
    BondList,
    Docking,
    check_task,
    parse_prediction,
    parse_truth,
)


@dataclass(frozen=True)
class MetricConfig:
    """The scoring constants; defaults are the scores of docs/conventions.md."""

    translation_range: float = 8.0  # Å, width of -4..4
    rotation_range: float = 180.0  # degrees, width of -90..90
    docking_rotation_weight: float = 0.5  # the translation part gets the rest
    bond_superset_score: float = 0.5  # every true bond plus extra ones
    bond_overcount_ratio: float = 2.0  # more distinct bonds than ratio x truth scores 0


DEFAULT_CONFIG = MetricConfig()


@dataclass(frozen=True)
class Judgement:
    """One question's outcome: the parsed reply (None when unparsable), score and exact match."""

    parsed: Answer | None
    truth: Answer
    score: float
    exact: bool


def command_score(predicted: Operation | None, truth: Operation, value_range: float) -> float:
    if predicted is None or (predicted.kind, predicted.axis) != (truth.kind, truth.axis):
        return 0.0
    return max(0.0, 1.0 - abs(predicted.amount - truth.amount) / value_range)


def docking_translation_score(predicted: Operation | None, truth: Operation) -> float:
    if predicted is None or (predicted.kind, predicted.axis) != (truth.kind, truth.axis):
        return 0.0
    if predicted.amount == 0 or (predicted.amount > 0) != (truth.amount > 0):
        return 0.0
    return max(0.0, 1.0 - abs(predicted.amount - truth.amount) / abs(truth.amount))


def docking_score(predicted: Docking, truth: Docking, config: MetricConfig = DEFAULT_CONFIG) -> float:
    weight = config.docking_rotation_weight
    rotation = command_score(predicted.rotation, truth.rotation, config.rotation_range)
    return weight * rotation + (1 - weight) * docking_translation_score(predicted.translation, truth.translation)


def bond_score(predicted: BondList, truth: BondList, config: MetricConfig = DEFAULT_CONFIG) -> float:
    if truth.is_no or predicted.is_no:
        return 1.0 if truth.is_no and predicted.is_no else 0.0
    named, true = predicted.bonds, truth.bonds
    if len(named) > config.bond_overcount_ratio * len(true):
        return 0.0
    if named > true:  # strict superset
        return config.bond_superset_score
    return len(named & true) / len(true)


def score_parsed(task: str, predicted: Answer | None, truth: Answer, config: MetricConfig = DEFAULT_CONFIG) -> float:
    """Composite score of an already parsed reply (None = unparsable)."""
    check_task(task)
    if predicted is None or type(predicted) is not type(truth):
        return 0.0
    if task == "translation":
        return command_score(predicted, truth, config.translation_range)
    if task == "rotation":
        return command_score(predicted, truth, config.rotation_range)
    if task == "docking":
        return docking_score(predicted, truth, config)
    if isinstance(truth, BondList):
        return bond_score(predicted, truth, config)
    return 1.0 if predicted == truth else 0.0  # zooming and multiple choice


def _record_truth(task: str, record: Mapping) -> Answer:
    check_task(task)
    if record.get("task", task) != task:
        raise ValueError(f"record {record.get('id', '?')} is a {record['task']} question, not {task}")
    return parse_truth(task, record["answer"])


def judge(task: str, prediction: str | None, record: Mapping, config: MetricConfig = DEFAULT_CONFIG) -> Judgement:
    """Parse a reply against its record and score it."""
    truth = _record_truth(task, record)
    options = record.get("options") or ()
    parsed = parse_prediction(task, prediction, options)
    return Judgement(parsed, truth, score_parsed(task, parsed, truth, config), parsed == truth)


def score(task: str, prediction: str | None, record: Mapping, config: MetricConfig = DEFAULT_CONFIG) -> float:
    """Composite score in 0..1 of a model's raw reply to ``record``."""
    return judge(task, prediction, record, config).score


def exact(task: str, prediction: str | None, record: Mapping) -> bool:
    """Whether the reply, once parsed, equals the ground truth."""
    return judge(task, prediction, record).exact


__all__ = [
    "DEFAULT_CONFIG",
    "Judgement",
    "MetricConfig",
    "bond_score",
    "command_score",
    "docking_score",
    "docking_translation_score",
    "exact",
    "judge",
    "score",
    "score_parsed",
]
