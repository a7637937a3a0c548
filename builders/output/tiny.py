"""The ``tiny`` split: a fixed, seeded sample of each config's test rows (quick evaluation)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .features import task_schema
from ..rng import question_rng
from .writer import ShardInfo, SplitWriter


def tiny_ids(test_ids: list[str], task: str, seed: int, count: int) -> list[str]:
    """``count`` test ids drawn with a fixed seed (all when fewer), in their original order."""
    if len(test_ids) <= count:
        return list(test_ids)
    rng = question_rng(seed, task, "tiny", "----", 0)
    picked = sorted(int(i) for i in rng.choice(len(test_ids), size=count, replace=False))
    return [test_ids[i] for i in picked]


def write_tiny(out: Path, task: str, test_shards: list[ShardInfo], seed: int, count: int) -> list[ShardInfo]:
    """The ``tiny`` split: a seeded sample of the test rows, copied with split = tiny."""
    paths = [out / shard.path for shard in test_shards]
    test_ids = [i for path in paths for i in pq.read_table(path, columns=["id"]).column("id").to_pylist()]
    chosen = pa.array(tiny_ids(test_ids, task, seed, count), pa.string())
    writer = SplitWriter(out, task, "tiny", task_schema(task))
    for path in paths:
        parquet = pq.ParquetFile(path)
        for group in range(parquet.num_row_groups):
            rows = parquet.read_row_group(group)
            chosen_rows = rows.filter(pc.is_in(rows.column("id"), value_set=chosen))  # only these become Python
            for row in chosen_rows.to_pylist():
                writer.add({**row, "split": "tiny"})
    return writer.close()
