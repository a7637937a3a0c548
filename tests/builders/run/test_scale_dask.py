"""The Dask executor gives the same bytes as the local one (skipped when dask is not installed:
it is the optional extra ``misi-bench[dask]``)."""

from __future__ import annotations

import pytest

from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.source.pdbbind import sample_corpus_dir

from conftest import shard_hashes

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

distributed = pytest.importorskip("distributed", reason="dask distributed not installed (pip install 'misi-bench[dask]')")

TASKS = ("translation", "translation_rotation")
SIZE = 96


def config(out, **options) -> BuildConfig:
    corpus = sample_corpus_dir()
    return BuildConfig(source=corpus, out=out, tasks=TASKS, image_size=SIZE, split_file=corpus / "splits.json",
                       progress=False, **options)


def test_dask_local_cluster_output_identical_to_local_executor(tmp_path):
    local = build(config(tmp_path / "local"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        remote = build(config(tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address))
    assert remote == local
    for path in shard_hashes(local):
        assert (tmp_path / "dask" / path).read_bytes() == (tmp_path / "local" / path).read_bytes()
