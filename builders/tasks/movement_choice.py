"""What T5 (translation_rotation) and T6 (rotation_rotation) share: two commands f1 then f2, and
four option images A-D, one right and three decoys from the spec's three perturbation schemes.

Schemes (T5 in docs/conventions.md; for T6 "translation" reads "first rotation")::

    1  change the magnitude of both f1 and f2
    2  flip the sign of f1, change the magnitude of f2
    3  change the axis of f1, change the magnitude of f2

Our choices where the spec leaves room:

* one decoy per scheme, the three schemes in a random order, so the three decoys always differ
  from each other and from the right option in f1;
* "change the magnitude": another magnitude of the command's range, axis and sign kept;
  "flip the sign": same axis and magnitude; "change the axis": another axis of f1's range with
  the amount kept and, when f1 and f2 are of one kind (two rotations, T6), also not f2's axis, so
  a decoy is still "two rotations about two different axes";
* options must look different: each scheme's candidates are enumerated and tried in an order
  drawn from the question's generator; a candidate whose image differs from an option already
  placed (the right one first) by less than ``PIXEL_THRESHOLD`` (mean absolute difference over
  pixels and channels, 0..255, at the build's image size) is passed over and counted in
  ``redraws``. Should a whole scheme fail, its most different candidate is kept;
  ``min_pixel_difference`` in params then shows the shortfall. Passed-over renders leave the
  context's render cache again, so the build's image count holds only images of rows;
* ``options`` holds the letters "A".."D" (the evaluator's placeholder for image options): the
  commands behind each option are in ``params.options`` for auditing, never in the prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from misi_bench.renderers import Operation, Operations

from . import facets
from .answers import ChoiceAnswer
from .base import ComplexContext, ImageSpec
from .choice import LETTERS, pixel_difference, place_correct

PIXEL_THRESHOLD = 1.0
SCHEMES = (1, 2, 3)
OPTION_ROLES = tuple(f"option_{letter.lower()}" for letter in LETTERS)
ANSWER_FORMAT = "Answer with the letter of the option image only: A, B, C or D, for example: C"
ANSWER = ChoiceAnswer(options="image")


def with_magnitude(step: Operation, magnitude: int) -> Operation:
    """``step`` with another magnitude, its sign kept."""
    return replace(step, amount=magnitude if step.amount > 0 else -magnitude)


@dataclass(frozen=True)
class Family:
    """The commands f1 or f2 is drawn from: a kind, its axes, amounts ±step..±limit (0 excluded)."""

    kind: str
    axes: tuple[str, ...]
    limit: int
    step: int = 1

    @property
    def magnitudes(self) -> tuple[int, ...]:
        return tuple(range(self.step, self.limit + 1, self.step))

    def draw(self, rng: np.random.Generator, axis: str) -> Operation:
        amounts = [sign * m for sign in (-1, 1) for m in self.magnitudes]
        return Operation(self.kind, axis, amounts[int(rng.integers(len(amounts)))])


TRANSLATION = Family("move", ("x", "y"), 4)  # as T1
ROTATION = Family("roll", ("x", "y", "z"), 90, 15)  # as T2


def commands(*steps: Operation) -> str:
    return str(Operations(steps))


def axis_pairs(first: Family, second: Family) -> list[tuple[str, str]]:
    """Every (f1 axis, f2 axis), f1 and f2 on different axes when of one kind."""
    return [(a, b) for a in first.axes for b in second.axes if first.kind != second.kind or a != b]


def axis_pair_plan(first: Family, second: Family, n_test: int = 3):
    """Train: every (f1 axis, f2 axis) pair once; test: ``n_test`` distinct pairs drawn with the
    complex's generator."""
    pairs = axis_pairs(first, second)

    def plan(ctx, split, rng):
        if split == "train":
            return pairs
        return [pairs[int(i)] for i in rng.choice(len(pairs), size=n_test, replace=False)]

    return plan


def pair_facets(first: Family, second: Family) -> tuple[facets.Facet, ...]:
    """The letter, the axis pair and f1's and f2's amounts, each uniform over its range."""
    return (
        facets.LETTER,
        ("axis_pair", lambda r: r["params"]["f1"]["axis"] + r["params"]["f2"]["axis"],
         facets.uniform([a + b for a, b in axis_pairs(first, second)])),
        *facets.step_facets("f1", first.magnitudes),
        *facets.step_facets("f2", second.magnitudes),
    )


