"""The command line through its real entry point (a subprocess running the console script)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import run_cli

COMMANDS = ["inspect", "build", "validate", "verify", "evaluate", "render", "audit", "baseline", "gallery", "merge", "push"]


def run(*args):
    return run_cli(*args)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: misi-bench " + command in result.stdout


def test_missing_source_dir_is_one_line_exit_2(tmp_path):
    result = run("inspect", "--source", str(tmp_path / "nope"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_source_dir_is_one_line_exit_2(tmp_path):
    result = run("inspect", "--source", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no PDBbind entries" in result.stderr


def test_bad_split_file_is_one_line_exit_2(tmp_path):
    split_file = tmp_path / "s.json"
    split_file.write_text('{"train": ["0xxx"]}')
    result = run("inspect", "--sample", "--split-file", str(split_file))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "0xxx" in result.stderr


def test_inspect_sample_json(sample_complexes, sample_dir):
    result = run("inspect", "--sample", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["complexes"] == len(sample_complexes)
    expected_splits = json.loads((sample_dir / "splits.json").read_text())
    assert summary["per_split"] == {k: len(v) for k, v in sorted(expected_splits.items())}
    assert summary["skipped"] == []
    by_id = {row["pdb_id"]: row for row in summary["entries"]}
    for complex_ in sample_complexes:
        row = by_id[complex_.pdb_id]
        assert row["pocket_atoms"] == complex_.pocket.n_atoms
        assert row["residues"] == len(complex_.pocket.residues)


def test_inspect_reports_skipped(tmp_path, sample_entries):
    entry = sample_entries[0]
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    for path in folder.iterdir():
        if "_ligand" in path.name:
            path.write_text("not a molecule\n")
    shutil.copytree(sample_entries[1].pocket.parent, tmp_path / sample_entries[1].pdb_id)
    result = run("inspect", "--source", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"{entry.pdb_id}: ligand_unparsable" in result.stdout
    assert "complexes: 1" in result.stdout


def test_render_writes_the_scene_png(tmp_path, sample_complexes):
    from misi_bench.renderers import Scene, render_png

    complex_ = next(c for c in sample_complexes if len(set(c.pocket.chains)) > 1)
    residue = complex_.pocket.residues[3]
    out = tmp_path / "deep" / "r.png"
    result = run("render", "--sample", "--pdb-id", complex_.pdb_id.upper(), "--view", "top", "--op", "roll y 15",
                 "--op", "move x 2", "--residue", f"{residue.name}:{residue.number}{residue.icode}:{residue.chain}",
                 "--size", "200", "--out", str(out))
    assert result.returncode == 0, result.stderr
    expected = render_png(complex_, Scene(show="residue", residue=residue.key, view="top", ops="roll y 15, move x 2", size=200))
    assert out.read_bytes() == expected
    assert not list(out.parent.glob("*.tmp"))


@pytest.mark.parametrize("extra, message", [
    (["--residue", "XYZ:9999:A"], "no pocket residue"),
    (["--residue", "ARG-45"], "--residue must look like"),
    (["--op", "spin y 3"], "not an operation"),
    (["--view", "sideways"], "unknown view"),
])
def test_render_bad_arguments_one_line_exit_2(tmp_path, sample_complexes, extra, message):
    result = run("render", "--sample", "--pdb-id", sample_complexes[0].pdb_id, *extra, "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "x.png").exists()
