"""One complex's rows of one task as an Arrow IPC file: how a build checkpoints them, and how the
shard writer reads them back.

Every column is stored as the dataset's schema has it, except the PNGs: ``images[].bytes`` is
dictionary-encoded, so an image that recurs in a complex's questions (its reference views) is
stored once. Reading maps the file instead of copying it in, and one cast expands the images into
the dataset's schema for the Parquet writer. Parquet files in this role cost every image an
encoding pass, a decoding pass and more copies: writing, reading and assembling the checkpoints of
a sample build took ~1.0 s with them and ~0.6 s with these files (docs/rendering.md).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

IMAGES = "images"  # list<struct<bytes: binary, path: string>>, the `datasets` Image storage form


def _stored_schema(schema: pa.Schema) -> pa.Schema:
    """``schema`` with the PNG bytes dictionary-encoded."""
    image = schema.field(IMAGES).type.value_field
    struct = pa.struct([pa.field("bytes", pa.dictionary(pa.int32(), pa.binary())), image.type.field("path")])
    return schema.set(schema.get_field_index(IMAGES), schema.field(IMAGES).with_type(pa.list_(image.with_type(struct))))


def _image_column(rows: list[dict], stored: pa.DataType) -> pa.Array:
    """The images of ``rows`` (Arrow form, no paths), each distinct PNG object once. Objects are
    told apart by identity: a complex's renders hand out one bytes object per image."""
    position: dict[int, int] = {}
    distinct, indices, offsets = [], [], [0]
    for row in rows:
        for image in row[IMAGES]:
            png = image["bytes"]
            if id(png) not in position:
                position[id(png)] = len(distinct)
                distinct.append(png)
            indices.append(position[id(png)])
        offsets.append(len(indices))
    struct = stored.value_type
    pngs = pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(distinct, pa.binary()))
    images = pa.StructArray.from_arrays([pngs, pa.nulls(len(indices), struct.field("path").type)], fields=list(struct))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), images, type=stored)


def encode_rows(rows: list[dict], schema: pa.Schema) -> pa.Buffer:
    """The IPC file of ``rows`` (Arrow form: images as {bytes, path} with no path) of ``schema``,
    in memory (not copied out into ``bytes``: it is written to a file, or pickled to the build)."""
    stored = _stored_schema(schema)
    others = pa.Table.from_pylist([{k: v for k, v in row.items() if k != IMAGES} for row in rows],
                                  schema=schema.remove(schema.get_field_index(IMAGES)))
    table = others.add_column(schema.get_field_index(IMAGES), stored.field(IMAGES),
                              _image_column(rows, stored.field(IMAGES).type))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, stored) as writer:
        writer.write_table(table)
    return sink.getvalue()


def read_rows(path: Path, schema: pa.Schema, start: int, count: int) -> pa.Table:
    """Rows ``start`` .. ``start + count`` of an :func:`encode_rows` file, in ``schema``. Columns
    other than the images may still point into the mapped file: on Windows it cannot be deleted
    while the returned table lives (the shard writer drops each row group's table before the
    build's folder is removed)."""
    with pa.memory_map(str(path)) as source:  # its buffers stay valid after the close
        table = pa.ipc.open_file(source).read_all()
    return table.slice(start, count).cast(schema)
