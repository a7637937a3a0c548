"""``misi-bench evaluate``: score a predictions file against a built dataset folder.

Records come from the folder's Parquet shards (found through ``manifest.json``), read with
pyarrow without the ``images`` column. Predictions are JSON lines ``{"id": ..., "prediction":
...}``. Every error the user can cause (no manifest, unknown task or split, bad predictions
file, ids not in the split) raises :class:`RunError`, which the command layer prints as one line.

Our choices (also in docs/evaluation.md):

* ``--task all`` means every config present in the manifest that has the split; a comma list
  is also accepted. Predictions are checked against the rows of the selected tasks only, so
  an id of another task counts as "not in the split".
* A ``prediction`` must be a string or ``null``; ``null`` counts as missing. An id given twice
  is an error (no silent last-wins), except a failure line of ``misi-bench predict``
  (``prediction`` null with an ``error``), which a later answer of the same id replaces. Blank
  lines are skipped.
* ``--markdown`` prints the Table-1 markdown instead of the JSON report. Ids without a
  prediction are listed in the report's ``missing_ids`` and, as one line, on stderr.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from .parsing import TASKS

SPLITS = ("train", "test", "tiny")
MANIFEST_NAME = "manifest.json"


class RunError(ValueError):
    """A user-facing error of evaluate/baseline: printed as one line, exit code 2."""


# ---------------------------------------------------------------- dataset folder

def read_manifest(dataset: Path) -> dict:
    """The folder's manifest; RunError when the folder is not a build."""
    path = Path(dataset) / MANIFEST_NAME
    if not path.is_file():
        raise RunError(f"{dataset} is not a misi-bench build: no {MANIFEST_NAME}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RunError(f"cannot read {path}: {error}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("configs"), dict):
        raise RunError(f"{path} has no 'configs' table")
    return manifest


def _ordered(tasks: Iterable[str]) -> list[str]:
    """Tasks in the spec's order, unknown names last in alphabetical order."""
    tasks = set(tasks)
    return [t for t in TASKS if t in tasks] + sorted(tasks - set(TASKS))


def select_tasks(manifest: Mapping, task_arg: str, split: str) -> list[str]:
    """The configs named by ``--task`` (``all``, one name or a comma list) that have ``split``."""
    configs = manifest["configs"]
    if task_arg == "all":
        chosen = _ordered(t for t, per_split in configs.items() if split in per_split)
        if not chosen:
            raise RunError(f"no config of this build has a '{split}' split")
        return chosen
    names = [t.strip() for t in task_arg.split(",") if t.strip()]
    if not names:
        raise RunError("--task is empty")
    absent = [t for t in names if t not in configs]
    if absent:
        raise RunError(f"task(s) not in this build: {', '.join(absent)}; present: {', '.join(_ordered(configs))}")
    without = [t for t in names if split not in configs[t]]
    if without:
        raise RunError(f"task(s) without a '{split}' split in this build: {', '.join(without)}")
    return _ordered(dict.fromkeys(names))


def shard_paths(dataset: Path, manifest: Mapping, task: str, split: str) -> list[Path]:
    """The Parquet shards of one config/split, as listed in the manifest (empty if none)."""
    entry = manifest["configs"].get(task, {}).get(split)
    if entry is None:
        raise RunError(f"the build has no {task}/{split} split")
    paths = [Path(dataset) / shard["path"] for shard in entry.get("shards", [])]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise RunError(f"shard(s) listed in the manifest are missing: {', '.join(missing[:3])}")
    return paths


def iter_rows(dataset: Path, task: str, split: str, manifest: Mapping | None = None,
              columns: Iterable[str] | None = None, batch_size: int = 32) -> Iterator[dict]:
    """The rows of one config/split in shard order, read a batch at a time (so a split with
    its images never sits in memory at once). ``columns=None``: every column but ``images``."""
    manifest = manifest if manifest is not None else read_manifest(dataset)
    for path in shard_paths(dataset, manifest, task, split):
        try:
            shard = pq.ParquetFile(path)
            names = list(columns) if columns is not None else [c for c in shard.schema_arrow.names if c != "images"]
            for batch in shard.iter_batches(batch_size=batch_size, columns=names):
                yield from batch.to_pylist()
        except (OSError, pa.ArrowException) as error:
            raise shard_error(path, error) from None


def read_rows(dataset: Path, task: str, split: str, manifest: Mapping | None = None) -> list[dict]:
    """Every row of one config/split without its images, in shard order."""
    return list(iter_rows(dataset, task, split, manifest))


def shard_error(path: Path, error: Exception) -> RunError:
    """A shard that cannot be read (truncated, not Parquet), as a one-line user error."""
    return RunError(f"cannot read shard {path}: {' '.join(str(error).split())[:300]}")


def read_split(dataset: Path, task_arg: str, split: str) -> tuple[list[str], list[dict]]:
    """The selected tasks and all their rows of ``split``."""
    manifest = read_manifest(dataset)
    tasks = select_tasks(manifest, task_arg, split)
    rows = [row for task in tasks for row in read_rows(dataset, task, split, manifest)]
    return tasks, rows


# ---------------------------------------------------------------- predictions files

def prediction_lines(path: Path) -> Iterator[tuple[str, dict]]:
    """``(where, item)`` for every non-blank line of a predictions file, each item checked to be
    ``{"id": str, "prediction": str | None, ...}``; RunError naming the first bad line."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise RunError(f"predictions file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RunError(f"cannot read predictions file {path}: {error}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            raise RunError(f"{where}: not a JSON object (expected JSON lines {{\"id\": ..., \"prediction\": ...}})") from None
        if not isinstance(item, dict) or "id" not in item or "prediction" not in item:
            raise RunError(f"{where}: each line needs the keys 'id' and 'prediction'")
        if not isinstance(item["id"], str):
            raise RunError(f"{where}: 'id' must be a string")
        if item["prediction"] is not None and not isinstance(item["prediction"], str):
            raise RunError(f"{where}: 'prediction' must be a string or null")
        yield where, item


def is_failure(item: Mapping) -> bool:
    """A line ``misi-bench predict`` wrote for a request that failed: no prediction, an error."""
    return item["prediction"] is None and item.get("error") is not None


def read_predictions(path: Path) -> dict[str, str | None]:
    """``{id: reply}`` from a JSON-lines file; RunError naming the first bad line.

    A failure line of ``misi-bench predict`` (``prediction`` null with an ``error``) marks its id
    as missing unless another line of the file answers it; any other id given twice is an error.
    """
    predictions: dict[str, str | None] = {}
    failed: set[str] = set()
    for where, item in prediction_lines(path):
        row_id = item["id"]
        if is_failure(item):
            failed.add(row_id)
            continue
        if row_id in predictions:
            raise RunError(f"{where}: id {row_id} appears twice")
        predictions[row_id] = item["prediction"]
    for row_id in failed - predictions.keys():
        predictions[row_id] = None
    return predictions


def write_predictions(path: Path, predictions: Iterable[tuple[str, str | None]]) -> int:
    """Write ``(id, reply)`` pairs as JSON lines atomically (temp file + rename); returns the count."""
    path = Path(path)
    if not path.parent.is_dir():
        raise RunError(f"folder of --out does not exist: {path.parent}")
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                         prefix=f".{path.name}.", suffix=".tmp", delete=False)
    count = 0
    try:
        with handle:
            for row_id, reply in predictions:
                handle.write(json.dumps({"id": row_id, "prediction": reply}, ensure_ascii=False) + "\n")
                count += 1
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return count

