"""T5 translation_rotation and T6 rotation_rotation on the sample corpus: counts, the right option
re-rendered from params, decoys that follow their schemes, options that look different, the
partner complex, letters; and the redraw of near-identical options."""

from __future__ import annotations

import io
import json
from collections import Counter
from itertools import combinations

import numpy as np
import pytest
from PIL import Image

from misi_bench.builders.tasks import movement_choice
from misi_bench.builders.tasks.base import ComplexContext, ImageSpec
from misi_bench.renderers import Operation, Scene, render_png

from conftest import SHARED_SIZE as SIZE, read_rows

TASKS = ("translation_rotation", "rotation_rotation")
PER_COMPLEX = {"translation_rotation": {"train": 6, "test": 3}, "rotation_rotation": {"train": 6, "test": 3}}
# where the option images start (0-based) in each task's image list
FIRST_OPTION = {"translation_rotation": 7, "rotation_rotation": 4}
LETTERS = "ABCD"
AXIS_PAIRS = {"translation_rotation": {(a, b) for a in "xy" for b in "xyz"},
              "rotation_rotation": {(a, b) for a in "xyz" for b in "xyz" if a != b}}
THRESHOLD = 1.0  # mean absolute difference, 0..255, the redraw threshold this task promises


@pytest.fixture(scope="module")
def built(shared_build):
    out, _ = shared_build
    return {(task, split): read_rows(out, task, split) for task in TASKS for split in ("train", "test")}


@pytest.fixture(scope="module")
def by_id(sample_complexes):
    return {c.pdb_id: c for c in sample_complexes}


@pytest.fixture(scope="module")
def splits(sample_dir):
    return json.loads((sample_dir / "splits.json").read_text())


def _rows(built, task):
    return built[(task, "train")] + built[(task, "test")]


def _text(step: dict) -> str:
    return f"{step['kind']} {step['axis']} {step['amount']}"


def _mean_abs_diff(png_a: bytes, png_b: bytes) -> float:
    a, b = (np.asarray(Image.open(io.BytesIO(p)).convert("RGB"), dtype=float) for p in (png_a, png_b))
    return float(np.abs(a - b).mean())


def _option_ops(task: str, params: dict, option: dict) -> str:
    """Camera commands of an option image, written from the spec, not from task code."""
    if task == "translation_rotation":
        return f"{_text(option['f1'])}, {_text(option['f2'])}"
    return f"{_text(params['f1'])}, {_text(params['f2'])}, {_text(option['f1'])}, {_text(option['f2'])}"


@pytest.mark.parametrize("task", TASKS)
def test_counts_per_complex_and_axis_pairs(built, splits, task):
    for split, ids in splits.items():
        rows = built[(task, split)]
        assert Counter(r["pdb_id"] for r in rows) == {pdb_id: PER_COMPLEX[task][split] for pdb_id in ids}
        for pdb_id in ids:
            pairs = [(r["params"]["f1"]["axis"], r["params"]["f2"]["axis"]) for r in rows if r["pdb_id"] == pdb_id]
            assert len(set(pairs)) == len(pairs) and set(pairs) <= AXIS_PAIRS[task], (pdb_id, pairs)
            if split == "train":
                assert set(pairs) == AXIS_PAIRS[task]  # every axis pair once


@pytest.mark.parametrize("task", TASKS)
def test_draws_in_range(built, task):
    for row in _rows(built, task):
        f1, f2 = row["params"]["f1"], row["params"]["f2"]
        assert f2["kind"] == "roll" and f2["amount"] % 15 == 0 and 15 <= abs(f2["amount"]) <= 90
        if task == "translation_rotation":
            assert f1["kind"] == "move" and f1["axis"] in "xy" and 1 <= abs(f1["amount"]) <= 4
        else:
            assert f1["kind"] == "roll" and f1["axis"] != f2["axis"] and f1["amount"] % 15 == 0 and 15 <= abs(f1["amount"]) <= 90
        assert len(row["images"]) == FIRST_OPTION[task] + 4 and row["options"] == list(LETTERS)
        assert row["question_type"] == "multiple_choice"


@pytest.mark.parametrize("task", TASKS)
def test_right_option_and_image_4_rerendered_from_params(built, by_id, task):
    for row in _rows(built, task):
        params = row["params"]
        index = LETTERS.index(row["answer"])
        assert params["options"][index]["scheme"] == 0
        right = {"f1": params["f1"], "f2": params["f2"]}
        target = by_id[params.get("partner", row["pdb_id"])]
        scene = Scene(show="complex", view="front", ops=_option_ops(task, params, right), size=SIZE)
        assert render_png(target, scene) == row["images"][FIRST_OPTION[task] + index]["bytes"], row["id"]
        after = Scene(show="complex", view="front", ops=f"{_text(params['f1'])}, {_text(params['f2'])}", size=SIZE)
        assert render_png(by_id[row["pdb_id"]], after) == row["images"][3]["bytes"], row["id"]


