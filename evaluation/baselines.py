"""``misi-bench baseline``: reference predictions files that ``misi-bench evaluate`` scores.

* ``oracle``: the ground-truth answer of every question (scores 100 on every task).
* ``random``: a uniform draw from the task's answer space (``RANDOM_SPACE``), without looking at
  the images or the truth. Commands: axis and value uniform over the ranges in docs/conventions.md.
  Multiple choice: a letter A-D. Bond tasks: ``No`` or, with equal probability, ``Yes`` with one
  bond of random atom names (see ``random_bond``), which in practice never matches.
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

from .runs import RunError, read_manifest, read_records, select_tasks

KINDS = ("oracle", "random", "majority")
LETTERS = ("A", "B", "C", "D")


def _nonzero(low: int, high: int, step: int = 1) -> tuple[int, ...]:
    return tuple(v for v in range(low, high + 1, step) if v != 0)


# Answer spaces of the random baseline (docs/conventions.md, Answers and ranges; docking distance: our choice).
RANDOM_SPACE = {
    "translation": {"kind": "move", "axes": ("x", "y"), "values": _nonzero(-4, 4)},
    "rotation": {"kind": "roll", "axes": ("x", "y", "z"), "values": _nonzero(-90, 90, 15)},
    "zooming": {"kind": "move", "axes": ("z",), "values": tuple(range(40, 61))},
    "docking_rotation": {"kind": "roll", "axes": ("x", "y", "z"), "values": _nonzero(-90, 90, 15)},
    "docking_translation": {"kind": "move", "axes": ("x",), "values": _nonzero(-30, 30)},
}
# Atom names of the random bond: backbone atoms (every residue has them) and typical ligand names.
RANDOM_RESIDUE_ATOMS = ("N", "O")
RANDOM_LIGAND_ATOMS = tuple(f"{e}{i}" for e in ("O", "N") for i in range(1, 10))
RANDOM_RESIDUE_NAMES = ("ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                        "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL")


def question_rng(seed: int, record_id: str) -> np.random.Generator:
    """The random baseline's generator of one question."""
    digest = hashlib.sha256(f"misi-bench/baseline-random/{seed}/{record_id}".encode()).digest()
    return np.random.Generator(np.random.PCG64(np.frombuffer(digest, dtype=np.uint32)))


def _pick(rng: np.random.Generator, values: tuple):
    return values[int(rng.integers(len(values)))]


def random_command(rng: np.random.Generator, space: dict) -> str:
    return f"{space['kind']} {_pick(rng, space['axes'])} {_pick(rng, space['values'])}"


def random_bond(rng: np.random.Generator, record: dict, with_position: bool) -> str:
    """One bond with random atom names. T4 uses the residue named in the question (params);
    T9 draws a residue name, a number 1..500 and chain A."""
    residue = ((record.get("params") or {}).get("residue") or {}).get("name")
    residue = residue or _pick(rng, RANDOM_RESIDUE_NAMES)
    atom, ligand_atom = _pick(rng, RANDOM_RESIDUE_ATOMS), _pick(rng, RANDOM_LIGAND_ATOMS)
    if with_position:
        return f"{residue} {int(rng.integers(1, 501))} {atom} A, {ligand_atom}"
    return f"{residue} {atom}, {ligand_atom}"


def random_answer(record: dict, seed: int) -> str:
    """A uniform draw from the answer space of the record's task."""
    task, rng = record["task"], question_rng(seed, record["id"])
    if task in ("translation", "rotation", "zooming"):
        return random_command(rng, RANDOM_SPACE[task])
    if task == "docking":
        rotation = random_command(rng, RANDOM_SPACE["docking_rotation"])
        return f"{rotation}, {random_command(rng, RANDOM_SPACE['docking_translation'])}"
    if task in ("translation_rotation", "rotation_rotation", "interaction_location"):
        return _pick(rng, LETTERS)
    if task == "residue_ligand_interaction":
        return "No" if rng.random() < 0.5 else "Yes: " + random_bond(rng, record, with_position=False)
    if task == "pocket_ligand_interaction":
        return "No" if rng.random() < 0.5 else random_bond(rng, record, with_position=True)
    raise RunError(f"no random answer space for task {task!r}")


def mode(answers: Iterable[str]) -> str | None:
    """The most frequent answer; ties to the alphabetically first; None when there is none."""
    counts = Counter(answers)
    if not counts:
        return None
    return min(counts, key=lambda answer: (-counts[answer], answer))


def majority_answers(dataset: Path, tasks: list[str], split: str, manifest: dict,
                     records_by_task: dict[str, list[dict]]) -> tuple[dict[str, str], list[str]]:
    """Each task's train mode (or the split's own mode without train rows) and the fallbacks."""
    answers, fallbacks = {}, []
    for task in tasks:
        prior = None
        if "train" in manifest["configs"].get(task, {}):
            prior = mode(r["answer"] for r in read_records(dataset, task, "train", manifest))
        if prior is None:
            prior = mode(r["answer"] for r in records_by_task[task])
            fallbacks.append(task)
        answers[task] = prior
    return answers, fallbacks


def baseline_predictions(kind: str, dataset: Path, task_arg: str, split: str, seed: int = 0) -> tuple[list[tuple[str, str]], list[str]]:
    """``(id, prediction)`` pairs of a baseline over a split, plus notes for the user."""
    if kind not in KINDS:
        raise RunError(f"unknown baseline {kind!r}; choose one of {', '.join(KINDS)}")
    manifest = read_manifest(dataset)
    tasks = select_tasks(manifest, task_arg, split)
    records_by_task = {task: read_records(dataset, task, split, manifest) for task in tasks}
    notes: list[str] = []
    answer_of: Callable[[dict], str]
    if kind == "oracle":
        answer_of = lambda record: record["answer"]  # noqa: E731
    elif kind == "random":
        answer_of = lambda record: random_answer(record, seed)  # noqa: E731
    else:
        priors, fallbacks = majority_answers(dataset, tasks, split, manifest, records_by_task)
        if fallbacks:
            notes.append(f"no train rows for {', '.join(fallbacks)}: majority taken from the '{split}' split itself")
        answer_of = lambda record: priors[record["task"]]  # noqa: E731
    pairs = [(r["id"], answer_of(r)) for task in tasks for r in records_by_task[task]]
    return pairs, notes
