"""Command layer of ``misi-bench merge``, ``push`` and ``gallery``: arguments, messages, exit codes.

The implementations are imported when their command runs (they pull in pyarrow, the tasks and
huggingface_hub), so the other commands start fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path



def add_merge_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shards", nargs="+", type=Path, metavar="SHARD_OUT", help="output folders of build --shard i/n, all n of them")
    parser.add_argument("--out", type=Path, required=True, help="merged output folder (Hub-ready)")


def run_merge(args: argparse.Namespace) -> int:
    from ..run.merge import merge

    data = merge(args.shards, args.out)
    rows = sum(e["rows"] for per_split in data["configs"].values() for s, e in per_split.items() if s != "tiny")
    print(f"merged {len(args.shards)} shard(s): {rows} questions for "
          f"{sum(len(v) for v in data['complexes'].values())} complexes to {args.out}")
    return 0


def add_push_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT", help="a finished (merged) build folder")
    parser.add_argument("--repo-id", required=True, help="dataset repository on the Hub, e.g. org/MiSI-Bench")
    parser.add_argument("--dry-run", action="store_true", help="list the files, sizes and viewer checks; upload nothing")
    parser.add_argument("--private", action="store_true", help="create the repository as private")


def run_push(args: argparse.Namespace) -> int:
    from ..output.push import push

    problems, plan, checks = push(args.out, args.repo_id, dry_run=args.dry_run, private=args.private)
    if problems:
        for problem in problems:
            print(problem)
        print(f"{args.out}: refusing to push, validate found {len(problems)} problem(s)")
        return 1
    for path, size in plan:
        print(f"{size:>14,}  {path}")
    print(f"{sum(size for _, size in plan):>14,}  total, {len(plan)} files")
    for check in checks:
        print(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.detail}")
    if not all(c.ok for c in checks):
        print(f"{args.out}: refusing to push, {sum(not c.ok for c in checks)} viewer check(s) failed")
        return 1
    target = f"https://huggingface.co/datasets/{args.repo_id}"
    print(f"dry run: would upload {len(plan)} files to {target}" if args.dry_run else f"pushed {len(plan)} files to {target}")
    return 0


def add_gallery_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, metavar="OUT", help="a built folder (manifest.json + data/)")
    parser.add_argument("--out", type=Path, required=True, help="folder of the static site (index.html + one page per task)")
    parser.add_argument("--per-task", type=int, default=3, help="questions shown per task (default 3)")
    parser.add_argument("--open", action="store_true", help="show question text and params unfolded")


def run_gallery(args: argparse.Namespace) -> int:
    from misi_bench.audit.gallery import write_site
    from misi_bench.evaluation.runs import RunError

    from ..output.folder_rules import OutputFolderError

    if args.per_task < 1:
        print("misi-bench: error: --per-task must be at least 1", file=sys.stderr)
        return 2
    try:
        pages = write_site(args.dataset, args.out, args.per_task, args.open)
    except (RunError, OutputFolderError) as error:
        print(f"misi-bench: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {len(pages)} pages to {args.out} (open {Path(args.out) / 'index.html'})")
    return 0
