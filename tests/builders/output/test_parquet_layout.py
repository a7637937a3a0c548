"""Parquet layout of shards: chunking never changes bytes, duplicates are stored once, row groups
follow the row and byte limits, and build workers stay free of `datasets`."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from misi_bench.builders.output.features import task_schema
from misi_bench.builders.output.parquet_layout import IMAGE_BYTES, image_bytes, writer_options
from misi_bench.builders.output.row_files import encode_rows
from misi_bench.builders.output.writer import ROWS_PER_GROUP, SplitWriter


@pytest.fixture(scope="module")
def translation_table(sample_build) -> pa.Table:
    [path] = sorted((sample_build / "data" / "translation").glob("train-*.parquet"))
    return pq.read_table(path).combine_chunks()


def _written(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, table.schema, **writer_options(table.schema)) as writer:
        writer.write_table(table, row_group_size=ROWS_PER_GROUP)
    return sink.getvalue().to_pybytes()


def test_chunking_does_not_change_bytes(translation_table):
    reference = _written(translation_table)
    rng = np.random.default_rng(7)
    n = translation_table.num_rows
    for _ in range(10):
        cuts = sorted({int(c) for c in rng.integers(1, n, size=int(rng.integers(1, 12)))})
        bounds = [0, *cuts, n]
        chunked = pa.concat_tables([translation_table.slice(a, b - a) for a, b in zip(bounds, bounds[1:])])
        assert chunked.column("images").num_chunks == len(bounds) - 1
        assert _written(chunked) == reference


def test_duplicate_images_stored_once_and_uncompressed(translation_table, tmp_path):
    pngs = [image["bytes"] for row in translation_table.column("images").to_pylist() for image in row]
    distinct = set(pngs)
    assert len(distinct) < len(pngs), "the sample's translation rows share their reference image"
    path = tmp_path / "t.parquet"
    path.write_bytes(_written(translation_table))
    group = pq.ParquetFile(path).metadata.row_group(0)
    columns = {group.column(i).path_in_schema: group.column(i) for i in range(group.num_columns)}
    images = columns[IMAGE_BYTES]
    assert images.compression == "UNCOMPRESSED"
    assert "RLE_DICTIONARY" in images.encodings and images.dictionary_page_offset is not None
    stored = images.total_compressed_size
    assert sum(map(len, distinct)) <= stored < sum(map(len, distinct)) + 64 * len(pngs) < sum(map(len, pngs))
    assert columns["question"].compression == "SNAPPY"
    assert pq.read_table(path).equals(translation_table)


def _expected_groups(sizes: list[int], cap: int) -> list[int]:
    """Row-group sizes from the rule, computed independently of the writer."""
    groups: list[list[int]] = []
    for size in sizes:
        if not groups or len(groups[-1]) == ROWS_PER_GROUP or sum(groups[-1]) + size > cap:
            groups.append([])
        groups[-1].append(size)
    return [len(g) for g in groups]


def _shard(folder, rows_or_files, cap: int, from_files: bool) -> tuple[bytes, list[int]]:
    writer = SplitWriter(folder, "translation", "train", task_schema("translation"), max_group_bytes=cap)
    for item in rows_or_files:
        if from_files:
            writer.add_file(*item)
        else:
            writer.add(item)
    [shard] = writer.close()
    path = folder / shard.path
    meta = pq.ParquetFile(path).metadata
    return path.read_bytes(), [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]


def test_row_groups_follow_byte_limit_and_match_across_entry_points(translation_table, tmp_path):
    rows = translation_table.to_pylist()
    sizes = [image_bytes(row) for row in rows]
    cap = 3 * max(sizes)
    expected = _expected_groups(sizes, cap)
    assert len(expected) > 2 and max(expected) < len(rows)
    from_rows, groups = _shard(tmp_path / "rows", rows, cap, from_files=False)
    assert groups == expected
    files = []  # per-"complex" checkpoint files of 1-5 rows, as a build writes them
    start, number = 0, 0
    while start < len(rows):
        count = 1 + number % 5
        part = tmp_path / f"part-{number}.arrow"
        part.write_bytes(encode_rows(rows[start:start + count], translation_table.schema))
        files.append((part, sizes[start:start + count]))
        start, number = start + count, number + 1
    from_files, groups = _shard(tmp_path / "files", files, cap, from_files=True)
    assert groups == expected
    assert from_files == from_rows


def test_build_workers_do_not_import_datasets(sample_entries):
    """Pool workers unpickle a Job and import the worker module; `datasets` would cost each ~110 MB."""
    from misi_bench.builders.run.generate import Job

    job = Job("key", 0, 96, ("translation",), {"translation": task_schema("translation")},
              {e.pdb_id: e for e in sample_entries}, {}, {})
    script = ("import pickle, sys; job = pickle.loads(sys.stdin.buffer.read()); "
              "import misi_bench.builders.run.generate, misi_bench.builders.tasks; "
              "print(sorted(m for m in ('datasets', 'pandas', 'huggingface_hub') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], input=pickle.dumps(job), capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().strip() == "[]"
