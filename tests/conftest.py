"""Shared fixtures: the bundled sample corpus, read once per test session, and the session's one
sample build (``shared_build``: every config at ``SHARED_SIZE`` px), which every test that only
reads a build uses. A test that changes a build works on a copy (``copy_build``); the few that
must build with other settings (seeds, workers, shards, kills) build their own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from misi_bench.builders.source.pdbbind import find_entries, load_complexes, sample_corpus_dir

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SIZE = 128  # px; the name tasks' images are twice this


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return sample_corpus_dir()


@pytest.fixture(scope="session")
def sample_entries(sample_dir):
    return find_entries(sample_dir)


@pytest.fixture(scope="session")
def sample_complexes(sample_dir):
    complexes, skipped = load_complexes(sample_dir)
    assert not skipped, f"sample corpus entries skipped: {skipped}"
    return complexes


def cli_command() -> list[str]:
    """The installed ``misi-bench`` console script (or the module, when it is not on PATH)."""
    exe = shutil.which("misi-bench")
    return [exe] if exe else [sys.executable, "-m", "misi_bench.builders.commands.main"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``misi-bench`` with ``args`` to completion (in ``cwd``), capturing its output."""
    return subprocess.run([*cli_command(), *args], capture_output=True, text=True, timeout=600, cwd=cwd)


@pytest.fixture(scope="session")
def by_id(sample_complexes):
    """Sample complexes by PDB id."""
    return {c.pdb_id: c for c in sample_complexes}


def build_sample(tmp_path_factory, tasks: tuple[str, ...], size: int, name: str = "MiSI-bench", **options):
    """A build of the sample corpus (its own split file) for the given tasks: (out, manifest)."""
    out = tmp_path_factory.mktemp("-".join(tasks)[:40]) / name
    return out, build_sample_into(out, tasks, size, **options)


def build_sample_into(out: Path, tasks: tuple[str, ...], size: int, **options) -> dict:
    """Build the sample corpus (its own split file) into ``out``; the manifest."""
    from misi_bench.builders.run.build import BuildConfig, build

    corpus = sample_corpus_dir()
    return build(BuildConfig(source=corpus, out=out, tasks=tasks, image_size=size,
                             split_file=corpus / "splits.json", progress=False, **options))


def task_rows(build: tuple[Path, dict], task: str) -> tuple[dict[str, list[dict]], dict]:
    """One task of a build: ({split: rows} for train and test, manifest)."""
    out, manifest = build
    return {split: read_rows(out, task, split) for split in ("train", "test")}, manifest


def train_and_test(task_build: tuple[dict[str, list[dict]], dict]) -> list[dict]:
    """Every row of a ``task_rows`` result, train first."""
    rows, _ = task_build
    return rows["train"] + rows["test"]


def read_rows(out: Path, task: str, split: str) -> list[dict]:
    """Every row of one config/split of a build, in shard order (images as {'bytes', 'path'})."""
    import pyarrow.parquet as pq

    return [row for path in sorted((out / "data" / task).glob(f"{split}-*.parquet"))
            for row in pq.read_table(path).to_pylist()]


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory) -> tuple[Path, dict]:
    """The session's sample build of every config at SHARED_SIZE px: (folder, manifest). Read only.

    Under pytest-xdist the workers of one session share it: the first to take the lock builds it
    in the session's common temporary folder, the others read its manifest."""
    from filelock import FileLock

    from misi_bench.builders.tasks import ALL_CONFIGS

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # pytest-of-USER/pytest-N: common to this session's workers
    out = root / "shared-build" / "shared"
    with FileLock(str(root / "shared-build.lock")):
        if not (out / "manifest.json").is_file():
            # two processes: the other pytest worker usually waits for this build at the start
            build_sample_into(out, ALL_CONFIGS, SHARED_SIZE, workers=2)
    return out, json.loads((out / "manifest.json").read_text())


@pytest.fixture(scope="session")
def sample_build(shared_build) -> Path:
    """The folder of the shared sample build."""
    return shared_build[0]


def copy_build(build: tuple[Path, dict], where: Path) -> Path:
    """A private copy of a build folder, for tests that alter it."""
    return Path(shutil.copytree(build[0], where / build[0].name))


def shard_hashes(manifest: dict) -> dict[str, str]:
    return {shard["path"]: shard["sha256"] for per_split in manifest["configs"].values()
            for entry in per_split.values() for shard in entry["shards"]}
