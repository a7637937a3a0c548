"""Answer distributions per task against the distributions the builder intends to draw from.

Each task lists facets (axis, signed amount, sign, magnitude, letter, bond count, ...). A facet
with an intended distribution (the task modules' own ranges, so the audit and the builder cannot
drift) gets Pearson's chi-square goodness of fit over the pooled train + test rows; facets the
spec leaves free (e.g. bond counts) are reported without a test. With few rows per category
(``min_expected`` < 5) the p-value is only indicative.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from misi_bench.builders.tasks import docking, residue_ligand_interaction, rotation, translation, zooming
from misi_bench.builders.tasks.choice import LETTERS
from misi_bench.builders.tasks.movement_choice import ROTATION, TRANSLATION
from .data import Build
from .stats import chisquare, uniform

COMMAND = re.compile(r"(move|roll) ([xyz]) (-?\d+)")


def _nonzero(low: int, high: int, step: int = 1) -> list[int]:
    return [v for v in range(low, high + 1, step) if v != 0]


def _signed(values: list[int]) -> tuple[dict, dict, dict]:
    magnitudes = sorted({abs(v) for v in values})
    return uniform(values), uniform(["+", "-"]), uniform(magnitudes)


def _command(row: dict, index: int = 0) -> tuple[str, int]:
    kind, axis, amount = COMMAND.findall(row["answer"])[index]
    return axis, int(amount)


def _sign(v: int) -> str:
    return "+" if v > 0 else "-"


Facet = tuple[str, Callable[[dict], object], dict | None]


def _command_facets(axes: tuple[str, ...], values: list[int], index: int = 0, prefix: str = "") -> list[Facet]:
    value_share, sign_share, magnitude_share = _signed(values)
    return [
        (f"{prefix}axis", lambda r: _command(r, index)[0], uniform(axes)),
        (f"{prefix}amount", lambda r: _command(r, index)[1], value_share),
        (f"{prefix}sign", lambda r: _sign(_command(r, index)[1]), sign_share),
        (f"{prefix}magnitude", lambda r: abs(_command(r, index)[1]), magnitude_share),
    ]


def _step_facets(name: str, family) -> list[Facet]:
    values = [s * m for s in (-1, 1) for m in family.magnitudes]
    value_share, sign_share, magnitude_share = _signed(values)
    return [
        (f"{name}_axis", lambda r: r["params"][name]["axis"], None),  # axis pairs: see axis_pair below
        (f"{name}_amount", lambda r: r["params"][name]["amount"], value_share),
        (f"{name}_sign", lambda r: _sign(r["params"][name]["amount"]), sign_share),
        (f"{name}_magnitude", lambda r: abs(r["params"][name]["amount"]), magnitude_share),
    ]


def _axis_pairs(first, second) -> dict:
    return uniform([f"{a}{b}" for a in first.axes for b in second.axes if first.kind != second.kind or a != b])


def _bond_count(row: dict) -> int:
    answer = row["answer"].strip()
    return 0 if answer == "No" else answer.count(";") + 1


LETTER = ("letter", lambda r: r["answer"], uniform(LETTERS))

FACETS: dict[str, list[Facet]] = {
    "translation": _command_facets(("x", "y"), _nonzero(*translation.DISTANCE_RANGE)),
    "rotation": _command_facets(("x", "y", "z"), _nonzero(*rotation.ANGLE_RANGE)),
    "zooming": [("depth", lambda r: _command(r)[1], uniform(range(zooming.DEPTH_RANGE[0], zooming.DEPTH_RANGE[1] + 1)))],
    "residue_ligand_interaction": [
        ("yes_no", lambda r: "No" if r["answer"].strip() == "No" else "Yes",
         {"Yes": 1.0, "No": residue_ligand_interaction.NEGATIVE_RATIO}),
        ("bond_count", _bond_count, None),
    ],
    "translation_rotation": [LETTER, ("axis_pair", lambda r: r["params"]["f1"]["axis"] + r["params"]["f2"]["axis"],
                                      _axis_pairs(TRANSLATION, ROTATION))]
    + _step_facets("f1", TRANSLATION) + _step_facets("f2", ROTATION),
    "rotation_rotation": [LETTER, ("axis_pair", lambda r: r["params"]["f1"]["axis"] + r["params"]["f2"]["axis"],
                                   _axis_pairs(ROTATION, ROTATION))]
    + _step_facets("f1", ROTATION) + _step_facets("f2", ROTATION),
    "docking": [
        ("rotation_axis", lambda r: _command(r, 0)[0], uniform(docking.AXES)),
        ("rotation_angle", lambda r: _command(r, 0)[1], uniform(_nonzero(*docking.ANGLE_RANGE))),
        ("translation_sign", lambda r: _sign(_command(r, 1)[1]), uniform(["+", "-"])),
        ("extra_distance", lambda r: r["params"]["extra_distance"], uniform(docking.EXTRA_DISTANCES)),
        ("translation_magnitude", lambda r: abs(_command(r, 1)[1]), None),
    ],
    "interaction_location": [
        LETTER,
        ("decoy_scheme", lambda r: [r["params"]["alternative_x"]["scheme"], r["params"]["alternative_y"]["scheme"]], None),
        ("true_x_sign", lambda r: "0" if r["params"]["true_x"] == 0 else _sign(r["params"]["true_x"]), None),
        ("true_y_sign", lambda r: "0" if r["params"]["true_y"] == 0 else _sign(r["params"]["true_y"]), None),
    ],
    "pocket_ligand_interaction": [
        ("yes_no", lambda r: "No" if r["answer"].strip() == "No" else "Yes", None),
        ("bond_count", _bond_count, None),
    ],
}


def _key(value) -> str:
    return str(value)


def check(build: Build, alpha: float) -> dict:
    """Per task: rows, per split counts and one entry per facet."""
    results = {}
    for task in build.tasks:
        facets = FACETS.get(task)
        if facets is None:
            continue
        per_split = {}
        counters = {name: Counter() for name, _, _ in facets}
        for split in build.splits(task):
            n = 0
            for row in build.rows(task, split, ["answer", "params"]):
                n += 1
                for name, extract, _ in facets:
                    value = extract(row)
                    for item in (value if isinstance(value, list) else [value]):
                        counters[name][_key(item)] += 1
            per_split[split] = n
        entry = {"rows": sum(per_split.values()), "rows_per_split": per_split, "facets": {}}
        for name, _, intended in facets:
            observed = dict(sorted(counters[name].items(), key=lambda kv: _sort_key(kv[0])))
            facet = {"observed": observed}
            if intended is not None:
                facet["intended"] = intended
                test = chisquare(observed, intended)
                test["flagged"] = bool(test["p_value"] < alpha)
                facet["chi_square"] = test
            entry["facets"][name] = facet
        results[task] = entry
    return results


def _sort_key(text: str):
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)
