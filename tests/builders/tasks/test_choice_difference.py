"""pixel_difference (how different two option images look): exact, and the same number with the
numpy path and with the compiled kernels."""

from __future__ import annotations

import numpy as np
import pytest

from misi_bench.builders.tasks.choice import pixel_difference
from misi_bench.renderers import backend


@pytest.fixture(params=backend.CHOICES[1:])
def kernel(request, monkeypatch) -> str:
    if request.param == "numba":
        pytest.importorskip("numba")
    monkeypatch.setenv(backend.ENV, request.param)
    return request.param


@pytest.mark.parametrize("shape", [(1, 1, 3), (7, 5, 3), (512, 512, 3)])
def test_the_mean_absolute_difference_exactly(kernel, shape):
    rng = np.random.default_rng(shape[0])
    a = rng.integers(0, 256, size=shape, dtype=np.uint8)
    b = rng.integers(0, 256, size=shape, dtype=np.uint8)
    b[..., 0] = np.where(rng.random(shape[:2]) < 0.5, 0, 255)  # both extremes, either side
    expected = np.abs(a.astype(np.int64) - b.astype(np.int64)).sum() / a.size
    assert pixel_difference(a, b) == expected == pixel_difference(b, a)
    assert pixel_difference(a, a) == 0.0


def test_all_black_against_all_white_is_255(kernel):
    black, white = np.zeros((64, 64, 3), np.uint8), np.full((64, 64, 3), 255, np.uint8)
    assert pixel_difference(black, white) == 255.0


def test_images_of_different_sizes_are_refused(kernel):
    with pytest.raises(ValueError, match="shape"):
        pixel_difference(np.zeros((4, 4, 3), np.uint8), np.zeros((4, 5, 3), np.uint8))
