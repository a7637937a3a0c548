"""T7 docking: the ligand is taken out of the pocket; which two commands dock it back?

Displacement (T7 in docs/conventions.md), applied to the ligand alone in the front view's screen axes:
``move x D, roll AXIS θ`` — side left (D < 0) or right (D > 0) drawn, AXIS x, y or z, θ from
-90..90 in 15° steps without 0, rolls about the ligand's own center, the centroid of its heavy
atoms. The answer is the inverse, rotation first: ``roll AXIS -θ, move x -D``.

Distance (our derivation from screen coordinates): ``|D| = base + extra``, ``extra`` drawn from
0, 1, 2 Å; ``base`` is the smallest integer such that, for each of base, base + 1 and base + 2,
the combined front view (the very camera of the images: fitted to pocket + displaced ligand)
shows the ligand's x extent apart from the pocket's. Extents are taken on screen: every heavy
atom counts as a disc of ``CLEARANCE`` Å at its own depth, projected with the scene's camera
(``camera_coords``). Requiring all three candidates keeps ``extra`` a pure random addition.
The displaced ligand is always inside the frame: the camera is fitted to it (and the pocket).

Images (7), all with one camera per view fitted to pocket + displaced ligand, so the ligand-only
images keep the ligand's place relative to the frame and to the pocket images: pocket only
(front, left, top), displaced ligand only (front, left, top), both together (front).

Exactness (the bound the tests check): D is an integer and θ a multiple of 15°, so the answer
is the exact inverse in the answer grammar, nothing is rounded. A roll about the heavy-atom
centroid leaves that centroid fixed, so ``roll -θ`` about the displaced ligand's centroid undoes
``roll θ`` and ``move x -D`` undoes ``move x D``: the native pose is restored exactly in real
arithmetic and to float64 rounding (< 1e-9 Å RMSD) in practice; the tests assert RMSD ≤ 1e-6 Å,
far inside the 0.5 Å an integer/15° grammar could afford.
"""

from __future__ import annotations

import numpy as np

from misi_bench.renderers import Operation, Scene, camera_coords

from . import facets, prompts
from .answers import CommandAnswer, Docking, DockingAnswer, nonzero
from .base import ImageSpec, QuestionSpec, ReportColumn, Task, per_split

CLEARANCE = 1.0  # Å: radius of the disc each heavy atom counts as when testing for overlap
EXTRA_DISTANCES = (0, 1, 2)  # Å added to the smallest separating distance
ANGLE_RANGE = (-90, 90, 15)
AXES = ("x", "y", "z")
SIDES = ("left", "right")
MAX_DISTANCE = 500  # Å; the search gives up beyond this (a bug, not a property of the data)
VIEWS = ("front", "left", "top")
# The translation's values are only the random baseline's answer space (our choice): the
# distance itself is whatever clears the pocket.
ANSWER = DockingAnswer(rotation=CommandAnswer("roll", AXES, nonzero(*ANGLE_RANGE)),
                       translation=CommandAnswer("move", ("x",), nonzero(-30, 30)))

IMAGES = (
    [f"the pocket alone, {view} view" for view in VIEWS]
    + [f"the displaced ligand alone, {view} view, drawn with the same camera as image {n} so its "
       "place in the frame is comparable" for n, view in enumerate(VIEWS, start=1)]
    + ["the pocket and the displaced ligand together, front view (same camera as image 1)"]
)


def displacement(distance: int, axis: str, angle: int) -> str:
    """The ligand operations that take the ligand out of its native pose."""
    return f"{Operation('move', 'x', distance)}, {Operation('roll', axis, angle)}"


def docking_scene(show: str, view: str, ligand_ops: str) -> Scene:
    """``show`` (pocket, ligand or complex) with the camera fitted to pocket + displaced ligand."""
    return Scene(show=show, fit="complex", view=view, ligand_ops=ligand_ops)


def x_extents(complex_, scene: Scene) -> tuple[tuple[float, float], tuple[float, float]]:
    """(pocket, ligand) screen u-intervals in pixels of the heavy atoms of ``scene``, each atom a
    disc of ``CLEARANCE`` Å at its depth."""
    coords = camera_coords(complex_, scene)

    def extent(points: np.ndarray) -> tuple[float, float]:
        shift = np.array([CLEARANCE, 0.0, 0.0])
        low = coords.camera.project(points - shift)[:, 0].min()
        high = coords.camera.project(points + shift)[:, 0].max()
        return float(low), float(high)

    return (extent(coords.pocket[~complex_.pocket.is_hydrogen]),
            extent(coords.ligand[~complex_.ligand.is_hydrogen]))


