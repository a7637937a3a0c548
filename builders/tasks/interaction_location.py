"""T8 interaction location: which translation brings a named hydrogen bond to the screen center?

Questions (our choice; T8 in docs/conventions.md): one per pocket-ligand hydrogen bond, at most ``MAX_BONDS``
per complex, bonds drawn without replacement (none for a complex without a bond).

Truth: in the front view of the complex, the bond's midpoint (the centroid of its residue atom
and ligand atom) has camera coordinates (x, y, z). ``move x a, move y b`` shifts it to
(x + a, y + b, z), which projects to the screen center iff x + a = y + b = 0; the true option is
a = round(-x), b = round(-y), so after it the midpoint is within 0.5 Å of the center on each
axis (at its depth).

Decoys perturb the signs and magnitudes of the true (a, b) (our design): each component gets one
wrong value, a' and b', either its sign flipped (not for 0) or shifted by 2-5 Å in a drawn
direction; the four options are the corners of {a, a'} x {b, b'}, decoys in a drawn order. Every
x value and every y value then appears in exactly two options, so the option texts alone do not
single out the answer (a first design, with decoys scattered around the truth, left the truth
as the medoid of the four, which the audit's text-only heuristic found 100 % of the time). All
options differ by at least 2 Å on some axis, so every decoy leaves the midpoint at least 1.5 Å
from the center. The correct letter is uniform over A-D (``choice.place_correct``).
"""

from __future__ import annotations

import numpy as np

from misi_bench.renderers import Operation, Scene, camera_coords

from . import facets, image_specs, prompts
from .answers import ChoiceAnswer
from .base import NAME_IMAGE_SCALE, QuestionSpec, ReportColumn, Task
from .choice import LETTERS, place_correct

MAX_BONDS = 3
SHIFTS = (2, 3, 4, 5)  # Å, either direction
VIEWS = ("front", "left", "top", "back", "right", "bottom")
ANSWER = ChoiceAnswer(options="text")


def plan(ctx, split, rng):
    bonds = ctx.hbonds
    count = min(MAX_BONDS, len(bonds))
    picked = rng.choice(len(bonds), size=count, replace=False) if count else []
    return [bonds[int(i)] for i in sorted(picked)]


def option_text(a: int, b: int) -> str:
    return f"{Operation('move', 'x', a)}, {Operation('move', 'y', b)}"


def bond_midpoint(complex_, bond) -> np.ndarray:
    """Camera coordinates (Å) of the bond's midpoint in the front view of the complex."""
    coords = camera_coords(complex_, Scene(show="complex"))
    return (coords.pocket[bond.pocket_atom_index] + coords.ligand[bond.ligand_atom_index]) / 2


def alternative(rng, value: int) -> dict:
    """The wrong value of one component: its sign flipped, or shifted by 2-5 Å either way."""
    if value != 0 and rng.integers(2) == 0:
        return {"scheme": "sign", "value": -value, "shift": 0}
    shift = int(rng.choice(SHIFTS)) * (1 if rng.integers(2) else -1)
    return {"scheme": "magnitude", "value": value + shift, "shift": shift}


def draw_decoys(rng, a: int, b: int) -> tuple[dict, dict, list[dict]]:
    """The other three corners of {a, a'} x {b, b'}, in a drawn order."""
    alt_x, alt_y = alternative(rng, a), alternative(rng, b)
    corners = [{"perturbed": "x", "x": alt_x["value"], "y": b},
               {"perturbed": "y", "x": a, "y": alt_y["value"]},
               {"perturbed": "both", "x": alt_x["value"], "y": alt_y["value"]}]
    return alt_x, alt_y, [corners[int(i)] for i in rng.permutation(len(corners))]


def make(ctx, bond, rng):
    midpoint = bond_midpoint(ctx.complex, bond)
    a, b = int(np.floor(-midpoint[0] + 0.5)), int(np.floor(-midpoint[1] + 0.5))
    alt_x, alt_y, decoys = draw_decoys(rng, a, b)
    options, letter = place_correct(rng, option_text(a, b), [option_text(d["x"], d["y"]) for d in decoys])
    icode = bond.icode or ""
    residue = f"{bond.res_name} {bond.res_number}{icode}" + (f" of chain {bond.chain}" if bond.chain else "")
    listed = "; ".join(f"{L}. {text}" for L, text in zip(LETTERS, options))
    return QuestionSpec(
        images=image_specs.complex_views(VIEWS),
        question=prompts.question_text(
            [f"the complex, {view} view" for view in VIEWS],
            f"Task: consider the hydrogen bond between atom {bond.res_atom} of residue {residue} "
            f"and ligand atom {bond.ligand_atom}. Which translation of the whole scene brings the "
            "midpoint of these two atoms to the center of the front view (image 1)? Distances are "
            f"in angstroms at the midpoint's depth. Options: {listed}",
            "Answer with exactly one letter, A, B, C or D, for example: B",
        ),
        answer=letter,
        options=options,
        params={
            "bond": {"chain": bond.chain, "res_name": bond.res_name, "res_number": int(bond.res_number),
                     "icode": icode, "res_atom": bond.res_atom, "ligand_atom": bond.ligand_atom,
                     "donor": bond.donor, "distance": round(float(bond.distance), 3)},
            "pocket_atom_index": int(bond.pocket_atom_index),
            "ligand_atom_index": int(bond.ligand_atom_index),
            "midpoint": [round(float(v), 4) for v in midpoint],
            "true_x": a,
            "true_y": b,
            "alternative_x": alt_x,
            "alternative_y": alt_y,
            "decoys": decoys,
        },
    )


def _true_sign(axis: str):
    return lambda r: "0" if r["params"][f"true_{axis}"] == 0 else facets.sign(r["params"][f"true_{axis}"])


TASK = Task(
    "interaction_location", 8, plan, make, ANSWER,
    columns=(ReportColumn("inter. loc.", paper=(92.00, 38.00, 36.00, 88.37)),),
    facets=(
        facets.LETTER,
        ("decoy_scheme", lambda r: [r["params"]["alternative_x"]["scheme"], r["params"]["alternative_y"]["scheme"]], None),
        ("true_x_sign", _true_sign("x"), None),
        ("true_y_sign", _true_sign("y"), None),
    ),
    image_scale=NAME_IMAGE_SCALE,
)
