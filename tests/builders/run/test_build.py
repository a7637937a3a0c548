"""End-to-end build of the sample corpus: counts, answers, re-rendering, loading, determinism."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
import shutil
from collections import Counter

import datasets
import pyarrow.parquet as pq
import pytest
from PIL import Image

from misi_bench.builders.output.features import task_features, task_schema
from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.source.hbonds import find_hbonds
from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.output.validate import validate_folder
from misi_bench.renderers import Scene, render_png

from conftest import read_rows, run_cli

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

UNIT_TASKS = ("translation", "rotation", "zooming", "residue_ligand_interaction")
SIZE = 160


_rows = read_rows


@pytest.fixture(scope="module")
def built(tmp_path_factory, sample_dir):
    out = tmp_path_factory.mktemp("build") / "MiSI-bench"
    manifest = build(BuildConfig(source=sample_dir, out=out, tasks=UNIT_TASKS, seed=0, image_size=SIZE,
                                 split_file=sample_dir / "splits.json", progress=False))
    return out, manifest


def test_counts_follow_the_spec(built, sample_dir, by_id):
    out, manifest = built
    splits = json.loads((sample_dir / "splits.json").read_text())
    n = {s: len(ids) for s, ids in splits.items()}
    expected = {"translation": {"train": 4, "test": 2}, "rotation": {"train": 6, "test": 3}, "zooming": {"train": 4, "test": 2}}
    for task, per_complex in expected.items():
        for split in ("train", "test"):
            assert len(_rows(out, task, split)) == per_complex[split] * n[split], (task, split)
            assert manifest["configs"][task][split]["rows"] == per_complex[split] * n[split]
    # per axis, per complex: exactly 2 (train) / 1 (test)
    for split, per_axis in (("train", 2), ("test", 1)):
        counts = Counter((r["pdb_id"], r["params"]["axis"]) for r in _rows(out, "rotation", split))
        assert set(counts.values()) == {per_axis} and len(counts) == 3 * n[split]


def test_residue_ligand_counts_from_hbonds(built, by_id):
    out, _ = built
    for split in ("train", "test"):
        rows = _rows(out, "residue_ligand_interaction", split)
        per_complex = Counter(r["pdb_id"] for r in rows)
        for pdb_id in {r["pdb_id"] for r in _rows(out, "translation", split)}:
            bonded = {(b.chain, b.res_number, b.icode) for b in find_hbonds(by_id[pdb_id])}
            positives = [r for r in rows if r["pdb_id"] == pdb_id and r["params"]["positive"]]
            negatives = per_complex[pdb_id] - len(positives)
            assert len(positives) == len(bonded), pdb_id
            available = sum(1 for r in by_id[pdb_id].pocket.residues
                            if r.key not in bonded and sum(not h for h in by_id[pdb_id].pocket.is_hydrogen[list(r.atom_indices)]) >= 2)
            expected = 1.05 * len(bonded)
            assert negatives in {min(math.floor(expected), available), min(math.ceil(expected), available)}, pdb_id


def test_answers_rederived_from_params(built, by_id):
    out, _ = built
    for split in ("train", "test", "tiny"):
        for row in _rows(out, "translation", split):
            assert row["answer"] == f"move {row['params']['axis']} {row['params']['distance']}"
            assert row["params"]["axis"] in ("x", "y") and 1 <= abs(row["params"]["distance"]) <= 4
        for row in _rows(out, "rotation", split):
            assert row["answer"] == f"roll {row['params']['axis']} {row['params']['angle']}"
            assert row["params"]["angle"] % 15 == 0 and 15 <= abs(row["params"]["angle"]) <= 90
        for row in _rows(out, "zooming", split):
            assert row["answer"] == f"move z {row['params']['depth']}" and 40 <= row["params"]["depth"] <= 60
        for row in _rows(out, "residue_ligand_interaction", split):
            residue = row["params"]["residue"]
            bonds = [b for b in find_hbonds(by_id[row["pdb_id"]])
                     if (b.chain, b.res_number, b.icode) == (residue["chain"], residue["number"], residue["icode"])]
            expected = "No" if not bonds else "Yes: " + "; ".join(f"{b.res_name} {b.res_atom}, {b.ligand_atom}" for b in bonds)
            assert row["answer"] == expected, row["id"]


def test_after_image_rerendered_from_params(built, by_id):
    out, _ = built
    for task in ("translation", "rotation", "zooming"):
        row = _rows(out, task, "test")[0]
        params = row["params"]
        command = {"translation": f"move {params.get('axis')} {params.get('distance')}",
                   "rotation": f"roll {params.get('axis')} {params.get('angle')}",
                   "zooming": f"move z {params.get('depth')}"}[task]
        scene = Scene(show="complex", view="front", ops=command, size=SIZE)
        png = render_png(by_id[row["pdb_id"]], scene)
        assert png == row["images"][3]["bytes"]
        assert Scene.from_json(params["scenes"][3]) == scene


def test_images_are_real_pngs_and_shared(built):
    out, manifest = built
    row = _rows(out, "translation", "train")[0]
    for image in row["images"]:
        with Image.open(__import__("io").BytesIO(image["bytes"])) as picture:
            assert picture.format == "PNG" and picture.size == (SIZE, SIZE)
    assert manifest["images"]["distinct"] < manifest["images"]["slots"]
    # the initial views of a complex are the same bytes in all its unit-task questions
    fronts = {r["images"][0]["bytes"] for r in _rows(out, "translation", "train") + _rows(out, "zooming", "train") if r["pdb_id"] == row["pdb_id"]}
    assert len(fronts) == 1


def test_tiny_is_a_seeded_subset_of_test(built):
    out, _ = built
    for task in UNIT_TASKS:
        test_ids = [r["id"] for r in _rows(out, task, "test")]
        tiny = _rows(out, task, "tiny")
        assert len(tiny) == min(50, len(test_ids))
        assert {r["id"] for r in tiny} <= set(test_ids) and {r["split"] for r in tiny} <= {"tiny"}


def test_load_dataset_reads_the_folder(built):
    out, _ = built
    ds = datasets.load_dataset(str(out), "rotation")
    assert set(ds) == {"train", "test", "tiny"}
    first = ds["test"][0]
    assert isinstance(first["images"][0], Image.Image) and len(first["images"]) == 4
    assert first["answer"].startswith("roll ")


def test_validate_passes_then_catches_a_flipped_byte(built, tmp_path):
    out, manifest = built
    assert validate_folder(out) == []
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    shard = copy / manifest["configs"]["zooming"]["train"]["shards"][0]["path"]
    data = bytearray(shard.read_bytes())
    data[len(data) // 2] ^= 0x01
    shard.write_bytes(bytes(data))
    problems = validate_folder(copy)
    assert any("sha256" in p and "zooming" in p for p in problems)


def test_no_script_in_output_and_card_lists_configs(built):
    out, _ = built
    assert not list(out.rglob("*.py"))
    card = (out / "README.md").read_text()
    for task in UNIT_TASKS:
        assert f"config_name: {task}" in card
    assert "PDBbind" in card and "arXiv:2512.10867" in card


def test_same_seed_is_byte_identical_other_seed_differs(built, tmp_path, sample_dir):
    out, manifest = built
    again = build(BuildConfig(source=sample_dir, out=tmp_path / "again", tasks=UNIT_TASKS, seed=0, image_size=SIZE,
                              split_file=sample_dir / "splits.json", progress=False))
    assert again == manifest
    for task, per_split in manifest["configs"].items():
        for entry in per_split.values():
            for shard in entry["shards"]:
                assert hashlib.sha256((tmp_path / "again" / shard["path"]).read_bytes()).hexdigest() == shard["sha256"]
    other = build(BuildConfig(source=sample_dir, out=tmp_path / "other", tasks=("translation",), seed=1,
                              image_size=SIZE, split_file=sample_dir / "splits.json", progress=False))
    answers0 = [r["answer"] for r in _rows(out, "translation", "train")]
    answers1 = [r["answer"] for r in _rows(tmp_path / "other", "translation", "train")]
    assert answers0 != answers1 and len(answers0) == len(answers1)
    assert other["configs"]["translation"]["train"]["shards"][0]["sha256"] != manifest["configs"]["translation"]["train"]["shards"][0]["sha256"]


def test_two_workers_give_identical_bytes(built, tmp_path, sample_dir):
    out, manifest = built
    parallel = build(BuildConfig(source=sample_dir, out=tmp_path / "parallel", tasks=UNIT_TASKS, seed=0, image_size=SIZE,
                                 split_file=sample_dir / "splits.json", progress=False, workers=2))
    assert parallel == manifest


def test_verify_names_the_changed_shard(built, tmp_path):
    out, manifest = built
    kept = tmp_path / "manifest.json"
    kept.write_text(json.dumps(manifest))
    ok = run_cli("verify", str(out), "--manifest", str(kept))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    target = manifest["configs"]["rotation"]["test"]["shards"][0]["path"]
    data = bytearray((copy / target).read_bytes())
    data[-100] ^= 0x80
    (copy / target).write_bytes(bytes(data))
    bad = run_cli("verify", str(copy), "--manifest", str(kept))
    assert bad.returncode == 1
    differing = [line for line in bad.stdout.splitlines() if "content differs" in line]
    assert differing == [f"{target}: content differs from the manifest"]


def test_a_task_that_cannot_be_made_is_skipped_with_a_reason(tmp_path, sample_complexes):
    ids = [c.pdb_id for c in sample_complexes]
    split_file = tmp_path / "splits.json"
    split_file.write_text(json.dumps({"train": ids[:3], "test": ids[3:4]}))
    manifest = build(BuildConfig(source=sample_corpus_dir(), out=tmp_path / "out", tasks=("translation", "translation_rotation"),
                                 image_size=96, split_file=split_file, progress=False))
    # the lone test complex has no partner for translation-rotation; everything else is built
    assert manifest["skipped_tasks"] == [{"pdb_id": ids[3], "task": "translation_rotation", "reason": "no_partner",
                                          "detail": f"{ids[3]}: no other readable complex in its split"}]
    assert manifest["configs"]["translation"]["test"]["rows"] == 2
    assert manifest["configs"]["translation_rotation"]["test"]["rows"] == 0
    assert manifest["configs"]["translation_rotation"]["train"]["rows"] == 3 * 6
    assert validate_folder(tmp_path / "out") == []


def test_card_and_readme_state_the_same_choices(built):
    from misi_bench.builders.output.card import choices_text

    out, _ = built
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    section = readme.split("<!-- choices:start -->")[1].split("<!-- choices:end -->")[0].strip()
    assert section == choices_text()
    assert choices_text() in (out / "README.md").read_text()


@pytest.fixture(scope="module")
def all_configs(shared_build):
    return shared_build


@pytest.mark.parametrize("config", ["translation", "rotation", "zooming", "residue_ligand_interaction",
                                    "translation_rotation", "rotation_rotation", "docking",
                                    "interaction_location", "pocket_ligand_interaction"])
def test_load_dataset_every_config(all_configs, config):
    out, manifest = all_configs
    ds = datasets.load_dataset(str(out), config)
    expected = {s for s, e in manifest["configs"][config].items() if e["rows"]}
    assert set(ds) == expected == {"train", "test", "tiny"}
    for split in expected:
        assert len(ds[split]) == manifest["configs"][config][split]["rows"]
    row = ds["test"][0]
    assert row["task"] == config and all(isinstance(img, Image.Image) for img in row["images"])
    assert len(row["images"]) == len(row["image_roles"]) == len(row["params"]["scenes"])
    # the features come from the card's YAML here; every shard's own metadata must say the same
    expected_features = task_features(config)
    assert all(ds[split].features == expected_features for split in expected)
    for shard in sorted((out / "data" / config).glob("*.parquet")):
        schema = pq.read_schema(shard)
        assert schema.metadata[b"huggingface"] == task_schema(config).metadata[b"huggingface"], shard.name
        assert datasets.Features.from_arrow_schema(schema) == expected_features, shard.name
