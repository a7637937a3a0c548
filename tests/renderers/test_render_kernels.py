"""The compiled kernels (``renderers/kernels.py``, numba) are an optional speed-up: every frame
they draw equals the numpy path's to the bit (coverage, owners, depths, colors, final pixels),
and the choice between them (``renderers/backend.py``) falls back to numpy without numba."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from helpers import render_fingerprints as fp
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
from misi_bench.renderers import Scene, backend, render
from misi_bench.renderers.raster import rasterize


def _both(monkeypatch, draw):
    """``draw()`` with the numpy path, then with the compiled kernels."""
    pytest.importorskip("numba")
    results = []
    for kernel in ("numpy", "numba"):
        monkeypatch.setenv(backend.ENV, kernel)
        results.append(draw())
    return results


def _assert_same_frame(a, b, what: str):
    for field in ("pixels", "atoms", "depths", "colors"):
        x, y = getattr(a, field), getattr(b, field)
        assert x.dtype == y.dtype and np.array_equal(x, y), f"{what}: {field} differ"


def test_compiled_kernels_draw_the_numpy_frames_bit_for_bit(monkeypatch):
    complexes = {cx.pdb_id: cx for cx in load_complexes(sample_corpus_dir())[0]}
    for pdb_id, scene in fp.scenes():
        numpy_render, compiled_render = _both(monkeypatch, lambda: render(complexes[pdb_id], scene))
        what = f"{pdb_id} {scene.to_json()}"
        _assert_same_frame(numpy_render.frame, compiled_render.frame, what)
        assert np.array_equal(numpy_render.image, compiled_render.image), what


def test_compiled_kernels_match_on_edge_cases(monkeypatch):
    # nothing to draw; one atom with the eye inside it (dropped); atoms straddling the frame
    # edges; Python-float planes (the numpy path's scalars must not change type)
    points = np.array([[0.0, 0.0, -0.1], [-9.0, 7.0, -20.0], [9.0, -7.0, -20.0], [0.0, 0.0, -15.0]])
    cases = [
        (np.zeros((0, 3)), np.zeros(0), np.zeros((0, 3)), np.zeros((0, 2), dtype=np.int64)),
        (points, np.full(4, 1.5), np.linspace(0.2, 1.0, 12).reshape(4, 3), np.array([[1, 3], [3, 2], [0, 3]])),
    ]
    for points_, radii, colors, bonds in cases:
        for size in (64, 257):
            frames = _both(monkeypatch, lambda: rasterize(points_, radii, colors, bonds, size, size, 0.5, 30.0))
            _assert_same_frame(*frames, f"{len(points_)} atoms at {size} px")
    assert len(frames[0].pixels) > 0


def test_compiled_kernels_match_when_zoomed_into_the_pocket(monkeypatch):
    # the eye among the atoms: grazing rays, huge discs, primitives dropped at the near plane,
    # depths quantised just behind it; big labels cut by the image edges
    clipped = 0
    for cx in load_complexes(sample_corpus_dir())[0]:
        for ops in ("move z 60", "roll x 40, move z 64", "roll y -70, move z 58, move x 4"):
            scene = Scene(ops=ops, size=128)
            numpy_render, compiled_render = _both(monkeypatch, lambda: render(cx, scene))
            assert len(numpy_render.frame.pixels) > 0
            _assert_same_frame(numpy_render.frame, compiled_render.frame, f"{cx.pdb_id} {ops}")
            assert np.array_equal(numpy_render.image, compiled_render.image), f"{cx.pdb_id} {ops}"
            clipped += sum(1 for label in numpy_render.labels if label.box and (
                min(label.box[:2]) < 0 or max(label.box[2:]) > scene.size))
    assert clipped > 0  # labels across the edges were drawn


def test_an_unknown_kernel_choice_is_refused(monkeypatch):
    monkeypatch.setenv(backend.ENV, "fortran")
    with pytest.raises(ValueError, match="MISI_BENCH_KERNEL must be one of auto, numba, numpy"):
        backend.compiled_kernels()


_WITHOUT_NUMBA = """
import json, sys
sys.modules["numba"] = None  # as if it were not installed: importing it raises ImportError
from misi_bench.renderers import Scene, backend, render_array
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
try:
    compiled = backend.compiled_kernels()
except ImportError as error:
    print(json.dumps({"error": str(error)}))
    raise SystemExit(0)
image = render_array(load_complexes(sample_corpus_dir())[0][0], Scene(size=64))
print(json.dumps({"compiled": compiled is not None, "sum": int(image.sum())}))
"""


def _without_numba(choice: str) -> dict:
    env = {**os.environ, backend.ENV: choice}
    out = subprocess.run([sys.executable, "-c", _WITHOUT_NUMBA], env=env, capture_output=True, text=True,
                         check=True, timeout=300)
    return json.loads(out.stdout)


def test_without_numba_the_numpy_path_draws_unless_numba_is_demanded():
    drawn = _without_numba("auto")
    assert drawn["compiled"] is False and drawn["sum"] > 0
    demanded = _without_numba("numba")
    assert "MISI_BENCH_KERNEL=numba" in demanded["error"] and "misi-bench[fast]" in demanded["error"]


_UNCACHED = """
import json, sys
import numba
from misi_bench.renderers import Scene, backend, kernels, render_array
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
image = render_array(load_complexes(sample_corpus_dir())[0][0], Scene(size=64))
print(json.dumps({"cached": kernels.shade._cache.__class__.__name__, "rgb": image.tolist()}))
"""


def test_kernels_compile_per_process_when_no_cache_directory_is_writable(monkeypatch):
    # a read-only install without a home directory: numba has nowhere to cache (here: only the
    # IPython locator is allowed, which declines outside IPython) and refuses cache=True
    numba = pytest.importorskip("numba")
    if not hasattr(numba.config, "CACHE_LOCATOR_CLASSES"):
        pytest.skip("this numba has no NUMBA_CACHE_LOCATOR_CLASSES")
    env = {**os.environ, backend.ENV: "numba", "NUMBA_CACHE_LOCATOR_CLASSES": "IPythonCacheLocator"}
    out = subprocess.run([sys.executable, "-c", _UNCACHED], env=env, capture_output=True, text=True, check=True,
                         timeout=600)
    drawn = json.loads(out.stdout)
    assert drawn["cached"] == "NullCache"
    monkeypatch.setenv(backend.ENV, "numpy")
    reference = render(load_complexes(sample_corpus_dir())[0][0], Scene(size=64)).image
    assert np.array_equal(np.array(drawn["rgb"], dtype=np.uint8), reference)
