"""The ``misi-bench`` command line.

Every failure the user can cause (missing directory, bad split file, unknown task) ends with one
line on stderr and exit code 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import inspect_corpus
from .pdbbind import SourceError, sample_corpus_dir
from .splits import SplitFileError

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
    return sample_corpus_dir() if args.sample else args.source


def _split_file(args: argparse.Namespace) -> Path | None:
    if args.split_file is not None:
        return args.split_file
    if args.sample:
        return sample_corpus_dir() / "splits.json"
    return None


def cmd_inspect(args: argparse.Namespace) -> int:
    summary = inspect_corpus.summarize(source_dir(args), _split_file(args))
    print(json.dumps(summary, indent=2) if args.json else inspect_corpus.format_summary(summary))
    return 0


# Subcommands whose issue has not landed yet: name -> (help, issue that implements it).
_PENDING = {
    "build": ("build the benchmark dataset (Parquet shards, manifest, card)", 5),
    "validate": ("re-validate a built folder against schema/ and its manifest", 5),
    "verify": ("check a build's shards against a manifest, byte for byte", 8),
    "evaluate": ("score model predictions with the paper's metrics", 7),
    "render": ("render one scene of one complex to a PNG", 3),
    "audit": ("answerability and shortcut report of a build", 9),
    "gallery": ("static HTML pages of sample questions", 9),
    "baseline": ("write oracle/random/majority predictions", 7),
    "merge": ("combine --shard i/n builds into one folder", 8),
    "push": ("publish a build to the Hugging Face Hub", 8),
}


def _pending(name: str, issue: int):
    def run(args: argparse.Namespace) -> int:
        raise CLIError(f"'{name}' is not implemented yet (issue {issue})")

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="misi-bench", description="Rebuild MiSI-Bench from PDBbind as a Hugging Face dataset.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    inspect = commands.add_parser("inspect", help="corpus summary: complexes per split, atoms, hydrogens, skipped entries")
    _add_source(inspect)
    inspect.add_argument("--split-file", type=Path, help='JSON {"train": [ids], "test": [ids]} overriding the hashed split')
    inspect.add_argument("--json", action="store_true", help="print the summary as JSON")
    inspect.set_defaults(run=cmd_inspect)

    for name, (help_text, issue) in _PENDING.items():
        pending = commands.add_parser(name, help=f"{help_text} (not implemented yet: issue {issue})")
        pending.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        pending.set_defaults(run=_pending(name, issue))
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (CLIError, SourceError, SplitFileError) as error:
        print(f"misi-bench: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("misi-bench: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