@pytest.mark.parametrize("task", TASKS)
def test_decoy_images_match_their_recorded_draws(built, by_id, task):
    for row in built[(task, "test")]:
        params = row["params"]
        target = by_id[params.get("partner", row["pdb_id"])]
        for index, option in enumerate(params["options"]):
            ops = _option_ops(task, params, option)
            assert option["commands"] == ops
            png = render_png(target, Scene(show="complex", view="front", ops=ops, size=SIZE))
            assert png == row["images"][FIRST_OPTION[task] + index]["bytes"], (row["id"], index)


@pytest.mark.parametrize("task", TASKS)
def test_no_two_options_look_alike(built, task):
    for row in _rows(built, task):
        options = [image["bytes"] for image in row["images"][FIRST_OPTION[task]:]]
        differences = [_mean_abs_diff(a, b) for a, b in combinations(options, 2)]
        assert min(differences) >= THRESHOLD, row["id"]
        assert row["params"]["min_pixel_difference"] == pytest.approx(min(differences), abs=1e-3)


def test_partner_is_another_complex_of_the_same_split(built, splits):
    for split, ids in splits.items():
        rows = built[("translation_rotation", split)]
        for row in rows:
            assert row["params"]["partner"] != row["pdb_id"] and row["params"]["partner"] in ids
            assert row["image_roles"][4:7] == ["target_front", "target_left", "target_top"]
        # target views are the partner's own views, not the reference's
        first = rows[0]
        assert first["images"][0]["bytes"] != first["images"][4]["bytes"]


@pytest.mark.parametrize("task", TASKS)
def test_decoys_follow_their_schemes(built, task):
    for row in _rows(built, task):
        f1, f2 = row["params"]["f1"], row["params"]["f2"]
        schemes = sorted(o["scheme"] for o in row["params"]["options"])
        assert schemes == [0, 1, 2, 3], row["id"]
        for option in row["params"]["options"]:
            d1, d2 = option["f1"], option["f2"]
            assert d1["kind"] == f1["kind"] and d2["kind"] == f2["kind"] and d2["axis"] == f2["axis"]
            if option["scheme"] == 0:
                assert (d1, d2) == (f1, f2)
                continue
            # every scheme: f2 keeps axis and sign, changes magnitude
            assert np.sign(d2["amount"]) == np.sign(f2["amount"]) and abs(d2["amount"]) != abs(f2["amount"])
            if option["scheme"] == 1:
                assert d1["axis"] == f1["axis"] and np.sign(d1["amount"]) == np.sign(f1["amount"])
                assert abs(d1["amount"]) != abs(f1["amount"])
            elif option["scheme"] == 2:
                assert d1["axis"] == f1["axis"] and d1["amount"] == -f1["amount"]
            else:
                assert d1["axis"] != f1["axis"] and d1["amount"] == f1["amount"]
                if task == "rotation_rotation":
                    assert d1["axis"] != f2["axis"]
            assert option["redraws"] >= 0


@pytest.mark.parametrize("task", TASKS)
def test_letters_not_degenerate(built, task):
    letters = Counter(row["answer"] for row in _rows(built, task))
    assert set(letters) == set(LETTERS), letters
    assert max(letters.values()) < len(_rows(built, task)) / 2


# ------------------------------------------------------------------ the redraw, on real renders

def _draw(context, seed, option_image):
    f1 = Operation("move", "x", 2)
    f2 = Operation("roll", "y", 45)
    return movement_choice.draw_options(
        context, np.random.default_rng(seed), f1, f2, movement_choice.TRANSLATION, movement_choice.ROTATION,
        option_image=option_image, option_commands=movement_choice.commands,
    )


def test_identical_option_images_are_redrawn_within_their_scheme(by_id):
    """Images that show only f2 collide whenever two decoys draw the same f2 magnitude."""
    only_f2 = lambda a, b: ImageSpec("option", Scene(show="complex", ops=str(b)))  # noqa: E731
    redraws = 0
    for seed in range(12):
        context = ComplexContext(by_id["1afs"], image_size=64)
        drawn = _draw(context, seed, only_f2)
        pngs = [context.render(image.scene) for image in drawn.images]
        assert len(context.renders) == 4  # passed-over renders left the cache
        closest = min(_mean_abs_diff(a, b) for a, b in combinations(pngs, 2))
        assert closest >= THRESHOLD, seed
        assert drawn.params["min_pixel_difference"] == pytest.approx(closest, abs=1e-3), seed  # redraws included
        magnitudes = [abs(o["f2"]["amount"]) for o in drawn.params["options"]]
        assert len(set(magnitudes)) == 4, seed  # so no two f2 draws coincide
        assert sorted(o["scheme"] for o in drawn.params["options"]) == [0, 1, 2, 3]
        redraws += sum(o["redraws"] for o in drawn.params["options"])
    assert redraws > 0  # the collisions did happen and were redrawn


def test_a_scheme_without_a_distinct_candidate_keeps_its_best_and_says_so(by_id):
    same = lambda a, b: ImageSpec("option", Scene(show="complex"))  # noqa: E731
    drawn = _draw(ComplexContext(by_id["1afs"], image_size=64), 0, same)
    assert drawn.params["min_pixel_difference"] == 0.0
    n_candidates = {1: 3 * 5, 2: 5, 3: 5}  # translation 1..4 without |2|, rotation 15..90 without |45|
    for option in drawn.params["options"]:
        assert option["redraws"] == n_candidates.get(option["scheme"], 0)
