"""Multiple choice: are the options distinguishable?

Image options (the tasks whose letters stand for option images): the mean absolute pixel difference
(over pixels and channels, 0..255, the builder's ``choice.pixel_difference``) of every pair of
the four option images; per question its minimum. Questions whose minimum is under the
build's redraw threshold (choices.md: 1.0) are counted (target 0) and listed.

Text options (letters standing for move commands, the options column): duplicate option strings per question (target 0), and the
smallest Chebyshev distance in Å between two options' (x, y) moves (the build promises ≥ 2).
"""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np

from misi_bench.builders.tasks import TASKS
from misi_bench.builders.tasks.answers import ChoiceAnswer

from .data import Build, decode

def _choice_tasks(options: str) -> tuple[str, ...]:
    return tuple(name for name, task in TASKS.items() if isinstance(task.answer, ChoiceAnswer) and task.answer.options == options)


IMAGE_OPTION_TASKS = _choice_tasks("image")
TEXT_OPTION_TASKS = _choice_tasks("text")
MOVE = re.compile(r"move x (-?\d+), move y (-?\d+)")
MAX_LISTED = 20


def option_images(row: dict) -> list[np.ndarray]:
    return [decode(image) for image, role in zip(row["images"], row["image_roles"]) if role.startswith("option_")]


def min_pair_difference(images: list[np.ndarray]) -> float:
    return min(float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean()) for a, b in combinations(images, 2))


def _summary(values: list[float]) -> dict:
    array = np.asarray(values, dtype=np.float64)
    return {"min": round(float(array.min()), 3), "median": round(float(np.median(array)), 3),
            "mean": round(float(array.mean()), 3), "max": round(float(array.max()), 3)}


def check(build: Build, thresholds: dict) -> dict:
    threshold = float(thresholds["option_min_pixel_difference"])
    limit = thresholds["max_rows_per_task"]
    results = {}
    for task in IMAGE_OPTION_TASKS:
        if task not in build.tasks:
            continue
        minima, under = [], []
        for row in build.all_rows(task, ["id", "images", "image_roles"], limit):
            value = min_pair_difference(option_images(row))
            minima.append(value)
            if value < threshold:
                under.append({"id": row["id"], "min_pixel_difference": round(value, 3)})
        if not minima:
            continue
        results[task] = {"kind": "image", "questions": len(minima), "threshold": threshold,
                         "min_pixel_difference": _summary(minima), "under_threshold": len(under),
                         "under_threshold_ids": under[:MAX_LISTED], "target": 0}
    for task in TEXT_OPTION_TASKS:
        if task not in build.tasks:
            continue
        questions, duplicates, separations, listed = 0, 0, [], []
        for row in build.all_rows(task, ["id", "options"]):
            questions += 1
            options = [o.strip().lower() for o in row["options"]]
            if len(set(options)) < len(options):
                duplicates += 1
                listed.append(row["id"])
            moves = [tuple(int(v) for v in m.groups()) for m in (MOVE.search(o) for o in options) if m]
            if len(moves) >= 2:
                separations.append(min(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in combinations(moves, 2)))
        if not questions:
            continue
        entry = {"kind": "text", "questions": questions, "with_duplicate_options": duplicates,
                 "duplicate_ids": listed[:MAX_LISTED], "target": 0}
        if separations:
            entry["min_separation_angstrom"] = _summary(separations)
            entry["under_separation"] = int(sum(s < thresholds["text_option_min_separation"] for s in separations))
        results[task] = entry
    return results
