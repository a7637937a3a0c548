"""Issue #13 items 7 and 10: CLI values that used to do something silently wrong, and inputs that
used to end in a traceback, are now one line on stderr and exit 2 (real console script)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli


def assert_one_line_error(result, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


@pytest.fixture(scope="module")
def built(sample_build) -> Path:
    return sample_build


@pytest.mark.parametrize("option, value, words", [
    ("--limit", "0", ("--limit must be at least 1",)),
    ("--limit", "-1", ("--limit must be at least 1",)),
    ("--tasks", "translation,translation", ("--tasks", "more than once")),
    ("--tasks", ",", ("--tasks names nothing",)),
    ("--splits", "test,test", ("--splits", "more than once")),
    ("--splits", " , ", ("--splits names nothing",)),
])
def test_build_values_that_used_to_be_silently_wrong(tmp_path, option, value, words):
    args = {"--tasks": "translation", "--image-size": "64", option: value}
    result = run_cli("build", "--sample", "--quiet", "--out", str(tmp_path / "out"), *[x for kv in args.items() for x in kv])
    assert_one_line_error(result, *words)
    assert list(tmp_path.iterdir()) == []  # refused before any work


@pytest.mark.parametrize("value", ["0", "-5"])
def test_audit_max_rows_below_one(tmp_path, built, value):
    result = run_cli("audit", str(built), "--out", str(tmp_path / "audit"), "--max-rows", value)
    assert_one_line_error(result, "--max-rows must be at least 1")
    assert not (tmp_path / "audit").exists()


@pytest.mark.parametrize("content", [b"\xff\xfe{\"train\": []}", b"[" * 100_000 + b"]" * 100_000])
def test_undecodable_or_deeply_nested_split_file(tmp_path, content):
    split_file = tmp_path / "splits.json"
    split_file.write_bytes(content)
    assert_one_line_error(run_cli("inspect", "--sample", "--split-file", str(split_file)), "split file")
    result = run_cli("build", "--sample", "--split-file", str(split_file), "--out", str(tmp_path / "out"))
    assert_one_line_error(result, "split file")


def _with_manifest(built: Path, folder: Path, text: str) -> Path:
    shutil.copytree(built, folder)
    (folder / "manifest.json").write_text(text)
    return folder


@pytest.mark.parametrize("text", ["{}", "[]", "{not json", '"MiSI-Bench"'])
def test_validate_and_push_on_a_manifest_that_is_not_ours(tmp_path, built, text):
    folder = _with_manifest(built, tmp_path / "copy", text)
    assert_one_line_error(run_cli("validate", str(folder)), "manifest.json")
    assert_one_line_error(run_cli("push", str(folder), "--repo-id", "me/x", "--dry-run"), "manifest.json")


def test_verify_with_a_shard_entry_missing_keys(tmp_path, built):
    manifest = json.loads((built / "manifest.json").read_text())
    del manifest["configs"]["translation"]["train"]["shards"][0]["sha256"]
    released = tmp_path / "released.json"
    released.write_text(json.dumps(manifest))
    assert_one_line_error(run_cli("verify", str(built), "--manifest", str(released)), "sha256")


def test_gallery_and_audit_on_a_truncated_shard(tmp_path, built):
    folder = tmp_path / "copy"
    shutil.copytree(built, folder)
    shard = folder / "data" / "translation" / "test-00000-of-00001.parquet"
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])
    assert_one_line_error(run_cli("gallery", str(folder), "--out", str(tmp_path / "site")), "cannot read shard", shard.name)
    assert_one_line_error(run_cli("audit", str(folder), "--out", str(tmp_path / "audit"), "--split", "test"),
                          "cannot read shard", shard.name)


def test_a_kernel_choice_no_render_can_honour_stops_before_any_work(tmp_path, monkeypatch):
    # before: the build skipped every task of every complex and exited 0; render printed a traceback
    monkeypatch.setenv("MISI_BENCH_KERNEL", "fast")
    for args in (("build", "--sample", "--tasks", "translation", "--image-size", "64", "--quiet", "--out", str(tmp_path / "out")),
                 ("render", "--sample", "--pdb-id", "1a28", "--out", str(tmp_path / "one.png"))):
        assert_one_line_error(run_cli(*args), "MISI_BENCH_KERNEL must be one of auto, numba, numpy")
    assert list(tmp_path.iterdir()) == []
