"""Scene → camera → frame → PNG: the functions the dataset pipeline and the CLI call."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import backend, style
from .camera import Camera, bounds
from .content import Displayed, displayed, fit_atoms, ligand_coords
from .labels import PlacedLabel, arrange, draw_labels, place_labels
from .png import encode_png, to_uint8
from .raster import Frame, rasterize
from .scene import Scene


def camera_for(complex_, scene: Scene, shown: Displayed | None = None, l_coords: np.ndarray | None = None) -> Camera:
    """The scene's camera: fitted to ``scene.fit_content`` in the front view, then the view's
    roll and ``scene.ops`` about the fitted box center (``l_coords``: the scene's
    ``ligand_coords`` when the caller has them already)."""
    coords, radii = fit_atoms(complex_, scene, shown, l_coords)
    low, high = bounds(coords, radii)
    return Camera.fitted(low, high, scene.size).after(scene.camera_ops)


@dataclass
class CameraCoords:
    """Camera-frame coordinates (Å; x right, y up, z toward the viewer) of *all* atoms of the
    complex, hydrogens included, indexed like ``complex.pocket`` / ``complex.ligand`` (the ligand
    after the scene's ``ligand_ops``), whatever the scene shows."""

    pocket: np.ndarray
    ligand: np.ndarray
    camera: Camera

    def pixels(self, which: str = "ligand") -> np.ndarray:
        """Continuous pixel coordinates (u from left, v from top) of ``pocket`` or ``ligand``."""
        return self.camera.project(getattr(self, which))

    def in_frame(self, which: str = "ligand") -> np.ndarray:
        """Per atom of ``pocket`` or ``ligand``: in front of the eye with its projected center
        inside the image (what a zoom keeps in view)."""
        u, v = self.pixels(which).T  # NaN behind the eye: every comparison is False
        return (u >= 0) & (u < self.camera.width) & (v >= 0) & (v < self.camera.height)


def camera_coords(complex_, scene: Scene) -> CameraCoords:
    l_coords = ligand_coords(complex_, scene)
    camera = camera_for(complex_, scene, l_coords=l_coords)
    return CameraCoords(camera.to_camera(complex_.pocket.coords), camera.to_camera(l_coords), camera)


def near_far(shown: Displayed, camera: Camera) -> tuple[float, float]:
    """ChimeraX's per-frame near/far planes from the bounds of what is displayed (docs/conventions.md, Frames and camera)."""
    low, high = bounds(shown.coords, shown.radii)
    center = camera.to_camera(((low + high) / 2)[None])[0]
    d = -center[2]
    r = 1.01 * float(np.linalg.norm(high - low)) / 2
    near, far = d - r, d + r
    near = max(near, 0.001 * (far - near))
    if far <= near:
        far = 2 * near
    return near, far


@dataclass
class Render:
    """Everything one render produced (for tests and calibration): the supersampled frame,
    the final (H, W, 3) uint8 image, the camera, what was displayed, near/far and the labels
    as drawn (in drawing order, with their pixel boxes)."""

    frame: Frame
    image: np.ndarray
    camera: Camera
    shown: Displayed
    near: float
    far: float
    supersample: int
    labels: list[PlacedLabel]


@dataclass
class Layout:
    """Where a scene's atoms and labels go, without rasterizing anything."""

    shown: Displayed
    camera: Camera
    near: float
    far: float
    labels: list[PlacedLabel]  # in drawing order


def layout(complex_, scene: Scene) -> Layout:
    """Camera, near/far and the labels the renderer draws for ``scene`` (none when
    ``scene.labels`` is false): what ``render`` draws, at a fraction of its cost."""
    shown = displayed(complex_, scene)
    camera = camera_for(complex_, scene, shown)
    near, far = near_far(shown, camera)
    placed = arrange(place_labels(shown.labels, camera, near, far, scene.size, scene.size)) if scene.labels else []
    return Layout(shown, camera, near, far, placed)


def label_boxes(complex_, scene: Scene) -> list[PlacedLabel]:
    """The labels the renderer draws for ``scene``, in drawing order (``PlacedLabel.box`` is each
    label's ink box in pixels; ``.label`` says what it labels)."""
    return layout(complex_, scene).labels


def final_pixels(frame: Frame, supersample: int) -> np.ndarray:
    """(H, W, 3) uint8 image of ``frame``: box-filtered when supersampled (the division by the
    sample count folded into quantisation, exact for the power-of-two counts of 2×2 and 4×4);
    otherwise only the covered samples are quantized and scattered (the same values, without a
    dense float pass). The compiled kernels do both in one pass (a 1×1 box: each sum is its one
    sample)."""
    if supersample < 1 or supersample & (supersample - 1):
        raise ValueError(f"supersampling must be a power of two, got {supersample}")
    compiled = backend.compiled_kernels()
    if compiled:
        return compiled.box_quantise(frame.pixels, np.ascontiguousarray(frame.colors.T), frame.width,
                                     supersample, frame.width // supersample, frame.height // supersample,
                                     np.float32(255.0 / supersample ** 2))
    if supersample > 1:
        return to_uint8(frame.box_sums(supersample), 255.0 / supersample ** 2)
    image = np.zeros((frame.height * frame.width, 3), dtype=np.uint8)
    image[frame.pixels] = to_uint8(frame.colors)
    return image.reshape(frame.height, frame.width, 3)


def render(complex_, scene: Scene, supersample: int | None = None) -> Render:
    """Rasterize ``scene`` (``supersample`` × in each direction; default
    ``style.supersample_for(scene.size)``), draw its labels."""
    supersample = style.supersample_for(scene.size) if supersample is None else supersample
    plan = layout(complex_, scene)
    points = plan.camera.to_camera(plan.shown.coords)
    frame = rasterize(points, plan.shown.radii, plan.shown.colors, plan.shown.bonds, scene.size * supersample,
                      scene.size * supersample, plan.near, plan.far)
    image = draw_labels(final_pixels(frame, supersample), plan.labels)
    return Render(frame, image, plan.camera, plan.shown, plan.near, plan.far, supersample, plan.labels)


def render_array(complex_, scene: Scene) -> np.ndarray:
    """The scene as an (H, W, 3) uint8 RGB array."""
    return render(complex_, scene).image


def render_png(complex_, scene: Scene) -> bytes:
    """The scene as deterministic PNG bytes."""
    return encode_png(render_array(complex_, scene))
