"""Hand-worked scores for every branch of the scores in docs/conventions.md (the arithmetic is in each comment)."""

from __future__ import annotations

import pytest

from misi_bench.evaluation import exact, score


def record(task: str, answer: str, options=()) -> dict:
    return {"id": "q", "task": task, "answer": answer,
            "question_type": "multiple_choice" if task in MC else "cloze", "options": list(options)}


MC = {"translation_rotation", "rotation_rotation", "interaction_location"}

# ---------------------------------------------------------------- T1 / T2: axis + magnitude

UNIT_CASES = [
    ("translation", "move x 3", "move x 3", 1.0),  # exact
    ("translation", "move x 3", "move x 5", 0.75),  # 1 - |5-3|/8
    ("translation", "move x 3", "move x -3", 0.25),  # 1 - |-3-3|/8 = 1 - 6/8
    ("translation", "move x 3", "move y 3", 0.0),  # wrong axis
    ("translation", "move x 3", "roll x 3", 0.0),  # wrong kind
    ("translation", "move y -2", "move y -4", 0.75),  # 1 - 2/8
    ("translation", "move y -2", "move y 4", 0.25),  # 1 - 6/8
    ("translation", "move y -2", "move y 7", 0.0),  # 1 - 9/8 < 0 -> 0
    ("translation", "move y -2", "move y -2.5", 0.9375),  # 1 - 0.5/8
    ("rotation", "roll y 15", "roll y 15", 1.0),  # exact
    ("rotation", "roll y 15", "roll y 60", 0.75),  # 1 - 45/180
    ("rotation", "roll y 15", "roll y -90", 1 - 105 / 180),  # 1 - |-90-15|/180 = 0.41667
    ("rotation", "roll y 15", "roll z 15", 0.0),  # wrong axis
    ("rotation", "roll y 15", "move y 15", 0.0),  # wrong kind
    ("rotation", "roll z -90", "roll z 90", 0.0),  # 1 - 180/180
    ("rotation", "roll z -90", "roll z -45", 0.75),  # 1 - 45/180
    ("rotation", "roll z -90", "roll z 345", 0.0),  # angles compared as written: 1 - 435/180 < 0
    ("rotation", "roll z -90", "I cannot tell", 0.0),  # unparsable
]


@pytest.mark.parametrize("task,truth,reply,expected", UNIT_CASES)
def test_translation_rotation_scores(task, truth, reply, expected):
    assert score(task, reply, record(task, truth)) == pytest.approx(expected)


# ---------------------------------------------------------------- T3 and multiple choice: exactness

T8_OPTIONS = ["move x 3, move y 2", "move x -3, move y -2", "move x 3, move y -2", "move x -3, move y 2"]

EXACT_CASES = [
    ("zooming", "move z 50", "move z 50", 1.0),
    ("zooming", "move z 50", "move z 49", 0.0),  # off by one is wrong: accuracy
    ("zooming", "move z 50", "move z -50", 0.0),
    ("zooming", "move z 50", "move x 50", 0.0),  # wrong axis
    ("zooming", "move z 50", "roll z 50", 0.0),  # wrong kind
    ("zooming", "move z 50", "move z 50.0", 1.0),  # 50.0 reads as 50
    ("zooming", "move z 50", "move z 50.5", 0.0),
    ("translation_rotation", "B", "B", 1.0),
    ("translation_rotation", "B", "(b)", 1.0),
    ("translation_rotation", "B", "C", 0.0),
    ("rotation_rotation", "D", "Option D", 1.0),
    ("rotation_rotation", "D", "", 0.0),  # empty reply: unparsable
    ("interaction_location", "D", "move x -3, move y 2", 1.0),  # option D's text
    ("interaction_location", "D", "move x 3, move y -2", 0.0),  # option C's text
    ("interaction_location", "A", "A", 1.0),
]


@pytest.mark.parametrize("task,truth,reply,expected", EXACT_CASES)
def test_zoom_and_choice_scores(task, truth, reply, expected):
    rec = record(task, truth, T8_OPTIONS if task == "interaction_location" else ["A", "B", "C", "D"])
    assert score(task, reply, rec) == expected
    assert exact(task, reply, rec) is (expected == 1.0)


# ---------------------------------------------------------------- T7 docking: both parts

DOCK = "roll x 75, move x -14"
DOCKING_CASES = [
    (DOCK, "roll x 75, move x -14", 1.0),  # 0.5*1 + 0.5*1
    (DOCK, "move x -14, roll x 75", 1.0),  # order free
    (DOCK, "roll x 60, move x -14", 0.5 * (1 - 15 / 180) + 0.5),  # = 0.95833
    (DOCK, "roll y 75, move x -14", 0.5),  # wrong rotation axis: 0.5*0 + 0.5*1
    (DOCK, "roll x 75, move x 14", 0.5),  # wrong sign: 0.5*1 + 0.5*0
    (DOCK, "roll x 75, move x -7", 0.75),  # 0.5 + 0.5*(1 - 7/14)
    (DOCK, "roll x 75, move x -21", 0.75),  # 0.5 + 0.5*(1 - 7/14)
    (DOCK, "roll x 75, move x -30", 0.5),  # 0.5 + 0.5*max(0, 1 - 16/14)
    (DOCK, "roll x 75", 0.5),  # translation missing: 0.5*1 + 0
    (DOCK, "move x -14", 0.5),  # rotation missing: 0 + 0.5*1
    (DOCK, "roll x -75, move x -10", 0.5 * (1 - 150 / 180) + 0.5 * (1 - 4 / 14)),  # 0.08333 + 0.35714 = 0.44048
    (DOCK, "roll x 75, move y -14", 0.5),  # translation not along x
    (DOCK, "roll x 75, move x 0", 0.5),  # 0 has no sign
    ("roll z -30, move x 9", "roll z -45, move x 12", 0.5 * (1 - 15 / 180) + 0.5 * (1 - 3 / 9)),  # 0.45833 + 0.33333
    (DOCK, "no idea", 0.0),
]


