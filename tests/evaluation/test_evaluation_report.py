"""Whole-run evaluation: the paper's averages, evaluate() on synthetic records, the table."""

from __future__ import annotations

import pytest

from misi_bench.evaluation import COLUMNS, UnknownIdsError, column_average, evaluate, format_markdown
from misi_bench.evaluation.report import ALL_COLUMNS, AVERAGED_COLUMNS

# The paper's Table 1 (composite, MiSI-Bench tiny): avg, then the ten columns in COLUMNS order.
PAPER_ROWS = {
    "human": (81.18, [100.00, 70.18, 30.00, 100.00, 100.00, 32.00, 26.00, 74.54, 92.00, 82.78]),
    "Claude Sonnet 4.5": (34.37, [45.71, 44.18, 6.00, 22.33, 84.00, 28.00, 26.00, 34.12, 38.00, 0.60]),
    "o3": (33.65, [52.29, 43.82, 2.00, 18.67, 94.00, 22.00, 22.44, 20.69, 36.00, 1.71]),
    "Qwen2.5-VL-7B fine-tuned": (62.96, [99.84, 99.71, 27.14, 63.46, 89.52, 88.44, 89.59, 24.94, 88.37, 10.72]),
}


@pytest.mark.parametrize("model", PAPER_ROWS)
def test_paper_average_reproduced(model):
    avg, cells = PAPER_ROWS[model]
    values = dict(zip(ALL_COLUMNS, cells))
    # human: (100 + 70.18 + 30 + 100 + 100 + 74.54 + 92 + 82.78) / 8 = 81.1875; the paper prints 81.18
    assert column_average(values) == pytest.approx(avg, abs=0.01)


def test_average_all_includes_multi_step_columns():
    values = dict(zip(ALL_COLUMNS, PAPER_ROWS["human"][1]))
    # (649.5 + 32 + 26) / 10 = 70.75
    assert column_average(values, ALL_COLUMNS) == pytest.approx(70.75)
    assert len(AVERAGED_COLUMNS) == 8 and "translation_rotation" not in AVERAGED_COLUMNS


def test_column_headers_follow_the_paper():
    assert [c.header for c in COLUMNS] == ["transl.", "rot.", "zoom", "res-lig pos", "res-lig neg",
                                          "trans-rot", "rot-rot", "docking", "inter. loc.", "poc-lig"]


def _record(rid: str, task: str, answer: str, options=("A", "B", "C", "D")) -> dict:
    mc = task in ("translation_rotation", "rotation_rotation", "interaction_location")
    return {"id": rid, "task": task, "answer": answer,
            "question_type": "multiple_choice" if mc else "cloze", "options": list(options) if mc else []}


RECORDS = [
    _record("t1-a", "translation", "move x 3"),
    _record("t1-b", "translation", "move y -2"),
    _record("t2-a", "rotation", "roll z -45"),
    _record("t3-a", "zooming", "move z 47"),
    _record("t4-pos", "residue_ligand_interaction", "Yes: ARG NH2, O22; ARG N, O23"),
    _record("t4-neg", "residue_ligand_interaction", "No"),
    _record("t5-a", "translation_rotation", "C"),
    _record("t6-a", "rotation_rotation", "A"),
    _record("t7-a", "docking", "roll y -30, move x 12"),
    _record("t8-a", "interaction_location", "B", ["move x 1, move y 1", "move x -1, move y 2", "move x 2, move y 2", "move x 0, move y 1"]),
    _record("t9-a", "pocket_ligand_interaction", "ARG 221 NH2 A, O22; GLU 17 OE1 B, N3"),
    _record("t9-b", "pocket_ligand_interaction", "No"),
]


def test_perfect_predictions_score_100_everywhere():
    report = evaluate(RECORDS, {r["id"]: r["answer"] for r in RECORDS})
    assert len(report["tasks"]) == 9
    for entry in report["tasks"].values():
        assert (entry["composite"], entry["exact"], entry["unparsable"], entry["missing"]) == (100, 100, 0, 0)
    t4 = report["tasks"]["residue_ligand_interaction"]
    assert (t4["positive"]["n"], t4["negative"]["n"]) == (1, 1)
    assert t4["positive"]["composite"] == t4["negative"]["composite"] == 100
    assert report["average"]["composite"] == report["average_all"]["composite"] == 100
    assert report["average"]["tasks"] == list(AVERAGED_COLUMNS)
    assert report["missing_ids"] == []


