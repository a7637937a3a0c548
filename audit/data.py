"""Reading a build for the audit: rows per config and split (through the manifest), decoded
images, and, when a source corpus is given, the complexes the rows were made from."""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from misi_bench.evaluation.runs import read_manifest, shard_error

AUDITED_SPLITS = ("train", "test")  # tiny is a subset of test
THRESHOLDS_PATH = Path(__file__).with_name("thresholds.json")


@lru_cache(maxsize=1)
def default_thresholds() -> dict:
    data = json.loads(THRESHOLDS_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def decode(image: dict | bytes) -> np.ndarray:
    """(H, W, 3) uint8 RGB of one stored image ({'bytes', 'path'} or raw PNG bytes)."""
    data = image["bytes"] if isinstance(image, dict) else image
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))


def content_mask(rgb: np.ndarray, level: int) -> np.ndarray:
    """Pixels brighter than ``level`` in any channel (the background is black)."""
    return rgb.max(axis=2) > level


def entropy_bits(rgb: np.ndarray) -> float:
    """Shannon entropy (bits) of the 8-bit luminance histogram."""
    gray = (rgb.astype(np.uint32) @ np.array([299, 587, 114], dtype=np.uint32) // 1000).astype(np.uint8)
    counts = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log2(p)).sum())


@dataclass
class Build:
    """A built folder: manifest, configs and row access."""

    out: Path
    manifest: dict = field(init=False)

    def __post_init__(self) -> None:
        self.out = Path(self.out)
        self.manifest = read_manifest(self.out)

    @property
    def tasks(self) -> list[str]:
        from misi_bench.builders.tasks import TASKS

        present = set(self.manifest["configs"])
        return [t for t in TASKS if t in present] + sorted(present - set(TASKS))

    def splits(self, task: str) -> list[str]:
        return [s for s in AUDITED_SPLITS if s in self.manifest["configs"].get(task, {})]

    def rows(self, task: str, split: str, columns: list[str] | None = None, limit: int | None = None) -> Iterator[dict]:
        """Rows of one config/split in shard order, only ``columns`` (all when None)."""
        seen = 0
        for shard in self.manifest["configs"].get(task, {}).get(split, {}).get("shards", []):
            path = self.out / shard["path"]
            try:
                parquet = pq.ParquetFile(path)
                wanted = None if columns is None else [c for c in columns if c in parquet.schema_arrow.names]
                for batch in parquet.iter_batches(batch_size=32, columns=wanted):
                    for row in batch.to_pylist():
                        if limit is not None and seen >= limit:
                            return
                        seen += 1
                        yield row
            except (OSError, pa.ArrowException) as error:
                raise shard_error(path, error) from None

    def all_rows(self, task: str, columns: list[str] | None = None, limit: int | None = None) -> Iterator[dict]:
        """Rows of every audited split (train, test), ``limit`` per split."""
        for split in self.splits(task):
            yield from self.rows(task, split, columns, limit)


class Complexes:
    """Complexes of a source corpus by PDB id, read on demand and kept in a small LRU cache."""

    def __init__(self, source: Path, cache: int = 16):
        from misi_bench.builders.source.pdbbind import find_entries

        self.source = Path(source)
        self.entries = {entry.pdb_id: entry for entry in find_entries(self.source)}
        self.cache: OrderedDict = OrderedDict()
        self.size = cache

    def get(self, pdb_id: str):
        from misi_bench.builders.source.pdbbind import SkippedEntry, read_entry

        if pdb_id in self.cache:
            self.cache.move_to_end(pdb_id)
            return self.cache[pdb_id]
        entry = self.entries.get(pdb_id)
        found = read_entry(entry) if entry is not None else None
        found = None if isinstance(found, SkippedEntry) else found
        self.cache[pdb_id] = found
        if len(self.cache) > self.size:
            self.cache.popitem(last=False)
        return found


def scene_of(row: dict, index: int):
    from misi_bench.renderers import Scene

    return Scene.from_json(row["params"]["scenes"][index])


def complex_id_of_image(row: dict, index: int) -> str:
    """The complex image ``index`` shows: the partner for T5's target views and options."""
    role = row["image_roles"][index]
    partner = (row.get("params") or {}).get("partner")
    if partner and (role.startswith("target_") or role.startswith("option_")):
        return partner
    return row["pdb_id"]
