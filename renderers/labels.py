"""Labels: white text drawn on top of the image, sized with depth, from a bundled font.

Placement follows ChimeraX (docs/conventions.md, Style): the text box's lower-left corner sits at the
anchor plus an offset in camera axes (atom labels: 0.4 Å right, 0.5 Å toward the viewer;
residue labels: at the mean of all the residue's atoms), labels are never hidden by atoms, later
labels overwrite earlier ones, and they are depth-cued like atoms.

**Size.** ChimeraX's: the font's em size is ``style.LABEL_HEIGHT`` = 0.7 Å at the anchor's depth
(perspective scaling), with a floor of ``style.LABEL_MIN_PX`` = 11 px (our choice; scaled down
for images under 512 px) and a ceiling of ``style.LABEL_MAX_PX`` = 40 px at 512 px, scaled with
the image. In a 512 px image of a whole pocket the floor applies (0.7 Å is ~8 px there); the
tasks whose answers are label names use 1024 px images, where 0.7 Å is ~17 px.

**Order and yielding (our choice).** The answers of the interaction tasks name ligand polar atoms
(``style.POLAR_ELEMENTS``) and, in T4, the residue's atoms. Ligand polar-atom labels are drawn
last (on top), and residue labels and ligand carbon labels (``style.YIELDING_LABELS``) whose ink
box meets the box of a ligand polar-atom or residue-atom label (``style.ANSWER_LABELS``) are
left out (:func:`arrange`); the question texts say so. Font: DejaVu Sans (``fonts/DejaVuSans.ttf``,
Bitstream Vera license, see ``fonts/README.md``), never a system font, so the text raster is the
same on every machine with the same Pillow/FreeType.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from . import backend, style
from .camera import Camera, pixel_size, project
from .content import LIGAND_ATOM, Label

FONT_PATH = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"


@lru_cache(maxsize=128)
def font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size_px, layout_engine=ImageFont.Layout.BASIC)


@dataclass(eq=False)
class Glyphs:
    """A text's coverage mask and what is read from it at every placement."""

    mask: Image.Image  # "L"; its bottom edge is the text box's bottom, its left edge the pen origin
    width: int
    height: int
    ink: tuple[int, int, int, int] | None  # ``mask.getbbox()``: the ink's box, None without ink

    @classmethod
    def of(cls, mask: Image.Image) -> Glyphs:
        return cls(mask, mask.width, mask.height, mask.getbbox())

    @cached_property
    def pixels(self) -> np.ndarray:
        """The mask's bytes, row-major (made when the compiled kernels first draw it; read-only,
        since every render placing the text shares them)."""
        pixels = np.array(self.mask, dtype=np.uint8).ravel()
        pixels.flags.writeable = False
        return pixels


# A complex's images need ~1,000 (text, size) masks (the sample build: 8,692 for 9 complexes, each
# used ~10 times), ~10 KB apiece with their pixels: 8,192 hold several complexes' worth (~80 MB),
# where 50,000 let a long build's workers grow by up to ~0.5 GB each for few extra hits.
GLYPHS_KEPT = 8192


@lru_cache(maxsize=GLYPHS_KEPT)
def glyphs(text: str, size_px: int) -> Glyphs:
    """``text`` rasterized at ``size_px`` (the mask made once per text and size: the images of a
    complex place the same few hundred names over and over)."""
    face = font(size_px)
    ascent, descent = face.getmetrics()
    right = face.getbbox(text)[2]
    canvas = Image.new("L", (max(1, int(right) + 1), ascent + descent), 0)
    ImageDraw.Draw(canvas).text((0, 0), text, fill=255, font=face)
    return Glyphs.of(canvas)


def label_size_px(depth: float | np.ndarray, image_width: int) -> int | np.ndarray:
    """Font em size in pixels for a label whose anchor is ``depth`` Å from the eye (or an int
    array of them for an array of depths); halves round to even. The floor is
    ``style.LABEL_MIN_PX`` from 512 px up (smaller images scale it down), the ceiling
    ``style.LABEL_MAX_PX`` at 512 px, scaled with the image."""
    scale = image_width / 512.0
    px = style.LABEL_HEIGHT / pixel_size(depth, image_width)
    size = np.rint(np.clip(px, style.LABEL_MIN_PX * min(scale, 1.0), style.LABEL_MAX_PX * scale))
    return size.astype(np.int64) if np.ndim(size) else int(size)


