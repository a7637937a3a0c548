"""Parquet writer options of the dataset shards.

* Every column is dictionary-encoded with no size limit on the dictionary, so identical PNGs
  within a row group (a complex's reference view recurs in many of its questions) are stored
  once.
* PNGs are already deflate-compressed: the image column is never snappy-compressed (that only
  costs a copy of the row group and CPU); the short string and number columns are.
* One value is written between page-size checks (``write_batch_size=1``), so where pages end
  depends only on the values, not on how the rows happen to be chunked in memory. A row group
  can therefore be written straight from the slices of several checkpoint files, with no
  combined copy, and still give the same bytes as the same rows written from one array
  (``merge``); ``tests/builders/output/test_parquet_layout.py`` checks this.
"""

from __future__ import annotations

import pyarrow as pa

IMAGE_BYTES = "images.list.element.bytes"
PAGE_BYTES = 1 << 20
DICTIONARY_LIMIT = 1 << 30  # above any row group, so no column falls back to plain encoding


def image_bytes(row: dict) -> int:
    """PNG bytes of a row in Arrow form (images as {bytes, path}); what sizes its row group."""
    return sum(len(image["bytes"]) for image in row["images"])


def leaf_paths(schema: pa.Schema) -> list[str]:
    """Dotted Parquet column paths of every leaf (lists as ``name.list.element``)."""

    def walk(path: str, kind: pa.DataType):
        if pa.types.is_struct(kind):
            for child in kind:
                yield from walk(f"{path}.{child.name}", child.type)
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            yield from walk(f"{path}.list.element", kind.value_type)
        else:
            yield path

    return [leaf for field in schema for leaf in walk(field.name, field.type)]


def writer_options(schema: pa.Schema) -> dict:
    """Keyword arguments for ``pq.ParquetWriter`` / ``pq.write_table``."""
    return {
        "use_dictionary": True,
        "dictionary_pagesize_limit": DICTIONARY_LIMIT,
        "compression": {leaf: "none" if leaf == IMAGE_BYTES else "snappy" for leaf in leaf_paths(schema)},
        "write_statistics": False,
        "data_page_size": PAGE_BYTES,
        "write_batch_size": 1,
    }
