"""Issue #13 items 1 and 10: what `build --out` may delete, and file-system trouble as one line.

The build only removes files an earlier build of ours listed in its (schema-valid) manifest; any
other non-empty folder is refused with one line and exit 2 before any work. Real folders, real
builds, a real tmpfs for the full-disk and read-only cases (root only: mounting needs it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import build_sample, run_cli
from misi_bench.builders.output.validate import validate_folder

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

SMALL = ("--sample", "--tasks", "translation", "--image-size", "64", "--quiet")


def build_cli(out, *extra: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("build", *SMALL, "--out", str(out), *extra, cwd=cwd)


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """A build of the same small configuration, made directly into a new folder."""
    out, manifest = build_sample(tmp_path_factory, ("translation",), 64)
    return manifest


def shard_hashes(manifest: dict) -> dict:
    return {(t, s): [sh["sha256"] for sh in e["shards"]] for t, per in manifest["configs"].items() for s, e in per.items()}


def test_a_folder_with_a_foreign_manifest_is_refused_untouched(tmp_path):
    webext = tmp_path / "webext"
    (webext / "src").mkdir(parents=True)
    (webext / "manifest.json").write_text('{"manifest_version": 3}')
    (webext / "src" / "app.js").write_text("x\n")
    before = tree(webext)
    assert_refused(build_cli(webext), "not a misi-bench build", "manifest.json")
    assert tree(webext) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["webext"]  # no work folder either: refused before any work


def test_rebuild_keeps_user_files_and_replaces_only_its_own(tmp_path, reference):
    out = tmp_path / "out"
    assert build_cli(out).returncode == 0
    (out / "NOTES.md").write_text("my notes\n")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    result = run_cli("build", "--sample", "--tasks", "rotation", "--image-size", "64", "--quiet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "NOTES.md").read_text() == "my notes\n"
    assert (out / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert not (out / "data" / "translation").exists()  # the old build's shards, listed in its manifest
    assert sorted(p.name for p in (out / "data").iterdir()) == ["rotation"]
    assert validate_folder(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no .out.building, no .out.old-PID


def test_unlisted_file_in_data_of_an_earlier_build_is_refused(tmp_path):
    out = tmp_path / "out"
    assert build_cli(out).returncode == 0
    (out / "data" / "translation" / "extra.parquet").write_bytes(b"mine")
    before = tree(out)
    assert_refused(build_cli(out), "extra.parquet", "not written by misi-bench")
    assert tree(out) == before


def test_a_manifest_listing_paths_outside_the_folder_is_not_ours(tmp_path):
    out = tmp_path / "out"
    assert build_cli(out).returncode == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["configs"]["translation"]["train"]["shards"][0]["path"] = "../victim.txt"
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert_refused(build_cli(out), "not a misi-bench build")
    assert victim.read_text() == "keep me\n"


def test_out_equal_to_or_inside_the_source_is_refused(tmp_path, sample_dir):
    source = tmp_path / "corpus"
    shutil.copytree(sample_dir, source)
    (source / "manifest.json").write_text('{"anything": 1}')
    before = tree(source)
    for out in (source, source / "built"):
        result = run_cli("build", "--source", str(source), "--split-file", str(source / "splits.json"),
                         "--tasks", "translation", "--image-size", "64", "--quiet", "--out", str(out))
        assert_refused(result)
        assert tree(source) == before
    empty = tmp_path / "empty-corpus"
    shutil.copytree(sample_dir, empty)
    result = run_cli("build", "--source", str(empty), "--tasks", "translation", "--quiet", "--out", str(empty / "built"))
    assert_refused(result, "overlap")
    assert not (empty / "built").exists() and not (empty / ".built.building").exists()


def test_out_dot_builds_in_an_empty_working_folder_and_refuses_a_full_one(tmp_path, reference):
    full = tmp_path / "full"
    full.mkdir()
    (full / "thesis.tex").write_text("\\begin{document}\n")
    assert_refused(build_cli(".", cwd=full), "not a misi-bench build")
    assert tree(full) == {"thesis.tex": b"\\begin{document}\n"}
    empty = tmp_path / "empty"
    empty.mkdir()
    result = build_cli(".", cwd=empty)
    assert result.returncode == 0, result.stderr
    assert shard_hashes(json.loads((empty / "manifest.json").read_text())) == shard_hashes(reference)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "full"]


def test_symlinked_out_builds_into_its_target_without_leftovers(tmp_path, reference):
    target = tmp_path / "real" / "site"
    target.mkdir(parents=True)
    link = tmp_path / "links" / "out"
    link.parent.mkdir()
    link.symlink_to(target)
    for _ in range(2):  # a fresh build, then a rebuild over it
        result = build_cli(link)
        assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == target
    assert shard_hashes(json.loads((target / "manifest.json").read_text())) == shard_hashes(reference)
    assert sorted(p.name for p in link.parent.iterdir()) == ["out"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


# ---------------------------------------------------------------- real tmpfs mounts (root only)

def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode == 0


@pytest.fixture
def mount_point(tmp_path):
    folder = tmp_path / "mnt"
    yield folder
    subprocess.run(["umount", str(folder)], capture_output=True)


def test_full_disk_is_one_line_leaves_nothing_finished_and_resumes(mount_point, reference):
    if not _mount(mount_point, "size=300k"):
        pytest.skip("needs root and tmpfs to make a small real file system")
    out = mount_point / "out"
    result = build_cli(out)
    assert_refused(result, "disk full", "bytes left", "run the same command again")
    assert not out.exists()
    assert not [p for p in mount_point.rglob("manifest.json")]
    subprocess.run(["mount", "-o", "remount,size=8m", str(mount_point)], check=True)
    result = build_cli(out)
    assert result.returncode == 0, result.stderr
    assert shard_hashes(json.loads((out / "manifest.json").read_text())) == shard_hashes(reference)
    assert sorted(p.name for p in mount_point.iterdir()) == ["out"]


def test_read_only_out_is_one_line(mount_point):
    if not _mount(mount_point, "ro,size=1m"):
        pytest.skip("needs root and tmpfs to make a read-only file system")
    assert_refused(build_cli(mount_point / "out"), "Read-only file system")


def test_a_rebuild_killed_while_replacing_files_resumes_and_keeps_user_files(tmp_path, reference):
    """The state a kill leaves halfway through replacing an earlier build: the journal lists the
    old and new files, the old manifest is gone, some old shards are gone (folder_rules.py)."""
    out = tmp_path / "out"
    assert run_cli("build", "--sample", "--tasks", "rotation", "--image-size", "64", "--quiet", "--out", str(out)).returncode == 0
    (out / "NOTES.md").write_text("mine\n")
    old = json.loads((out / "manifest.json").read_text())
    old_shards = [s["path"] for per in old["configs"].values() for e in per.values() for s in e["shards"]]
    new_shards = [s["path"] for per in reference["configs"].values() for e in per.values() for s in e["shards"]]
    (out / ".misi-bench-replacing.json").write_text(json.dumps(sorted({*old_shards, *new_shards, "README.md", "LICENSE", "manifest.json"})))
    (out / "manifest.json").unlink()
    (out / old_shards[0]).unlink()
    result = build_cli(out)
    assert result.returncode == 0, result.stderr
    assert shard_hashes(json.loads((out / "manifest.json").read_text())) == shard_hashes(reference)
    assert (out / "NOTES.md").read_text() == "mine\n"
    assert not (out / ".misi-bench-replacing.json").exists() and not (out / "data" / "rotation").exists()
    assert validate_folder(out) == []


def test_merge_follows_the_same_rule(tmp_path):
    parts = [tmp_path / f"part-{i}" for i in (1, 2)]
    for i, part in enumerate(parts, start=1):
        assert build_cli(part, "--shard", f"{i}/2").returncode == 0
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "manifest.json").write_text('{"name": "not ours"}')
    assert_refused(run_cli("merge", *map(str, parts), "--out", str(foreign)), "not a misi-bench build")
    assert tree(foreign) == {"manifest.json": b'{"name": "not ours"}'}
    merged = tmp_path / "merged"
    assert run_cli("merge", *map(str, parts), "--out", str(merged)).returncode == 0
    (merged / "NOTES.md").write_text("mine\n")
    assert run_cli("merge", *map(str, parts), "--out", str(merged)).returncode == 0
    assert (merged / "NOTES.md").read_text() == "mine\n" and validate_folder(merged) == []
