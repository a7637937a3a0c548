"""MiSI-bench.py: the datasets builder class, imported (works on every datasets version), and
loaded as a script where `datasets` still loads scripts (< 4)."""

from __future__ import annotations

import importlib.util
import inspect
import json
import sys
import tempfile
from pathlib import Path

import datasets
import pytest
from PIL import Image

from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.tasks import ALL_CONFIGS

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

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


def test_the_intermediate_build_lives_in_the_downloads_cache_and_is_reused(tmp_path, monkeypatch):
    (tmp_path / "tmp").mkdir()  # nothing may land in the temporary folder
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    cache = tmp_path / "cache"
    builder = _module().MisiBench(config_name="translation", cache_dir=str(cache), image_size=64)
    builder.download_and_prepare()
    builds = list((cache / "downloads").glob("misi-bench-translation-*"))
    assert len(builds) == 1 and (builds[0] / "manifest.json").is_file()
    assert not list((tmp_path / "tmp").iterdir())
    first = (builds[0] / "manifest.json").read_bytes()
    again = _module().MisiBench(config_name="translation", cache_dir=str(cache / "other"), image_size=64)
    again.download_and_prepare(download_config=datasets.DownloadConfig(cache_dir=str(cache / "downloads")))
    assert list((cache / "downloads").glob("misi-bench-translation-*")) == builds  # same inputs, same folder
    assert (builds[0] / "manifest.json").read_bytes() == first
    assert again.as_dataset()["test"]["id"] == builder.as_dataset()["test"]["id"]


SCRIPTS_LOAD = int(datasets.__version__.split(".")[0]) < 4
# questions per complex (train, test) where the count does not depend on the complex's bonds
PER_COMPLEX = {"translation": (4, 2), "rotation": (6, 3), "zooming": (4, 2), "translation_rotation": (6, 3),
               "rotation_rotation": (6, 3), "docking": (6, 3), "pocket_ligand_interaction": (1, 1)}
SIZE = 64


def load_through_script(config: str, cache_dir: Path, **kwargs) -> datasets.DatasetDict:
    """One config through MiSI-bench.py: ``load_dataset`` on the script where `datasets` < 4 allows
    it, else the imported builder class."""
    if SCRIPTS_LOAD:
        trust = {"trust_remote_code": True} if "trust_remote_code" in inspect.signature(datasets.load_dataset).parameters else {}
        return datasets.load_dataset(str(SCRIPT), config, cache_dir=str(cache_dir), **trust, **kwargs)
    builder = _module().MisiBench(config_name=config, cache_dir=str(cache_dir), **kwargs)
    builder.download_and_prepare()
    return builder.as_dataset()


@pytest.mark.parametrize("config", ALL_CONFIGS)
def test_every_config_loads_with_data_dir_and_the_corpus_split_file(config, tmp_path):
    corpus = sample_corpus_dir()
    ids = json.loads((corpus / "splits.json").read_text())
    ds = load_through_script(config, tmp_path / "cache", data_dir=str(corpus), image_size=SIZE)
    assert set(ds) == {"train", "test", "tiny"}
    for split in ("train", "test"):
        found = set(ds[split]["pdb_id"])
        if config in PER_COMPLEX:
            assert found == set(ids[split]), split
            assert len(ds[split]) == PER_COMPLEX[config][split == "test"] * len(ids[split])
        else:  # residue-ligand / interaction-location: as many as the complex's bonds allow
            assert found and found <= set(ids[split]), split
    test_ids = set(ds["test"]["id"])
    assert len(ds["tiny"]) == min(50, len(test_ids)) and set(ds["tiny"]["id"]) <= test_ids
    row = ds["test"][0]
    assert row["task"] == config and len(row["images"]) == len(row["params"]["scenes"])
    sizes = [json.loads(scene)["size"] for scene in row["params"]["scenes"]]  # image_size, or a multiple
    assert all(isinstance(image, Image.Image) and image.size == (size, size) and size % SIZE == 0
               for image, size in zip(row["images"], sizes))


def test_an_explicit_split_file_overrides_the_corpus_one(tmp_path):
    ids = sorted(json.loads((sample_corpus_dir() / "splits.json").read_text())["train"])
    split_file = tmp_path / "mine.json"
    split_file.write_text(json.dumps({"train": ids[:3], "test": ids[3:5]}))
    ds = load_through_script("translation", tmp_path / "cache", data_dir=str(sample_corpus_dir()),
                             split_file=str(split_file), image_size=SIZE)
    assert sorted(set(ds["train"]["pdb_id"])) == ids[:3] and len(ds["train"]) == 4 * 3
    assert sorted(set(ds["test"]["pdb_id"])) == ids[3:5] and len(ds["test"]) == 2 * 2
