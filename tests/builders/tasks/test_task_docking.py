"""T7 docking on the sample corpus: counts, exact inverse, no overlap, shared camera, re-rendering."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from misi_bench import schema
from misi_bench.renderers import Scene, camera_coords, camera_for, render_png
from misi_bench.renderers.style import STICK_RADIUS

from conftest import SHARED_SIZE as SIZE, task_rows, train_and_test

ANSWER = re.compile(r"^roll ([xyz]) (-?\d+), move x (-?\d+)$")
ROLES = ["pocket_front", "pocket_left", "pocket_top", "ligand_front", "ligand_left", "ligand_top", "complex_front"]


@pytest.fixture(scope="module")
def built(shared_build):
    return task_rows(shared_build, "docking")


def _rotation(axis: str, degrees: float) -> np.ndarray:
    """Right-handed rotation matrix, written out independently of the renderer."""
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return {"x": np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
            "y": np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
            "z": np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])}[axis]


def _roll_about_heavy_centroid(coords, heavy, axis, degrees):
    center = coords[heavy].mean(axis=0)
    return (coords - center) @ _rotation(axis, degrees).T + center


def _displaced(complex_, params):
    heavy = ~complex_.ligand.is_hydrogen
    moved = complex_.ligand.coords + [params["distance"], 0.0, 0.0]
    return _roll_about_heavy_centroid(moved, heavy, params["axis"], params["angle"])


def test_counts_follow_the_spec(built, sample_dir):
    rows, manifest = built
    splits = json.loads((sample_dir / "splits.json").read_text())
    for split, per_complex in (("train", 6), ("test", 3)):
        assert len(rows[split]) == per_complex * len(splits[split])
        assert manifest["configs"]["docking"][split]["rows"] == per_complex * len(splits[split])
        assert {r["pdb_id"] for r in rows[split]} == set(splits[split])


def test_answer_restores_the_native_pose(built, by_id):
    for row in train_and_test(built):
        complex_, params = by_id[row["pdb_id"]], row["params"]
        native = complex_.ligand.coords
        displaced = _displaced(complex_, params)
        # what the images show is this displaced ligand (front view: the camera only translates)
        shown = camera_coords(complex_, Scene.from_json(params["scenes"][6]))
        assert np.allclose(shown.camera.rotation, np.eye(3))
        np.testing.assert_allclose(shown.ligand - shown.camera.translation, displaced, atol=1e-9)
        axis, angle, move = ANSWER.match(row["answer"]).groups()
        restored = _roll_about_heavy_centroid(displaced, ~complex_.ligand.is_hydrogen, axis, int(angle))
        restored = restored + [int(move), 0.0, 0.0]
        rmsd = float(np.sqrt(((restored - native) ** 2).sum(axis=1).mean()))
        assert rmsd <= 1e-6, (row["id"], rmsd)  # the bound of the module docstring
        assert (axis, int(angle), int(move)) == (params["axis"], -params["angle"], -params["distance"])


def test_draws_follow_the_spec(built):
    rows = train_and_test(built)
    for row in rows:
        p = row["params"]
        assert p["angle"] % 15 == 0 and 15 <= abs(p["angle"]) <= 90
        assert p["extra_distance"] in (0, 1, 2)
        assert p["distance"] == (-1 if p["side"] == "left" else 1) * (p["base_distance"] + p["extra_distance"])
        assert p["ligand_ops"] == f"move x {p['distance']}, roll {p['axis']} {p['angle']}"
    assert {r["params"]["side"] for r in rows} == {"left", "right"}
    assert {r["params"]["axis"] for r in rows} == {"x", "y", "z"}


def _u_extents(coords, complex_, clearance):
    """Screen u-intervals (pixels) of pocket and ligand heavy atoms, each a disc of ``clearance`` Å."""
    shift = np.array([clearance, 0.0, 0.0])
    out = []
    for points in (coords.pocket[~complex_.pocket.is_hydrogen], coords.ligand[~complex_.ligand.is_hydrogen]):
        out.append((coords.camera.project(points - shift)[:, 0].min(), coords.camera.project(points + shift)[:, 0].max()))
    return out


def _apart(complex_, scene, clearance, side):
    (p_low, p_high), (l_low, l_high) = _u_extents(camera_coords(complex_, scene), complex_, clearance)
    return l_high < p_low if side == "left" else l_low > p_high


def test_combined_front_view_has_no_overlap_and_keeps_the_ligand_in_frame(built, by_id):
    for row in train_and_test(built):
        complex_, params = by_id[row["pdb_id"]], row["params"]
        scene = Scene.from_json(params["scenes"][6])
        assert (scene.show, scene.fit, scene.view) == ("complex", "complex", "front")
        assert _apart(complex_, scene, params["clearance"], params["side"]), row["id"]
        coords = camera_coords(complex_, scene)
        ligand = coords.ligand[~complex_.ligand.is_hydrogen]
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            pixels = coords.camera.project(ligand + STICK_RADIUS * np.array([dx, dy, 0.0]))
            assert ((pixels >= 0) & (pixels <= SIZE)).all(), row["id"]


def test_base_distance_is_the_smallest_that_clears_the_pocket(built, by_id):
    for row in train_and_test(built)[::4]:
        complex_, p = by_id[row["pdb_id"]], row["params"]
        sign = -1 if p["side"] == "left" else 1

        def apart(d):
            ops = f"move x {sign * d}, roll {p['axis']} {p['angle']}"
            return _apart(complex_, Scene(show="complex", fit="complex", ligand_ops=ops, size=SIZE), p["clearance"], p["side"])

        assert all(apart(p["base_distance"] + e) for e in (0, 1, 2))
        if p["base_distance"] > 1:
            assert not all(apart(p["base_distance"] - 1 + e) for e in (0, 1, 2)), row["id"]


def test_all_images_of_a_view_share_one_camera(built, by_id):
    for row in train_and_test(built)[::5]:
        assert row["image_roles"] == ROLES
        complex_ = by_id[row["pdb_id"]]
        scenes = [Scene.from_json(s) for s in row["params"]["scenes"]]
        assert all(s.fit == "complex" and str(s.ligand_ops) == row["params"]["ligand_ops"] for s in scenes)
        assert [s.show for s in scenes] == ["pocket"] * 3 + ["ligand"] * 3 + ["complex"]
        for pocket_index, ligand_index in ((0, 3), (1, 4), (2, 5), (0, 6)):
            a, b = camera_for(complex_, scenes[pocket_index]), camera_for(complex_, scenes[ligand_index])
            np.testing.assert_array_equal(a.rotation, b.rotation)
            np.testing.assert_array_equal(a.translation, b.translation)


def test_images_rerendered_from_params_match(built, by_id):
    rows, _ = built
    for row in (rows["train"][0], rows["test"][-1]):
        for png, scene in zip(row["images"], row["params"]["scenes"]):
            assert render_png(by_id[row["pdb_id"]], Scene.from_json(scene)) == png["bytes"]


def test_answer_grammar_in_the_schema():
    pattern = re.compile(schema.load("docking")["properties"]["answer"]["pattern"])
    assert pattern.match("roll x 75, move x -14") and pattern.match("roll z -15, move x 3")
    for bad in ("move x -14, roll x 75", "roll x 0, move x 3", "roll x 80, move x 3", "roll x 75, move y 3", "roll x 75,move x 3"):
        assert not pattern.match(bad), bad
