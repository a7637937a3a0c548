"""``misi-bench validate OUT``: every row against its schema, counts and shard hashes against
the manifest. Returns a list of problems; empty means valid."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from . import manifest as manifest_io
from .records import schema_errors
from .writer import file_sha256

MAX_REPORTED = 20


def validate_folder(out: Path) -> list[str]:
    out = Path(out)
    if not (out / manifest_io.MANIFEST_NAME).is_file():
        return [f"{out}: no {manifest_io.MANIFEST_NAME}; not a misi-bench build"]
    manifest = manifest_io.read(out)
    problems: list[str] = []
    listed = set()
    for task, per_split in manifest["configs"].items():
        for split, entry in per_split.items():
            rows = 0
            for shard in entry["shards"]:
                path = out / shard["path"]
                listed.add(path.resolve())
                if not path.is_file():
                    problems.append(f"{shard['path']}: missing")
                    continue
                if file_sha256(path) != shard["sha256"]:
                    problems.append(f"{shard['path']}: sha256 differs from the manifest")
                problems.extend(_check_rows(path, shard, task, split))
                rows += shard["rows"]
            if rows != entry["rows"]:
                problems.append(f"{task}/{split}: shards hold {rows} rows, manifest says {entry['rows']}")
    stray = [p for p in (out / "data").rglob("*") if p.is_file() and p.resolve() not in listed]
    problems.extend(f"{p.relative_to(out)}: not listed in the manifest" for p in sorted(stray))
    problems.extend(f"{p.relative_to(out)}: a script in the dataset folder" for p in sorted(out.rglob("*.py")))
    return problems


def _check_rows(path: Path, shard: dict, task: str, split: str) -> list[str]:
    try:
        parquet = pq.ParquetFile(path)
    except Exception as error:  # any unreadable Parquet is reported, not raised
        return [f"{shard['path']}: unreadable Parquet ({error})"]
    problems = []
    if parquet.metadata.num_rows != shard["rows"]:
        problems.append(f"{shard['path']}: {parquet.metadata.num_rows} rows, manifest says {shard['rows']}")
    for group in range(parquet.num_row_groups):
        for row in parquet.read_row_group(group).to_pylist():
            errors = schema_errors(row)
            if row["task"] != task or row["split"] != split:
                errors.append(f"row of {row['task']}/{row['split']} in {task}/{split}")
            problems.extend(f"{shard['path']}: {row['id']}: {e}" for e in errors)
            if len(problems) >= MAX_REPORTED:
                return problems
    return problems
