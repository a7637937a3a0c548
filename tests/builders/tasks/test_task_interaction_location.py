"""T8 interaction location on the sample corpus: counts, the named bond, true option and decoys
re-projected with the renderer, option texts, letter spread, re-rendering."""

from __future__ import annotations

import json
import re
from collections import Counter

import numpy as np
import pytest

from misi_bench.builders.source.hbonds import find_hbonds
from misi_bench.builders.tasks.base import NAME_IMAGE_SCALE
from misi_bench.renderers import Scene, camera_coords, render_png

from conftest import SHARED_SIZE as SIZE, task_rows, train_and_test

LETTERS = "ABCD"
OPTION = re.compile(r"^move x (-?\d+), move y (-?\d+)$")


@pytest.fixture(scope="module")
def built(shared_build):
    return task_rows(shared_build, "interaction_location")


def _bond_key(bond: dict) -> tuple:
    return (bond["chain"], bond["res_number"], bond["icode"], bond["res_atom"], bond["ligand_atom"])


def _midpoint_after(complex_, params, ops: str) -> np.ndarray:
    """Camera coordinates of the bond midpoint in the front view after camera ``ops``."""
    coords = camera_coords(complex_, Scene(show="complex", ops=ops, size=SIZE))
    return (coords.pocket[params["pocket_atom_index"]] + coords.ligand[params["ligand_atom_index"]]) / 2


def test_counts_one_per_bond_at_most_three(built, sample_dir, by_id):
    rows, manifest = built
    splits = json.loads((sample_dir / "splits.json").read_text())
    for split in ("train", "test"):
        expected = {i: min(3, len(find_hbonds(by_id[i]))) for i in splits[split]}
        assert sum(expected.values()) > 0
        assert len(rows[split]) == sum(expected.values())
        assert manifest["configs"]["interaction_location"][split]["rows"] == sum(expected.values())
        per_complex = Counter(r["pdb_id"] for r in rows[split])
        assert {i: per_complex.get(i, 0) for i in splits[split]} == expected
        keys = [(r["pdb_id"], _bond_key(r["params"]["bond"])) for r in rows[split]]
        assert len(keys) == len(set(keys))  # without replacement


def test_named_bond_is_a_found_hydrogen_bond(built, by_id):
    for row in train_and_test(built):
        params, complex_ = row["params"], by_id[row["pdb_id"]]
        matches = [b for b in find_hbonds(complex_) if b.sort_key == _bond_key(params["bond"])]
        assert len(matches) == 1, row["id"]
        bond = matches[0]
        assert (bond.pocket_atom_index, bond.ligand_atom_index) == (params["pocket_atom_index"], params["ligand_atom_index"])
        assert complex_.pocket.names[bond.pocket_atom_index] == params["bond"]["res_atom"]
        assert complex_.ligand.names[bond.ligand_atom_index] == params["bond"]["ligand_atom"]
        for text in (params["bond"]["res_name"], str(params["bond"]["res_number"]), params["bond"]["res_atom"], params["bond"]["ligand_atom"]):
            assert text in row["question"]


def test_true_option_centers_the_bond_and_decoys_do_not(built, by_id):
    for row in train_and_test(built):
        params, complex_ = row["params"], by_id[row["pdb_id"]]
        assert Scene.from_json(params["scenes"][0]) == Scene(show="complex", view="front", size=SIZE * NAME_IMAGE_SCALE)
        options = row["options"]
        assert len(options) == 4 and len(set(options)) == 4
        for letter, option in zip(LETTERS, options):
            assert OPTION.match(option), option
            x, y, _ = _midpoint_after(complex_, params, option)
            if letter == row["answer"]:
                assert abs(x) <= 0.5 and abs(y) <= 0.5, (row["id"], x, y)  # rounding to integer Å
            else:
                assert max(abs(x), abs(y)) >= 1.5, (row["id"], option, x, y)  # options >= 2 Å apart
        true = options[LETTERS.index(row["answer"])]
        assert true == f"move x {params['true_x']}, move y {params['true_y']}"


def test_true_option_puts_the_midpoint_at_the_image_center(built, by_id):
    for row in train_and_test(built):
        params, complex_ = row["params"], by_id[row["pdb_id"]]
        option = row["options"][LETTERS.index(row["answer"])]
        coords = camera_coords(complex_, Scene(show="complex", ops=option, size=SIZE))
        midpoint = (coords.pocket[params["pocket_atom_index"]] + coords.ligand[params["ligand_atom_index"]]) / 2
        u, v = coords.camera.project(midpoint[None])[0]
        half_angstrom_in_pixels = 0.5 / coords.camera.pixel_size(-midpoint[2])
        assert abs(u - SIZE / 2) <= half_angstrom_in_pixels and abs(v - SIZE / 2) <= half_angstrom_in_pixels


def test_decoys_are_the_other_corners_of_the_recorded_alternatives(built):
    for row in train_and_test(built):
        p = row["params"]
        decoy_texts = [o for L, o in zip(LETTERS, row["options"]) if L != row["answer"]]
        assert decoy_texts == [f"move x {d['x']}, move y {d['y']}" for d in p["decoys"]]
        a, b = p["true_x"], p["true_y"]
        for true, alt in ((a, p["alternative_x"]), (b, p["alternative_y"])):
            if alt["scheme"] == "sign":
                assert true != 0 and alt["value"] == -true and alt["shift"] == 0
            else:
                assert alt["shift"] in (2, 3, 4, 5, -2, -3, -4, -5) and alt["value"] == true + alt["shift"]
        x2, y2 = p["alternative_x"]["value"], p["alternative_y"]["value"]
        corners = {(x2, b), (a, y2), (x2, y2)}
        assert {(d["x"], d["y"]) for d in p["decoys"]} == corners
        # every x value and every y value appears in exactly two options: no text-only medoid
        moves = [(a, b)] + [(d["x"], d["y"]) for d in p["decoys"]]
        assert sorted(Counter(x for x, _ in moves).values()) == [2, 2]
        assert sorted(Counter(y for _, y in moves).values()) == [2, 2]


def test_correct_letter_is_spread(built):
    letters = Counter(row["answer"] for row in train_and_test(built))
    assert len(letters) >= 3, letters


def test_images_rerendered_from_params_match(built, by_id):
    rows, _ = built
    for row in (rows["train"][0], rows["test"][-1]):
        assert row["image_roles"] == ["front", "left", "top", "back", "right", "bottom"]
        for png, scene in zip(row["images"], row["params"]["scenes"]):
            assert render_png(by_id[row["pdb_id"]], Scene.from_json(scene)) == png["bytes"]
