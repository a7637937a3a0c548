"""MiSI-bench.py: the datasets builder class, imported (works on every datasets version)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from PIL import Image

SCRIPT = Path(__file__).resolve().parents[1] / "MiSI-bench.py"


def _module():
    spec = importlib.util.spec_from_file_location("misi_bench_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # datasets hashes the builder's module by name
    spec.loader.exec_module(module)
    return module


def test_builder_has_the_nine_configs():
    names = [c.name for c in _module().MisiBench.BUILDER_CONFIGS]
    assert names == ["translation", "rotation", "zooming", "residue_ligand_interaction", "translation_rotation",
                     "rotation_rotation", "docking", "interaction_location", "pocket_ligand_interaction"]


def test_builder_builds_one_config_from_the_sample(tmp_path):
    builder = _module().MisiBench(config_name="zooming", cache_dir=str(tmp_path / "cache"), image_size=96)
    builder.download_and_prepare()
    ds = builder.as_dataset()
    assert set(ds) == {"train", "test", "tiny"}
    row = ds["train"][0]
    assert row["answer"].startswith("move z ") and isinstance(row["images"][3], Image.Image)
    assert row["images"][3].size == (96, 96)
    assert len(ds["test"]) == 2 * len({r for r in ds["test"]["pdb_id"]})
