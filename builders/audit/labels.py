"""Label collisions: the fraction of drawn labels whose text overlaps another label's text.

Needs the source complexes: the renderer does not return label boxes, so they are recomputed
with its own pieces (``content.displayed`` for the labels, ``render.camera_for`` and
``render.near_far`` for the camera and depth cue, ``labels.label_size_px`` and
``labels.text_mask`` for the glyphs), following ``labels.draw_labels`` step by step: the same
anchors, offsets, skipped labels (behind the near plane, fully depth-cued, off screen) and the
same lower-left placement. A label's box is the bounding box of its glyph pixels (ink, not the
font's line box), clipped to the frame. Distinct (complex, scene) pairs per task are checked,
at most ``max_label_scenes_per_task`` in row order.
"""

from __future__ import annotations

import numpy as np

from .data import Build, Complexes, complex_id_of_image, scene_of


def label_boxes(complex_, scene) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(text, (left, top, right, bottom)) of every label ``draw_labels`` would draw."""
    from misi_bench.renderers import style
    from misi_bench.renderers.content import displayed
    from misi_bench.renderers.labels import label_size_px, text_mask
    from misi_bench.renderers.render import camera_for, near_far

    if not scene.labels:
        return []
    shown = displayed(complex_, scene)
    if not shown.labels:
        return []
    camera = camera_for(complex_, scene, shown)
    near, far = near_far(shown, camera)
    width = height = scene.size
    anchors = camera.to_camera(np.array([label.anchor for label in shown.labels]).reshape(-1, 3))
    anchors = anchors + np.array([label.offset for label in shown.labels], dtype=np.float64)
    depths = -anchors[:, 2]
    start = near + style.DEPTH_CUE_START * (far - near)
    end = near + style.DEPTH_CUE_END * (far - near)
    with np.errstate(divide="ignore", invalid="ignore"):
        cues = np.clip((end - depths) / max(end - start, 1e-9), 0.0, 1.0)
        f = (width / 2) / np.tan(np.radians(style.FIELD_OF_VIEW / 2))
        us = np.floor(width / 2 + anchors[:, 0] * f / depths)
        vs = np.floor(height / 2 - anchors[:, 1] * f / depths)
    boxes = []
    for label, depth, cue, u, v in zip(shown.labels, depths, cues, us, vs):
        if depth <= near or cue <= 0.0 or not label.text or not (-4 * width < u < 5 * width and -4 * height < v < 5 * height):
            continue
        mask = text_mask(label.text, label_size_px(float(depth), width))
        x0, y1 = int(u), int(v)
        if x0 >= width or y1 <= 0 or x0 + mask.width <= 0 or y1 - mask.height >= height:
            continue
        ink = mask.getbbox()
        if ink is None:
            continue
        top = y1 - mask.height
        left, upper, right, lower = x0 + ink[0], top + ink[1], x0 + ink[2], top + ink[3]
        left, upper, right, lower = max(left, 0), max(upper, 0), min(right, width), min(lower, height)
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
