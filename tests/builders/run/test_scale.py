"""Scale-out builds give the same bytes: any worker count, any order the entries are found in."""

from __future__ import annotations

import pytest
import json
import random
import shutil

from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.source.pdbbind import sample_corpus_dir

from conftest import shard_hashes

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

# a unit task and a task that pairs complexes (its partner comes from the split's sorted id list)
TASKS = ("translation", "translation_rotation")
SIZE = 96


def shuffled_copy(tmp_path):
    """The sample corpus with its entry folders created in reverse order (so the filesystem lists
    them differently) and a split file naming the same ids in a shuffled order."""
    corpus = sample_corpus_dir()
    copy = tmp_path / "corpus"
    copy.mkdir()
    for folder in sorted((p for p in corpus.iterdir() if p.is_dir()), reverse=True):
        shutil.copytree(folder, copy / folder.name)
    splits = json.loads((corpus / "splits.json").read_text())
    rng = random.Random(7)
    shuffled = {split: rng.sample(ids, len(ids)) for split, ids in reversed(list(splits.items()))}
    assert shuffled != splits
    (tmp_path / "split").mkdir()
    split_file = tmp_path / "split" / "splits.json"  # same file name: the manifest records it
    split_file.write_text(json.dumps(shuffled))
    return copy, split_file


def test_workers_1_vs_2_and_shuffled_input_order_identical_shard_hashes(tmp_path):
    corpus = sample_corpus_dir()
    one = build(BuildConfig(source=corpus, out=tmp_path / "one", tasks=TASKS, image_size=SIZE,
                            split_file=corpus / "splits.json", progress=False, workers=1))
    two = build(BuildConfig(source=corpus, out=tmp_path / "two", tasks=TASKS, image_size=SIZE,
                            split_file=corpus / "splits.json", progress=False, workers=2))
    copy, split_file = shuffled_copy(tmp_path)
    shuffled = build(BuildConfig(source=copy, out=tmp_path / "shuffled", tasks=TASKS, image_size=SIZE,
                                 split_file=split_file, progress=False, workers=2))
    assert shard_hashes(one) and shard_hashes(one) == shard_hashes(two) == shard_hashes(shuffled)
    assert one == two == shuffled
    assert one["configs"]["translation_rotation"]["train"]["rows"] > 0
    for name in ("two", "shuffled"):
        for path in shard_hashes(one):
            assert (tmp_path / name / path).read_bytes() == (tmp_path / "one" / path).read_bytes()
    # the work folders are gone once a build is complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "one", "shuffled", "split", "two"]


def test_executor_arguments_are_checked_before_any_work(tmp_path):
    from misi_bench.builders.run.build import BuildError
    import pytest

    corpus = sample_corpus_dir()
    for options in ({"executor": "dask"}, {"scheduler": "tcp://127.0.0.1:8786"}, {"executor": "ray", "scheduler": "x"}):
        with pytest.raises(BuildError):
            build(BuildConfig(source=corpus, out=tmp_path / "out", tasks=TASKS, progress=False, **options))
    assert not list(tmp_path.iterdir())
