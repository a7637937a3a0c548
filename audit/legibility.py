"""Legibility of the labels the interaction tasks' answers name (T4, T8, T9).

The answers of residue–ligand (T4), interaction location (T8) and pocket–ligand (T9) name
ligand polar atoms (N, O, S, P, halogens: ``renderers.style.POLAR_ELEMENTS``), the residue's atoms
(T4) and residues (T8/T9). A label is **clear** in an image when its ink box lies inside the
image and no other label's box covers more than ``clear_max_cover`` (10 %) of it; a label that
is not drawn is not clear. Boxes are the renderer's own (``renderers.label_boxes``).

Per config, over the distinct questions (complex + scenes):

- T4: the shares of ligand polar-atom labels and of the residue's atom labels (heavy atoms)
  that are clear in the front view, and in at least one of the six views;
- T8/T9: the shares of ligand polar-atom labels and of residue labels clear in at least one of
  the six views (and in the front view, for reference).

With ``tesseract`` installed, the OCR read-back (``ocr.py``) of the stored images: T4 the
ligand polar-atom names and the residue's atom names read from the front view; T8/T9 the ligand
polar-atom names and the residue numbers read from the six views together. At most
``max_ocr_questions_per_task`` questions per config are read (row order).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from misi_bench.builders.tasks import TASKS as REGISTRY

from .data import Build, Complexes, decode, scene_of

TASKS = tuple(name for name, task in REGISTRY.items() if task.names_labels)  # answers name labels
LIGAND_POLAR, RESIDUE_ATOMS, RESIDUES = "ligand_polar", "residue_atoms", "residues"
FRONT = "front"


def clear_labels(placed: list, size: int, max_cover: float) -> set[tuple[str, int]]:
    """(kind, ref) of the placed labels (``renderers.label_boxes``) that are clear."""
    boxes = [(label, label.box) for label in placed if label.box is not None]
    if not boxes:
        return set()
    b = np.array([box for _, box in boxes], dtype=np.int64)
    area = np.maximum((b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]), 1)
    inter_w = np.clip(np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0]), 0, None)
    inter_h = np.clip(np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1]), 0, None)
    cover = inter_w * inter_h / area[:, None]  # cover[i, j]: share of box i under box j
    np.fill_diagonal(cover, 0.0)
    inside = (b[:, 0] >= 0) & (b[:, 1] >= 0) & (b[:, 2] <= size) & (b[:, 3] <= size)
    ok = inside & (cover.max(axis=1) <= max_cover)
    return {(label.label.kind, label.label.ref) for (label, _), good in zip(boxes, ok) if good}


def wanted_labels(complex_, scene) -> dict[str, list[tuple[str, int]]]:
    """The labels a question's answer can name, by group, as (kind, ref) — whether drawn or not."""
    from misi_bench.renderers.content import LIGAND_ATOM, RESIDUE, RESIDUE_ATOM
    from misi_bench.renderers.style import POLAR_ELEMENTS

    ligand, pocket = complex_.ligand, complex_.pocket
    groups = {LIGAND_POLAR: [(LIGAND_ATOM, int(i)) for i in np.flatnonzero(~ligand.is_hydrogen)
                             if str(ligand.elements[i]) in POLAR_ELEMENTS]}
    if scene.show == "residue":
        residue = next(r for r in pocket.residues if r.key == scene.residue)
        groups[RESIDUE_ATOMS] = [(RESIDUE_ATOM, int(i)) for i in residue.atom_indices if not pocket.is_hydrogen[i]]
    else:
        heavy = np.bincount(pocket.residue_index[~pocket.is_hydrogen], minlength=len(pocket.residues))
        groups[RESIDUES] = [(RESIDUE, int(k)) for k in np.flatnonzero(heavy)]
    return groups


@dataclass
class Question:
    """One distinct question of an interaction task: its complex and its six scenes."""

    pdb_id: str
    scenes: list  # renderer Scenes, in image order

    @property
    def key(self) -> tuple:
        return (self.pdb_id, tuple(scene.to_json() for scene in self.scenes))


def questions(build: Build, task: str, limit: int) -> list[Question]:
    seen, found = set(), []
    for row in build.all_rows(task, ["pdb_id", "params"], limit):
        key = (row["pdb_id"], tuple(row["params"]["scenes"]))
        if key not in seen:
            seen.add(key)
            found.append(Question(row["pdb_id"], [scene_of(row, i) for i in range(len(row["params"]["scenes"]))]))
    return found


def clear_shares(items: list[tuple], max_cover: float) -> dict:
    """Shares of wanted labels clear in the front view and in at least one view, per group,
    over ``items`` = [(complex, scenes)]."""
    from misi_bench.renderers import label_boxes

    totals: dict[str, list[int]] = {}  # group -> [labels, clear in front, clear in any view]
    for complex_, scenes in items:
        clear_by_view = [(scene.view, clear_labels(label_boxes(complex_, scene), scene.size, max_cover)) for scene in scenes]
        for group, labels in wanted_labels(complex_, scenes[0]).items():
            count = totals.setdefault(group, [0, 0, 0])
            for label in labels:
                count[0] += 1
                count[1] += any(label in clear for view, clear in clear_by_view if view == FRONT)
                count[2] += any(label in clear for _, clear in clear_by_view)
    return {group: {"labels": n, "clear_front": round(front / n, 4), "clear_any_view": round(any_ / n, 4)}
            for group, (n, front, any_) in totals.items() if n}


