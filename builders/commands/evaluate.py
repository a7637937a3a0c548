"""Command layer of ``misi-bench evaluate`` and ``misi-bench baseline``: arguments, messages, exit codes.

Every error the user can cause ends with one line on stderr and exit code 2 (``fail``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from misi_bench.evaluation.baselines import KINDS, baseline_predictions
from misi_bench.evaluation.paper import PAPER_ROWS, paper_reference
from misi_bench.evaluation.report import UnknownIdsError, evaluate, format_markdown
from misi_bench.evaluation.runs import SPLITS, RunError, read_predictions, read_split, write_predictions

EXIT_USAGE = 2


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    """--dataset, --task, --split: shared by evaluate and baseline."""
    parser.add_argument("--dataset", type=Path, required=True, metavar="OUT", help="a built folder (with manifest.json)")
    parser.add_argument("--task", default="all", help="'all' (every config in the build) or config name(s), comma-separated")
    parser.add_argument("--split", choices=SPLITS, default="test", help="split to use (default test)")


def add_evaluate_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``misi-bench evaluate``."""
    add_dataset_arguments(parser)
    parser.add_argument("--predictions", type=Path, required=True, metavar="P.jsonl",
                        help='JSON lines {"id": ..., "prediction": "raw model reply"}')
    parser.add_argument("--markdown", action="store_true", help="print the paper's Table-1 layout instead of JSON")
    parser.add_argument("--label", default="model", help="row label of the markdown table")
    parser.add_argument("--compare-paper", action="store_true",
                        help="add the paper's reference rows (composite, on the paper's own tiny set)")
    parser.add_argument("--plot", type=Path, metavar="FILE.png",
                        help="also write a bar chart per task of this run and the paper's rows (needs misi-bench[plot])")


def fail(error: Exception) -> int:
    """Print a user-facing error as one line; the exit code for bad input."""
    message = " ".join(str(error).split())
    print(f"misi-bench: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run_evaluate(args: argparse.Namespace) -> int:
    """``misi-bench evaluate``: print the report; 2 on bad input."""
    try:
        _, rows = read_split(args.dataset, args.task, args.split)
        predictions = read_predictions(args.predictions)
        report = evaluate(rows, predictions)
    except UnknownIdsError as error:
        return fail(f"{error} (split '{args.split}', task(s) '{args.task}')")
    except RunError as error:
        return fail(error)
    if args.plot is not None:
        from misi_bench.evaluation.plot import plot_report

        try:
            plot_report(report, args.plot, label=args.label)
        except RunError as error:
            return fail(error)
    if args.markdown:
        print(format_markdown(report, label=args.label, paper_rows=PAPER_ROWS if args.compare_paper else ()), end="")
    else:
        print(json.dumps({**report, "paper": paper_reference()} if args.compare_paper else report, indent=2))
    missing = report["missing_ids"]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        print(f"misi-bench: warning: {len(missing)} question(s) without a prediction scored 0: {shown}", file=sys.stderr)
    return 0


def add_baseline_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``misi-bench baseline``."""
    parser.add_argument("kind", choices=KINDS, help="oracle (ground truth), random (uniform answer space), majority (train mode)")
    add_dataset_arguments(parser)
    parser.add_argument("--out", type=Path, required=True, metavar="P.jsonl", help="predictions file to write (JSON lines)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random baseline (default 0)")


def run_baseline(args: argparse.Namespace) -> int:
    """``misi-bench baseline``: write the predictions file; 2 on bad input."""
    try:
        pairs, notes = baseline_predictions(args.kind, args.dataset, args.task, args.split, args.seed)
        count = write_predictions(args.out, pairs)
    except RunError as error:
        return fail(error)
    for note in notes:
        print(f"misi-bench: note: {note}")
    print(f"wrote {count} {args.kind} predictions ({args.split}) to {args.out}")
    return 0
