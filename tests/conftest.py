"""Shared fixtures: the bundled sample corpus, read once per test session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from misi_bench.builders.pdbbind import find_entries, load_complexes, sample_corpus_dir

FIXTURES = Path(__file__).parent / "fixtures"


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


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """Run the installed ``misi-bench`` console script (or the module, when it is not on PATH)."""
    exe = shutil.which("misi-bench")
    command = [exe] if exe else [sys.executable, "-m", "misi_bench.builders.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=600)