def draw_pair(rng: np.random.Generator, axes: tuple[str, str], first: Family, second: Family) -> tuple[Operation, Operation]:
    return first.draw(rng, axes[0]), second.draw(rng, axes[1])


def scheme_candidates(scheme: int, f1: Operation, f2: Operation, first: Family, second: Family) -> list[tuple[Operation, Operation]]:
    """Every (f1', f2') the scheme allows, in a fixed order."""
    other_f2 = [with_magnitude(f2, m) for m in second.magnitudes if m != abs(f2.amount)]
    if scheme == 1:
        f1s = [with_magnitude(f1, m) for m in first.magnitudes if m != abs(f1.amount)]
    elif scheme == 2:
        f1s = [replace(f1, amount=-f1.amount)]
    elif scheme == 3:
        taken = {f1.axis} | ({f2.axis} if f2.kind == f1.kind else set())
        f1s = [replace(f1, axis=axis) for axis in first.axes if axis not in taken]
    else:
        raise ValueError(f"unknown decoy scheme {scheme}")
    return [(a, b) for a in f1s for b in other_f2]


@dataclass
class Options:
    images: list[ImageSpec]  # A-D
    answer: str
    params: dict  # options, pixel_threshold, min_pixel_difference


def draw_options(
    ctx: ComplexContext,
    rng: np.random.Generator,
    f1: Operation,
    f2: Operation,
    first: Family,
    second: Family,
    option_image: Callable[[Operation, Operation], ImageSpec],
    option_commands: Callable[[Operation, Operation], str],
) -> Options:
    """The right option (f1, f2) and one decoy per scheme, redrawn until all four look different.

    ``option_image(f1', f2')`` gives the option's image (role set here); ``option_commands`` the
    full command string behind it, recorded for auditing.
    """

    def pixels(image: ImageSpec) -> np.ndarray:
        return ctx.pixels(image.scene, image.complex)

    def trial(image: ImageSpec) -> tuple[np.ndarray, object]:
        """The image's pixels and its render-cache key when this call added it (else None)."""
        known = len(ctx.renders)
        picture = pixels(image)
        return picture, (next(reversed(ctx.renders)) if len(ctx.renders) > known else None)

    right = option_image(f1, f2)
    placed = [pixels(right)]
    decoys = []
    closest = float("inf")  # each decoy's distance to the options before it: every pair once
    for scheme in (int(s) for s in rng.permutation(SCHEMES)):
        candidates = scheme_candidates(scheme, f1, f2, first, second)
        tried = []  # (distance, pair, image, picture, cache key) in drawn order
        for index in rng.permutation(len(candidates)):
            pair = candidates[int(index)]
            image = option_image(*pair)
            picture, key = trial(image)
            tried.append((min(pixel_difference(picture, other) for other in placed), pair, image, picture, key))
            if tried[-1][0] >= PIXEL_THRESHOLD:
                break
        redraws = len(tried) - 1 if tried[-1][0] >= PIXEL_THRESHOLD else len(tried)
        kept = max(tried, key=lambda t: t[0])
        for *_, key in tried:  # rejected renders leave the cache: they are in no row
            if key is not None and key != kept[-1]:
                ctx.discard(key)
        distance, pair, image, picture, _ = kept
        placed.append(picture)
        decoys.append((scheme, pair, image, redraws))
        closest = min(closest, distance)
    ordered, answer = place_correct(rng, (0, (f1, f2), right, 0), decoys)
    return Options(
        images=[image._replace(role=role) for role, (_, _, image, _) in zip(OPTION_ROLES, ordered)],
        answer=answer,
        params={
            "options": [
                {"scheme": scheme, "f1": a.as_dict(), "f2": b.as_dict(), "commands": option_commands(a, b), "redraws": redraws}
                for scheme, (a, b), _, redraws in ordered
            ],
            "pixel_threshold": PIXEL_THRESHOLD,
            "min_pixel_difference": round(closest, 3),
        },
    )

