"""Checkpoint rows files (builders/output/row_files.py): rows read back equal the rows written,
in the dataset's schema, and an image shared by several questions is stored once."""

from __future__ import annotations

import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from misi_bench.builders.output.row_files import encode_rows, read_rows


@pytest.fixture(scope="module")
def rotation_rows(sample_build) -> tuple[list[dict], pa.Schema]:
    [path] = sorted((sample_build / "data" / "rotation").glob("train-*.parquet"))
    table = pq.read_table(path)
    return table.to_pylist(), table.schema


def test_rows_read_back_equal_in_the_dataset_schema(rotation_rows, tmp_path):
    rows, schema = rotation_rows
    path = tmp_path / "rows.arrow"
    path.write_bytes(encode_rows(rows, schema))
    for start, count in ((0, len(rows)), (0, 1), (3, 4), (len(rows) - 2, 2)):
        table = read_rows(path, schema, start, count)
        assert table.schema.equals(schema, check_metadata=True)
        assert table.to_pylist() == rows[start:start + count]
    kept = read_rows(path, schema, 1, 3)
    if os.name != "nt":  # Windows refuses to delete a file that is still mapped
        path.unlink()  # the mapped pages outlive the map's close and the file's name
    assert kept.to_pylist() == rows[1:4]


def test_a_shared_image_is_stored_once(rotation_rows, tmp_path):
    rows, schema = rotation_rows
    shared = rows[0]["images"][0]["bytes"]
    pngs = [image["bytes"] for row in rows for image in row["images"]]
    same = [{**row, "images": [{"bytes": shared, "path": None} for _ in row["images"]]} for row in rows]
    once, every = encode_rows(same, schema), encode_rows(rows, schema)
    assert len(once) < len(shared) + len(every) - sum(map(len, pngs)) + 4096
    path = tmp_path / "same.arrow"
    path.write_bytes(once)
    assert all(image["bytes"] == shared for row in read_rows(path, schema, 0, len(rows)).to_pylist()
               for image in row["images"])


def test_a_complex_checkpoint_stores_each_distinct_image_once(sample_entries):
    """The build's own rows: a task's repeated reference views come out as one stored PNG each
    (the dedupe relies on a complex's renders handing out one bytes object per image)."""
    from misi_bench.builders.output.features import task_schema
    from misi_bench.builders.run import generate

    task = "translation"
    entries = {entry.pdb_id: entry for entry in sample_entries}
    pdb_id = sorted(entries)[0]
    job = generate.Job("key", 0, 96, (task,), {task: task_schema(task)}, entries,
                       {pdb_id: "train"}, {"train": (pdb_id,)})
    generate.init_worker(job)
    result = generate.complex_result(pdb_id)
    table = pa.ipc.open_file(pa.BufferReader(result.tables[task])).read_all()
    stored = table.column("images").combine_chunks().values.field("bytes")
    pngs = [image["bytes"] for row in table.to_pylist() for image in row["images"]]
    assert len(stored.dictionary) == len(set(pngs)) < len(pngs)
