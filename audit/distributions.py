"""Answer distributions per task against the distributions the builder intends to draw from.

Each task module declares its facets (axis, signed amount, sign, magnitude, letter, bond count,
...). A facet with an intended distribution (the task modules' own ranges, so the audit and the
builder cannot drift) gets Pearson's chi-square goodness of fit over the pooled train + test
rows; facets the spec leaves free (e.g. bond counts) are reported without a test. With few rows
per category (``min_expected`` < 5) the p-value is only indicative.
"""

from __future__ import annotations

from collections import Counter

from misi_bench.builders.tasks import TASKS

from .data import Build
from .stats import chisquare

# Each task's facets, as its module declares them (builders/tasks/facets.py).
FACETS = {name: list(task.facets) for name, task in TASKS.items() if task.facets}


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
