"""Command layer of ``misi-bench predict`` and ``misi-bench export``: arguments, messages, exit codes.

Exit codes: 0 done; 1 ``predict`` finished but some rows failed (they are in the file and are
retried by the next run); 2 bad input (one line on stderr); 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from misi_bench.evaluation.export import FORMATS, export
from misi_bench.evaluation.runs import SPLITS, RunError, read_manifest, select_tasks

from .evaluate import add_dataset_arguments, fail

DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"
NO_KEY = "no-key"  # sent when no key is set: local servers ignore the header, the SDK needs one


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = _non_negative_float(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def _http_url(text: str) -> str:
    if not text.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"expected an http:// or https:// URL, got {text!r}")
    return text


# ---------------------------------------------------------------- predict

def add_predict_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``misi-bench predict``."""
    add_dataset_arguments(parser)
    parser.add_argument("--base-url", type=_http_url, required=True,
                        help="OpenAI-compatible API root, e.g. http://localhost:8000/v1")
    parser.add_argument("--model", required=True, help="model name as the server knows it")
    parser.add_argument("--out", type=Path, required=True, metavar="PREDS.jsonl",
                        help="JSON lines to append to; rows this model already answered there are not sent again")
    parser.add_argument("--concurrency", type=_positive_int, default=4, help="requests in flight (default 4)")
    parser.add_argument("--max-tokens", type=_positive_int, default=512, help="max_tokens of each request (default 512)")
    parser.add_argument("--temperature", type=_non_negative_float, default=0.0, help="sampling temperature (default 0)")
    parser.add_argument("--system-prompt", help="a system message sent before each question (default none)")
    parser.add_argument("--api-key-env", default=DEFAULT_API_KEY_ENV, metavar="VAR",
                        help=f"environment variable holding the API key (default {DEFAULT_API_KEY_ENV}; a local server needs none)")
    parser.add_argument("--limit", type=_positive_int, help="only the first N rows of the selection")
    parser.add_argument("--timeout", type=_positive_float, default=120.0, help="seconds per request attempt (default 120)")
    parser.add_argument("--max-retries", type=int, choices=range(0, 21), default=5, metavar="N",
                        help="retries of a request on 429, 5xx, connection errors and timeouts (default 5)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def _api_key(variable: str) -> str:
    key = os.environ.get(variable)
    if key:
        return key
    if variable != DEFAULT_API_KEY_ENV:
        raise RunError(f"--api-key-env {variable}: that environment variable is not set")
    return NO_KEY


def format_summary(summary, out: Path) -> str:
    """The closing lines of ``predict``."""
    lines = [
        f"answered {summary.answered} of {summary.to_send} row(s) sent, {summary.failed} failed; "
        f"{summary.already_answered} of the {summary.selected} selected were answered by an earlier run",
        f"tokens as the server reported them: {summary.prompt_tokens:,} prompt + {summary.completion_tokens:,} completion"
        + (f" ({summary.replies_without_usage} replies without usage)" if summary.replies_without_usage else ""),
        f"wall time {summary.seconds:.1f} s; predictions in {out}",
    ]
    if summary.failed:
        lines.append(f"{summary.failed} row(s) failed and are recorded in {out}; run the same command again to retry them. "
                     f"First error(s): " + " | ".join(summary.errors))
    return "\n".join(lines)


def run_predict(args: argparse.Namespace) -> int:
    from misi_bench.evaluation.predict import RunSummary, ServerConfig, ServerRefused, predict

    summary = RunSummary()
    try:
        server = ServerConfig(base_url=args.base_url, model=args.model, api_key=_api_key(args.api_key_env),
                              max_tokens=args.max_tokens, temperature=args.temperature,
                              system_prompt=args.system_prompt, timeout=args.timeout,
                              max_retries=args.max_retries, concurrency=args.concurrency)
        tasks = select_tasks(read_manifest(args.dataset), args.task, args.split)
        predict(args.dataset, tasks, args.split, args.out, server, limit=args.limit,
                progress=not args.quiet, summary=summary)
    except (RunError, ServerRefused) as error:
        if summary.answered or summary.failed:
            print(format_summary(summary, args.out))
        return fail(error)
    except KeyboardInterrupt:
        print(format_summary(summary, args.out))
        print("misi-bench: interrupted; run the same command again to continue", file=sys.stderr)
        return 130
    print(format_summary(summary, args.out))
    return 1 if summary.failed else 0


# ---------------------------------------------------------------- export

def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``misi-bench export``."""
    parser.add_argument("dataset", type=Path, metavar="OUT", help="a built folder (with manifest.json)")
    parser.add_argument("--format", choices=FORMATS, default="sharegpt",
                        help="sharegpt: LLaMA-Factory (dataset_info.json + images/); openai: OpenAI chat fine-tuning JSONL")
    parser.add_argument("--task", default="all", help="'all' (every config in the build) or config name(s), comma-separated")
    parser.add_argument("--split", choices=SPLITS, default="train", help="split to export (default train)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="new or empty folder (or an earlier export, which is replaced)")


def run_export(args: argparse.Namespace) -> int:
    try:
        tasks = select_tasks(read_manifest(args.dataset), args.task, args.split)
        summary = export(args.dataset, tasks, args.split, args.out, args.format)
    except RunError as error:
        return fail(error)
    images = (f"{summary.images_written} distinct image file(s) for {summary.image_references} image reference(s)"
              if args.format == "sharegpt" else f"{summary.image_references} inline image(s)")
    print(f"exported {summary.questions} {args.split} question(s) of {len(tasks)} task(s) to {args.out} "
          f"({args.format}): {images}")
    return 0
