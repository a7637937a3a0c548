"""``misi-bench evaluate``: reading a built folder, predictions files, the report, user errors.

Most tests use a hand-made folder (``helpers.evaluation_folder``: Parquet shards + manifest in
the build's layout, all nine tasks, answers drawn in the answer grammar) so every task is covered;
``sample_build`` is the session's real build of the bundled sample corpus.

The command runs through the installed ``misi-bench`` console script (``run_cli``).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from misi_bench.builders.tasks import ALL_CONFIGS
from misi_bench.evaluation import TASKS, read_predictions, read_rows

from conftest import run_cli
from helpers.evaluation_folder import make_folder, make_rows




@pytest.fixture
def folder(tmp_path) -> Path:
    """All nine tasks, 40 test questions each (plus train for translation)."""
    rows = {task: {"test": make_rows(task, "test", 40)} for task in TASKS}
    rows["translation"]["train"] = make_rows("translation", "train", 20)
    return make_folder(tmp_path / "out", rows)


def write_jsonl(path: Path, items: list) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return path


def evaluate_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``misi-bench evaluate ARGV`` through the console script: (exit code, stdout, stderr)."""
    result = run_cli("evaluate", *argv)
    return result.returncode, result.stdout, result.stderr


def oracle_file(path: Path, records: list[dict]) -> Path:
    return write_jsonl(path, [{"id": r["id"], "prediction": r["answer"]} for r in records])


# ---------------------------------------------------------------- scoring

def test_oracle_scores_100_on_every_task(folder, capsys, tmp_path):
    records = [r for t in TASKS for r in read_rows(folder, t, "test")]
    predictions = oracle_file(tmp_path / "p.jsonl", records)
    code, out, err = evaluate_cli(capsys, "--dataset", str(folder), "--task", "all", "--predictions", str(predictions))
    assert code == 0, err
    report = json.loads(out)
    assert list(report["tasks"]) == list(TASKS)
    for task, entry in report["tasks"].items():
        assert (entry["composite"], entry["exact"], entry["n"]) == (100.0, 100.0, 40), task
        assert entry["unparsable"] == entry["missing"] == 0
    t4 = report["tasks"]["residue_ligand_interaction"]
    assert t4["positive"]["n"] + t4["negative"]["n"] == 40 and t4["positive"]["n"] > 0 and t4["negative"]["n"] > 0
    assert report["average"]["composite"] == 100.0 and report["missing_ids"] == []


def test_oracle_scores_100_on_the_sample_build(sample_build, capsys, tmp_path):
    for split in ("test", "tiny"):
        records = [r for t in ALL_CONFIGS for r in read_rows(sample_build, t, split)]
        assert records, split
        predictions = oracle_file(tmp_path / f"{split}.jsonl", records)
        code, out, err = evaluate_cli(capsys, "--dataset", str(sample_build), "--split", split,
                                      "--predictions", str(predictions))
        assert code == 0, err
        report = json.loads(out)
        assert set(report["tasks"]) == set(ALL_CONFIGS)  # the shared build has every config
        assert all(e["composite"] == 100.0 and e["exact"] == 100.0 for e in report["tasks"].values())


def test_records_are_read_without_images(folder):
    records = read_rows(folder, "docking", "test")
    assert len(records) == 40 and "images" not in records[0]
    assert records[0]["answer"].startswith("roll ")


def test_one_task_only_and_the_markdown_table(folder, capsys, tmp_path):
    records = read_rows(folder, "zooming", "test")
    predictions = write_jsonl(tmp_path / "p.jsonl", [{"id": r["id"], "prediction": "move z 50"} for r in records])
    code, out, _ = evaluate_cli(capsys, "--dataset", str(folder), "--task", "zooming", "--predictions", str(predictions), "--markdown")
    assert code == 0
    header = out.splitlines()[0]
    for column in ("avg", "transl.", "zoom", "res-lig pos", "res-lig neg", "trans-rot", "poc-lig"):
        assert f" {column} " in header
    expected = 100 * sum(r["answer"] == "move z 50" for r in records) / len(records)
    composite_row = out.splitlines()[2].split("|")
    assert composite_row[2].strip() == f"{expected:.2f}"  # avg = the only column present


