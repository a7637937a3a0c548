"""The files generated from the task registry (lmms-eval YAML, README configs) are in sync, and
the generator notices and repairs a file that drifts."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from misi_bench.builders.tasks import TASKS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "generate_integrations.py"


def _generator():
    spec = importlib.util.spec_from_file_location("generate_integrations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = _generator()


def _copy_of_repository(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / generator.FOLDER, tmp_path / generator.FOLDER)
    shutil.copy(ROOT / "README.md", tmp_path / "README.md")
    return tmp_path


def test_generated_files_are_in_sync():
    """Fails when a task changed without ``python scripts/generate_integrations.py``."""
    assert generator.out_of_sync(ROOT) == []


def test_readme_configs_list_every_task_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(readme.split("---\n")[1])
    assert [c["config_name"] for c in header["configs"]] == list(TASKS)
    assert all([f["split"] for f in c["data_files"]] == ["train", "test", "tiny"] for c in header["configs"])


def test_a_drifted_file_is_reported_and_rewritten(tmp_path):
    root = _copy_of_repository(tmp_path)
    folder = root / generator.FOLDER
    edited = folder / "misi_bench_rotation.yaml"
    edited.write_text(edited.read_text().replace("dataset_name: rotation", "dataset_name: rotations"))
    stale = folder / "misi_bench_retired.yaml"
    stale.write_text(generator.HEADER + "task: misi_bench_retired\n")
    own = folder / "my_notes.yaml"  # not generated: never touched
    own.write_text("mine: true\n")
    readme = root / "README.md"
    readme.write_text(readme.read_text().replace("- config_name: docking\n", "- config_name: docked\n"))

    drifted = sorted(generator.out_of_sync(root))
    assert drifted == sorted(["README.md", str(generator.FOLDER / "misi_bench_rotation.yaml"),
                              str(generator.FOLDER / "misi_bench_retired.yaml")])
    check = subprocess.run([sys.executable, str(SCRIPT), "--check", "--root", str(root)], capture_output=True, text=True)
    assert check.returncode == 1 and "misi_bench_rotation.yaml" in check.stdout

    assert subprocess.run([sys.executable, str(SCRIPT), "--root", str(root)], capture_output=True).returncode == 0
    assert generator.out_of_sync(root) == [] and not stale.exists() and own.read_text() == "mine: true\n"
    assert edited.read_text() == (ROOT / generator.FOLDER / "misi_bench_rotation.yaml").read_text()
    assert readme.read_text() == (ROOT / "README.md").read_text()


def test_a_readme_without_markers_is_a_clear_error(tmp_path):
    root = _copy_of_repository(tmp_path)
    readme = root / "README.md"
    readme.write_text(readme.read_text().replace(generator.README_START, ""))
    result = subprocess.run([sys.executable, str(SCRIPT), "--check", "--root", str(root)], capture_output=True, text=True)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "markers" in result.stderr
