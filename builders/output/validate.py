"""``misi-bench validate OUT``: every row against its schema, counts and shard hashes against
the manifest, ids unique, no blank image. Returns a list of problems; empty means valid. A
manifest that is missing or fails schema/manifest.schema.json raises ManifestError (nothing
else can be checked against it)."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq
from PIL import Image

from misi_bench.schema import image_digest

from . import manifest as manifest_io
from .row_assembly import schema_errors
from .writer import file_sha256

MAX_REPORTED = 20


def validate_folder(out: Path) -> list[str]:
    out = Path(out)
    manifest = manifest_io.read_checked(out / manifest_io.MANIFEST_NAME)
    problems: list[str] = []
    listed = set()
    images = _ImageCheck()
    for task, per_split in manifest["configs"].items():
        ids: dict[str, str] = {}  # row id -> split, over train and test (tiny repeats test ids)
        for split, entry in per_split.items():
            rows = 0
            for shard in entry["shards"]:
                path = out / shard["path"]
                listed.add(path.resolve())
                if not path.resolve().is_relative_to(out.resolve()):
                    problems.append(f"{shard['path']}: leads outside {out}; not read")
                    continue
                if not path.is_file():
                    problems.append(f"{shard['path']}: missing")
                    continue
                if file_sha256(path) != shard["sha256"]:
                    problems.append(f"{shard['path']}: sha256 differs from the manifest")
                problems.extend(_check_rows(path, shard, task, split, ids, images))
                rows += shard["rows"]
            if rows != entry["rows"]:
                problems.append(f"{task}/{split}: shards hold {rows} rows, manifest says {entry['rows']}")
    stray = [p for p in (out / "data").rglob("*") if p.is_file() and p.resolve() not in listed]
    problems.extend(f"{p.relative_to(out)}: not listed in the manifest" for p in sorted(stray))
    problems.extend(f"{p.relative_to(out)}: a script in the dataset folder" for p in sorted(out.rglob("*.py")))
    return problems


class _ImageCheck:
    """Blank images (one colour all over, e.g. a complex with NaN coordinates rendered black),
    each distinct PNG decoded once."""

    def __init__(self):
        self.verdicts: dict[str, str | None] = {}

    def problem(self, png: bytes) -> str | None:
        digest = image_digest(png)
        if digest not in self.verdicts:
            self.verdicts[digest] = self._inspect(png)
        return self.verdicts[digest]

    @staticmethod
    def _inspect(png: bytes) -> str | None:
        try:
            with Image.open(io.BytesIO(png)) as picture:
                extrema = picture.getextrema()  # per band, or one (low, high) for a one-band image
        except Exception as error:  # any undecodable image is reported, not raised
            return f"undecodable PNG ({type(error).__name__})"
        bands = extrema if isinstance(extrema[0], tuple) else (extrema,)
        return "blank image (one colour)" if all(low == high for low, high in bands) else None


def _check_rows(path: Path, shard: dict, task: str, split: str, ids: dict[str, str], images: _ImageCheck) -> list[str]:
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
            if split != "tiny":
                if row["id"] in ids:
                    errors.append(f"id repeated (also in {ids[row['id']]})")
                ids[row["id"]] = split
            errors.extend(f"images/{n}: {problem}" for n, image in enumerate(row["images"])
                          if (problem := images.problem(image["bytes"])))
            problems.extend(f"{shard['path']}: {row['id']}: {e}" for e in errors)
            if len(problems) >= MAX_REPORTED:
                return problems
    return problems
