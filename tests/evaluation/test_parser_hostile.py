"""Issue #13 item 8: every task's reply parser reads a hostile 1 MB reply quickly (linear time,
capped input). A generous per-call bound: the old parser took over a minute on 100,000 spaces."""

from __future__ import annotations

import time

import pytest

from misi_bench.evaluation.parsing import TASKS, parse_prediction

SIZE = 1_000_000
OPTIONS = ("move x 1, move y 2", "move x -1, move y 2", "move x 1, move y -3", "move x -1, move y -3")


def _repeat(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


HOSTILE = {
    "spaces": " " * SIZE,
    "newlines": "\n" * SIZE,
    "backticks": "`" * SIZE,
    "markdown": _repeat("**a** _b_ `c` ```py\n# h\n> q\n"),
    "unclosed emphasis": _repeat(" *a"),
    "unclosed underscores": _repeat(" _a"),
    "unclosed quotes": _repeat(' "a'),
    "keyword then spaces": "answer" + " " * SIZE + "q",
    "command then spaces": "move x" + " " * SIZE + "q",
    "bond then newlines": "ARG NH2, O1" + "\n" * SIZE + "x",
    "bond list": _repeat("ARG 221 NH2 A, O22; "),
    "letters in brackets": _repeat("(a)"),
    "digits": "move x " + "1" * SIZE,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_parser_reads_a_hostile_megabyte_quickly(name):
    reply = HOSTILE[name]
    for task in TASKS:
        start = time.perf_counter()
        parse_prediction(task, reply, OPTIONS)
        elapsed = time.perf_counter() - start
        assert elapsed < 2.0, f"{task} took {elapsed:.1f} s on 1 MB of {name}"


def test_answer_at_the_end_of_a_long_reply_is_still_found():
    """The cap keeps the end of a reply, where the last (winning) answer is."""
    padding = "thinking about the pocket. " * 4000  # 108,000 characters, over the cap
    assert str(parse_prediction("rotation", padding + "Final answer: roll y -45")) == "roll y -45"
    assert parse_prediction("rotation_rotation", padding + "\n\nAnswer: (C)").letter == "C"
    assert parse_prediction("pocket_ligand_interaction", padding + "\nNo.").is_no
