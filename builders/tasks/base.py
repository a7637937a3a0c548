"""What a task module declares, and the per-complex context it reads.

A task is declarative (a task module reads like its row in docs/conventions.md): ``plan`` lists
one slot per question for a complex and split (the counts of the spec's table), ``make`` turns a
slot and the question's own random generator into a :class:`QuestionSpec` (scenes to render,
question text, answer, options, draws). Rendering, hashing, validation and writing are shared.
"""

from __future__ import annotations

import io
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from PIL import Image

from misi_bench.renderers import Scene, render_array, render_png
from misi_bench.schema import image_digest
from misi_bench.renderers.png import encode_png

from .answers import AnswerKind, ChoiceAnswer
from .facets import Facet

if TYPE_CHECKING:  # the registry is read by evaluation, which need not load RDKit
    from ..source.structure import Complex


# Image size of the tasks whose answers are label names (T4, T8, T9), in multiples of the build's
# image size (our choice; docs/rendering.md has the measurements behind it).
NAME_IMAGE_SCALE = 2

# Option images kept as pixels by ComplexContext.pixels: a question's own images are held by the
# draw itself, these serve a later question of the complex that shows one again (compared without
# decoding its PNG); 16 images of 512 px are 12 MB.
PIXELS_KEPT = 16


class ImageSpec(NamedTuple):
    """One image of a question: its role, its scene, and the complex it shows when that is not
    the question's own complex (the target complex of translation-rotation)."""

    role: str
    scene: Scene
    complex: Complex | None = None


class PartnerError(LookupError):
    """No other readable complex in the split to pair with."""


@dataclass
class ComplexContext:
    """A complex plus what its questions share: annotations computed once, the build's image
    size, a render cache, and the other complexes of its split (for tasks that pair complexes)."""

    complex: Complex
    image_size: int = 512
    split_ids: tuple[str, ...] = ()  # sorted ids of the complex's split, itself included
    load: Callable[[str], Complex | None] = lambda pdb_id: None
    renders: dict[tuple[str, str], bytes] = field(default_factory=dict)
    # RGB pixels of the images last asked for by ``pixels`` (oldest first)
    recent_pixels: OrderedDict[tuple[str, str], np.ndarray] = field(default_factory=OrderedDict)
    # id(PNG) -> (the PNG, its sha256): each image is hashed once however many rows hold it; the
    # entry keeps the PNG alive, so its id cannot be reused by another object meanwhile
    _digests: dict[int, tuple[bytes, str]] = field(default_factory=dict, repr=False)

    @property
    def pdb_id(self) -> str:
        return self.complex.pdb_id

    def sized(self, scene: Scene, scale: int = 1) -> Scene:
        """``scene`` at ``scale`` × the build's image size."""
        return scene.replace(size=self.image_size * scale)

    def _cache_key(self, scene: Scene, complex_: Complex | None, scale: int) -> tuple[Complex, Scene, tuple[str, str]]:
        target = complex_ or self.complex
        sized = self.sized(scene, scale)
        return target, sized, (target.pdb_id, sized.to_json())

    def render(self, scene: Scene, complex_: Complex | None = None, scale: int = 1) -> bytes:
        """PNG of ``scene`` at ``scale`` × the build's size, rendered once per (complex, scene)."""
        target, sized, key = self._cache_key(scene, complex_, scale)
        if key not in self.renders:
            self.renders[key] = render_png(target, sized)
        return self.renders[key]

    def pixels(self, scene: Scene, complex_: Complex | None = None) -> np.ndarray:
        """The (H, W, 3) uint8 pixels of ``render(scene, complex_)`` (the same render cache), for
        comparing option images. The last ``PIXELS_KEPT`` stay in memory; an image rendered by
        this call is encoded from these pixels, never decoded from its PNG."""
        target, sized, key = self._cache_key(scene, complex_, 1)
        if key in self.recent_pixels:
            self.recent_pixels.move_to_end(key)
        elif key in self.renders:
            with Image.open(io.BytesIO(self.renders[key])) as image:
                self.recent_pixels[key] = np.asarray(image.convert("RGB"), dtype=np.uint8)
        else:
            rgb = self.recent_pixels[key] = render_array(target, sized)
            self.renders[key] = encode_png(rgb)
        while len(self.recent_pixels) > PIXELS_KEPT:
            self.recent_pixels.popitem(last=False)
        return self.recent_pixels[key]

    def discard(self, key: tuple[str, str]) -> None:
        """Forget a render (a passed-over option image: it is in no row), pixels included, so
        that a later request renders and keeps it like any other."""
        self.renders.pop(key, None)
        self.recent_pixels.pop(key, None)

    def digest(self, png: bytes) -> str:
        """sha256 (hex) of a PNG, computed once per PNG object."""
        known = self._digests.get(id(png))
        if known is None:
            known = self._digests[id(png)] = (png, image_digest(png))
        return known[1]

    def partner(self, rng: np.random.Generator) -> Complex:
        """A different complex of the same split, uniform over the sorted id list; unreadable
        candidates are passed over in the order the generator draws them."""
        candidates = [i for i in self.split_ids if i != self.pdb_id]
        while candidates:
            pdb_id = candidates.pop(int(rng.integers(len(candidates))))
            partner = self.load(pdb_id)
            if partner is not None:
                return partner
        raise PartnerError(f"{self.pdb_id}: no other readable complex in its split")

    @cached_property
    def hbonds(self) -> list:
        from ..source.hbonds import find_hbonds

        return find_hbonds(self.complex)


@dataclass
class QuestionSpec:
    images: list[ImageSpec]  # in question order
    question: str
    answer: str
    params: dict  # every draw; the shared layer adds the scenes
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReportColumn:
    """One column of the paper's Table 1 that a task fills."""

    header: str  # the paper's column title
    paper: tuple[float, ...]  # the paper's composite scores, in the order of evaluation.paper.PAPER_MODELS
    subset: str | None = None  # "positive" / "negative": only the questions whose truth lists bonds / is No
    averaged: bool = True  # part of the paper's "avg" (trans-rot and rot-rot are not)


@dataclass(frozen=True)
class Task:
    """Everything the pipeline, the evaluation and the audit know about one task; the engine asks
    these properties and never compares task names."""

    name: str  # the config name
    number: int  # T1..T9 of docs/conventions.md: the order of configs, reports and pages
    plan: Callable[[ComplexContext, str, np.random.Generator], Sequence[Any]]
    make: Callable[[ComplexContext, Any, np.random.Generator], QuestionSpec]
    answer: AnswerKind  # grammar, reader, printer, score, random answer space
    columns: tuple[ReportColumn, ...]
    # audit facets of the answers / draws: (name, value of a row, intended shares or None)
    facets: tuple[Facet, ...] = ()
    # images are image_scale x the build's image size: 2 for the tasks whose answers are label
    # names (our choice: labels of ChimeraX's size are then legible)
    image_scale: int = 1
    one_residue: bool = False  # the images show one pocket residue and the ligand (T4)

    @property
    def question_type(self) -> str:
        return "multiple_choice" if isinstance(self.answer, ChoiceAnswer) else "cloze"

    @property
    def names_labels(self) -> bool:
        """The answer names atoms or residues read off the image labels."""
        return self.image_scale == NAME_IMAGE_SCALE


def per_split(train: Sequence[Any], test: Sequence[Any]) -> Callable[[ComplexContext, str, np.random.Generator], Sequence[Any]]:
    """A plan with fixed slots per split (e.g. axes x, x, y, y for training)."""
    slots = {"train": tuple(train), "test": tuple(test)}
    return lambda ctx, split, rng: slots[split]
