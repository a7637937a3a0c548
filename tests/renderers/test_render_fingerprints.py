"""The renderer draws exactly the pixels it drew before the speed work (issue 18), on every CPU,
with the numpy path and with the compiled kernels (``renderers/kernels.py``, numba) alike.

Reference: ``tests/fixtures/render_fingerprints.json``, written by ``tests/helpers/render_fingerprints.py``
with the renderer as it was before (commit 9c6a2cd). Pixels are compared decoded, so a change of
PNG encoding alone passes; a change of a single pixel value fails. Pixels depend on the numpy,
Pillow and FreeType builds (float kernels, glyph rasterization), so the comparison with the stored
reference needs the versions it was made with; the cross-CPU test compares processes of this
interpreter and always runs. The reference tests run once per kernel (``MISI_BENCH_KERNEL``); the
cross-CPU test renders with both kernels in each of its processes.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import render_fingerprints as fp
from misi_bench.renderers import backend

REFERENCE = json.loads(fp.FIXTURE.read_text())


@pytest.fixture(params=backend.CHOICES[1:])
def kernel(request, monkeypatch) -> str:
    """``numba`` or ``numpy``, set in ``MISI_BENCH_KERNEL`` for this process and its children."""
    if request.param == "numba":
        pytest.importorskip("numba")
    monkeypatch.setenv(backend.ENV, request.param)
    assert (backend.compiled_kernels() is not None) == (request.param == "numba")
    return request.param


def _needs_reference_versions():
    if fp.versions() != REFERENCE["versions"]:
        pytest.skip(f"reference pixels were made with {REFERENCE['versions']}, this is {fp.versions()}")


def test_renders_have_the_reference_pixels(kernel):
    _needs_reference_versions()
    got = fp.fingerprints()
    assert set(got) == set(REFERENCE["fingerprints"])
    changed = [key for key, digest in got.items() if digest != REFERENCE["fingerprints"][key]]
    assert not changed, f"{len(changed)} of {len(got)} scenes changed pixels, e.g. {changed[0]}"


@pytest.mark.slow  # its own 64 px build: the reference digests were taken at that size
def test_sample_build_has_the_reference_pixels(kernel):
    _needs_reference_versions()
    got = fp.sample_build_digests()
    assert got == REFERENCE["sample_build"]


def _cpu_variants() -> dict[str, dict[str, str]]:
    """Environment variables that make numpy use fewer of its SIMD kernels (and OpenBLAS an older
    core): its AVX-512 kernels off (AVX2 remains), then every dispatched kernel off (baseline SSE
    on x86-64). Feature names come from numpy itself, so this works on other CPUs too. The
    baseline also has numba compile its kernels for a generic CPU of the architecture."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    found = [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]
    if not found:
        pytest.skip("numpy dispatches no SIMD kernel on this CPU")
    wide = [name for name in found if "512" in name or name in ("X86_V4",)]
    variants = {"baseline": {"NPY_DISABLE_CPU_FEATURES": " ".join(found), "OPENBLAS_CORETYPE": "Prescott",
                             "NUMBA_CPU_NAME": "generic"}}
    if wide and len(wide) < len(found):
        variants["no-avx512"] = {"NPY_DISABLE_CPU_FEATURES": " ".join(wide)}
    return variants


_CHILD = """
import hashlib, json, os, sys
sys.path.insert(0, sys.argv[1])
from helpers import render_fingerprints as fp
from numpy._core._multiarray_umath import __cpu_features__
from misi_bench.renderers import backend, render_png
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
complexes = {cx.pdb_id: cx for cx in load_complexes(sample_corpus_dir())[0]}
per_kernel = {}
for kernel in json.loads(sys.argv[2]):
    os.environ[backend.ENV] = kernel  # read at every render
    pngs = {f"{i} {s.to_json()}": render_png(complexes[i], s) for i, s in fp.scenes()}
    per_kernel[kernel] = {"compiled": backend.compiled_kernels() is not None,
                          "png": {k: hashlib.sha256(v).hexdigest() for k, v in pngs.items()},
                          "rgb": {k: fp.rgb_digest(v) for k, v in pngs.items()}}
print(json.dumps({"features": [k for k, v in __cpu_features__.items() if v], "kernels": per_kernel}))
"""


def _run_child(env_changes: dict[str, str], kernels: list[str]) -> dict:
    """One process renders the fingerprint scenes with each of ``kernels`` (sample read once)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE", "NUMBA_CPU_NAME", backend.ENV)}
    env.update(env_changes)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(Path(__file__).parents[1]), json.dumps(kernels)], env=env,
                         capture_output=True, text=True, check=True, timeout=600)
    return json.loads(out.stdout)


def test_same_png_bytes_whichever_simd_kernels_numpy_uses():
    """Both paths in the same processes: each CPU variant renders with numpy and (when numba is
    installed) the compiled kernels, and every PNG equals the native process's."""
    kernels = ["numpy"] + (["numba"] if importlib.util.find_spec("numba") else [])
    native = _run_child({}, kernels)
    assert {k: v["compiled"] for k, v in native["kernels"].items()} == {k: k == "numba" for k in kernels}
    assert all(native["kernels"][k]["png"] == native["kernels"]["numpy"]["png"] for k in kernels)
    for name, env in _cpu_variants().items():
        other = _run_child(env, kernels)
        disabled = set(env["NPY_DISABLE_CPU_FEATURES"].split())
        assert not disabled & set(other["features"]), f"{name}: numpy still reports {disabled & set(other['features'])}"
        assert disabled <= set(native["features"])
        for kernel in kernels:
            assert other["kernels"][kernel]["compiled"] == native["kernels"][kernel]["compiled"]
            assert other["kernels"][kernel]["png"] == native["kernels"][kernel]["png"], f"{name}, {kernel}: PNG bytes differ"
            assert other["kernels"][kernel]["rgb"] == native["kernels"][kernel]["rgb"]
