"""ChimeraX's default camera: perspective, 30° horizontal field of view, fit like ``view``.

Frames (docs/conventions.md, Frames and camera): scene coordinates are the file's, in Å. Camera coordinates
have the eye at the origin, x right, y up, z toward the viewer (visible points have z < 0).
A :class:`Camera` is the rigid map ``p_cam = R @ p_scene + t`` plus the image size.

- **Fit** (``perspective_view_all``): identity orientation (looking down scene −z), bounding box
  of the fitted atoms (spheres of their drawn radius), D0 = max over the 8 box corners of
  {±x·cot 15° + z, ±y·cot β + z}, D = D0 / (1 − 0.05); box center on the view axis at depth D.
- **Operations** in screen axes: ``move a d`` adds d·e_a to every camera-frame point;
  ``roll a θ`` rotates camera-frame points by +θ (right-hand rule) about e_a through the
  current center of rotation, the center of the fitted bounding box (which moves with ``move``),
  so successive rolls are about fixed screen axes. Views are rolls from the front view.
- **Projection** to pixels (continuous coordinates, pixel (i, j) covers [i, i+1) × [j, j+1), its
  center at i + 0.5): u = W/2 + (W/2)·x/(D·t), v = H/2 − (W/2)·y/(D·t), D = −z, t = tan 15°.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .operations import Operation
from .style import FIELD_OF_VIEW, FIT_PAD

TAN_HALF_FOV = math.tan(math.radians(FIELD_OF_VIEW / 2))
AXIS_VECTORS = {"x": np.array([1.0, 0.0, 0.0]), "y": np.array([0.0, 1.0, 0.0]), "z": np.array([0.0, 0.0, 1.0])}


def rotation_matrix(axis: str, degrees: float) -> np.ndarray:
    """Right-handed rotation by ``degrees`` about screen axis ``axis`` (exact at multiples of 90°)."""
    quarter = degrees / 90.0
    if quarter == round(quarter):
        c, s = [(1, 0), (0, 1), (-1, 0), (0, -1)][int(round(quarter)) % 4]
    else:
        rad = math.radians(degrees)
        c, s = math.cos(rad), math.sin(rad)
    if axis == "x":
        return np.array([[1, 0, 0], [0, c, -s], [0, s, c]], dtype=np.float64)
    if axis == "y":
        return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=np.float64)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]], dtype=np.float64)


def bounds(coords: np.ndarray, radii: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned (low, high) corners of atoms drawn as spheres of ``radii``."""
    if len(coords) == 0:
        raise ValueError("nothing displayed: cannot fit the camera to an empty set of atoms")
    return (coords - radii[:, None]).min(axis=0), (coords + radii[:, None]).max(axis=0)


def fit_distance(low: np.ndarray, high: np.ndarray, width: int, height: int, pad: float = FIT_PAD) -> float:
    """Eye-to-box-center distance of ChimeraX's ``view`` for a box seen face-on (identity orientation)."""
    half = (np.asarray(high) - np.asarray(low)) / 2
    cot_a = 1.0 / TAN_HALF_FOV
    cot_b = 1.0 / ((height / width) * TAN_HALF_FOV)
    d0 = max(half[0] * cot_a + half[2], half[1] * cot_b + half[2])
    return d0 / (1.0 - pad)


def apply_operation(points: np.ndarray, op: Operation, center: np.ndarray) -> np.ndarray:
    """``points`` (N, 3) after one screen-axis operation; rolls are about ``center``."""
    if op.kind == "move":
        return points + op.amount * AXIS_VECTORS[op.axis]
    rot = rotation_matrix(op.axis, op.amount)
    return (points - center) @ rot.T + center


class Camera:
    """Rigid scene→camera map ``p_cam = rotation @ p + translation`` and a square-pixel image.

    ``center`` is the center of rotation in camera coordinates (the fitted box center, carried
    along by ``move``); ``distance`` the fit distance D.
    """

    def __init__(self, rotation: np.ndarray, translation: np.ndarray, width: int, height: int,
                 center: np.ndarray, distance: float):
        self.rotation = np.asarray(rotation, dtype=np.float64)
        self.translation = np.asarray(translation, dtype=np.float64)
        self.width, self.height = int(width), int(height)
        self.center = np.asarray(center, dtype=np.float64)
        self.distance = float(distance)

    @classmethod
    def fitted(cls, low: np.ndarray, high: np.ndarray, width: int, height: int | None = None,
               pad: float = FIT_PAD) -> Camera:
        """The front view fitted to the box (``view``): identity orientation, box center at depth D."""
        height = width if height is None else height
        center = (np.asarray(low, dtype=np.float64) + np.asarray(high, dtype=np.float64)) / 2
        distance = fit_distance(low, high, width, height, pad)
        translation = np.array([0.0, 0.0, -distance]) - center
        return cls(np.eye(3), translation, width, height, np.array([0.0, 0.0, -distance]), distance)

    def after(self, ops: Iterable[Operation]) -> Camera:
        """This camera after screen-axis operations (applied in order)."""
        rot, trans, center = self.rotation.copy(), self.translation.copy(), self.center.copy()
        for op in ops:
            if op.kind == "move":
                shift = op.amount * AXIS_VECTORS[op.axis]
                trans, center = trans + shift, center + shift
            else:
                r = rotation_matrix(op.axis, op.amount)
                rot, trans = r @ rot, r @ (trans - center) + center
        return Camera(rot, trans, self.width, self.height, center, self.distance)

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """Scene coordinates (N, 3) → camera coordinates (N, 3)."""
        return np.asarray(points, dtype=np.float64) @ self.rotation.T + self.translation

    def project(self, camera_points: np.ndarray) -> np.ndarray:
        return project(camera_points, self.width, self.height)

    def pixel_size(self, depth: float | np.ndarray) -> float | np.ndarray:
        return pixel_size(depth, self.width)


def project(camera_points: np.ndarray, width: int = 512, height: int | None = None) -> np.ndarray:
    """Camera-frame points (N, 3) → continuous pixel coordinates (N, 2) as (column u, row v from top).

    The one projection of the package: the rasterizer's candidate discs, the labels' anchors, the
    docking layout and the audit all call it, so they agree to the bit. Points at or behind the
    eye (z ≥ 0) give NaN.
    """
    height = width if height is None else height
    p = np.asarray(camera_points, dtype=np.float64).reshape(-1, 3)
    depth = -p[:, 2]
    f = focal_length(width)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = width / 2 + p[:, 0] * f / depth
        v = height / 2 - p[:, 1] * f / depth
    pixels = np.stack([u, v], axis=1)
    pixels[depth <= 0] = np.nan
    return pixels


def focal_length(width: int) -> float:
    """Pixels per unit of x/D (the projection's scale): (W/2) / tan 15°."""
    return (width / 2) / TAN_HALF_FOV


def pixel_size(depth: float | np.ndarray, width: int = 512) -> float | np.ndarray:
    """Å per pixel at ``depth`` Å in front of the eye: 2·D·tan 15° / W."""
    return 2.0 * np.asarray(depth) * TAN_HALF_FOV / width if np.ndim(depth) else 2.0 * depth * TAN_HALF_FOV / width
