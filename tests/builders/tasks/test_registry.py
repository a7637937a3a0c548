"""The task registry: every task module is found and ordered, declares a schema and an answer
kind whose printer, strict parser and random answers agree with the sample build; and no code
outside a task's module compares against task names (issue #16: at most 3 non-test Python files
spell a task's name)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from misi_bench import schema
from misi_bench.builders.tasks import TASKS
from misi_bench.builders.tasks.answers import (DEFAULT_CONFIG, Bond, BondAnswer, ChoiceAnswer, CommandAnswer, DockingAnswer,
                                             ParseError)

from conftest import read_rows

ROOT = Path(__file__).resolve().parents[3]
CODE = ("builders", "evaluation", "audit", "renderers", "schema", "integrations", "scripts", "benchmarks")
MAX_FILES_NAMING_A_TASK = 3


def test_every_task_module_is_registered_in_number_order():
    modules = sorted(p.stem for p in (ROOT / "builders" / "tasks").glob("*.py")
                     if re.search(r"^TASK = Task\(", p.read_text(encoding="utf-8"), re.M))
    assert sorted(TASKS) == modules
    assert [task.number for task in TASKS.values()] == list(range(1, len(TASKS) + 1))
    for name, task in TASKS.items():
        assert task.make.__module__.rsplit(".", 1)[1] == name  # declared in its own module


def test_report_columns_are_declared_in_full():
    """One paper value per reproduced model row; subset columns only for kinds that sort truths."""
    for task in TASKS.values():
        assert task.columns and all(len(c.paper) == 4 for c in task.columns)
        for column in task.columns:
            assert column.subset is None or column.subset in task.answer.subsets


@pytest.mark.parametrize("name", list(TASKS))
def test_each_task_has_its_schema(name):
    properties = schema.load(name)["properties"]
    assert properties["task"] == {"const": name}
    assert properties["question_type"] == {"const": TASKS[name].question_type}


def _bonds_of(params: dict, with_position: bool) -> list[Bond]:
    return [Bond(b["res_name"], b["res_atom"], b["ligand_atom"],
                 f"{b['res_number']}{b['icode']}" if with_position else "", b["chain"] if with_position else "")
            for b in params["bonds"]]


@pytest.mark.parametrize("name", list(TASKS))
def test_printer_and_strict_parser_agree_with_the_build(shared_build, name):
    answer = TASKS[name].answer
    rows = [r for split in ("train", "test") for r in read_rows(shared_build[0], name, split)]
    assert rows
    for row in rows:
        parsed = answer.parse_truth(row["answer"])
        if isinstance(answer, BondAnswer):
            assert answer.format(_bonds_of(row["params"], answer.with_position)) == row["answer"]
        else:
            assert answer.format(parsed) == row["answer"]
        assert answer.score(parsed, parsed, DEFAULT_CONFIG) == 1.0


@pytest.mark.parametrize("name", list(TASKS))
def test_random_answers_are_answers_of_the_grammar(name):
    answer = TASKS[name].answer
    rng = np.random.default_rng(7)
    record = {"params": {"residue": {"name": "SER"}}}
    drawn = [answer.parse_truth(answer.random_answer(rng, record)) for _ in range(300)]
    if isinstance(answer, CommandAnswer):
        assert {(c.axis, c.amount) for c in drawn} == {(a, v) for a in answer.axes for v in answer.values}
    elif isinstance(answer, DockingAnswer):
        assert {c.rotation.amount for c in drawn} == set(answer.rotation.values)
        assert {c.translation.axis for c in drawn} == set(answer.translation.axes)
    elif isinstance(answer, ChoiceAnswer):
        assert {c.letter for c in drawn} == {"A", "B", "C", "D"}
    else:
        assert 100 < sum(b.is_no for b in drawn) < 200


def test_strict_parsers_reject_other_kinds_answers():
    kinds = {type(task.answer): task.answer for task in TASKS.values()}
    samples = {CommandAnswer: "move x 3", DockingAnswer: "roll x 75, move x -14", ChoiceAnswer: "B"}
    for kind, answer in kinds.items():
        for other, text in samples.items():
            if other is not kind:
                with pytest.raises(ParseError):
                    answer.parse_truth(text)


def _files_naming(name: str) -> list[str]:
    quoted = re.compile(rf"[\"']{re.escape(name)}[\"']")
    files = [p for top in CODE for p in (ROOT / top).rglob("*.py")] + [ROOT / "MiSI-bench.py"]
    return sorted(str(p.relative_to(ROOT)) for p in files if quoted.search(p.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", list(TASKS))
def test_a_task_name_is_spelled_in_at_most_three_code_files(name):
    """The engine asks the registry's properties instead of comparing names."""
    files = _files_naming(name)
    assert f"builders/tasks/{name}.py" in files
    assert len(files) <= MAX_FILES_NAMING_A_TASK, files