def test_missing_ids_score_zero_and_are_listed(folder, capsys, tmp_path):
    records = read_rows(folder, "rotation", "test")
    dropped = sorted(r["id"] for r in records[:3])  # two absent, one given as null
    items = [{"id": r["id"], "prediction": r["answer"]} for r in records[3:]] + [{"id": records[2]["id"], "prediction": None}]
    predictions = write_jsonl(tmp_path / "p.jsonl", items)
    code, out, err = evaluate_cli(capsys, "--dataset", str(folder), "--task", "rotation", "--predictions", str(predictions))
    assert code == 0
    report = json.loads(out)
    entry = report["tasks"]["rotation"]
    assert entry["missing"] == 3 and entry["unparsable"] == 0
    assert entry["composite"] == pytest.approx(100 * 37 / 40)
    assert report["missing_ids"] == dropped
    assert err.count("\n") == 1 and "3 question(s) without a prediction" in err and dropped[0] in err


def test_unparsable_replies_are_counted_apart_from_missing(folder, capsys, tmp_path):
    records = read_rows(folder, "docking", "test")
    predictions = write_jsonl(tmp_path / "p.jsonl", [{"id": r["id"], "prediction": "I cannot tell."} for r in records])
    code, out, _ = evaluate_cli(capsys, "--dataset", str(folder), "--task", "docking", "--predictions", str(predictions))
    entry = json.loads(out)["tasks"]["docking"]
    assert code == 0 and (entry["composite"], entry["unparsable"], entry["missing"]) == (0.0, 40, 0)


# ---------------------------------------------------------------- user errors: one line, exit 2

def _assert_one_line_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("misi-bench: error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_unknown_id_is_one_line_exit_2(folder, capsys, tmp_path):
    records = read_rows(folder, "translation", "test")
    items = [{"id": r["id"], "prediction": r["answer"]} for r in records] + [{"id": "translation-test-9999-000", "prediction": "move x 1"}]
    predictions = write_jsonl(tmp_path / "p.jsonl", items)
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--task", "translation", "--predictions", str(predictions)),
                           "translation-test-9999-000")


def test_id_of_another_split_is_unknown(folder, capsys, tmp_path):
    train = read_rows(folder, "translation", "train")
    predictions = oracle_file(tmp_path / "p.jsonl", train[:1])
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--task", "translation", "--predictions", str(predictions)),
                           train[0]["id"])


@pytest.mark.parametrize("content, needle", [
    ('{"id": "a", "prediction": "move x 1"}\nnot json\n', ":2: not a JSON object"),
    ('{"id": "a"}\n', ":1: each line needs the keys"),
    ('["a", "move x 1"]\n', ":1: each line needs the keys"),
    ('{"id": "a", "prediction": 3}\n', ":1: 'prediction' must be a string or null"),
    ('{"id": 7, "prediction": "A"}\n', ":1: 'id' must be a string"),
    ('{"id": "a", "prediction": "A"}\n\n{"id": "a", "prediction": "B"}\n', ":3: id a appears twice"),
])
def test_malformed_predictions_file_is_one_line_exit_2(folder, capsys, tmp_path, content, needle):
    predictions = tmp_path / "p.jsonl"
    predictions.write_text(content)
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--predictions", str(predictions)), needle)


def test_missing_predictions_file_or_folder_or_task_is_exit_2(folder, capsys, tmp_path):
    predictions = write_jsonl(tmp_path / "p.jsonl", [])
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--predictions", str(tmp_path / "none.jsonl")), "does not exist")
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(tmp_path), "--predictions", str(predictions)), "no manifest.json")
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--task", "docking,nope", "--predictions", str(predictions)), "nope")
    _assert_one_line_error(*evaluate_cli(capsys, "--dataset", str(folder), "--task", "zooming", "--split", "train",
                                         "--predictions", str(predictions)), "without a 'train' split")


def test_empty_predictions_file_scores_every_question_missing(folder, capsys, tmp_path):
    predictions = write_jsonl(tmp_path / "p.jsonl", [])
    code, out, _ = evaluate_cli(capsys, "--dataset", str(folder), "--predictions", str(predictions))
    report = json.loads(out)
    assert code == 0 and len(report["missing_ids"]) == 9 * 40
    assert Counter(e["missing"] for e in report["tasks"].values()) == Counter({40: 9})


def test_read_predictions_keeps_null_as_missing(tmp_path):
    path = write_jsonl(tmp_path / "p.jsonl", [{"id": "a", "prediction": None}, {"id": "b", "prediction": "No"}])
    assert read_predictions(path) == {"a": None, "b": "No"}
