"""Multiple-choice mechanics shared by the tasks with options A-D."""

from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image

from .answers.letters import LETTERS



def place_correct(rng: np.random.Generator, correct, decoys: list) -> tuple[list, str]:
    """Options with the correct one at a uniformly drawn letter, decoys in their given order."""
    if len(decoys) != len(LETTERS) - 1:
        raise ValueError(f"need {len(LETTERS) - 1} decoys, got {len(decoys)}")
    position = int(rng.integers(len(LETTERS)))
    options = list(decoys)
    options.insert(position, correct)
    return options, LETTERS[position]


@lru_cache(maxsize=16)
def _pixels(png: bytes) -> np.ndarray:
    """Decoded RGB pixels. An option image is compared with the others of its question (the
    options placed so far, the redrawn decoys, then all four again), so 16 entries hold every
    image of a question and each is decoded once (8 decoded them ~3 times over); 16 images of
    512 px are 12 MB."""
    with Image.open(io.BytesIO(png)) as image:
        return np.asarray(image.convert("RGB"), dtype=np.uint8)


def pixel_difference(png_a: bytes, png_b: bytes) -> float:
    """Mean absolute difference of two same-size PNGs over all pixels and channels, 0..255."""
    return float(np.abs(_pixels(png_a).astype(np.int16) - _pixels(png_b)).mean())
