"""A build killed with SIGKILL resumes from its checkpoints and ends with the same manifest; a
rerun with other parameters reuses nothing."""

from __future__ import annotations

import pytest
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from misi_bench.builders.run.build import BuildConfig, build, work_folder
from misi_bench.builders.source.pdbbind import sample_corpus_dir

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

TASKS = ("translation", "rotation_rotation", "docking")  # slow enough to be killed half-way
SIZE = 96
N_COMPLEXES = 9

SCRIPT = """
import json, sys
from pathlib import Path
from misi_bench.builders.run.build import BuildConfig, build
if __name__ == "__main__":
    options = json.loads(sys.argv[1])
    build(BuildConfig(source=Path(options.pop("source")), out=Path(options.pop("out")), tasks=tuple(options.pop("tasks")),
                      split_file=Path(options.pop("split_file")), **options))
"""


def start_build(tmp_path: Path, out: Path, **options) -> subprocess.Popen:
    script = tmp_path / "run_build.py"
    script.write_text(SCRIPT)
    corpus = sample_corpus_dir()
    args = {"source": str(corpus), "out": str(out), "tasks": list(TASKS), "split_file": str(corpus / "splits.json"),
            "image_size": SIZE, "progress": True, **options}
    return subprocess.Popen([sys.executable, str(script), json.dumps(args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def checkpointed(out: Path) -> int:
    """Complexes checkpointed (renamed into place; not the hidden temporary folders)."""
    found = (work_folder(out) / "checkpoints").glob("*/*/meta.json")
    return sum(1 for path in found if not path.parent.name.startswith("."))


def kill_after_checkpoints(process: subprocess.Popen, out: Path, count: int) -> int:
    """SIGKILL the build (and its pool) once ``count`` complexes are checkpointed."""
    deadline = time.monotonic() + 300
    while checkpointed(out) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return checkpointed(out)


def reference(tmp_path_factory, seed: int) -> dict:
    corpus = sample_corpus_dir()
    out = tmp_path_factory.mktemp(f"reference-{seed}") / "out"
    return build(BuildConfig(source=corpus, out=out, tasks=TASKS, image_size=SIZE, seed=seed,
                             split_file=corpus / "splits.json", progress=False))


def test_killed_build_resumes_to_the_same_manifest(tmp_path, tmp_path_factory):
    out = tmp_path / "out"
    done = kill_after_checkpoints(start_build(tmp_path, out, workers=2), out, 3)
    assert 3 <= done < N_COMPLEXES, "the build finished before it could be killed"
    # nothing that looks finished: no output folder, no manifest anywhere
    assert not out.exists()
    assert not list(tmp_path.rglob("manifest.json"))

    rerun = start_build(tmp_path, out, workers=1)
    _, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"resuming: {done} of {N_COMPLEXES} complexes already built" in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == reference(tmp_path_factory, 0)
    assert not work_folder(out).exists()


def test_other_parameters_do_not_reuse_checkpoints(tmp_path, tmp_path_factory):
    out = tmp_path / "out"
    done = kill_after_checkpoints(start_build(tmp_path, out, workers=1), out, 2)
    assert done >= 2 and not out.exists()
    other = start_build(tmp_path, out, workers=1, seed=1)
    _, stderr = other.communicate(timeout=600)
    assert other.returncode == 0, stderr
    assert "resuming" not in stderr
    assert json.loads((out / "manifest.json").read_text()) == reference(tmp_path_factory, 1)


def test_a_second_build_of_the_same_folder_is_refused_while_one_runs(tmp_path):
    out = tmp_path / "out"
    first = start_build(tmp_path, out, workers=1)
    try:
        deadline = time.monotonic() + 300
        while checkpointed(out) < 1:
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        second = start_build(tmp_path, out, workers=1)
        _, stderr = second.communicate(timeout=600)
        assert second.returncode != 0 and "another build is writing" in stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
