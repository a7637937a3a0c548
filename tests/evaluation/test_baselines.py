"""``misi-bench baseline``: oracle, random and majority predictions, scored by the evaluator.

Uses the hand-made folders of test_evaluate_cli (all nine tasks, several hundred questions for
the chance bands) and a real sample build for the oracle.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from misi_bench.builders.tasks import ALL_CONFIGS
from misi_bench.evaluation.baselines import mode
from misi_bench.evaluation import TASKS, evaluate, read_predictions, read_rows
from conftest import run_cli
from helpers.evaluation_folder import MULTIPLE_CHOICE, make_folder, make_rows

CLOZE = tuple(t for t in TASKS if t not in MULTIPLE_CHOICE)
N = 400  # questions per task: chance on A-D is 25 ± 2.2 (one standard deviation)


def baseline_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``misi-bench baseline ARGV`` through the console script: (exit code, stdout, stderr)."""
    result = run_cli("baseline", *argv)
    return result.returncode, result.stdout, result.stderr


def score_file(folder: Path, predictions: Path, split: str = "test") -> dict:
    tasks = json.loads((folder / "manifest.json").read_text())["configs"]
    records = [r for t in tasks if split in tasks[t] for r in read_rows(folder, t, split)]
    return evaluate(records, read_predictions(predictions))


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    """Every task with N test questions; a train split with a known mode for four tasks."""
    rows = {task: {"test": make_rows(task, "test", N)} for task in TASKS}
    for task in ("translation", "residue_ligand_interaction", "translation_rotation", "interaction_location"):
        rows[task]["train"] = make_rows(task, "train", 60, seed=1)
    return make_folder(tmp_path_factory.mktemp("baselines") / "out", rows)


def test_oracle_scores_100_on_every_task(big_folder, capsys, tmp_path):
    out = tmp_path / "oracle.jsonl"
    code, stdout, _ = baseline_cli(capsys, "oracle", "--dataset", str(big_folder), "--split", "test", "--out", str(out))
    assert code == 0 and f"wrote {9 * N} oracle predictions" in stdout
    report = score_file(big_folder, out)
    assert {t: (e["composite"], e["exact"]) for t, e in report["tasks"].items()} == {t: (100.0, 100.0) for t in TASKS}


def test_oracle_scores_100_on_the_sample_build(sample_build, capsys, tmp_path):
    out = tmp_path / "oracle.jsonl"
    code, _, err = baseline_cli(capsys, "oracle", "--dataset", str(sample_build), "--split", "test", "--task", "all", "--out", str(out))
    assert code == 0, err
    report = score_file(sample_build, out)
    assert set(report["tasks"]) == set(ALL_CONFIGS)  # the shared build has every config
    assert all(e["composite"] == 100.0 for e in report["tasks"].values())


def test_random_is_at_chance_on_multiple_choice_and_far_below_oracle_on_cloze(big_folder, capsys, tmp_path):
    out = tmp_path / "random.jsonl"
    assert baseline_cli(capsys, "random", "--dataset", str(big_folder), "--split", "test", "--out", str(out))[0] == 0
    tasks = score_file(big_folder, out)["tasks"]
    for task in MULTIPLE_CHOICE:  # 25 % chance; the band is ±4.6 standard deviations
        assert 15 <= tasks[task]["composite"] <= 35, (task, tasks[task])
    for task in CLOZE:
        assert tasks[task]["composite"] < 50 and tasks[task]["exact"] < 30, (task, tasks[task])
        assert tasks[task]["unparsable"] == 0  # every random answer follows the grammar
    t4 = tasks["residue_ligand_interaction"]
    assert t4["positive"]["composite"] < 10 and 35 <= t4["negative"]["composite"] <= 65  # "No" half the time


def test_random_is_deterministic_given_the_seed(big_folder, capsys, tmp_path):
    paths = {name: tmp_path / f"{name}.jsonl" for name in ("a", "b", "c", "one_task")}
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        baseline_cli(capsys, "random", "--dataset", str(big_folder), "--split", "test", "--seed", seed, "--out", str(paths[name]))
    baseline_cli(capsys, "random", "--dataset", str(big_folder), "--split", "test", "--seed", "3", "--task", "docking",
                 "--out", str(paths["one_task"]))
    assert paths["a"].read_bytes() == paths["b"].read_bytes()
    assert paths["a"].read_bytes() != paths["c"].read_bytes()
    # a question's draw does not depend on which other tasks are in the run
    every = read_predictions(paths["a"])
    assert all(every[i] == reply for i, reply in read_predictions(paths["one_task"]).items())


def test_majority_is_the_train_mode(big_folder, capsys, tmp_path):
    out, again = tmp_path / "majority.jsonl", tmp_path / "again.jsonl"
    for path in (out, again):
        code, stdout, _ = baseline_cli(capsys, "majority", "--dataset", str(big_folder), "--split", "test", "--out", str(path))
        assert code == 0
    assert out.read_bytes() == again.read_bytes()
    predictions = read_predictions(out)
    for task in ("translation", "residue_ligand_interaction", "translation_rotation", "interaction_location"):
        counts = Counter(r["answer"] for r in read_rows(big_folder, task, "train"))
        top = max(counts.values())
        expected = sorted(a for a, c in counts.items() if c == top)[0]
        test_ids = [r["id"] for r in read_rows(big_folder, task, "test")]
        assert {predictions[i] for i in test_ids} == {expected}, task
    # tasks without train rows fall back to the test split's own mode, and say so
    assert "majority taken from the 'test' split itself" in stdout and "docking" in stdout
    docking = Counter(r["answer"] for r in read_rows(big_folder, "docking", "test"))
    assert predictions["docking-test-0000-000"] == mode(docking.elements())


def test_mode_breaks_ties_alphabetically():
    assert mode(["B", "A", "B", "A", "C"]) == "A"
    assert mode(["No", "Yes: SER N, O1", "No"]) == "No"
    assert mode([]) is None


def test_writing_leaves_no_temporary_file_and_replaces_an_old_file(big_folder, capsys, tmp_path):
    out = tmp_path / "p.jsonl"
    out.write_text("old content\n")
    baseline_cli(capsys, "oracle", "--dataset", str(big_folder), "--split", "test", "--task", "zooming", "--out", str(out))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]
    assert len(read_predictions(out)) == N


def test_bad_arguments_are_one_line_exit_2(big_folder, capsys, tmp_path):
    for argv, needle in (
        (["--dataset", str(big_folder), "--task", "nope", "--out", str(tmp_path / "p.jsonl")], "nope"),
        (["--dataset", str(tmp_path / "missing"), "--out", str(tmp_path / "p.jsonl")], "no manifest.json"),
        (["--dataset", str(big_folder), "--out", str(tmp_path / "no" / "p.jsonl")], "does not exist"),
    ):
        code, stdout, err = baseline_cli(capsys, "random", "--split", "test", *argv)
        assert code == 2 and stdout == "" and err.count("\n") == 1 and needle in err
    assert not (tmp_path / "p.jsonl").exists()
