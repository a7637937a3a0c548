"""The ``misi-bench audit OUT [--out DIR] [--source DIR | --sample] [--split S]`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from misi_bench.evaluation.runs import RunError

EXIT_USAGE = 2


def add_audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, metavar="OUT", help="a built folder (manifest.json + data/)")
    parser.add_argument("--out", type=Path, help="folder for audit.json and audit.md (default OUT/audit)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--source", type=Path, metavar="PDBBIND_DIR",
                       help="the PDBbind folder the build was made from: enables visible-atom, label, "
                            "atom-overlap and closest-residue checks")
    group.add_argument("--sample", action="store_true", help="the bundled sample corpus is the source")
    parser.add_argument("--split", default="test", help="split the shortcut baselines are scored on (default test)")
    parser.add_argument("--max-rows", type=int, help="rows per task and split for the image checks (default from thresholds.json)")


def run_audit(args: argparse.Namespace) -> int:
    from ..source.pdbbind import sample_corpus_dir
    from misi_bench.audit.report import audit, write

    if args.max_rows is not None and args.max_rows < 1:
        print(f"misi-bench: error: --max-rows must be at least 1, got {args.max_rows}", file=sys.stderr)
        return EXIT_USAGE
    if not Path(args.dataset).is_dir():
        print(f"misi-bench: error: build folder does not exist: {args.dataset}", file=sys.stderr)
        return EXIT_USAGE
    source, label = None, None
    if args.sample:
        source, label = sample_corpus_dir(), "sample corpus"
    elif args.source is not None:
        if not args.source.is_dir():
            print(f"misi-bench: error: source folder does not exist: {args.source}", file=sys.stderr)
            return EXIT_USAGE
        source = args.source
    thresholds = {"max_rows_per_task": args.max_rows} if args.max_rows else None
    try:
        result = audit(args.dataset, source, label, args.split, thresholds)
    except RunError as error:
        print(f"misi-bench: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    json_path, md_path = write(result, args.out or Path(args.dataset) / "audit")
    for line in result["flags"]:
        print(f"flag: {line}")
    print(f"wrote {json_path} and {md_path}: {len(result['flags'])} finding(s)")
    return 0
