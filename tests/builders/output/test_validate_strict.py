"""Issue #13 items 4 and 7: `validate` fails on blank images, repeated ids, a manifest that does
not match its schema, and shard paths that are absolute or leave the folder (never reading
them). Each case is a real build, altered the way a broken or hostile one would be."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from conftest import run_cli
from misi_bench.builders.output.writer import file_sha256

SHARD = "data/translation/train-00000-of-00001.parquet"


@pytest.fixture(scope="module")
def built(sample_build) -> Path:
    return sample_build


@pytest.fixture
def copy(built, tmp_path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(built, folder)
    return folder


def rewrite_shard(folder: Path, change) -> None:
    """Rewrite the train shard with ``change(rows)`` and make the manifest agree with it, so only
    the rows themselves are wrong."""
    path = folder / SHARD
    table = pq.read_table(path)
    rows = change(table.to_pylist())
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = manifest["configs"]["translation"]["train"]
    entry["rows"] = len(rows)
    entry["shards"][0].update(rows=len(rows), bytes=path.stat().st_size, sha256=file_sha256(path))
    (folder / "manifest.json").write_text(json.dumps(manifest))


def validate(folder: Path):
    return run_cli("validate", str(folder))


def test_the_unaltered_build_is_valid(built):
    result = validate(built)
    assert result.returncode == 0, result.stdout


def test_a_blank_image_fails(copy):
    def blank_first_image(rows):
        size = Image.open(io.BytesIO(rows[0]["images"][0]["bytes"])).size
        buffer = io.BytesIO()
        Image.new("RGB", size, (0, 0, 0)).save(buffer, format="PNG")
        rows[0]["images"][0] = {"bytes": buffer.getvalue(), "path": None}
        return rows

    rewrite_shard(copy, blank_first_image)
    result = validate(copy)
    assert result.returncode == 1
    assert "images/0: blank image" in result.stdout


def test_repeated_ids_fail(copy):
    rewrite_shard(copy, lambda rows: rows + rows[:1])
    result = validate(copy)
    assert result.returncode == 1
    assert "id repeated" in result.stdout


@pytest.mark.parametrize("where, value", [
    (("parameters", "image_size"), "big"),
    (("parameters", "tasks"), ["translation", "translation"]),
    (("complexes", "train"), ["../x"]),
    (("complexes",), {"validation": []}),
])
def test_parameters_and_complexes_must_match_the_schema(copy, where, value):
    manifest = json.loads((copy / "manifest.json").read_text())
    target = manifest
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = validate(copy)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "not a misi-bench manifest" in result.stderr and where[0] in result.stderr


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.parquet", "data/../../outside.parquet"])
def test_shard_paths_outside_the_folder_are_refused(copy, path):
    (copy.parent / "outside.parquet").write_bytes((copy / SHARD).read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["configs"]["translation"]["train"]["shards"][0]["path"] = path
    (copy / "manifest.json").write_text(json.dumps(manifest))
    result = validate(copy)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "path" in result.stderr


def test_a_shard_symlinked_outside_the_folder_is_not_read(copy):
    outside = copy.parent / "outside.parquet"
    (copy / SHARD).rename(outside)
    (copy / SHARD).symlink_to(outside)
    result = validate(copy)
    assert result.returncode == 1
    assert f"{SHARD}: leads outside" in result.stdout
