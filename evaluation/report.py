"""A whole run: per-task means, the paper's averages, and a Table-1 style markdown table.

Our choices (also in docs/evaluation.md):

* Per-task numbers are means over that task's questions x 100 (every question weighs the
  same within a task); T4 is also split into ``positive`` (truth has bonds) and ``negative``.
* ``average`` is the unweighted mean of the paper's eight columns: transl., rot., zoom,
  res-lig pos, res-lig neg, docking, inter. loc., poc-lig (T5 and T6 left out, as in the
  paper). ``average_all`` adds trans-rot and rot-rot (ten columns). Columns with no question in
  the run are left out of both means and the ``tasks`` list says which columns were used; with
  none the mean is None.
* A row without a prediction (absent id or value None) scores 0, counts as ``missing`` (not
  ``unparsable``) and is listed in ``missing_ids``. A prediction whose id is not among the
  rows raises `UnknownIdsError` before anything is scored; duplicate row ids raise
  ValueError.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from misi_bench.builders.tasks import TASKS as REGISTRY

from .metrics import DEFAULT_CONFIG, Judgement, MetricConfig, judge
from .parsing import TASKS, check_task


@dataclass(frozen=True)
class Column:
    key: str  # the name used in a report's "tasks" lists
    header: str  # the paper's column title
    task: str
    subset: str | None = None  # "positive" (truth lists bonds) / "negative" (truth is No)
    averaged: bool = True  # in the paper's avg


# The paper's Table 1 columns, as the task modules declare them, in task order.
COLUMNS = tuple(
    Column(task.name if c.subset is None else f"{task.name}.{c.subset}", c.header, task.name, c.subset, c.averaged)
    for task in REGISTRY.values() for c in task.columns
)
SPLIT_TASKS = frozenset(c.task for c in COLUMNS if c.subset is not None)  # reported per subset too
AVERAGED_COLUMNS = tuple(c.key for c in COLUMNS if c.averaged)
ALL_COLUMNS = tuple(c.key for c in COLUMNS)


def subset_of(task: str, truth) -> str:
    """The subset column a question of a split task counts in (its answer kind decides)."""
    return REGISTRY[task].answer.subset_of(truth)


class UnknownIdsError(ValueError):
    """Predictions were given for ids that are not among the rows."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        shown = ", ".join(ids[:20]) + (f" ... ({len(ids)} in all)" if len(ids) > 20 else "")
        super().__init__(f"predictions for ids not in the rows: {shown}")


def column_average(values: Mapping[str, float], columns: Iterable[str] = AVERAGED_COLUMNS) -> float | None:
    """Unweighted mean of the given columns that have a value (None when none has)."""
    present = [values[c] for c in columns if values.get(c) is not None]
    return sum(present) / len(present) if present else None


@dataclass
class _Outcome:
    judgement: Judgement
    missing: bool


def _summary(outcomes: list[_Outcome]) -> dict:
    n = len(outcomes)
    return {
        "composite": 100 * sum(o.judgement.score for o in outcomes) / n,
        "exact": 100 * sum(o.judgement.exact for o in outcomes) / n,
        "n": n,
        "unparsable": sum(not o.missing and o.judgement.parsed is None for o in outcomes),
        "missing": sum(o.missing for o in outcomes),
    }


def _average(columns: dict[str, dict], keys: tuple[str, ...]) -> dict:
    used = [k for k in keys if k in columns]
    return {
        "composite": column_average({k: columns[k]["composite"] for k in used}, used),
        "exact": column_average({k: columns[k]["exact"] for k in used}, used),
        "tasks": used,
    }


def evaluate(rows: Iterable[Mapping], predictions: Mapping[str, str | None],
             config: MetricConfig = DEFAULT_CONFIG) -> dict:
    """Score a run: ``predictions`` maps row id to the model's raw reply."""
    rows = list(rows)
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        seen, dupes = set(), set()
        for i in ids:
            (dupes if i in seen else seen).add(i)
        raise ValueError(f"duplicate row ids: {', '.join(sorted(dupes)[:20])}")
    unknown = sorted(set(predictions) - set(ids))
    if unknown:
        raise UnknownIdsError(unknown)

    by_task: dict[str, list[_Outcome]] = {}
    subsets = {task: {c.subset: [] for c in COLUMNS if c.task == task and c.subset} for task in SPLIT_TASKS}
    missing_ids = []
    for row in rows:
        task = row["task"]
        check_task(task)
        reply = predictions.get(row["id"])
        if reply is None:
            missing_ids.append(row["id"])
        outcome = _Outcome(judge(task, reply, row, config), reply is None)
        by_task.setdefault(task, []).append(outcome)
        if task in subsets:
            subsets[task][subset_of(task, outcome.judgement.truth)].append(outcome)

    tasks = {task: _summary(by_task[task]) for task in TASKS if task in by_task}
    for task in SPLIT_TASKS & set(tasks):
        for subset, outcomes in subsets[task].items():
            if outcomes:
                tasks[task][subset] = _summary(outcomes)

    columns = {c.key: entry for c in COLUMNS if (entry := column_entry({"tasks": tasks}, c)) is not None}
    return {
        "tasks": tasks,
        "average": _average(columns, AVERAGED_COLUMNS),
        "average_all": _average(columns, ALL_COLUMNS),
        "missing_ids": sorted(missing_ids),
    }


def column_entry(report: Mapping, column: Column) -> Mapping | None:
    entry = report["tasks"].get(column.task)
    if entry is not None and column.subset is not None:
        entry = entry.get(column.subset)
    return entry


def _cell(value) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def format_markdown(report: Mapping, label: str = "model", paper_rows: Sequence = ()) -> str:
    """The report as the paper's Table 1 (composite and exact rows), plus counts per column.

    ``paper_rows`` (`paper.PAPER_ROWS`) are printed under the run's rows, marked as the paper's
    composite figures on its own tiny set."""
    header = ["", "avg"] + [c.header for c in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for metric in ("composite", "exact"):
        cells = [f"{label} ({metric})", _cell(report["average"][metric])]
        for column in COLUMNS:
            entry = column_entry(report, column)
            cells.append(_cell(entry[metric] if entry else None))
        lines.append("| " + " | ".join(cells) + " |")
    for row in paper_rows:
        cells = [f"{row.model} (paper, tiny) †", _cell(row.average)] + [_cell(row.columns[c.key]) for c in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    for count in ("n", "unparsable", "missing"):
        cells = [count, ""]
        for column in COLUMNS:
            entry = column_entry(report, column)
            cells.append(_cell(entry[count] if entry else None))
        lines.append("| " + " | ".join(cells) + " |")
    everything = report["average_all"]
    lines += [
        "",
        f"avg: unweighted mean of {len(report['average']['tasks'])} columns, trans-rot and rot-rot "
        f"excluded as in the paper. Mean of all {len(everything['tasks'])} columns: "
        f"{_cell(everything['composite'])} composite, {_cell(everything['exact'])} exact.",
    ]
    if report["missing_ids"]:
        lines.append(f"{len(report['missing_ids'])} question(s) had no prediction and scored 0.")
    if paper_rows:
        lines.append("† The paper's figures (composite score, as printed in its Table 1) on the paper's own "
                     "MiSI-Bench(tiny) questions, not on this build's; they are a reference, not a run on the same set.")
    return "\n".join(lines) + "\n"
