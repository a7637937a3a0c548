"""``misi-bench baseline``: reference predictions files that ``misi-bench evaluate`` scores.

* ``oracle``: the ground-truth answer of every question (scores 100 on every task).
* ``random``: a uniform draw from the task's answer space (its answer kind's ``random_answer``),
  without looking at the images or the truth. Commands: axis and value uniform over the ranges in
  docs/conventions.md (docking distance: -30..30 Å, our choice). Multiple choice: a letter A-D.
  Bond tasks: ``No`` or, with equal probability, ``Yes`` with one bond of random atom names,
  which in practice never matches.
* ``majority``: the most frequent answer string of the task in the ``train`` split of the same
  folder (a text-only prior); when the folder has no train rows for the task, the evaluated
  split itself is used (and the choice printed). Ties go to the alphabetically first answer.

Every draw of ``random`` comes from a generator seeded by (seed, question id), so a file is
identical for identical inputs whatever the task selection or order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .parsing import answer_kind
from .runs import RunError, read_manifest, read_rows, select_tasks

KINDS = ("oracle", "random", "majority")


def question_rng(seed: int, row_id: str) -> np.random.Generator:
    """The random baseline's generator of one question."""
    digest = hashlib.sha256(f"misi-bench/baseline-random/{seed}/{row_id}".encode()).digest()
    return np.random.Generator(np.random.PCG64(np.frombuffer(digest, dtype=np.uint32)))


def random_answer(row: dict, seed: int) -> str:
    """A uniform draw from the answer space of the row's task."""
    try:
        kind = answer_kind(row["task"])
    except ValueError:
        raise RunError(f"no random answer space for task {row['task']!r}") from None
    return kind.random_answer(question_rng(seed, row["id"]), row)


def mode(answers: Iterable[str]) -> str | None:
    """The most frequent answer; ties to the alphabetically first; None when there is none."""
    counts = Counter(answers)
    if not counts:
        return None
    return min(counts, key=lambda answer: (-counts[answer], answer))


def majority_answers(dataset: Path, tasks: list[str], split: str, manifest: dict,
                     rows_by_task: dict[str, list[dict]]) -> tuple[dict[str, str], list[str]]:
    """Each task's train mode (or the split's own mode without train rows) and the fallbacks."""
    answers, fallbacks = {}, []
    for task in tasks:
        prior = None
        if "train" in manifest["configs"].get(task, {}):
            prior = mode(r["answer"] for r in read_rows(dataset, task, "train", manifest))
        if prior is None:
            prior = mode(r["answer"] for r in rows_by_task[task])
            fallbacks.append(task)
        answers[task] = prior
    return answers, fallbacks


def baseline_predictions(kind: str, dataset: Path, task_arg: str, split: str, seed: int = 0) -> tuple[list[tuple[str, str]], list[str]]:
    """``(id, prediction)`` pairs of a baseline over a split, plus notes for the user."""
    if kind not in KINDS:
        raise RunError(f"unknown baseline {kind!r}; choose one of {', '.join(KINDS)}")
    manifest = read_manifest(dataset)
    tasks = select_tasks(manifest, task_arg, split)
    rows_by_task = {task: read_rows(dataset, task, split, manifest) for task in tasks}
    notes: list[str] = []
    answer_of: Callable[[dict], str]
    if kind == "oracle":
        answer_of = lambda row: row["answer"]  # noqa: E731
    elif kind == "random":
        answer_of = lambda row: random_answer(row, seed)  # noqa: E731
    else:
        priors, fallbacks = majority_answers(dataset, tasks, split, manifest, rows_by_task)
        if fallbacks:
            notes.append(f"no train rows for {', '.join(fallbacks)}: majority taken from the '{split}' split itself")
        answer_of = lambda row: priors[row["task"]]  # noqa: E731
    pairs = [(r["id"], answer_of(r)) for task in tasks for r in rows_by_task[task]]
    return pairs, notes
