"""What the lenient reply parser accepts and rejects, and the strict ground-truth parser."""

from __future__ import annotations

import pytest

from misi_bench.evaluation import (
    NO,
    Bond,
    BondList,
    Choice,
    Docking,
    ParseError,
    UnknownTaskError,
    parse_prediction,
    parse_truth,
)
from misi_bench.renderers import Operation

MOVE_X3 = Operation("move", "x", 3)
MOVE_XM3 = Operation("move", "x", -3)
ROLL_Y15 = Operation("roll", "y", 15)


def test_the_parser_returns_the_renderers_command_type():
    """One command value: a parsed reply is the renderer's Operation, equal to the truth's."""
    parsed = parse_prediction("rotation", "I think: roll Y -45.0 degrees")
    assert type(parsed) is Operation and parsed == Operation.parse("roll y -45")
    assert str(parsed) == "roll y -45" and type(parsed.amount) is int
    assert parse_prediction("translation", "move x " + "9" * 400) is None  # not a finite number


@pytest.mark.parametrize("text,expected", [
    ("move x 3", MOVE_X3),
    ("MOVE X 3", MOVE_X3),  # case
    ("  move   x    3  ", MOVE_X3),  # spacing
    ("**move x 3**", MOVE_X3),  # bold
    ("`move x 3`", MOVE_X3),  # backticks
    ("```\nmove x 3\n```", MOVE_X3),  # code fence
    ("Answer: move x 3", MOVE_X3),
    ("move x +3", MOVE_X3),  # explicit plus
    ("move x \u22123", MOVE_XM3),  # U+2212 minus
    ("move x \u20133", MOVE_XM3),  # en dash
    ("move x: -3", MOVE_XM3),
    ("move x 3 \u00c5.", MOVE_X3),  # unit after the number
    ("First I guessed move y 2, but the final answer is move x 3.", MOVE_X3),  # last command wins
    ("move x 3\n\nExplanation: the complex shifted right.", MOVE_X3),  # prose after
    ("roll y +15\u00b0", ROLL_Y15),
    ("Roll Y 15 degrees", ROLL_Y15),
    ("*roll y 15*", ROLL_Y15),  # italics
    ("move x 3.0", MOVE_X3),
    ("move x 2.5", Operation("move", "x", 2.5)),
    ("moves x by 3", None),  # not the grammar
    ("move x by 3", None),
    ("rotate y 15", None),  # only the keyword roll
    ("remove x 3", None),
    ("shift right by three angstroms", None),
    ("", None),
    (None, None),
])
def test_command_replies(text, expected):
    assert parse_prediction("translation", text) == expected


@pytest.mark.parametrize("text,expected", [
    ("roll x 75, move x -14", Docking(Operation("roll", "x", 75), Operation("move", "x", -14))),
    ("move x -14; roll x 75", Docking(Operation("roll", "x", 75), Operation("move", "x", -14))),
    # restated question first, then the answer, then a check: the last roll/move pair wins
    ("It was moved by move x 14 and roll x -75, so: roll x 75, move x -14. Check: move x 14",
     Docking(Operation("roll", "x", 75), Operation("move", "x", -14))),
    ("roll z 30", Docking(Operation("roll", "z", 30), None)),
    ("roll z 30 then roll z 45", Docking(Operation("roll", "z", 45), None)),
    ("move x \u22129", Docking(None, Operation("move", "x", -9))),
    ("dock it", None),
])
def test_docking_replies(text, expected):
    assert parse_prediction("docking", text) == expected


@pytest.mark.parametrize("text,expected", [
    ("B", "B"),
    ("b", "B"),
    ("(B)", "B"),
    ("B.", "B"),
    ("Option B", "B"),
    ("option b.", "B"),
    ("Answer: (c)", "C"),
    ("Answer: c", "C"),
    ("**C**", "C"),
    ("<answer>D</answer>", "D"),
    ("The answer is c.", "C"),
    ("Comparing options A-D, image B keeps the rotation. So the answer is D.", "D"),  # last wins, ranges skipped
    ("A is correct.", "A"),
    ("D. A closer look confirms it.", "D"),  # the article "A" is skipped
    ("I choose (a) because it matches", "A"),
    ("the answer is a rotation about y", None),  # the article a
    ("none of them", None),
    ("E", None),
])
def test_choice_replies(text, expected):
    parsed = parse_prediction("rotation_rotation", text)
    assert parsed == (Choice(expected) if expected else None)


def test_choice_by_option_text_only_for_text_options():
    options = ["move x 3, move y 2", "move x 3, move y -2", "move x -3, move y 2", "move x -3, move y -2"]
    assert parse_prediction("interaction_location", "I would MOVE X 3 , move y \u22122", options) == Choice("B")
    # the text must not be a prefix of a longer number
    assert parse_prediction("interaction_location", "move x 3, move y -21", options) is None
    assert parse_prediction("translation_rotation", "move x 3", ["A", "B", "C", "D"]) is None


ARG_NH2 = Bond("ARG", "NH2", "O22")
ARG_N = Bond("ARG", "N", "O23")
TWO = BondList(frozenset({ARG_NH2, ARG_N}))