@pytest.mark.parametrize("truth,reply,expected", DOCKING_CASES)
def test_docking_scores(truth, reply, expected):
    assert score("docking", reply, record("docking", truth)) == pytest.approx(expected)


def test_docking_exact_needs_both_parts():
    rec = record("docking", DOCK)
    assert exact("docking", "move x -14, roll x 75", rec)
    assert not exact("docking", "roll x 75", rec)


# ---------------------------------------------------------------- T4 / T9: bond lists

T4_TRUTH = "Yes: ARG NH2, O22; ARG N, O23"
T9_TRUTH = "ARG 221 NH2 A, O22; ARG 221 N A, O23"
BOND_CASES = [
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22; ARG N, O23", 1.0),
    ("residue_ligand_interaction", T4_TRUTH, "yes: arg n, o23; arg nh2, o22", 1.0),  # order and case free
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22", 0.5),  # 1 of 2 named
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22; ARG N, O23; ARG NE, O24", 0.5),  # all + extra
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22; ARG NE, O24", 0.5),  # 1 of 2 named (extra ignored)
    ("residue_ligand_interaction", T4_TRUTH,
     "Yes: ARG NH2, O22; ARG N, O23; ARG NE, O24; ARG NH1, O25", 0.5),  # all + extras, 4 <= 2*2
    ("residue_ligand_interaction", T4_TRUTH,
     "Yes: ARG NH2, O22; ARG N, O23; ARG NE, O24; ARG NH1, O25; ARG O, O26", 0.0),  # 5 > 2*2
    ("residue_ligand_interaction", T4_TRUTH, "No", 0.0),  # No against bonds
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NE, O24", 0.0),  # 0 of 2
    ("residue_ligand_interaction", "No", "No", 1.0),  # No/No
    ("residue_ligand_interaction", "No", "Yes: ARG NE, O24", 0.0),  # bonds against No
    ("residue_ligand_interaction", "Yes: SER OG, N1; SER N, O2; SER O, N3",
     "Yes: SER OG, N1; SER O, N3", 2 / 3),  # 2 of 3
    ("residue_ligand_interaction", "Yes: SER OG, N1", "Yes: SER OG, N1; SER N, O2", 0.5),  # all + 1 extra, 2 <= 2
    ("residue_ligand_interaction", "Yes: SER OG, N1", "Yes: SER OG, N1; SER N, O2; SER O, N3", 0.0),  # 3 > 2
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22; ARG NH2, O22", 0.5),  # repeats count once: 1 of 2
    ("pocket_ligand_interaction", T9_TRUTH, "ARG 221 NH2 A, O22; ARG 221 N A, O23", 1.0),
    ("pocket_ligand_interaction", T9_TRUTH, "ARG 221 NH2 B, O22; ARG 221 N A, O23", 0.5),  # chain differs: 1 of 2
    ("pocket_ligand_interaction", T9_TRUTH, "ARG 222 NH2 A, O22", 0.0),  # residue number differs: 0 of 2
    ("pocket_ligand_interaction", T9_TRUTH, "ARG 221 NH2, O22; ARG 221 N A, O23", 0.5),  # chain missing: 1 of 2
    ("pocket_ligand_interaction", "No", "No", 1.0),
    ("pocket_ligand_interaction", "No", "ARG 221 NH2 A, O22", 0.0),
]


@pytest.mark.parametrize("task,truth,reply,expected", BOND_CASES)
def test_bond_scores(task, truth, reply, expected):
    assert score(task, reply, record(task, truth)) == pytest.approx(expected)


@pytest.mark.parametrize("task,truth,reply,expected", [
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG N, O23; ARG NH2, O22", True),
    ("residue_ligand_interaction", T4_TRUTH, "Yes: ARG NH2, O22", False),
    ("residue_ligand_interaction", "No", "no.", True),
    ("pocket_ligand_interaction", T9_TRUTH, "arg 221 n a, o23; ARG 221 NH2 A, O22", True),
    ("translation", "move x 3", "move x 3.0", True),
    ("translation", "move x 3", "move x 4", False),
])
def test_exact_match(task, truth, reply, expected):
    assert exact(task, reply, record(task, truth)) is expected


def test_record_of_another_task_is_refused():
    with pytest.raises(ValueError):
        score("rotation", "roll x 15", record("translation", "move x 3"))