def test_model_style_replies_and_hand_worked_means():
    replies = {
        "t1-a": "**move x 5**",  # 1 - 2/8 = 0.75
        "t1-b": "I think move y -2.",  # 1
        "t2-a": "roll z -90",  # 1 - 45/180 = 0.75
        "t3-a": "move z 48",  # 0
        "t4-pos": "Yes: ARG NH2, O22",  # 1/2
        "t4-neg": "No.",  # 1
        "t5-a": "Answer: (c)",  # 1
        "t6-a": "I am not sure",  # unparsable: 0
        "t7-a": "roll y -30, move x 6",  # 0.5 + 0.5 * (1 - 6/12) = 0.75
        # t8-a missing: 0
        "t9-a": "ARG 221 NH2 A, O22",  # 1/2
        "t9-b": "No",  # 1
    }
    report = evaluate(RECORDS, replies)
    tasks = report["tasks"]
    assert tasks["translation"]["composite"] == pytest.approx(87.5)  # (0.75 + 1) / 2
    assert tasks["translation"]["exact"] == pytest.approx(50)
    assert tasks["rotation"]["composite"] == pytest.approx(75)
    assert tasks["zooming"]["composite"] == 0
    t4 = tasks["residue_ligand_interaction"]
    assert (t4["composite"], t4["positive"]["composite"], t4["negative"]["composite"]) == pytest.approx((75, 50, 100))
    assert tasks["rotation_rotation"]["unparsable"] == 1 and tasks["rotation_rotation"]["missing"] == 0
    assert tasks["docking"]["composite"] == pytest.approx(75) and tasks["docking"]["exact"] == 0
    assert tasks["interaction_location"] == {"composite": 0, "exact": 0, "n": 1, "unparsable": 0, "missing": 1}
    assert tasks["pocket_ligand_interaction"]["composite"] == pytest.approx(75)  # (0.5 + 1) / 2
    # columns: transl 87.5, rot 75, zoom 0, pos 50, neg 100, docking 75, inter 0, poc 75 -> 462.5 / 8
    assert report["average"]["composite"] == pytest.approx(57.8125)
    # plus trans-rot 100 and rot-rot 0 -> 562.5 / 10
    assert report["average_all"]["composite"] == pytest.approx(56.25)
    assert report["missing_ids"] == ["t8-a"]


def test_missing_ids_are_listed_and_score_zero():
    report = evaluate(RECORDS, {"t1-a": "move x 3", "t1-b": None})
    assert report["tasks"]["translation"]["composite"] == 50  # (1 + 0) / 2; None counts as missing
    assert report["missing_ids"] == sorted(r["id"] for r in RECORDS if r["id"] != "t1-a")
    assert report["average"]["composite"] == pytest.approx(50 / 8)


def test_unknown_ids_raise_and_are_named():
    with pytest.raises(UnknownIdsError) as raised:
        evaluate(RECORDS, {"t1-a": "move x 3", "zz-unknown": "B", "aa-unknown": "C"})
    assert raised.value.ids == ["aa-unknown", "zz-unknown"]
    assert "zz-unknown" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_duplicate_record_ids_raise():
    with pytest.raises(ValueError, match="t1-a"):
        evaluate(RECORDS + [RECORDS[0]], {})


def test_partial_run_averages_present_columns_only():
    report = evaluate(RECORDS[:3], {"t1-a": "move x 3", "t1-b": "move y -2", "t2-a": "roll z -45"})
    assert list(report["tasks"]) == ["translation", "rotation"]
    assert report["average"]["tasks"] == ["translation", "rotation"]
    assert report["average"]["composite"] == 100


def test_markdown_table_layout():
    text = format_markdown(evaluate(RECORDS, {r["id"]: r["answer"] for r in RECORDS}), label="oracle")
    lines = text.splitlines()
    assert lines[0] == ("|  | avg | transl. | rot. | zoom | res-lig pos | res-lig neg | trans-rot | rot-rot "
                        "| docking | inter. loc. | poc-lig |")
    assert lines[2] == "| oracle (composite) | " + " | ".join(["100.00"] * 11) + " |"
    assert lines[4].startswith("| n |  | 2 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 2 |")
    partial = format_markdown(evaluate(RECORDS[:1], {}))
    assert "| model (composite) | 0.00 | 0.00 | – |" in partial
    assert "1 question(s) had no prediction" in partial
