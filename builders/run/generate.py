"""The worker side of a build: one complex in, its rows for every task out (as Arrow IPC
files in memory, ``output/row_files.py``).

This module runs in every pool process and Dask worker, so it imports only what generating rows
needs (tasks, renderer, RDKit, pyarrow) and never `datasets`, which would add ~110 MB to each
worker. Rows are turned into Arrow with the task's schema (``output/features.py``), computed
once by the build process and handed over in the :class:`Job`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from ..output import row_assembly
from .checkpoint import ComplexResult, save_checkpoint
from ..output.parquet_layout import image_bytes
from ..output.row_files import encode_rows
from ..source.pdbbind import SkippedEntry, read_entry
from ..rng import COMPLEX_LEVEL, question_rng
from ..tasks import TASKS
from ..tasks.base import ComplexContext, PartnerError


@dataclass(frozen=True)
class Job:
    """What a worker needs to turn one complex into rows (picklable)."""

    key: str  # the build's checkpoint key; names the job on Dask workers
    seed: int
    image_size: int
    tasks: tuple[str, ...]
    schemas: dict[str, pa.Schema]  # task -> Arrow schema of its shards (features.task_schema)
    entries: dict
    splits: dict[str, str]
    split_ids: dict[str, tuple[str, ...]]
    # the checkpoint folder, when workers share the build machine's disk (local executor): a
    # worker then saves its complex itself and returns only the metadata, so the images are not
    # pickled through a pipe and written by the build process
    checkpoints: Path | None = None
    build_pid: int = 0  # the build process; an orphaned pool worker (build killed) saves nothing


@dataclass(frozen=True)
class TaskSkip:
    """A task left out for one complex, with a short reason code and the error text."""

    pdb_id: str
    task: str
    reason: str  # no_partner, generation_failed
    detail: str

    def to_dict(self) -> dict:
        return {"pdb_id": self.pdb_id, "task": self.task, "reason": self.reason, "detail": self.detail}


_worker_job: Job | None = None


def init_worker(job: Job) -> None:
    global _worker_job
    _worker_job = job
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(pdb_id: str):
    """Read a complex on demand (tasks that pair complexes); a few stay cached per process."""
    item = read_entry(_worker_job.entries[pdb_id])
    return None if isinstance(item, SkippedEntry) else item


def task_rows(task, ctx: ComplexContext, split: str, seed: int) -> list[dict]:
    """Every row of one task for one complex: all or none (a failure skips the whole task)."""
    rows = []
    complex_rng = question_rng(seed, task.name, split, ctx.pdb_id, COMPLEX_LEVEL)
    for index, slot in enumerate(task.plan(ctx, split, complex_rng)):
        spec = task.make(ctx, slot, question_rng(seed, task.name, split, ctx.pdb_id, index))
        row = row_assembly.assemble(task, ctx, split, index, spec)
        row_assembly.validate(row, ctx.digest)
        rows.append(row)
    return rows


def arrow_rows(rows: list[dict]) -> list[dict]:
    """Validated rows in Arrow form: images in the `datasets` Image storage form {bytes, path}."""
    return [{**row, "images": [{"bytes": png, "path": None} for png in row["images"]]} for row in rows]


def complex_result(pdb_id: str) -> ComplexResult:
    """One complex's result; already checkpointed (and without its tables) when the job says where."""
    result = _generate(pdb_id)
    job = _worker_job
    if job.checkpoints is None:
        return result
    if job.build_pid not in (os.getpid(), os.getppid()):  # the build was killed: a rerun owns the folder now
        raise SystemExit(1)
    save_checkpoint(job.checkpoints, result)
    return replace(result, tables={})


def _generate(pdb_id: str) -> ComplexResult:
    job = _worker_job
    split = job.splits[pdb_id]
    result = ComplexResult(pdb_id, split)
    item = _load(pdb_id) or read_entry(job.entries[pdb_id])
    if isinstance(item, SkippedEntry):
        result.skipped = item.to_dict()
        return result
    ctx = ComplexContext(item, image_size=job.image_size, split_ids=job.split_ids[split], load=_load)
    for task_name in job.tasks:
        try:
            rows = task_rows(TASKS[task_name], ctx, split, job.seed)
        except PartnerError as error:
            result.task_skips.append(TaskSkip(pdb_id, task_name, "no_partner", str(error)).to_dict())
            continue
        except Exception as error:  # one odd complex must not stop a build of thousands
            result.task_skips.append(TaskSkip(pdb_id, task_name, "generation_failed", f"{type(error).__name__}: {error}").to_dict())
            continue
        encoded = arrow_rows(rows)
        result.tables[task_name] = encode_rows(encoded, job.schemas[task_name])
        result.row_image_bytes[task_name] = [image_bytes(row) for row in encoded]
        result.image_slots += sum(len(row["images"]) for row in rows)
    result.image_digests = sorted({ctx.digest(png) for png in ctx.renders.values()})
    return result
