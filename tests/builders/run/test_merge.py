"""``build --shard i/n`` + ``merge``: the merged folder is byte-identical to a one-shot build."""

from __future__ import annotations


import pytest

from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.run.merge import MergeError, merge
from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.run.sharding import ShardSpecError, parse_shard, shard_ids
from misi_bench.builders.output.validate import validate_folder

from conftest import shard_hashes

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

TASKS = ("translation", "translation_rotation")  # translation_rotation draws partners from the whole split
SIZE = 96


def config(out, **options) -> BuildConfig:
    corpus = sample_corpus_dir()
    return BuildConfig(source=corpus, out=out, tasks=TASKS, image_size=SIZE, split_file=corpus / "splits.json",
                       progress=False, **options)


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    root = tmp_path_factory.mktemp("shards")
    one_shot = build(config(root / "one-shot"))
    parts = [build(config(root / f"shard-{i}", shard=(i, 2))) for i in (1, 2)]
    return root, one_shot, parts


def test_shards_split_the_complexes_round_robin(shards):
    _, one_shot, parts = shards
    everything = sorted(i for ids in one_shot["complexes"].values() for i in ids)
    assert [p["shard"]["complexes"] for p in parts] == [everything[0::2], everything[1::2]]
    assert all(p["inputs"] == one_shot["inputs"] for p in parts)
    assert shard_ids(["a", "b", "c"], (3, 3)) == ["c"] and shard_ids(["a", "b"], None) == ["a", "b"]


def test_merged_shards_equal_the_one_shot_build(shards):
    root, one_shot, _ = shards
    merged = merge([root / "shard-2", root / "shard-1"], root / "merged")  # any order on the command line
    assert merged == one_shot
    assert shard_hashes(merged) == shard_hashes(one_shot) and len(shard_hashes(merged)) >= 6
    for name in ("manifest.json", "README.md", *shard_hashes(one_shot)):
        assert (root / "merged" / name).read_bytes() == (root / "one-shot" / name).read_bytes(), name
    assert validate_folder(root / "merged") == []
    assert not (root / ".merged.merging").exists()


def test_merge_refuses_incomplete_or_mismatched_shards(shards, tmp_path):
    root, _, _ = shards
    with pytest.raises(MergeError, match="need shards 1..2 of 2 exactly once"):
        merge([root / "shard-1"], tmp_path / "merged")
    with pytest.raises(MergeError, match="need shards 1..2 of 2 exactly once"):
        merge([root / "shard-1", root / "shard-1"], tmp_path / "merged")
    with pytest.raises(MergeError, match="not a shard build"):
        merge([root / "one-shot", root / "shard-2"], tmp_path / "merged")
    other_seed = build(config(tmp_path / "seed-1-shard-2", shard=(2, 2), seed=1))
    assert other_seed["shard"]["index"] == 2
    with pytest.raises(MergeError, match="parameters"):
        merge([root / "shard-1", tmp_path / "seed-1-shard-2"], tmp_path / "merged")
    assert not (tmp_path / "merged").exists()


def test_shard_spec_parsing():
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/2", "3/2", "1-2", "a/b"):
        with pytest.raises(ShardSpecError):
            parse_shard(bad)
