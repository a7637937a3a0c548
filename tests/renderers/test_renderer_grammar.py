"""The operation grammar and the Scene value object: parse/format round trips, equality, JSON."""

from __future__ import annotations

import json

import pytest

from misi_bench.renderers import Operation, Operations, OperationSyntaxError, Scene, SceneError


@pytest.mark.parametrize("text", ["move x 3", "move y -2", "move z 50", "roll y 15", "roll x -90",
                                  "roll x 75, move x -14", "move x 1.5", "roll z -22.5, move y 4, move z 40"])
def test_format_parse_round_trip(text):
    ops = Operations.parse(text)
    assert str(ops) == text
    assert Operations.parse(str(ops)) == ops


def test_integers_print_without_decimals():
    assert str(Operation("move", "x", 3.0)) == "move x 3"
    assert str(Operation("roll", "y", -15.0)) == "roll y -15"
    assert str(Operation("move", "z", -0.0)) == "move z 0"
    assert str(Operations.parse("ROLL  X  75.0 ,move x -14.00")) == "roll x 75, move x -14"


def test_integral_amounts_are_held_as_int_so_params_write_integers():
    """The one command type: tasks write ``as_dict()`` into params, whose JSON must say 2, not 2.0."""
    for op in (Operation("move", "x", 2.0), Operation.parse("roll y -45"), Operation("move", "z", -0.0)):
        assert type(op.amount) is int
    assert json.dumps(Operation("move", "x", 2.0).as_dict()) == '{"kind": "move", "axis": "x", "amount": 2}'
    assert type(Operation("move", "x", 2.5).amount) is float


def test_parsed_values():
    ops = Operations.parse("roll x 75, move x -14")
    assert ops.items == (Operation("roll", "x", 75), Operation("move", "x", -14))
    assert len(ops) == 2 and bool(ops) and not Operations.parse("")


def test_equality_and_hash():
    a, b = Operations.parse("roll y 15, move x 3"), Operations.of("roll y 15", Operation("move", "x", 3.0))
    assert a == b and hash(a) == hash(b)
    assert Operation("move", "x", 0.0) == Operation("move", "x", -0.0)
    assert hash(Operation("move", "x", 0.0)) == hash(Operation("move", "x", -0.0))
    assert Operations.parse("move x 3") != Operations.parse("move y 3")
    assert len({a, b, Operations.parse("move x 3")}) == 2


def test_inverse_and_then():
    ops = Operations.parse("move x -14, roll x 75")
    assert str(ops.inverse()) == "roll x -75, move x 14"
    assert str(ops.then("move z 40")) == "move x -14, roll x 75, move z 40"


@pytest.mark.parametrize("bad", ["move", "turn x 3", "move w 3", "move x", "move x three", "move x 3,", "roll x 1e999"])
def test_bad_operations_are_rejected(bad):
    with pytest.raises((OperationSyntaxError, ValueError)):
        Operations.parse(bad)


def test_scene_json_round_trip_and_hash():
    scene = Scene(show="ligand", fit="complex", view="left", ops="roll y 15, move z 40",
                  ligand_ops="move x -14, roll x 75", size=256, labels=False)
    text = scene.to_json()
    assert json.loads(text)["ops"] == "roll y 15, move z 40"
    again = Scene.from_json(text)
    assert again == scene and hash(again) == hash(scene) and again.to_json() == text
    residue = Scene(show="residue", residue=("A", 45, ""), view="top")
    assert Scene.from_json(residue.to_json()) == residue
    assert Scene(ops="move x 3.0") == Scene(ops=Operations.parse("move x 3"))


def test_scene_defaults_and_camera_ops():
    scene = Scene()
    assert (scene.show, scene.fit_content, scene.view, scene.size, scene.labels) == ("complex", "complex", "front", 512, True)
    assert str(Scene(view="left", ops="move x 3").camera_ops) == "roll y 90, move x 3"
    assert str(Scene(view="back").camera_ops) == "roll y 180"


@pytest.mark.parametrize("kwargs", [{"show": "protein"}, {"view": "side"}, {"show": "residue"}, {"size": 0},
                                    {"fit": "everything"}, {"ops": "spin x 3"}])
def test_bad_scenes_are_rejected(kwargs):
    with pytest.raises((SceneError, OperationSyntaxError)):
        Scene(**kwargs)


def test_scene_from_json_rejects_unknown_fields():
    with pytest.raises(SceneError):
        Scene.from_dict({"show": "complex", "zoom": 2})
