"""T8 interaction location: which translation brings a named hydrogen bond to the screen center?

Questions (our choice, spec §3 T8): one per pocket-ligand hydrogen bond, at most ``MAX_BONDS``
per complex, bonds drawn without replacement (none for a complex without a bond).

Truth: in the front view of the complex, the bond's midpoint (the centroid of its residue atom
and ligand atom) has camera coordinates (x, y, z). ``move x a, move y b`` shifts it to
(x + a, y + b, z), which projects to the screen center iff x + a = y + b = 0; the true option is
a = round(-x), b = round(-y), so after it the midpoint is within 0.5 Å of the center on each
axis (at its depth). Decoys perturb the signs and magnitudes of the true (a, b):

- ``sign``: flip the sign of a, of b, or of both;
- ``magnitude``: change |a|, |b| or both by 2-5 Å (up or down, never below 0), signs kept;
- ``sign_and_magnitude``: both of the above, drawn independently.

A candidate decoy is redrawn (scheme included) until it lies at least ``MIN_SEPARATION`` Å (on
one axis at least) from every option already chosen, so the four options are distinct and
every decoy leaves the midpoint at least MIN_SEPARATION - 0.5 = 1.5 Å from the center on some
axis. The correct letter is uniform over A-D (``choice.place_correct``).
"""

from __future__ import annotations

import numpy as np

from misi_bench.renderers import Scene, camera_coords

from .. import prompts, scenes
from .base import QuestionSpec, Task
from .choice import LETTERS, place_correct

MAX_BONDS = 3
MIN_SEPARATION = 2  # Å (max over the two axes) between any two options
MAGNITUDE_CHANGES = (2, 3, 4, 5)  # Å
SIGN_PATTERNS = ((True, False), (False, True), (True, True))  # (flip a, flip b)
SCHEMES = ("sign", "magnitude", "sign_and_magnitude")
MAX_ATTEMPTS = 1000
VIEWS = ("front", "left", "top", "back", "right", "bottom")


def plan(ctx, split, rng):
    bonds = ctx.hbonds
    count = min(MAX_BONDS, len(bonds))
    picked = rng.choice(len(bonds), size=count, replace=False) if count else []
    return [bonds[int(i)] for i in sorted(picked)]


def option_text(a: int, b: int) -> str:
    return f"{scenes.command('move', 'x', a)}, {scenes.command('move', 'y', b)}"


def bond_midpoint(complex_, bond) -> np.ndarray:
    """Camera coordinates (Å) of the bond's midpoint in the front view of the complex."""
    coords = camera_coords(complex_, Scene(show="complex"))
    return (coords.pocket[bond.pocket_atom_index] + coords.ligand[bond.ligand_atom_index]) / 2


def _flip_and_change(rng, value: int, flip: bool, change: bool) -> tuple[int, int]:
    """(new value, magnitude change) of one component: optional magnitude change, then sign."""
    delta = 0
    if change:
        allowed = [s * m for m in MAGNITUDE_CHANGES for s in (1, -1) if abs(value) + s * m >= 0]
        delta = int(allowed[int(rng.integers(len(allowed)))])
    sign = -1 if value < 0 else 1
    new = sign * (abs(value) + delta)
    return (-new if flip else new), delta


def draw_decoy(rng, a: int, b: int) -> dict:
    scheme = SCHEMES[int(rng.integers(len(SCHEMES)))]
    flips = SIGN_PATTERNS[int(rng.integers(len(SIGN_PATTERNS)))] if scheme != "magnitude" else (False, False)
    changes = SIGN_PATTERNS[int(rng.integers(len(SIGN_PATTERNS)))] if scheme != "sign" else (False, False)
    x, delta_x = _flip_and_change(rng, a, flips[0], changes[0])
    y, delta_y = _flip_and_change(rng, b, flips[1], changes[1])
    return {"scheme": scheme, "flip_x": flips[0], "flip_y": flips[1], "delta_x": delta_x, "delta_y": delta_y, "x": x, "y": y}


def draw_decoys(rng, a: int, b: int) -> list[dict]:
    chosen: list[tuple[int, int]] = [(a, b)]
    decoys: list[dict] = []
    for _ in range(MAX_ATTEMPTS):
        decoy = draw_decoy(rng, a, b)
        if all(max(abs(decoy["x"] - x), abs(decoy["y"] - y)) >= MIN_SEPARATION for x, y in chosen):
            decoys.append(decoy)
            chosen.append((decoy["x"], decoy["y"]))
            if len(decoys) == len(LETTERS) - 1:
                return decoys
    raise RuntimeError(f"no {len(LETTERS) - 1} distinct decoys for ({a}, {b}) in {MAX_ATTEMPTS} draws")


def make(ctx, bond, rng):
    midpoint = bond_midpoint(ctx.complex, bond)
    a, b = int(np.floor(-midpoint[0] + 0.5)), int(np.floor(-midpoint[1] + 0.5))
    decoys = draw_decoys(rng, a, b)
    options, letter = place_correct(rng, option_text(a, b), [option_text(d["x"], d["y"]) for d in decoys])
    icode = bond.icode or ""
    residue = f"{bond.res_name} {bond.res_number}{icode}" + (f" of chain {bond.chain}" if bond.chain else "")
    listed = "; ".join(f"{L}. {text}" for L, text in zip(LETTERS, options))
    return QuestionSpec(
        images=scenes.complex_views(VIEWS),
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
            "decoys": decoys,
        },
    )


TASK = Task("interaction_location", "multiple_choice", plan, make)
