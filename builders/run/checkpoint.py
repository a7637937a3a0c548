"""Per-complex checkpoints: what lets a killed build resume where it stopped.

A build works in a sibling folder of its output named from the output path
(``OUT`` -> ``.OUT.building/``). Each finished complex is saved there as a small folder
``checkpoints/<key>/<pdb_id>/`` holding ``meta.json`` (split, skip reasons, image digests, row
sizes) and one Arrow IPC file of encoded rows per task (``output/row_files.py``). The folder is
written under a temporary name and renamed when complete, so a complex is either fully
checkpointed or absent; no pickle.

``key`` is a hash of everything a complex's rows depend on: builder version and source code,
library versions, seed, image size, tasks, splits, the split of every complex and the checksum of
every input entry (partners of pairing tasks come from the whole split). A rerun with other
parameters or other inputs computes another key, so older checkpoints are never reused; they are
deleted when the new build starts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pyarrow as pa

from .. import __version__
from ..output.manifest import SOFTWARE

META = "meta.json"
ROWS_SUFFIX = ".arrow"
_CODE_SUFFIXES = {".py", ".json", ".ttf", ".otf", ".yaml", ".yml"}
_CODE_SKIP = {"__pycache__", "sample_corpus"}


@dataclass
class ComplexResult:
    """A worker's answer for one complex: what the manifest needs, plus each task's rows as
    an Arrow IPC file in memory (``row_files.encode_rows``; images embedded)."""

    pdb_id: str
    split: str
    skipped: dict | None = None
    task_skips: list[dict] = field(default_factory=list)
    image_digests: list[str] = field(default_factory=list)
    image_slots: int = 0
    row_image_bytes: dict[str, list[int]] = field(default_factory=dict)  # task -> PNG bytes of each row
    tables: dict[str, pa.Buffer] = field(default_factory=dict)  # task -> Arrow IPC file

    def meta(self) -> dict:
        return {"pdb_id": self.pdb_id, "split": self.split, "skipped": self.skipped, "task_skips": self.task_skips,
                "image_digests": self.image_digests, "image_slots": self.image_slots, "row_image_bytes": self.row_image_bytes}


def code_digest() -> str:
    """sha256 of the package's code and data that shape rows (builders, renderers, schema)."""
    import misi_bench.builders
    import misi_bench.renderers
    import misi_bench.schema

    digest = hashlib.sha256()
    for package in (misi_bench.builders, misi_bench.renderers, misi_bench.schema):
        root = Path(package.__file__).parent
        files = sorted(p for p in root.rglob("*")
                       if p.is_file() and p.suffix in _CODE_SUFFIXES and not _CODE_SKIP & set(p.relative_to(root).parts))
        for path in files:
            digest.update(f"{package.__name__}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build_key(parameters: dict, splits: dict[str, str], inputs: dict[str, str]) -> str:
    """The checkpoint key of a build (see the module docstring)."""
    content = {
        "builder": __version__,
        "code": code_digest(),
        "software": {name: version(name) for name in SOFTWARE},
        "parameters": parameters,
        "splits": dict(sorted(splits.items())),
        "inputs": dict(sorted(inputs.items())),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def save_checkpoint(folder: Path, result: ComplexResult) -> None:
    """Checkpoint one complex in ``folder`` (a store's key folder): written under a temporary
    name, made durable, then renamed, so it is either complete or absent. Safe to call from pool
    workers: temporary names carry the process id."""
    final = folder / result.pdb_id
    tmp = folder / f".{result.pdb_id}.tmp-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    for task, data in result.tables.items():
        (tmp / f"{task}{ROWS_SUFFIX}").write_bytes(data)
    (tmp / META).write_text(json.dumps(result.meta(), sort_keys=True), encoding="utf-8")
    for path in tmp.iterdir():  # durable before the rename makes the complex count as done
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    if final.exists():
        shutil.rmtree(final)
    os.rename(tmp, final)


class CheckpointStore:
    """The finished complexes of one build key, in ``folder/<key[:20]>/``."""

    def __init__(self, folder: Path, key: str, reuse: bool = True):
        self.folder = Path(folder) / key[:20]
        if Path(folder).is_dir():
            for other in Path(folder).iterdir():  # other parameters, or --no-resume
                if other != self.folder or not reuse:
                    shutil.rmtree(other)
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob(".*.tmp-*"):  # half-written by a killed run
            shutil.rmtree(stale)

    def finished(self) -> set[str]:
        return {p.name for p in self.folder.iterdir() if not p.name.startswith(".") and (p / META).is_file()}

    def save(self, result: ComplexResult) -> None:
        save_checkpoint(self.folder, result)

    def meta(self, pdb_id: str) -> dict:
        return json.loads((self.folder / pdb_id / META).read_text(encoding="utf-8"))

    def table_path(self, pdb_id: str, task: str) -> Path:
        """The rows file of one task's encoded rows for one complex, in question order."""
        return self.folder / pdb_id / f"{task}{ROWS_SUFFIX}"

    def count(self) -> int:
        return len(self.finished())
