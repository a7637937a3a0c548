"""T9 pocket-ligand interaction: the complex in six views; list every pocket-ligand hydrogen bond.

One question per complex and split. Answer: the bonds in the annotator's order (chain, residue
number, insertion code, residue atom, ligand atom), each ``RESNAME RESNUM RESATOM CHAIN, LIGATOM``
joined by ``; ``; ``No`` when there is none (our choice; T9 in docs/conventions.md). Our choices: an insertion
code is appended to the number (``52A``); a residue without a chain id is written without the
CHAIN part (``ARG 221 NH2, O22``). The image labels do not show chains, so the question names the
pocket's chains.
"""

from __future__ import annotations

from . import facets, image_specs, prompts
from .answers import Bond, BondAnswer
from .base import NAME_IMAGE_SCALE, QuestionSpec, ReportColumn, Task, per_split

VIEWS = ("front", "left", "top", "back", "right", "bottom")
ANSWER_FORMAT = (
    "Answer 'No' if there is none; otherwise list the bonds separated by '; ', each written "
    "'RESNAME RESNUM RESATOM CHAIN, LIGATOM' (residue name, residue number, the residue's atom "
    "name, its chain id, then the ligand's atom name), for example: ARG 221 NH2 A, O22; ARG 221 N A, O23"
)


ANSWER = BondAnswer(with_position=True)


def answer_bond(bond) -> Bond:
    """A found hydrogen bond in the answer's terms (names as written)."""
    return Bond(bond.res_name, bond.res_atom, bond.ligand_atom, f"{bond.res_number}{bond.icode}", bond.chain)


def bond_text(bond) -> str:
    return ANSWER.bond_text(answer_bond(bond))


def answer_for(bonds: list) -> str:
    return ANSWER.format([answer_bond(b) for b in bonds])


def chains_sentence(ctx) -> str:
    chains = sorted({r.chain for r in ctx.complex.pocket.residues if r.chain})
    unnamed = any(not r.chain for r in ctx.complex.pocket.residues)
    sentence = f"The pocket residues belong to chain{'s' if len(chains) > 1 else ''} {', '.join(chains)}" if chains else ""
    if unnamed:
        sentence += ("; some" if sentence else "The") + " pocket residues have no chain id: leave out CHAIN for their bonds"
    return sentence + " (the labels do not show chains)."


def make(ctx, slot, rng):
    bonds = ctx.hbonds
    return QuestionSpec(
        images=image_specs.complex_views(VIEWS),
        question=prompts.question_text(
            [f"the complex in the {view} view" for view in VIEWS],
            "Task: list every hydrogen bond between a pocket residue and the ligand (ChimeraX "
            "criteria with relaxed tolerances: 0.4 angstrom, 20 degrees). " + chains_sentence(ctx),
            ANSWER_FORMAT,
        ),
        answer=answer_for(bonds),
        params={
            "bonds": [
                {"chain": b.chain, "res_name": b.res_name, "res_number": b.res_number, "icode": b.icode,
                 "res_atom": b.res_atom, "ligand_atom": b.ligand_atom, "donor": b.donor, "distance": round(float(b.distance), 3)}
                for b in bonds
            ],
        },
    )


TASK = Task(
    "pocket_ligand_interaction", 9, per_split(train=(None,), test=(None,)), make, ANSWER,
    columns=(ReportColumn("poc-lig", paper=(82.78, 0.60, 1.71, 10.72)),),
    facets=(("yes_no", facets.yes_no, None), ("bond_count", facets.bond_count, None)),
    image_scale=NAME_IMAGE_SCALE,
)