def wanted_words(complex_, scene) -> dict[str, list[str]]:
    """What OCR should read back, by group: ligand polar-atom names, the residue's atom names
    (T4) or the residue numbers (T8/T9)."""
    ligand, pocket = complex_.ligand, complex_.pocket
    words = {}
    for group, labels in wanted_labels(complex_, scene).items():
        if group == LIGAND_POLAR:
            words[group] = [str(ligand.names[ref]) for _, ref in labels]
        elif group == RESIDUE_ATOMS:
            words[group] = [str(pocket.names[ref]) for _, ref in labels]
        else:
            words[group] = [str(pocket.residues[ref].number) for _, ref in labels]
    return words


def ocr_shares(items: list[tuple], cache: dict | None = None) -> dict:
    """Read-back shares per group over ``items`` = [(complex, scenes, stored RGB images)]: T4
    (residue scenes) reads the front view, T8/T9 all views together. ``cache`` keeps the words
    read per (complex, scene) across calls (T8 and T9 show the same images)."""
    from misi_bench.renderers import render_array

    from .ocr import PAGES_AT_ONCE, label_pixels, read_words

    cache = {} if cache is None else cache
    read_scenes = [[((complex_.pdb_id, scene.to_json()), complex_, scene, image) for scene, image in zip(scenes, images)
                    if not (scene.show == "residue" and scene.view != FRONT)] for complex_, scenes, images in items]
    unread = {}  # the scenes not read yet, read a batch at a time (one tesseract per core)
    for key, complex_, scene, image in (page for question in read_scenes for page in question):
        if key not in cache:
            unread.setdefault(key, (complex_, scene, image))
    keys = list(unread)
    for first in range(0, len(keys), PAGES_AT_ONCE):
        batch = keys[first:first + PAGES_AT_ONCE]
        pages = [label_pixels(image, render_array(c, scene.replace(labels=False)))
                 for c, scene, image in (unread[key] for key in batch)]
        cache.update(zip(batch, read_words(pages)))
    totals: dict[str, list[int]] = {}
    for (complex_, scenes, _), question in zip(items, read_scenes):
        read = set().union(*(cache[key] for key, *_ in question))
        for group, words in wanted_words(complex_, scenes[0]).items():
            count = totals.setdefault(group, [0, 0])
            count[0] += len(words)
            count[1] += sum(word in read for word in words)
    return {group: {"names": n, "read_back": round(hits / n, 4)} for group, (n, hits) in totals.items() if n}


def stored_images(build: Build, task: str, keys: set, limit: int) -> dict:
    """Decoded images of the questions with these keys (pdb_id, scene JSONs)."""
    found = {}
    for row in build.all_rows(task, ["pdb_id", "images", "params"], limit):
        key = (row["pdb_id"], tuple(row["params"]["scenes"]))
        if key in keys and key not in found:
            found[key] = [decode(image) for image in row["images"]]
    return found


def check(build: Build, thresholds: dict, complexes: Complexes | None) -> dict | None:
    if complexes is None:
        return None
    from .ocr import tesseract

    results, words_read = {}, {}
    for task in (t for t in TASKS if t in build.tasks):
        found = [(q, complexes.get(q.pdb_id)) for q in questions(build, task, thresholds["max_rows_per_task"])]
        found = [(q, c) for q, c in found if c is not None]
        if not found:
            continue
        entry = {"questions": len(found), "image_size": found[0][0].scenes[0].size,
                 "clear": clear_shares([(c, q.scenes) for q, c in found], thresholds["clear_max_cover"])}
        if tesseract() is not None:
            read = found[:thresholds["max_ocr_questions_per_task"]]
            images = stored_images(build, task, {q.key for q, _ in read}, thresholds["max_rows_per_task"])
            entry["ocr"] = ocr_shares([(c, q.scenes, images[q.key]) for q, c in read], words_read)
            entry["ocr_questions"] = len(read)
        results[task] = entry
    return results


def findings(result: dict, thresholds: dict) -> list[str]:
    """The legibility targets missed (flags)."""
    found = []
    for task, entry in result.items():
        clear = entry["clear"]
        if REGISTRY[task].one_residue:
            targets = [(group, key, thresholds[name]) for group in (LIGAND_POLAR, RESIDUE_ATOMS)
                       for key, name in (("clear_front", "t4_clear_front"), ("clear_any_view", "t4_clear_any_view"))]
        else:
            targets = [(LIGAND_POLAR, "clear_any_view", thresholds["complex_ligand_clear_any_view"]),
                       (RESIDUES, "clear_any_view", thresholds["complex_residue_clear_any_view"])]
        for group, key, target in targets:
            if group in clear and clear[group][key] < target:
                found.append(f"{task}: {group} labels {key.replace('_', ' ')} {clear[group][key]:.1%} < {target:.0%}")
        residues_read = entry.get("ocr", {}).get(RESIDUES)
        if residues_read and residues_read["read_back"] < thresholds["complex_residue_ocr"]:
            found.append(f"{task}: residue numbers read back by OCR {residues_read['read_back']:.0%} "
                         f"< {thresholds['complex_residue_ocr']:.0%}")
    return found