@pytest.mark.parametrize("text,expected", [
    ("No", NO),
    ("no.", NO),
    ("**No**", NO),
    ("No, the residue is too far away.", NO),
    ("No hydrogen bond is formed.", NO),  # No as first word
    ("Answer: No", NO),
    ("Yes: ARG NH2, O22; ARG N, O23", TWO),
    ("yes:arg nh2 ,o22 ;  arg n,o23", TWO),
    ("**Yes:** `ARG NH2, O22; ARG N, O23`", TWO),
    ("Yes:\n- ARG NH2, O22\n- ARG N, O23", TWO),  # bullets
    ("Yes: ARG NH2, O22 and ARG N, O23", TWO),
    ("Looking at the views, NH2 points at O22. Yes: ARG NH2, O22; ARG N, O23. No other bonds.", TWO),
    ("Yes: ARG NH2, O22; ARG N, O23\nWait, no.", NO),  # the later answer wins
    ("ARG NH2, O22; ARG N, O23", TWO),  # a whole reply that is a list
    ("Yes: ARG 45 NH2, O22", BondList(frozenset({ARG_NH2}))),  # residue number dropped in T4
    ("The answer is 'Yes: ARG NH2, O5''.", BondList(frozenset({Bond("ARG", "NH2", "O5'")}))),  # quotes vs primes
    ("Yes", None),  # no bond named
    ("There might be an interaction", None),
])
def test_residue_ligand_replies(text, expected):
    assert parse_prediction("residue_ligand_interaction", text) == expected


@pytest.mark.parametrize("text,expected", [
    ("ARG 221 NH2 A, O22; ARG 221 N A, O23",
     BondList(frozenset({Bond("ARG", "NH2", "O22", "221", "A"), Bond("ARG", "N", "O23", "221", "A")}))),
    ("Hydrogen bonds: arg 221 nh2 a, o22 and ASP 100A OD1 B, N1.",
     BondList(frozenset({Bond("ARG", "NH2", "O22", "221", "A"), Bond("ASP", "OD1", "N1", "100A", "B")}))),
    ("Yes: ARG 221 NH2 A, O22", BondList(frozenset({Bond("ARG", "NH2", "O22", "221", "A")}))),
    ("ARG 221 NH2, O22", BondList(frozenset({Bond("ARG", "NH2", "O22", "221", "")}))),  # no chain given
    ("No", NO),
    ("I see none", None),
])
def test_pocket_ligand_replies(text, expected):
    assert parse_prediction("pocket_ligand_interaction", text) == expected


def test_equivalent_replies_parse_identically():
    variants = ["Yes: ARG NH2, O22; ARG N, O23", "YES: arg n, o23; arg nh2, o22",
                "**Yes:**\n1. ARG NH2, O22\n2. ARG N, O23", "Answer: Yes, ARG NH2 , O22 ; ARG N , O23"]
    assert {parse_prediction("residue_ligand_interaction", v) for v in variants} == {TWO}


@pytest.mark.parametrize("task,text,expected", [
    ("translation", "move x -3", MOVE_XM3),
    ("rotation", "roll y 15", ROLL_Y15),
    ("zooming", "move z 50", Operation("move", "z", 50)),
    ("docking", "roll x 75, move x -14", Docking(Operation("roll", "x", 75), Operation("move", "x", -14))),
    ("translation_rotation", "C", Choice("C")),
    ("residue_ligand_interaction", "No", NO),
    ("residue_ligand_interaction", "Yes: ARG NH2, O22; ARG N, O23", TWO),
    ("residue_ligand_interaction", "Yes: U O2', O5'", BondList(frozenset({Bond("U", "O2'", "O5'")}))),
    ("pocket_ligand_interaction", "ARG 221 NH2 A, O22", BondList(frozenset({Bond("ARG", "NH2", "O22", "221", "A")}))),
])
def test_truth_in_grammar(task, text, expected):
    assert parse_truth(task, text) == expected


@pytest.mark.parametrize("task,text", [
    ("translation", "move x +3"),
    ("translation", "Move x 3"),
    ("translation", "move x 3.5"),
    ("translation", "move x  3"),
    ("docking", "roll x 75,move x -14"),
    ("docking", "move x -14, roll x 75"),
    ("translation_rotation", "(B)"),
    ("translation_rotation", "E"),
    ("residue_ligand_interaction", "yes: ARG N, O1"),
    ("residue_ligand_interaction", "ARG N, O1"),
    ("residue_ligand_interaction", "Yes: ARG N, O1;ARG O, O2"),
    ("pocket_ligand_interaction", "Yes: ARG 221 NH2 A, O22"),
    ("pocket_ligand_interaction", "no"),
])
def test_truth_outside_grammar_raises(task, text):
    with pytest.raises(ParseError):
        parse_truth(task, text)


def test_unknown_task():
    with pytest.raises(UnknownTaskError):
        parse_prediction("counting", "3")


def test_pocket_ligand_truth_without_chain_id():
    from misi_bench.evaluation import BondList, parse_truth, score

    truth = parse_truth("pocket_ligand_interaction", "ARG 221 NH2, O22; ARG 221 N A, O23")
    assert isinstance(truth, BondList)
    assert {(b.residue, b.number, b.atom, b.chain, b.ligand_atom) for b in truth.bonds} == {
        ("ARG", "221", "NH2", "", "O22"), ("ARG", "221", "N", "A", "O23")}
    record = {"task": "pocket_ligand_interaction", "answer": "ARG 221 NH2, O22"}
    assert score("pocket_ligand_interaction", "ARG 221 NH2, O22", record) == 1.0
    assert score("pocket_ligand_interaction", "ARG 221 NH2 A, O22", record) == 0.0
