"""Write a split of a build as fine-tuning data (``misi-bench export``).

Formats:

* ``sharegpt``: LLaMA-Factory's multimodal sharegpt layout. ``DIR/dataset_info.json`` holds one
  entry, ``misi_bench_<split>``, pointing at ``misi_bench_<split>.json``: a JSON list of
  ``{"messages": [{"role": "user", "content": "<image>" x n + question}, {"role": "assistant",
  "content": answer}], "images": ["images/ab/<sha256>.png", ...]}``. Each distinct PNG is written
  once, named by the SHA-256 of its bytes (renders shared by several questions are stored once),
  its bytes exactly as in the build. Paths are relative to DIR, LLaMA-Factory's ``dataset_dir``.
* ``openai``: ``DIR/misi_bench_<split>.jsonl`` in the chat fine-tuning format of OpenAI's
  fine-tuning API: ``{"messages": [user message as ``misi-bench predict`` sends it, {"role":
  "assistant", "content": answer}]}``, images inline as PNG data URLs (so nothing is shared).

Safety (our choice): DIR must be absent, empty, or an earlier export (its ``MARKER`` lists every
file export wrote there and DIR holds nothing else); anything else is refused, so no file export
did not write is ever overwritten or deleted. The new export is written to a temporary folder
beside DIR and moved into place only when complete; an earlier export is replaced as a whole.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Sequence

from misi_bench.schema import image_digest

from .chat import png_bytes, user_content
from .runs import RunError, iter_rows, read_manifest

FORMATS = ("sharegpt", "openai")
MARKER = ".misi-bench-export.json"
IMAGE_TOKEN = "<image>"
ROW_COLUMNS = ("id", "question", "answer", "images")


@dataclass
class ExportSummary:
    questions: int = 0
    image_references: int = 0
    images_written: int = 0
    files: tuple[str, ...] = ()


def dataset_name(split: str) -> str:
    return f"misi_bench_{split}"


def sharegpt_dataset_info(split: str) -> dict:
    """The ``dataset_info.json`` of a sharegpt export: one entry for LLaMA-Factory."""
    return {dataset_name(split): {
        "file_name": f"{dataset_name(split)}.json",
        "formatting": "sharegpt",
        "columns": {"messages": "messages", "images": "images"},
        "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"},
    }}


# ---------------------------------------------------------------- the target folder

def _files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def check_target(out: Path) -> bool:
    """Whether ``out`` holds an earlier export to replace; RunError when export may not write there."""
    if not out.exists():
        if not out.parent.is_dir():
            raise RunError(f"folder of --out does not exist: {out.parent}")
        return False
    if not out.is_dir():
        raise RunError(f"--out {out} exists and is not a folder")
    if not any(out.iterdir()):
        return False
    present = _files_under(out)
    try:
        written = set(json.loads((out / MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise RunError(f"--out {out} is not empty and is not an earlier misi-bench export; choose an empty or new folder") from None
    foreign = sorted(present - written - {MARKER})
    if foreign:
        raise RunError(f"--out {out} holds files misi-bench export did not write ({', '.join(foreign[:3])}"
                       f"{' ...' if len(foreign) > 3 else ''}); choose an empty or new folder")
    return True


def _publish(staging: Path, out: Path, replace: bool) -> None:
    """Move the finished export into place (replacing an earlier export as a whole)."""
    if not replace:
        if not out.exists():
            os.rename(staging, out)
            return
        for entry in staging.iterdir():  # an empty folder the user made: fill it, keep it
            os.rename(entry, out / entry.name)
        staging.rmdir()
        return
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".old"))
    os.rename(out, old / out.name)
    os.rename(staging, out)
    shutil.rmtree(old)


# ---------------------------------------------------------------- writers

def _rows(dataset: Path, tasks: Sequence[str], split: str) -> Iterator[dict]:
    manifest = read_manifest(dataset)
    for task in tasks:
        yield from iter_rows(dataset, task, split, manifest, columns=ROW_COLUMNS)


class _ImageStore:
    """``images/<2 hex>/<sha256>.png`` under a folder, each distinct PNG written once."""

    def __init__(self, root: Path):
        self.root = root
        self.written: list[str] = []
        self._seen: set[str] = set()

    def path_of(self, png: bytes) -> str:
        digest = image_digest(png)
        relative = f"images/{digest[:2]}/{digest}.png"
        if digest not in self._seen:
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(png)
            self._seen.add(digest)
            self.written.append(relative)
        return relative


def _write_item(handle: IO[str], item: dict, first: bool) -> None:
    handle.write(("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False))


def _write_sharegpt(rows: Iterator[dict], folder: Path, split: str, summary: ExportSummary) -> list[str]:
    store = _ImageStore(folder)
    items_name = f"{dataset_name(split)}.json"
    with (folder / items_name).open("w", encoding="utf-8") as handle:
        handle.write("[")
        for row in rows:
            images = [store.path_of(png_bytes(image)) for image in row["images"]]
            item = {"messages": [{"role": "user", "content": IMAGE_TOKEN * len(images) + row["question"]},
                                   {"role": "assistant", "content": row["answer"]}],
                      "images": images}
            _write_item(handle, item, first=summary.questions == 0)
            summary.questions += 1
            summary.image_references += len(images)
        handle.write("\n]\n")
    (folder / "dataset_info.json").write_text(json.dumps(sharegpt_dataset_info(split), indent=2) + "\n", encoding="utf-8")
    summary.images_written = len(store.written)
    return ["dataset_info.json", items_name, *store.written]


def _write_openai(rows: Iterator[dict], folder: Path, split: str, summary: ExportSummary) -> list[str]:
    name = f"{dataset_name(split)}.jsonl"
    with (folder / name).open("w", encoding="utf-8") as handle:
        for row in rows:
            messages = [{"role": "user", "content": user_content(row["question"], row["images"])},
                        {"role": "assistant", "content": row["answer"]}]
            handle.write(json.dumps({"messages": messages}, ensure_ascii=False) + "\n")
            summary.questions += 1
            summary.image_references += len(row["images"])
    return [name]


WRITERS = {"sharegpt": _write_sharegpt, "openai": _write_openai}


def export(dataset: Path, tasks: Sequence[str], split: str, out: Path, fmt: str = "sharegpt") -> ExportSummary:
    """Write the rows of ``tasks`` / ``split`` to ``out`` in ``fmt``; RunError for bad input."""
    if fmt not in WRITERS:
        raise RunError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(os.path.abspath(out))  # "." and "dir/" have a parent and a name
    replace = check_target(out)
    rows = _rows(dataset, tasks, split)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial"))
    os.chmod(staging, 0o755)  # mkdtemp's 0700 would become DIR's mode
    try:
        summary = ExportSummary()
        files = WRITERS[fmt](rows, staging, split, summary)
        (staging / MARKER).write_text(json.dumps({"format": fmt, "split": split, "tasks": list(tasks), "files": files}) + "\n",
                                      encoding="utf-8")
        _publish(staging, out, replace)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.files = tuple(files)
    return summary
