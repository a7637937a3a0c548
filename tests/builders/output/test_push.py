"""``push --dry-run``: the exact upload plan and the viewer checks; folders that must not be
published are refused. (The Hub is unreachable from tests: no real upload here.)"""

from __future__ import annotations

import argparse
import shutil

import pytest

from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.commands.publish import add_push_arguments, run_push



@pytest.fixture(scope="module")
def built(shared_build):
    return shared_build


def push_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_push_arguments(parser)
    return parser.parse_args(argv)


def test_dry_run_lists_every_file_with_its_size_and_the_viewer_checks(built, capsys):
    out, manifest = built
    assert run_push(push_args(str(out), "--repo-id", "someone/MiSI-Bench", "--dry-run")) == 0
    lines = capsys.readouterr().out.splitlines()
    shards = [s["path"] for per_split in manifest["configs"].values() for e in per_split.values() for s in e["shards"]]
    expected = [*shards, "README.md", "LICENSE", "manifest.json"]
    listed = [line.split()[-1] for line in lines[: len(expected)]]
    assert listed == expected
    for line, path in zip(lines, expected):
        assert int(line.split()[0].replace(",", "")) == (out / path).stat().st_size
    total = sum((out / p).stat().st_size for p in expected)
    assert lines[len(expected)].split()[0].replace(",", "") == str(total)
    checks = [line for line in lines if line.startswith("[")]
    assert [c.split("]")[0] for c in checks] == ["[ok"] * 6
    assert any("row group" in c and "limit 100" in c for c in checks)
    assert any(f"README.md lists {len(manifest['configs'])} config(s)" in c for c in checks)
    assert "[ok] licence file: LICENSE (the card's license_link) present" in checks
    assert lines[-1] == f"dry run: would upload {len(expected)} files to https://huggingface.co/datasets/someone/MiSI-Bench"


def test_a_folder_that_fails_validate_is_refused(built, tmp_path, capsys):
    out, manifest = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "loader.py").write_text("print('hi')\n")
    assert run_push(push_args(str(copy), "--repo-id", "someone/x", "--dry-run")) == 1
    printed = capsys.readouterr().out
    assert "loader.py: a script in the dataset folder" in printed and "refusing to push" in printed
    assert "README.md" not in printed  # no plan printed


def test_a_shard_build_is_refused(tmp_path, capsys):
    corpus = sample_corpus_dir()
    build(BuildConfig(source=corpus, out=tmp_path / "shard", tasks=("translation",), image_size=96,
                      split_file=corpus / "splits.json", progress=False, shard=(1, 2)))
    assert run_push(push_args(str(tmp_path / "shard"), "--repo-id", "someone/x", "--dry-run")) == 1
    printed = capsys.readouterr().out
    assert "[FAIL] complete build: a --shard build" in printed and "[FAIL] card configs" in printed
    assert "[FAIL] licence file: LICENSE (the card's license_link) missing" in printed
    assert "refusing to push, 3 viewer check(s) failed" in printed


def test_a_folder_without_its_licence_is_refused(built, tmp_path, capsys):
    out, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "LICENSE").unlink()
    assert run_push(push_args(str(copy), "--repo-id", "someone/x", "--dry-run")) == 1
    printed = capsys.readouterr().out
    assert "[FAIL] licence file" in printed and "refusing to push, 1 viewer check(s) failed" in printed
    assert "LICENSE" not in [line.split()[-1] for line in printed.splitlines() if line.strip()[:1].isdigit()]
