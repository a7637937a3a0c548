"""Multiple-choice mechanics shared by the tasks with options A-D."""

from __future__ import annotations

import numpy as np

from misi_bench.renderers import backend

from .answers.letters import LETTERS


def place_correct(rng: np.random.Generator, correct, decoys: list) -> tuple[list, str]:
    """Options with the correct one at a uniformly drawn letter, decoys in their given order."""
    if len(decoys) != len(LETTERS) - 1:
        raise ValueError(f"need {len(LETTERS) - 1} decoys, got {len(decoys)}")
    position = int(rng.integers(len(LETTERS)))
    options = list(decoys)
    options.insert(position, correct)
    return options, LETTERS[position]


def pixel_difference(rgb_a: np.ndarray, rgb_b: np.ndarray) -> float:
    """Mean absolute difference of two same-size (H, W, 3) uint8 images over all pixels and
    channels, 0..255. Summed exactly in integers, then divided once: the same float as the mean of
    the absolute int16 differences, without widening the images (with the compiled kernels, in
    one pass: the same integer sum)."""
    if rgb_a.shape != rgb_b.shape:
        raise ValueError(f"images differ in shape: {rgb_a.shape} and {rgb_b.shape}")
    compiled = backend.compiled_kernels()
    if compiled:
        total = compiled.absolute_difference_sum(np.ravel(rgb_a), np.ravel(rgb_b))
    else:
        difference = np.maximum(rgb_a, rgb_b)
        difference -= np.minimum(rgb_a, rgb_b)
        total = difference.sum(dtype=np.uint64)
    return int(total) / rgb_a.size
