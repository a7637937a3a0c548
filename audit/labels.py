"""Label collisions: the fraction of drawn labels whose text overlaps another label's text.

Needs the source complexes: the boxes are those the renderer draws (``renderers.label_boxes``).
A label's box is the bounding box of its glyph pixels (ink, not the font's line box), clipped to
the frame. Distinct (complex, scene) pairs per task are checked, at most
``max_label_scenes_per_task`` in row order.
"""

from __future__ import annotations

import numpy as np

from .data import Build, Complexes, complex_id_of_image, scene_of


def label_boxes(complex_, scene) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(text, (left, top, right, bottom)) of every label the renderer draws, clipped to the frame."""
    from misi_bench.renderers import label_boxes as drawn

    size = scene.size
    boxes = []
    for label in drawn(complex_, scene):
        if label.box is None:
            continue
        left, upper, right, lower = label.box
        left, upper, right, lower = max(left, 0), max(upper, 0), min(right, size), min(lower, size)
        if right > left and lower > upper:
            boxes.append((label.text, (left, upper, right, lower)))
    return boxes


def colliding(boxes: list[tuple[int, int, int, int]]) -> int:
    """How many boxes intersect at least one other box (positive area)."""
    if len(boxes) < 2:
        return 0
    b = np.asarray(boxes, dtype=np.int64)
    inter_w = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    inter_h = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    hit = (inter_w > 0) & (inter_h > 0)
    np.fill_diagonal(hit, False)
    return int(hit.any(axis=1).sum())


def check(build: Build, thresholds: dict, complexes: Complexes | None) -> dict | None:
    if complexes is None:
        return None
    cap = thresholds["max_label_scenes_per_task"]
    results = {}
    for task in build.tasks:
        seen: set[tuple[str, str]] = set()
        labels = collided = images_with_collision = 0
        for row in build.all_rows(task, ["pdb_id", "image_roles", "params"]):
            if len(seen) >= cap:
                break
            for index, scene_json in enumerate(row["params"]["scenes"]):
                key = (complex_id_of_image(row, index), scene_json)
                if key in seen or len(seen) >= cap:
                    continue
                seen.add(key)
                complex_ = complexes.get(key[0])
                if complex_ is None:
                    continue
                boxes = [box for _, box in label_boxes(complex_, scene_of(row, index))]
                hits = colliding(boxes)
                labels += len(boxes)
                collided += hits
                images_with_collision += hits > 0
        if seen:
            results[task] = {"images": len(seen), "labels": labels, "colliding_labels": collided,
                             "collision_rate": round(collided / labels, 4) if labels else 0.0,
                             "images_with_collision": images_with_collision}
    return results
