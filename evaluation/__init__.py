"""Score model replies to MiSI-Bench questions (answer grammar and scores: docs/conventions.md; table: the paper's Table 1).

Harness use (e.g. an lmms-eval ``process_results`` hook)::

    from misi_bench.evaluation import score, exact
    value = score(doc["task"], reply, doc)  # 0..1

Whole run::

    report = evaluate(rows, {row_id: reply, ...})
    print(format_markdown(report))

The choices the paper leaves open are listed in docs/evaluation.md and in each module's docstring.
"""

from __future__ import annotations

from misi_bench.renderers.operations import Operation

from .metrics import DEFAULT_CONFIG, Judgement, MetricConfig, exact, judge, score, score_parsed
from .parsing import (
    NO,
    TASKS,
    Bond,
    BondList,
    Choice,
    Docking,
    ParseError,
    UnknownTaskError,
    parse_prediction,
    parse_truth,
)
from .report import COLUMNS, UnknownIdsError, column_average, evaluate, format_markdown
from .runs import RunError, read_predictions, read_rows, write_predictions

__all__ = [
    "COLUMNS", "DEFAULT_CONFIG", "NO", "TASKS",
    "Bond", "BondList", "Choice", "Docking", "Judgement", "MetricConfig", "Operation",
    "ParseError", "RunError", "UnknownIdsError", "UnknownTaskError",
    "column_average", "evaluate", "exact", "format_markdown", "judge",
    "parse_prediction", "parse_truth", "read_predictions", "read_rows",
    "score", "score_parsed", "write_predictions",
]