@dataclass(frozen=True)
class PlacedLabel:
    """A label as drawn: what it labels, its glyphs (coverage mask), lower-left pixel corner and
    depth cue."""

    label: Label
    glyphs: Glyphs
    x0: int
    y1: int
    cue: float

    @property
    def text(self) -> str:
        return self.label.text

    @property
    def mask(self) -> Image.Image:
        return self.glyphs.mask

    @property
    def box(self) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) pixel box of the glyphs' ink, not clipped to the image;
        None for a label without ink. (Worked out at each call: for the one call per label a
        render makes, cheaper than a cached_property, whose first access takes a lock before
        Python 3.12.)"""
        drawn = self.glyphs
        if drawn.ink is None:
            return None
        top = self.y1 - drawn.height
        left, upper, right, lower = drawn.ink
        return (self.x0 + left, top + upper, self.x0 + right, top + lower)


def place_labels(labels, camera: Camera, near: float, far: float, width: int, height: int) -> list[PlacedLabel]:
    """Every label that could be drawn, in content order, with its placement: none behind the
    near plane, fully depth-cued or entirely off the frame (:func:`arrange` then orders and
    filters them)."""
    if not labels:
        return []
    anchors = camera.to_camera(np.array([label.anchor for label in labels]).reshape(-1, 3))
    anchors = anchors + np.array([label.offset for label in labels], dtype=np.float64)
    depths = -anchors[:, 2]
    start = near + style.DEPTH_CUE_START * (far - near)
    end = near + style.DEPTH_CUE_END * (far - near)
    with np.errstate(divide="ignore", invalid="ignore"):
        cues = np.clip((end - depths) / max(end - start, 1e-9), 0.0, 1.0)
        us, vs = np.floor(project(anchors, width, height)).T
        sizes = label_size_px(depths, width)
    candidates = np.flatnonzero((depths > near) & (cues > 0.0) & (-4 * width < us) & (us < 5 * width)
                                & (-4 * height < vs) & (vs < 5 * height))
    placed = []
    for i, cue, u, v, size in zip(candidates.tolist(), cues[candidates].tolist(), us[candidates].tolist(),
                                  vs[candidates].tolist(), sizes[candidates].tolist()):
        text = labels[i].text
        if not text:
            continue
        drawn = glyphs(text, size)
        x0, y1 = int(u), int(v)  # lower-left corner
        if x0 >= width or y1 <= 0 or x0 + drawn.width <= 0 or y1 - drawn.height >= height:
            continue
        placed.append(PlacedLabel(labels[i], drawn, x0, y1, cue))
    return placed


def label_class(label) -> str:
    """``residue``, ``residue_atom``, ``ligand_carbon`` (any non-polar ligand atom) or
    ``ligand_polar``: what :func:`arrange` orders and filters by."""
    if label.kind == LIGAND_ATOM:
        return "ligand_polar" if label.polar else "ligand_carbon"
    return label.kind


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def arrange(placed: list[PlacedLabel]) -> list[PlacedLabel]:
    """The labels in drawing order (by ``style.LABEL_LAYERS``, stable), without those of the
    classes in ``style.YIELDING_LABELS`` whose ink box meets the box of a label that answers can
    name (``style.ANSWER_LABELS``)."""
    classes = [label_class(p.label) for p in placed]
    boxes = [p.box for p in placed]
    named = np.array([box for box, c in zip(boxes, classes) if c in style.ANSWER_LABELS and box is not None],
                     dtype=np.int64).reshape(-1, 4)
    candidates = [i for i, (box, c) in enumerate(zip(boxes, classes)) if c in style.YIELDING_LABELS and box is not None]
    own = np.array([boxes[i] for i in candidates], dtype=np.int64).reshape(-1, 1, 4)
    # overlaps() of every candidate with every named box at once (integer boxes: exact)
    meets = ((np.minimum(own[..., 2], named[:, 2]) > np.maximum(own[..., 0], named[:, 0]))
             & (np.minimum(own[..., 3], named[:, 3]) > np.maximum(own[..., 1], named[:, 1]))).any(axis=1)
    left_out = {i for i, hidden in zip(candidates, meets.tolist()) if hidden}
    kept = [i for i in range(len(placed)) if i not in left_out]
    return [placed[i] for i in sorted(kept, key=lambda i: style.LABEL_LAYERS[classes[i]])]


def draw_labels(image: np.ndarray, placed: list[PlacedLabel]) -> np.ndarray:
    """``image`` (H, W, 3 uint8) with the ``placed`` labels blended on top, in order, in place.

    Each label is the label color times its depth-cue factor, alpha-blended through the glyph
    coverage (Pillow's ``paste`` with a mask: integer arithmetic, deterministic). Only the band of
    rows the labels reach goes through Pillow (a paste clips to the image edges either way); the
    compiled kernels (``kernels.blend_labels``) do the same arithmetic in place."""
    if not placed:
        return image
    compiled = backend.compiled_kernels()
    if compiled:  # the same integer arithmetic, without the round trip through a Pillow image
        drawn = [label.glyphs for label in placed]
        offsets = np.cumsum([0] + [glyph.pixels.size for glyph in drawn[:-1]])
        boxes = np.array([(label.x0, label.y1 - glyph.height, glyph.width, glyph.height, offset)
                          for label, glyph, offset in zip(placed, drawn, offsets)], dtype=np.int64)
        inks = np.array([_cued_color(math.floor(255.0 * label.cue + 0.5)) for label in placed], dtype=np.int64)
        compiled.blend_labels(image, np.concatenate([glyph.pixels for glyph in drawn]), boxes, inks)
        return image
    top = max(0, min(label.y1 - label.mask.height for label in placed))
    bottom = min(image.shape[0], max(label.y1 for label in placed))
    if bottom <= top:
        return image
    canvas = Image.fromarray(image[top:bottom], "RGB")
    for label in placed:
        mask = label.mask
        color = _cued_color(math.floor(255.0 * label.cue + 0.5))
        canvas.paste(color, (label.x0, label.y1 - mask.height - top, label.x0 + mask.width, label.y1 - top), mask)
    image[top:bottom] = np.asarray(canvas)
    return image


@lru_cache(maxsize=256)
def _cued_color(level: int) -> tuple[int, int, int]:
    """The label color dimmed to ``level``/255 (integer arithmetic)."""
    return tuple(c * level // 255 for c in style.LABEL_COLOR)
