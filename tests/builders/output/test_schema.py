"""Row schemas reject what a reader of the dataset must never see."""

from __future__ import annotations

import hashlib

import pytest

from misi_bench import schema
from misi_bench.builders.output.features import task_features
from misi_bench.builders.output.row_assembly import RecordError, validate
from misi_bench.builders.tasks import TASKS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _row(**changes):
    row = {
        "id": "translation-train-1abc-000", "task": "translation", "split": "train", "pdb_id": "1abc",
        "images": [PNG] * 4, "image_roles": ["front", "left", "top", "front_after"],
        "question": "Image 1: the complex in the front view. " * 3, "answer": "move x -3",
        "question_type": "cloze", "options": [],
        "params": {"axis": "x", "distance": -3, "scenes": ["{}"] * 4},
    }
    row.update(changes)
    return row


def test_good_row_passes():
    validate(_row())


@pytest.mark.parametrize("field", ["answer", "params", "images", "question"])
def test_missing_field_rejected(field):
    row = _row()
    del row[field]
    with pytest.raises(RecordError):
        validate(row)


@pytest.mark.parametrize("answer", ["move z 3", "move x 0", "move x 5", "move x 3.0", "Move x 3", "move x +3", "roll x 3"])
def test_malformed_answer_rejected(answer):
    with pytest.raises(RecordError, match="answer"):
        validate(_row(answer=answer))


def test_image_count_and_png_checked():
    with pytest.raises(RecordError):
        validate(_row(images=[PNG] * 3, image_roles=["a"] * 3))
    with pytest.raises(RecordError, match="not a PNG"):
        validate(_row(images=[b"GIF89a"] * 4))


def test_residue_ligand_answer_grammar():
    validator = schema.validator("residue_ligand_interaction")
    pattern = validator.schema["properties"]["answer"]["pattern"]
    import re
    assert re.match(pattern, "Yes: ARG NH2, O22; ARG N, O23")
    assert re.match(pattern, "No")
    for bad in ("Yes:", "yes: ARG NH2, O22", "Yes: ARG NH2 O22", "Yes: ARG NH2, O22;", "no"):
        assert not re.match(pattern, bad), bad


def test_every_schema_column_is_documented_and_has_a_feature():
    record = schema.load("row")
    for name, node in record["properties"].items():
        assert node.get("description"), name
    for task in TASKS:
        params = schema.load(task)["properties"]["params"]
        for name, node in params["properties"].items():
            assert node.get("description") or "$ref" in node, (task, name)
        assert set(task_features(task)) == set(record["properties"])


def test_images_in_json_form_are_digests():
    row = _row()
    from misi_bench.builders.output.row_assembly import json_form
    assert json_form(row)["images"][0] == hashlib.sha256(PNG).hexdigest()
