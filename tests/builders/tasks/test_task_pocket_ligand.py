"""T9 pocket_ligand_interaction on the sample corpus: one question per complex, the answer is the
annotator's bond list (formatted here independently), the evaluator reads it back; and the
answer grammar for the edge cases of our choices (insertion code, missing chain id)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from misi_bench import schema
from misi_bench.evaluation.parsing import Bond, parse_truth
from misi_bench.builders.source.hbonds import HBond, find_hbonds
from misi_bench.builders.tasks.pocket_ligand_interaction import bond_text
from misi_bench.builders.tasks.base import NAME_IMAGE_SCALE
from misi_bench.renderers import Scene, render_png

from conftest import SHARED_SIZE as SIZE, task_rows

TASK = "pocket_ligand_interaction"
VIEWS = ["front", "left", "top", "back", "right", "bottom"]


@pytest.fixture(scope="module")
def built(shared_build):
    return task_rows(shared_build, TASK)[0]


@pytest.fixture(scope="module")
def by_id(sample_complexes):
    return {c.pdb_id: c for c in sample_complexes}


def _expected(bonds) -> str:
    """T9 (docs/conventions.md), written out here: RESNAME RESNUM RESATOM CHAIN, LIGATOM joined by '; '."""
    if not bonds:
        return "No"
    return "; ".join(f"{b.res_name} {b.res_number} {b.res_atom} {b.chain}, {b.ligand_atom}" for b in bonds)


def test_one_question_per_complex_and_split(built, sample_dir):
    splits = json.loads((sample_dir / "splits.json").read_text())
    for split, ids in splits.items():
        assert Counter(r["pdb_id"] for r in built[split]) == {pdb_id: 1 for pdb_id in ids}


def test_answer_is_the_annotators_bond_list(built, by_id):
    rows = built["train"] + built["test"]
    for row in rows:
        bonds = find_hbonds(by_id[row["pdb_id"]])
        assert row["answer"] == _expected(bonds), row["id"]
        assert [(b["chain"], b["res_number"], b["res_atom"], b["ligand_atom"]) for b in row["params"]["bonds"]] == \
            [(b.chain, b.res_number, b.res_atom, b.ligand_atom) for b in bonds]
    answers = {row["pdb_id"]: row["answer"] for row in rows}
    assert answers["1a28"] == "No"  # the sample complex without a pocket-ligand hydrogen bond
    assert answers["1hpv"].count("; ") == 3 and " B, " in answers["1hpv"]  # two chains


def test_evaluator_reads_the_answers_back(built, by_id):
    for row in built["train"] + built["test"]:
        parsed = parse_truth(TASK, row["answer"])
        expected = {Bond(b.res_name, b.res_atom.upper(), b.ligand_atom.upper(), str(b.res_number), b.chain)
                    for b in find_hbonds(by_id[row["pdb_id"]])}
        assert set(parsed.bonds) == expected, row["id"]


def test_six_views_of_the_whole_complex(built, by_id):
    row = built["test"][0]
    assert row["image_roles"] == VIEWS and row["options"] == [] and row["question_type"] == "cloze"
    for view, image in zip(VIEWS, row["images"]):
        assert render_png(by_id[row["pdb_id"]], Scene(show="complex", view=view, size=SIZE * NAME_IMAGE_SCALE)) == image["bytes"]
    assert "RESNAME RESNUM RESATOM CHAIN, LIGATOM" in row["question"] and "chain" in row["question"]


def _bond(chain: str, icode: str) -> HBond:
    return HBond(chain, "ARG", 52, icode, "NH2", "O22", "pocket", 2.9, 160.0, 0, 0)


def test_insertion_code_and_missing_chain_in_the_grammar():
    pattern = re.compile(schema.load(TASK)["properties"]["answer"]["pattern"])
    assert bond_text(_bond("A", "")) == "ARG 52 NH2 A, O22"
    assert bond_text(_bond("A", "B")) == "ARG 52B NH2 A, O22"
    assert bond_text(_bond("", "")) == "ARG 52 NH2, O22"
    for text in ("No", "ARG 52B NH2 A, O22; ARG 52 NH2, O22", "ARG 221 NH2 A, O22; ARG 221 N A, O23"):
        assert pattern.match(text), text
    for bad in ("no", "ARG 221 NH2 A O22", "ARG NH2 A, O22", "ARG 221 NH2 A, O22;", "Yes: ARG 221 NH2 A, O22"):
        assert not pattern.match(bad), bad
