"""Shortcut baselines: how far does a strategy that ignores the intended reasoning get?

Every baseline writes answers that ``misi_bench.evaluation.evaluate`` scores exactly as
it scores a model (composite score and exact match, 0-100), on one split (default test), next
to chance (the ``random`` baseline of ``misi-bench baseline``, mean over ``CHANCE_SEEDS``).

* ``majority`` (text only, every task): the train split's most frequent answer
  (``misi-bench baseline majority``).
* ``registration`` (answers that are one move in the screen plane, T1): phase correlation (numpy FFT) of image 1 (front) against
  image 4 (front after); the larger of the two pixel shifts gives the axis, the shift in Å its
  amount. Pixels per Å at the rotation center: from the fitted camera distance when a source
  corpus is given (``camera_for(...).distance``), else the train split's median ratio of
  pixel shift to answered distance (a prior a model could learn).
* ``largest_change`` (image options, T5/T6): the option image that differs most (mean absolute
  pixel difference) from the image the commands are applied to: the target's front view
  (T5) or image 4 (T6). For text options (T8): the option with the largest |a| + |b|;
  ``smallest_change`` the one with the smallest (the truth centers the bond, so small moves are
  a plausible prior).
* ``medoid`` (T8): the option closest (L1 over (a, b)) to the other three. It found the truth
  every time with decoys scattered around it; with the corner design of
  ``tasks/interaction_location`` all four options are equally central.
* ``closest_residue`` (T4, T9; needs the source): for a residue (T4) or each pocket residue
  (T9), the closest pair of nitrogen/oxygen atoms between residue and ligand; named as a bond
  when within ``closest_residue_cutoff`` Å, else ``No``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from misi_bench.builders.tasks import TASKS
from misi_bench.builders.tasks.answers import LETTERS, Bond, BondAnswer, ChoiceAnswer, CommandAnswer
from misi_bench.evaluation.baselines import majority_answers, random_answer
from misi_bench.evaluation import evaluate
from .data import Build, Complexes, decode
from .options import IMAGE_OPTION_TASKS, MOVE, TEXT_OPTION_TASKS, option_images

CHANCE_SEEDS = (0, 1, 2, 3, 4)
POLAR = ("N", "O")


def gray(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])


def phase_shift(before: np.ndarray, after: np.ndarray) -> tuple[float, float]:
    """(dx, dy) in pixels such that ``after`` ≈ ``before`` moved right by dx and down by dy."""
    a, b = np.fft.fft2(gray(before)), np.fft.fft2(gray(after))
    cross = b * np.conj(a)
    cross /= np.maximum(np.abs(cross), 1e-12)
    surface = np.fft.ifft2(cross).real
    dy, dx = np.unravel_index(int(np.argmax(surface)), surface.shape)
    h, w = surface.shape
    return float(dx - w if dx > w // 2 else dx), float(dy - h if dy > h // 2 else dy)


def planar_move(answer) -> bool:
    """A one-command answer that moves the scene in the screen plane (what registration finds)."""
    return isinstance(answer, CommandAnswer) and answer.kind == "move" and "z" not in answer.axes


def translation_guess(shift: tuple[float, float], px_per_angstrom: float, limit: int) -> str:
    dx, dy = shift
    axis, pixels = ("x", dx) if abs(dx) >= abs(dy) else ("y", -dy)
    amount = int(np.clip(np.round(pixels / max(px_per_angstrom, 1e-9)), -limit, limit))
    return f"move {axis} {amount if amount else (1 if pixels >= 0 else -1)}"


def px_per_angstrom(complex_, size: int) -> float:
    from misi_bench.renderers import Scene, camera_for, focal_length

    return focal_length(size) / camera_for(complex_, Scene(show="complex", size=size)).distance


def _rows(build: Build, task: str, split: str, limit: int, images: bool) -> Iterator[dict]:
    columns = ["id", "task", "split", "pdb_id", "answer", "options", "question_type", "image_roles", "params"]
    yield from build.rows(task, split, columns + (["images"] if images else []), limit)


def _score(rows: list[dict], predictions: dict[str, str]) -> dict:
    if not rows:
        return {}
    bare = [{k: v for k, v in r.items() if k != "images"} for r in rows]
    report = evaluate(bare, predictions)
    entry = next(iter(report["tasks"].values()))
    return {"composite": round(entry["composite"], 2), "exact": round(entry["exact"], 2), "n": entry["n"]}


def registration(build: Build, task: str, split: str, limit: int, complexes: Complexes | None) -> dict:
    rows = list(_rows(build, task, split, limit, images=True))
    if not rows:
        return {}
    answer = TASKS[task].answer
    largest = max(abs(v) for v in answer.values)
    calibration = None
    if complexes is None:
        ratios = []
        for row in _rows(build, task, "train", limit, images=True):
            shift = phase_shift(decode(row["images"][0]), decode(row["images"][3]))
            truth = answer.parse_truth(row["answer"])
            ratios.append(abs(shift[0] if truth.axis == "x" else shift[1]) / abs(truth.amount))
        calibration = float(np.median(ratios)) if ratios else None
    predictions = {}
    for row in rows:
        before, after = decode(row["images"][0]), decode(row["images"][3])
        if complexes is not None and (complex_ := complexes.get(row["pdb_id"])) is not None:
            scale = px_per_angstrom(complex_, before.shape[1])
        elif calibration:
            scale = calibration
        else:
            continue
        predictions[row["id"]] = translation_guess(phase_shift(before, after), scale, largest)
    result = _score(rows, predictions)
    result["pixels_per_angstrom"] = "camera distance (source)" if complexes is not None else "train median"
    return result


def largest_change(build: Build, task: str, split: str, limit: int) -> dict:
    rows = list(_rows(build, task, split, limit, images=True))
    predictions = {}
    for row in rows:
        roles = row["image_roles"]  # the commands apply to the target complex when there is one
        reference_role = "target_front" if "target_front" in roles else "front_after"
        reference = decode(row["images"][roles.index(reference_role)]).astype(np.int16)
        changes = [float(np.abs(image.astype(np.int16) - reference).mean()) for image in option_images(row)]
        predictions[row["id"]] = LETTERS[int(np.argmax(changes))]
    return _score(rows, predictions)


def _moves(row: dict) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in MOVE.search(option).groups()) for option in row["options"]]


def text_option_heuristics(rows: list[dict]) -> dict:
    largest, smallest, medoid = {}, {}, {}
    for row in rows:
        moves = _moves(row)
        largest[row["id"]] = LETTERS[int(np.argmax([abs(a) + abs(b) for a, b in moves]))]
        smallest[row["id"]] = LETTERS[int(np.argmin([abs(a) + abs(b) for a, b in moves]))]
        spread = [sum(abs(a - c) + abs(b - d) for c, d in moves) for a, b in moves]
        medoid[row["id"]] = LETTERS[int(np.argmin(spread))]
    return {"largest_change": _score(rows, largest), "smallest_change": _score(rows, smallest),
            "medoid": _score(rows, medoid)}


def _closest_polar_pair(complex_, atom_indices) -> tuple[float, int, int] | None:
    pocket, ligand = complex_.pocket, complex_.ligand
    residue_atoms = [i for i in atom_indices if pocket.elements[i] in POLAR]
    ligand_atoms = [j for j in range(ligand.n_atoms) if ligand.elements[j] in POLAR]
    if not residue_atoms or not ligand_atoms:
        return None
    distances = np.linalg.norm(pocket.coords[residue_atoms][:, None] - ligand.coords[ligand_atoms][None], axis=2)
    i, j = np.unravel_index(int(np.argmin(distances)), distances.shape)
    return float(distances[i, j]), residue_atoms[i], ligand_atoms[j]


def closest_residue(rows: list[dict], task: str, complexes: Complexes, cutoff: float) -> dict:
    answer = TASKS[task].answer
    predictions = {}
    for row in rows:
        complex_ = complexes.get(row["pdb_id"])
        if complex_ is None:
            continue
        pocket = complex_.pocket
        if answer.with_position:  # every pocket residue
            residues = pocket.residues
        else:  # the residue the question names
            key = row["params"]["residue"]
            residues = [r for r in pocket.residues if r.key == (key["chain"], key["number"], key["icode"])][:1]
        bonds = []
        for residue in residues:
            found = _closest_polar_pair(complex_, residue.atom_indices)
            if found and found[0] <= cutoff:
                position = (f"{residue.number}{residue.icode}", residue.chain) if answer.with_position else ()
                bonds.append(Bond(residue.name, pocket.names[found[1]], complex_.ligand.names[found[2]], *position))
        predictions[row["id"]] = answer.format(bonds)
    return _score(rows, predictions)


def check(build: Build, thresholds: dict, complexes: Complexes | None, split: str = "test") -> dict:
    limit = thresholds["max_rows_per_task"]
    tasks = [t for t in build.tasks if split in build.manifest["configs"][t]]
    rows_by_task = {t: list(_rows(build, t, split, None, images=False)) for t in tasks}
    priors, fallbacks = majority_answers(build.out, tasks, split, build.manifest, rows_by_task)
    results = {}
    for task in tasks:
        rows = rows_by_task[task]
        if not rows:
            continue
        chance = [_score(rows, {r["id"]: random_answer(r, seed) for r in rows}) for seed in CHANCE_SEEDS]
        entry = {
            "n": len(rows),
            "chance": {"composite": round(float(np.mean([c["composite"] for c in chance])), 2),
                       "exact": round(float(np.mean([c["exact"] for c in chance])), 2)},
            "shortcuts": {"majority": {**_score(rows, {r["id"]: priors[task] for r in rows}), "answer": priors[task],
                                       "prior_from": split if task in fallbacks else "train"}},
        }
        answer = TASKS[task].answer
        if isinstance(answer, ChoiceAnswer):
            entry["chance"]["analytic"] = 100 / len(LETTERS)
        shortcuts = entry["shortcuts"]
        if planar_move(answer):
            shortcuts["registration"] = registration(build, task, split, limit, complexes)
        if task in IMAGE_OPTION_TASKS:
            shortcuts["largest_change"] = largest_change(build, task, split, limit)
        if task in TEXT_OPTION_TASKS:
            shortcuts.update(text_option_heuristics(rows))
        if isinstance(answer, BondAnswer) and complexes is not None:
            shortcuts["closest_residue"] = closest_residue(rows, task, complexes, thresholds["closest_residue_cutoff"])
        best = max(shortcuts.items(), key=lambda kv: kv[1].get("composite", -1))
        entry["best_shortcut"] = {"name": best[0], "composite": best[1].get("composite", 0.0),
                                  "margin_over_chance": round(best[1].get("composite", 0.0) - entry["chance"]["composite"], 2)}
        results[task] = entry
    return results
