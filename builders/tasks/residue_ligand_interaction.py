"""T4 residue-ligand interaction: one pocket residue and the ligand in six views; does the
residue hydrogen-bond the ligand, and through which atoms?

Positives: every residue with at least one pocket-ligand hydrogen bond. Negatives (our choice):
residues without one, drawn without replacement; their number per complex is 1.05 x the
positives, rounded stochastically (floor, plus one with probability equal to the fraction), so
the expected ratio over a corpus is the paper's, and capped by the residues available.
Single-atom residues (metal ions) are never asked about.
"""

from __future__ import annotations

import math

from . import facets, image_specs, prompts
from .answers import Bond, BondAnswer
from .base import NAME_IMAGE_SCALE, QuestionSpec, ReportColumn, Task

NEGATIVE_RATIO = 1.05
ANSWER = BondAnswer(with_position=False)
VIEWS = ("front", "left", "top", "back", "right", "bottom")


def eligible_residues(ctx) -> list:
    pocket = ctx.complex.pocket
    heavy = ~pocket.is_hydrogen
    return [r for r in pocket.residues if int(heavy[list(r.atom_indices)].sum()) >= 2]


def bonds_by_residue(ctx) -> dict:
    grouped: dict = {}
    for bond in ctx.hbonds:
        grouped.setdefault((bond.chain, bond.res_number, bond.icode), []).append(bond)
    return grouped


def negative_count(n_positive: int, n_available: int, u: float) -> int:
    expected = NEGATIVE_RATIO * n_positive
    count = math.floor(expected) + (1 if u < expected - math.floor(expected) else 0)
    return min(count, n_available)


def plan(ctx, split, rng):
    bonded = bonds_by_residue(ctx)
    residues = eligible_residues(ctx)
    positives = [r for r in residues if r.key in bonded]
    negatives = [r for r in residues if r.key not in bonded]
    n_negative = negative_count(len(positives), len(negatives), float(rng.random()))
    picked = rng.choice(len(negatives), size=n_negative, replace=False) if n_negative else []
    chosen = {r.key for r in positives} | {negatives[int(i)].key for i in picked}
    return [r for r in ctx.complex.pocket.residues if r.key in chosen]


def answer_for(bonds: list) -> str:
    return ANSWER.format([Bond(b.res_name, b.res_atom, b.ligand_atom) for b in bonds])


def make(ctx, residue, rng):
    bonds = bonds_by_residue(ctx).get(residue.key, [])
    chain = f" of chain {residue.chain}" if residue.chain else ""
    images = [f"residue {residue.label} and the ligand, {view} view" for view in VIEWS]
    return QuestionSpec(
        images=image_specs.residue_views(residue, VIEWS),
        question=prompts.question_text(
            images,
            f"Task: the residue shown is {residue.label}{chain}. Does it form a hydrogen bond with "
            "the ligand (ChimeraX criteria with relaxed tolerances: 0.4 angstrom, 20 degrees)? "
            "If it does, name every bond by the residue atom and the ligand atom.",
            "Answer 'No' if there is no hydrogen bond; otherwise answer 'Yes: ' followed by the "
            "bonds separated by '; ', each written 'RESNAME RESATOM, LIGATOM', for example: "
            "Yes: ARG NH2, O22; ARG N, O23",
            single_residue=True,
        ),
        answer=answer_for(bonds),
        params={
            "residue": {"chain": residue.chain, "name": residue.name, "number": residue.number, "icode": residue.icode},
            "positive": bool(bonds),
            "bonds": [
                {"chain": b.chain, "res_name": b.res_name, "res_number": b.res_number, "icode": b.icode,
                 "res_atom": b.res_atom, "ligand_atom": b.ligand_atom, "donor": b.donor, "distance": round(float(b.distance), 3)}
                for b in bonds
            ],
        },
    )


TASK = Task(
    "residue_ligand_interaction", 4, plan, make, ANSWER,
    columns=(ReportColumn("res-lig pos", paper=(100.00, 22.33, 18.67, 63.46), subset="positive"),
             ReportColumn("res-lig neg", paper=(100.00, 84.00, 94.00, 89.52), subset="negative")),
    facets=(("yes_no", facets.yes_no, {"Yes": 1.0, "No": NEGATIVE_RATIO}), ("bond_count", facets.bond_count, None)),
    image_scale=NAME_IMAGE_SCALE,
    one_residue=True,
)
