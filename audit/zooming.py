"""Zooming: does every zoom level still show a readable part of the complex?

For the tasks whose answer is a move along z (a zoom; their answer's values are the depths), per
depth (``move z`` 40..60 Å) over the zoomed image (role ``front_after``): Shannon entropy of
the luminance histogram (bits) and the fraction of non-background pixels, both from the image
alone. With a source corpus also the number of visible heavy atoms: atoms in front of the camera
whose projected center lies inside the frame, as the renderer reports them
(``camera_coords(...).in_frame``) for the row's own scene. Depths whose fewest
visible atoms are under ``zoom_min_visible_atoms`` are flagged (target: none).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from misi_bench.builders.tasks import TASKS
from misi_bench.builders.tasks.answers import CommandAnswer

from .data import Build, Complexes, content_mask, decode, entropy_bits, scene_of

NAME = "zooming"  # the check's section of the audit report
ZOOM_TASKS = tuple(name for name, task in TASKS.items()
                   if isinstance(task.answer, CommandAnswer) and task.answer.axes == ("z",))


def visible_atoms(complex_, scene) -> int:
    from misi_bench.renderers import camera_coords

    coords = camera_coords(complex_, scene)
    return int(coords.in_frame("pocket")[~complex_.pocket.is_hydrogen].sum()
               + coords.in_frame("ligand")[~complex_.ligand.is_hydrogen].sum())


def _stats(values: list[float], digits: int = 3) -> dict:
    array = np.asarray(values, dtype=np.float64)
    return {"min": round(float(array.min()), digits), "mean": round(float(array.mean()), digits),
            "max": round(float(array.max()), digits)}


def check(build: Build, thresholds: dict, complexes: Complexes | None) -> dict | None:
    tasks = [task for task in ZOOM_TASKS if task in build.tasks]
    if not tasks:
        return None
    level = thresholds["dark_level"]
    by_depth: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for task in tasks:
        answer = TASKS[task].answer
        columns = ["id", "pdb_id", "answer", "images", "image_roles", "params"]
        for row in build.all_rows(task, columns, thresholds["max_rows_per_task"]):
            index = row["image_roles"].index("front_after")
            rgb = decode(row["images"][index])
            entry = by_depth[int(answer.parse_truth(row["answer"]).amount)]
            entry["entropy"].append(entropy_bits(rgb))
            entry["content"].append(float(content_mask(rgb, level).mean()))
            entry["entropy_unzoomed"].append(entropy_bits(decode(row["images"][row["image_roles"].index("front")])))
            if complexes is not None and (complex_ := complexes.get(row["pdb_id"])) is not None:
                entry["visible_atoms"].append(visible_atoms(complex_, scene_of(row, index)))
    minimum = thresholds["zoom_min_visible_atoms"]
    levels = {}
    for depth in sorted(by_depth):
        entry = by_depth[depth]
        level_entry = {"questions": len(entry["entropy"]), "entropy_bits": _stats(entry["entropy"]),
                       "content_fraction": _stats(entry["content"], 4),
                       "entropy_bits_before_zoom": _stats(entry["entropy_unzoomed"])}
        if entry["visible_atoms"]:
            level_entry["visible_atoms"] = _stats(entry["visible_atoms"], 1)
        levels[str(depth)] = level_entry
    result = {"levels": levels, "visible_atoms_checked": complexes is not None,
              "min_visible_atoms_threshold": minimum}
    if complexes is not None:
        result["levels_under_threshold"] = [d for d, e in levels.items() if e.get("visible_atoms", {}).get("min", minimum) < minimum]
    all_entropy = [v for e in by_depth.values() for v in e["entropy"]]
    if all_entropy:
        result["entropy_bits"] = _stats(all_entropy)
    return result