def separated(complex_, scene: Scene) -> bool:
    """The ligand's screen x extent lies apart from the pocket's."""
    pocket, ligand = x_extents(complex_, scene)
    return ligand[1] < pocket[0] or ligand[0] > pocket[1]


def base_distance(ctx, sign: int, axis: str, angle: int) -> int:
    """Smallest integer d such that d, d + 1 and d + 2 all separate ligand and pocket on screen."""
    fits: dict[int, bool] = {}

    def fits_at(d: int) -> bool:
        if d not in fits:
            scene = ctx.sized(docking_scene("complex", "front", displacement(sign * d, axis, angle)))
            fits[d] = separated(ctx.complex, scene)
        return fits[d]

    for d in range(1, MAX_DISTANCE):
        if all(fits_at(d + extra) for extra in EXTRA_DISTANCES):
            return d
    raise RuntimeError(f"{ctx.pdb_id}: no ligand displacement up to {MAX_DISTANCE} Å clears the pocket")


def make(ctx, _slot, rng):
    side = SIDES[int(rng.integers(len(SIDES)))]
    axis = AXES[int(rng.integers(len(AXES)))]
    angle = ANSWER.rotation.draw_amount(rng)
    extra = int(EXTRA_DISTANCES[int(rng.integers(len(EXTRA_DISTANCES)))])
    sign = -1 if side == "left" else 1
    base = base_distance(ctx, sign, axis, angle)
    distance = sign * (base + extra)
    ligand_ops = displacement(distance, axis, angle)
    images = ([ImageSpec(f"pocket_{view}", docking_scene("pocket", view, ligand_ops)) for view in VIEWS]
              + [ImageSpec(f"ligand_{view}", docking_scene("ligand", view, ligand_ops)) for view in VIEWS]
              + [ImageSpec("complex_front", docking_scene("complex", "front", ligand_ops))])
    return QuestionSpec(
        images=images,
        question=prompts.question_text(
            IMAGES,
            "Task: the ligand was taken out of its native (bound) pose in the pocket: first moved "
            "along x to the left or right of the pocket, then rotated by one roll about its own "
            "center (the centroid of its drawn atoms, not the center of the whole scene). The pocket did "
            "not move, and all images use one camera fitted to the pocket and the displaced "
            "ligand. Which commands, applied to the ligand alone in the screen axes of the front "
            "view, dock it back into its native pose? Give the rotation about the ligand's own "
            "center first, then the translation along x.",
            "Answer with exactly two commands separated by ', ': 'roll AXIS ANGLE, move x "
            "DISTANCE', AXIS being x, y or z, ANGLE a signed multiple of 15 degrees between -90 "
            "and 90, DISTANCE a signed integer number of angstroms, for example: "
            "roll x 75, move x -14",
        ),
        answer=ANSWER.format(Docking(ANSWER.rotation.command(axis, -angle), ANSWER.translation.command("x", -distance))),
        params={
            "side": side,
            "base_distance": base,
            "extra_distance": extra,
            "distance": distance,
            "axis": axis,
            "angle": angle,
            "ligand_ops": ligand_ops,
            "clearance": CLEARANCE,
        },
    )


TASK = Task(
    "docking", 7, per_split(train=range(6), test=range(3)), make, ANSWER,
    columns=(ReportColumn("docking", paper=(74.54, 34.12, 20.69, 24.94)),),
    facets=(
        ("rotation_axis", lambda r: facets.command(r, 0)[0], facets.uniform(AXES)),
        ("rotation_angle", lambda r: facets.command(r, 0)[1], facets.uniform(ANSWER.rotation.values)),
        ("translation_sign", lambda r: facets.sign(facets.command(r, 1)[1]), facets.uniform(["+", "-"])),
        ("extra_distance", lambda r: r["params"]["extra_distance"], facets.uniform(EXTRA_DISTANCES)),
        ("translation_magnitude", lambda r: abs(facets.command(r, 1)[1]), None),
    ),
)
