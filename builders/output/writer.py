"""Parquet shards per config and split, written atomically.

Rows in Arrow form (images embedded as bytes) of the config's schema (``features.task_schema``)
are written in row groups of at most ``ROWS_PER_GROUP`` rows and ``MAX_GROUP_IMAGE_BYTES`` of
images (rows always in order, a group closed by the first row that does not fit) to a temporary
file; a shard is renamed to its final ``<split>-NNNNN-of-NNNNN.parquet`` name only when the whole
split is complete, so an interrupted build never leaves a shard that looks finished.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .parquet_layout import image_bytes, writer_options
from .row_files import read_rows

ROWS_PER_GROUP = 100
# Rows of the composite tasks carry 8-11 images (~1.3 MB): 100 of them would make a row group of
# ~130 MB, heavy for the dataset viewer (which reads whole row groups) and for the writer's memory.
MAX_GROUP_IMAGE_BYTES = 64 * 1024 * 1024
MAX_SHARD_BYTES = 400 * 1024 * 1024  # the Hub viewer wants shards well under ~500 MB


@dataclass(frozen=True)
class ShardInfo:
    path: str  # relative to the output folder, POSIX separators
    rows: int
    bytes: int
    sha256: str

    def to_dict(self) -> dict:
        return {"path": self.path, "rows": self.rows, "bytes": self.bytes, "sha256": self.sha256}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class SplitWriter:
    """Streams the rows of one config/split into one or more Parquet shards."""

    def __init__(self, out_dir: Path, config: str, split: str, schema: pa.Schema,
                 max_group_bytes: int = MAX_GROUP_IMAGE_BYTES):
        self.out_dir = Path(out_dir)
        self.folder = self.out_dir / "data" / config
        self.folder.mkdir(parents=True, exist_ok=True)
        self.split = split
        self.schema = schema
        self.max_group_bytes = max_group_bytes
        self._pending: list[dict] = []
        self._pending_files: list[tuple[Path, int, int]] = []  # (rows file, first row, rows)
        self._pending_rows = 0
        self._pending_bytes = 0
        self._parts: list[tuple[Path, int]] = []
        self._writer: pq.ParquetWriter | None = None
        self._rows_in_part = 0

    def add(self, row: dict) -> None:
        """Add a row in Arrow form (images as {bytes, path}), e.g. read back from a shard."""
        assert not self._pending_files, "rows and rows files cannot be mixed in one writer"
        size = image_bytes(row)
        if self._group_full(size):
            self._flush()
        self._count(size)
        self._pending.append(row)

    def add_file(self, path: Path, row_image_bytes: list[int]) -> None:
        """Add every row of a rows file (``row_files``) of this writer's schema (a build checkpoint);
        ``row_image_bytes`` holds each row's :func:`image_bytes`. Only (file, first row, count)
        is kept until a row group is full, so pending rows cost no memory: a build holds at most
        one row group's images at a time, not one per config/split."""
        assert not self._pending, "rows and rows files cannot be mixed in one writer"
        path, start = Path(path), 0
        for index, size in enumerate(row_image_bytes):
            if self._group_full(size):
                if index > start:
                    self._pending_files.append((path, start, index - start))
                    start = index
                self._flush()
            self._count(size)
        if start < len(row_image_bytes):
            self._pending_files.append((path, start, len(row_image_bytes) - start))

    def _group_full(self, size: int) -> bool:
        """Whether a row of ``size`` image bytes must start a new row group: the pending one has
        ``ROWS_PER_GROUP`` rows, or the row would take it over ``max_group_bytes`` (a row bigger
        than that gets a group of its own)."""
        return self._pending_rows > 0 and (self._pending_rows >= ROWS_PER_GROUP
                                           or self._pending_bytes + size > self.max_group_bytes)

    def _count(self, size: int) -> None:
        self._pending_rows += 1
        self._pending_bytes += size

    def _open_part(self) -> None:
        path = self.folder / f".{self.split}-{len(self._parts):05d}.parquet.tmp"
        self._writer = pq.ParquetWriter(path, self.schema, **writer_options(self.schema))
        self._parts.append((path, 0))
        self._rows_in_part = 0

    def _pending_table(self) -> pa.Table:
        if self._pending:
            return pa.Table.from_pylist(self._pending, schema=self.schema)
        return pa.concat_tables([read_rows(path, self.schema, start, count)  # no combined copy: see parquet_layout
                                 for path, start, count in self._pending_files])

    def _flush(self) -> None:
        if not self._pending and not self._pending_files:
            return
        if self._writer is None:
            self._open_part()
        table = self._pending_table()
        self._writer.write_table(table, row_group_size=ROWS_PER_GROUP)
        self._rows_in_part += table.num_rows
        self._parts[-1] = (self._parts[-1][0], self._rows_in_part)
        self._pending = []
        self._pending_files = []
        self._pending_rows = 0
        self._pending_bytes = 0
        pa.default_memory_pool().release_unused()  # give the row group's pages back to the OS
        if self._parts[-1][0].stat().st_size >= MAX_SHARD_BYTES:
            self._writer.close()
            self._writer = None

    def close(self) -> list[ShardInfo]:
        """Finish every shard and give each its final name. An empty split writes no shard:
        `datasets` cannot load a split whose files hold no rows, so the card leaves it out."""
        self._flush()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        shards = []
        total = len(self._parts)
        for number, (tmp_path, rows) in enumerate(self._parts):
            final = self.folder / f"{self.split}-{number:05d}-of-{total:05d}.parquet"
            os.replace(tmp_path, final)
            shards.append(ShardInfo(final.relative_to(self.out_dir).as_posix(), rows, final.stat().st_size, file_sha256(final)))
        return shards
