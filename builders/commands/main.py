"""The ``misi-bench`` command line.

Every failure the user can cause (missing directory, bad split file, unknown task) ends with one
line on stderr and exit code 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from misi_bench.renderers import backend

from ..run.sharding import ShardSpecError, parse_shard
from .audit import add_audit_arguments, run_audit
from .evaluate import add_baseline_arguments, add_evaluate_arguments, run_baseline, run_evaluate
from .model import add_export_arguments, add_predict_arguments, run_export, run_predict
from .publish import (
    add_gallery_arguments, add_merge_arguments, add_push_arguments, run_gallery, run_merge, run_push,
)

EXIT_USAGE = 2


class CLIError(Exception):
    """A user-facing error: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line instead of usage + message
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _add_source(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--source", type=Path, metavar="PDBBIND_DIR", help="PDBbind directory (entries XXXX/XXXX_pocket.pdb ...)")
    group.add_argument("--sample", action="store_true", help="use the small public sample corpus bundled with the package")


def source_dir(args: argparse.Namespace) -> Path:
    from ..source.pdbbind import sample_corpus_dir

    return sample_corpus_dir() if args.sample else args.source


def _split_file(args: argparse.Namespace) -> Path | None:
    if args.split_file is not None:
        return args.split_file
    if args.sample:
        return source_dir(args) / "splits.json"
    return None


def cmd_inspect(args: argparse.Namespace) -> int:
    from ..source import inspect_corpus

    summary = inspect_corpus.summarize(source_dir(args), _split_file(args))
    print(json.dumps(summary, indent=2) if args.json else inspect_corpus.format_summary(summary))
    return 0


def _shard(text: str) -> tuple[int, int]:
    try:
        return parse_shard(text)
    except ShardSpecError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _task_list(text: str) -> tuple[str, ...]:
    from ..tasks import TASKS

    return tuple(TASKS) if text == "all" else tuple(t.strip() for t in text.split(",") if t.strip())


def cmd_build(args: argparse.Namespace) -> int:
    from ..run.build import BuildConfig, build
    from ..run.tuning import tune_build_process

    if args.own_process:
        tune_build_process()
    config = BuildConfig(
        source=source_dir(args),
        out=args.out,
        tasks=_task_list(args.tasks),
        splits=tuple(s.strip() for s in args.splits.split(",") if s.strip()),
        seed=args.seed,
        image_size=args.image_size,
        split_file=_split_file(args),
        limit=args.limit,
        workers=args.workers,
        shard=args.shard,
        executor=args.executor,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=not args.quiet,
    )
    manifest = build(config)
    rows = sum(e["rows"] for per_split in manifest["configs"].values() for s, e in per_split.items() if s != "tiny")
    print(f"wrote {rows} questions ({manifest['images']['distinct']} distinct images) "
          f"for {sum(len(v) for v in manifest['complexes'].values())} complexes to {args.out}; "
          f"skipped {len(manifest['skipped'])} complex(es) and {len(manifest['skipped_tasks'])} task(s) of a complex "
          "(reasons in manifest.json)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from ..output.validate import validate_folder

    if not Path(args.out).is_dir():
        raise CLIError(f"build folder does not exist: {args.out}")
    problems = validate_folder(args.out)
    for problem in problems:
        print(problem)
    print(f"{args.out}: {'valid' if not problems else f'{len(problems)} problem(s)'}")
    return 0 if not problems else 1


_RESIDUE = re.compile(r"^([A-Za-z0-9]{1,4}):(-?\d+)([A-Za-z]?)(?::([A-Za-z0-9]))?$")


def _residue_key(text: str, complex_) -> tuple[str, int, str]:
    """``ARG:45:A`` = name:number[insertion code][:chain]; the chain may be left out when unambiguous."""
    match = _RESIDUE.match(text)
    if not match:
        raise CLIError(f"--residue must look like ARG:45:A, got {text!r}")
    name, number, icode, chain = match.group(1).upper(), int(match.group(2)), match.group(3).upper(), match.group(4)
    found = [r for r in complex_.pocket.residues
             if (r.name, r.number, r.icode) == (name, number, icode) and chain in (None, r.chain)]
    if len(found) != 1:
        raise CLIError(f"{complex_.pdb_id} has {'no' if not found else 'more than one'} pocket residue {text}")
    return found[0].key


def cmd_render(args: argparse.Namespace) -> int:
    from misi_bench.renderers import Operations, OperationSyntaxError, Scene, SceneError, render_png

    from ..source.pdbbind import SkippedEntry, iter_complexes

    pdb_id = args.pdb_id.lower()
    found = list(iter_complexes(source_dir(args), {pdb_id}))
    if not found:
        raise CLIError(f"no entry {pdb_id} in {source_dir(args)}")
    if isinstance(found[0], SkippedEntry):
        raise CLIError(f"{pdb_id} cannot be read: {found[0].reason} ({found[0].detail})")
    complex_ = found[0]
    try:
        ops = Operations.parse(", ".join(args.op))
        residue = _residue_key(args.residue, complex_) if args.residue else None
        scene = Scene(show="residue" if residue else "complex", residue=residue, view=args.view, ops=ops,
                      size=args.size, labels=not args.no_labels)
        png = render_png(complex_, scene)
    except (OperationSyntaxError, SceneError) as error:
        raise CLIError(str(error)) from error
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_bytes(png)
    tmp.replace(args.out)
    print(f"{args.out}: {scene.to_json()}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from ..output.manifest import read_checked
    from ..output.verify import verify_folder

    manifest = read_checked(args.manifest)
    if not Path(args.out).is_dir():
        raise CLIError(f"build folder does not exist: {args.out}")
    problems = verify_folder(args.out, manifest)
    for problem in problems:
        print(problem)
    print(f"{args.out}: {'matches the manifest' if not problems else f'{len(problems)} shard(s) differ'}")
    return 0 if not problems else 1


_DELEGATED = (
    ("audit", "answerability and shortcut report of a build (audit.json, audit.md)", add_audit_arguments, run_audit),
    ("gallery", "static HTML pages of sample questions", add_gallery_arguments, run_gallery),
    ("merge", "combine --shard i/n builds into one folder (byte-identical to a one-shot build)", add_merge_arguments, run_merge),
    ("push", "publish a build to the Hugging Face Hub (--dry-run: files, sizes, viewer checks)", add_push_arguments, run_push),
    ("evaluate", "score model predictions with the paper's metrics (JSON or Table-1 markdown)", add_evaluate_arguments, run_evaluate),
    ("baseline", "write oracle/random/majority predictions for a split", add_baseline_arguments, run_baseline),
    ("predict", "ask an OpenAI-compatible server every question of a split (resumable JSON lines)", add_predict_arguments, run_predict),
    ("export", "write a split as fine-tuning data (LLaMA-Factory sharegpt, or OpenAI chat JSONL)", add_export_arguments, run_export),
)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="misi-bench", description="Rebuild MiSI-Bench from PDBbind as a Hugging Face dataset.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    inspect = commands.add_parser("inspect", help="corpus summary: complexes per split, atoms, hydrogens, skipped entries")
    _add_source(inspect)
    inspect.add_argument("--split-file", type=Path, help='JSON {"train": [ids], "test": [ids]} overriding the hashed split')
    inspect.add_argument("--json", action="store_true", help="print the summary as JSON")
    inspect.set_defaults(run=cmd_inspect)

    build = commands.add_parser("build", help="build the benchmark dataset (Parquet shards, manifest, card)")
    _add_source(build)
    build.add_argument("--out", type=Path, required=True, help="output folder (Hub-ready)")
    build.add_argument("--tasks", default="all", help="'all' or a comma-separated list of config names")
    build.add_argument("--splits", default="train,test", help="comma-separated splits to build (tiny follows test)")
    build.add_argument("--seed", type=int, default=0, help="global seed of every random draw (default 0)")
    build.add_argument("--image-size", type=int, default=512, help="image width = height in pixels (default 512)")
    build.add_argument("--split-file", type=Path, help='JSON {"train": [ids], "test": [ids]} overriding the hashed split')
    build.add_argument("--limit", type=int, help="use only the first N entries (sorted ids)")
    build.add_argument("--workers", type=int, default=1, help="processes rendering complexes in parallel (output is identical for any N)")
    build.add_argument("--shard", type=_shard, metavar="I/N", help="build only shard I of N (round robin over sorted ids); combine the N outputs with 'misi-bench merge'")
    build.add_argument("--executor", choices=("local", "dask"), default="local", help="local processes (--workers) or a Dask cluster (--scheduler)")
    build.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask)")
    build.add_argument("--no-resume", dest="resume", action="store_false", help="discard checkpoints of an interrupted build of --out and start over (default: resume)")
    build.add_argument("--quiet", action="store_true", help="no progress bars")
    build.set_defaults(run=cmd_build)

    validate = commands.add_parser("validate", help="re-validate a built folder against schema/ and its manifest")
    validate.add_argument("out", type=Path, metavar="OUT")
    validate.set_defaults(run=cmd_validate)

    verify = commands.add_parser("verify", help="check a build's shards against a manifest, byte for byte")
    verify.add_argument("out", type=Path, metavar="OUT")
    verify.add_argument("--manifest", type=Path, required=True, help="manifest.json to compare against")
    verify.set_defaults(run=cmd_verify)

    render = commands.add_parser("render", help="render one scene of one complex to a PNG")
    _add_source(render)
    render.add_argument("--pdb-id", required=True, help="entry to render")
    render.add_argument("--view", default="front", help="front, left, top, back, right or bottom (default front)")
    render.add_argument("--op", action="append", default=[], help='camera operations after the view, e.g. "roll y 15" (repeatable)')
    render.add_argument("--residue", help="show only this residue + the ligand, e.g. ARG:45:A")
    render.add_argument("--size", type=int, default=512, help="image width = height in pixels (default 512)")
    render.add_argument("--no-labels", action="store_true", help="draw no residue / atom labels")
    render.add_argument("--out", type=Path, required=True, help="PNG file to write")
    render.set_defaults(run=cmd_render)

    # Subcommands whose arguments and runner have a module of their own in this package.
    for name, help_text, add_arguments, run in _DELEGATED:
        sub = commands.add_parser(name, help=help_text)
        add_arguments(sub)
        sub.set_defaults(run=run)

    return parser


def _input_errors() -> tuple[type[Exception], ...]:
    """The library's typed bad-input errors. Imported only once an error is being handled: the
    modules that define them are heavy, and a command that does not use them starts faster."""
    from ..output.manifest import ManifestError
    from ..run.build import BuildError
    from ..source.pdbbind import SourceError
    from ..source.splits import SplitFileError

    return CLIError, SourceError, SplitFileError, BuildError, ManifestError, backend.KernelChoiceError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.own_process = argv is None  # the misi-bench program itself, not a caller's main([...])
    try:
        backend.check()  # a kernel choice no render can honour stops every command before any work
        return args.run(args)
    except Exception as error:
        if not isinstance(error, _input_errors()):
            raise
        print(f"misi-bench: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("misi-bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
