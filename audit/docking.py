"""Docking: do the displaced ligand and the pocket overlap in the combined front view?

Run on the tasks whose answer is a docking pair (``DockingAnswer``).

From the images alone (no source needed): the pocket-only and ligand-only front images share the
combined view's camera, so the pixels both draw (brighter than ``dark_level``) are where ligand
and pocket would overlap in image 7. Labels are part of those drawings: an atom name written
next to the ligand can reach into the pocket's box. With a source corpus the two images are
re-rendered without labels (``Scene(labels=False)``, the row's own scenes otherwise), which
separates atom overlap (the builder's promise; target 0) from label overlap. Also reported: the
gap in pixels between the two drawings' x extents (negative = their x ranges overlap).
"""

from __future__ import annotations

import numpy as np

from misi_bench.builders.tasks import TASKS
from misi_bench.builders.tasks.answers import DockingAnswer

from .data import Build, Complexes, content_mask, decode, scene_of

NAME = "docking"  # the check's section of the audit report
DOCKING_TASKS = tuple(name for name, task in TASKS.items() if isinstance(task.answer, DockingAnswer))
MAX_LISTED = 20


def overlap(pocket: np.ndarray, ligand: np.ndarray, level: int) -> tuple[int, int]:
    """(pixels drawn in both, gap between the x extents in pixels)."""
    a, b = content_mask(pocket, level), content_mask(ligand, level)
    both = int((a & b).sum())
    cols_a, cols_b = np.flatnonzero(a.any(axis=0)), np.flatnonzero(b.any(axis=0))
    if not len(cols_a) or not len(cols_b):
        return both, 0
    gap = max(int(cols_b.min() - cols_a.max()), int(cols_a.min() - cols_b.max())) - 1
    return both, gap


def check(build: Build, thresholds: dict, complexes: Complexes | None) -> dict | None:
    from misi_bench.renderers import render_array

    level = thresholds["dark_level"]
    drawn, gaps, atoms, listed, atom_listed = [], [], [], [], []
    rows = (row for task in DOCKING_TASKS
            for row in build.all_rows(task, ["id", "pdb_id", "images", "image_roles", "params"], thresholds["max_rows_per_task"]))
    for row in rows:
        roles = row["image_roles"]
        p, l = roles.index("pocket_front"), roles.index("ligand_front")
        both, gap = overlap(decode(row["images"][p]), decode(row["images"][l]), level)
        drawn.append(both)
        gaps.append(gap)
        if both:
            listed.append({"id": row["id"], "pixels": both})
        if complexes is not None and (complex_ := complexes.get(row["pdb_id"])) is not None:
            bare = [render_array(complex_, scene_of(row, i).replace(labels=False)) for i in (p, l)]
            atom_both, _ = overlap(*bare, level)
            atoms.append(atom_both)
            if atom_both:
                atom_listed.append({"id": row["id"], "pixels": atom_both})
    if not drawn:
        return None
    result = {
        "questions": len(drawn),
        "overlapping_questions": int(sum(v > 0 for v in drawn)),
        "overlap_pixels_max": int(max(drawn)),
        "overlapping_ids": listed[:MAX_LISTED],
        "x_gap_pixels": {"min": int(min(gaps)), "median": float(np.median(gaps)), "max": int(max(gaps))},
        "x_ranges_overlapping": int(sum(g < 0 for g in gaps)),
        "atoms_checked": bool(atoms),
        "target_overlapping_atoms": thresholds["docking_max_overlap_pixels"],
    }
    if atoms:
        result.update(atom_overlapping_questions=int(sum(v > thresholds["docking_max_overlap_pixels"] for v in atoms)),
                      atom_overlap_pixels_max=int(max(atoms)), atom_overlapping_ids=atom_listed[:MAX_LISTED])
    return result
