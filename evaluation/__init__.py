"""Score model replies to MiSI-Bench questions (spec §3 grammar, §5 metrics, §6 table).

Harness use (e.g. an lmms-eval ``process_results`` hook)::

    from misi_bench.evaluation import score, exact
    value = score(doc["task"], reply, doc)  # 0..1

Whole run::

    report = evaluate(records, {record_id: reply, ...})
    print(format_markdown(report))

The choices the paper leaves open are listed in docs/evaluation.md and in each module's docstring.
"""

from __future__ import annotations

from .metrics import DEFAULT_CONFIG, Judgement, MetricConfig, exact, judge, score, score_parsed
from .parsing import (
    NO,
    TASKS,
    Bond,
    BondList,
    Choice,
    Command,
    Docking,
    ParseError,
    UnknownTaskError,
    parse_prediction,
    parse_truth,
)
from .report import COLUMNS, UnknownIdsError, column_average, evaluate, format_markdown
from .runs import (
    RunError, add_evaluate_arguments, read_predictions, read_records, run_evaluate, write_predictions,
)

__all__ = [
    "COLUMNS", "DEFAULT_CONFIG", "NO", "TASKS",
    "Bond", "BondList", "Choice", "Command", "Docking", "Judgement", "MetricConfig",
    "ParseError", "RunError", "UnknownIdsError", "UnknownTaskError",
    "add_evaluate_arguments", "column_average", "evaluate", "exact", "format_markdown", "judge",
    "parse_prediction", "parse_truth", "read_predictions", "read_records", "run_evaluate",
    "score", "score_parsed", "write_predictions",
]
