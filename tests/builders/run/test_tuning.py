"""Build-process tuning (builders/run/tuning.py): the pages a render frees are reused by the next
one, pandas stays out, and only the misi-bench program itself is tuned, not a caller of
``main([...])``."""

from __future__ import annotations

import gc
import os
import platform
import subprocess
import sys

import pytest
from misi_bench.builders.commands.main import main
from misi_bench.builders.run.tuning import _NoPandas

# Renders four scenes once, then three times more, and prints the minor page faults of the
# repeats (tuned first when argv[1] == "tuned").
RENDER_FAULTS = """
import resource, sys
from misi_bench.builders.run.tuning import keep_freed_memory
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
from misi_bench.renderers import Scene, render_png
if sys.argv[1] == "tuned":
    assert keep_freed_memory()
complex_ = load_complexes(sample_corpus_dir())[0][0]
scenes = [Scene(view=view, size=size) for size in (512, 1024) for view in ("front", "left")]
for scene in scenes:
    render_png(complex_, scene)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    for scene in scenes:
        render_png(complex_, scene)
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _repeat_faults(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    run = subprocess.run([sys.executable, "-c", RENDER_FAULTS, mode], capture_output=True, text=True, check=True,
                         env={**env, "MISI_BENCH_KERNEL": "numba"})
    return int(run.stdout.split()[-1])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's")
def test_tuned_renders_reuse_freed_pages():
    pytest.importorskip("numba")
    default = _repeat_faults("default")
    if default < 2000:  # e.g. transparent huge pages always on: too few faults to compare
        pytest.skip(f"glibc's default thresholds cost only {default} page faults here")
    tuned = _repeat_faults("tuned")
    assert tuned * 10 < default, (tuned, default)


BUILD = ["build", "--sample", "--tasks", "rotation", "--image-size", "64", "--quiet"]


def test_main_called_from_python_leaves_the_process_alone(tmp_path):
    gc.unfreeze()
    assert main([*BUILD, "--out", str(tmp_path / "out")]) == 0
    assert gc.get_freeze_count() == 0
    assert not any(isinstance(finder, _NoPandas) for finder in sys.meta_path)
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_program_tunes_itself(tmp_path):
    """``main()`` reading the command line, as the console script and ``python -m`` call it: its
    objects are frozen, and a whole one-worker build loads neither `datasets` nor pandas."""
    script = ("import gc, sys; from misi_bench.builders.commands.main import main; "
              f"sys.argv = ['misi-bench', *{BUILD!r}, '--workers', '1', '--out', sys.argv[1]]; "
              "assert main() == 0; print(gc.get_freeze_count(), 'datasets' in sys.modules, 'pandas' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "out")], capture_output=True, text=True, check=True)
    frozen, datasets_loaded, pandas_loaded = run.stdout.split()[-3:]
    assert int(frozen) > 10_000  # the modules a build imports
    assert (datasets_loaded, pandas_loaded) == ("False", "False")
    assert (tmp_path / "out" / "manifest.json").is_file()
