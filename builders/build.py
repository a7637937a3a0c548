"""``misi-bench build``: PDBbind directory -> Parquet shards, manifest and dataset card.

Data flows one way: source -> annotate -> tasks -> render -> assemble -> validate -> write. The
build writes into a temporary sibling folder and renames it into place only when complete, so an
interrupted build leaves nothing that looks finished.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import multiprocessing
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tqdm import tqdm

from . import card, manifest, records
from .features import task_features
from .pdbbind import SkippedEntry, read_entry
from .rng import COMPLEX_LEVEL, question_rng
from .splits import SPLITS, assign_splits
from .tasks import TASKS
from .tasks.base import ComplexContext, PartnerError
from .writer import SplitWriter

TINY_PER_TASK = 50
DEFAULT_IMAGE_SIZE = 512


class BuildError(ValueError):
    """A build that cannot start (bad arguments, unusable output folder)."""


@dataclass
class BuildConfig:
    source: Path
    out: Path
    tasks: tuple[str, ...] = tuple(TASKS)
    splits: tuple[str, ...] = SPLITS
    seed: int = 0
    image_size: int = DEFAULT_IMAGE_SIZE
    split_file: Path | None = None
    limit: int | None = None
    workers: int = 1
    progress: bool = True


@dataclass
class BuildStats:
    complexes: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SPLITS})
    skipped: list[SkippedEntry] = field(default_factory=list)
    image_digests: set[str] = field(default_factory=set)
    image_slots: int = 0
    input_checksums: dict[str, str] = field(default_factory=dict)
    task_skips: list = field(default_factory=list)


def _check_config(config: BuildConfig) -> None:
    unknown = [t for t in config.tasks if t not in TASKS]
    if unknown:
        raise BuildError(f"unknown task(s): {', '.join(unknown)}; available: {', '.join(TASKS)}")
    bad_splits = [s for s in config.splits if s not in SPLITS]
    if bad_splits:
        raise BuildError(f"unknown split(s): {', '.join(bad_splits)}; available: train, test")
    if config.workers < 1:
        raise BuildError(f"--workers must be at least 1, got {config.workers}")
    if not 64 <= config.image_size <= 4096:
        raise BuildError(f"--image-size must be between 64 and 4096, got {config.image_size}")
    out = Path(config.out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.json").exists())):
        raise BuildError(f"output folder {out} exists and is not a previous build; choose another --out")


def _entry_checksum(complex_source_files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in complex_source_files:
        digest.update(path.name.lower().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(config: BuildConfig) -> dict:
    """Run a whole build; returns the manifest."""
    _check_config(config)
    final_out = Path(config.out)
    work = final_out.with_name(f".{final_out.name}.building-{os.getpid()}")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        manifest_data = _build_into(config, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _move_into_place(work, final_out)
    return manifest_data


def _move_into_place(work: Path, final_out: Path) -> None:
    old = None
    if final_out.exists():
        old = final_out.with_name(f".{final_out.name}.old-{os.getpid()}")
        os.replace(final_out, old)
    os.replace(work, final_out)
    if old is not None:
        shutil.rmtree(old)


def _build_into(config: BuildConfig, out: Path) -> dict:
    from .pdbbind import find_entries

    entries = {e.pdb_id: e for e in find_entries(config.source)}
    ids = sorted(entries)[: config.limit] if config.limit else sorted(entries)
    splits = assign_splits(ids, config.split_file)
    writers = {
        (task, split): SplitWriter(out, task, split, task_features(task))
        for task in config.tasks
        for split in config.splits
    }
    stats = BuildStats()
    wanted = sorted(i for i in ids if splits.get(i) in config.splits)
    split_ids = {split: tuple(i for i in wanted if splits[i] == split) for split in config.splits}
    job = _Job(config, entries, splits, split_ids)
    with _results_in_order(job, wanted, config.workers) as results:
        for result in tqdm(results, total=len(wanted), desc="complexes", unit="complex", disable=not config.progress):
            stats.input_checksums[result.pdb_id] = result.checksum
            if result.skipped is not None:
                stats.skipped.append(result.skipped)
                continue
            stats.complexes[result.split].append(result.pdb_id)
            for task, rows in result.rows.items():
                for row in rows:
                    writers[(task, result.split)].add(row)
                    stats.image_slots += len(row["images"])
            stats.image_digests.update(result.image_digests)
            stats.task_skips.extend(result.task_skips)
    shards = {task: {} for task in config.tasks}
    for (task, split), writer in writers.items():
        shards[task][split] = writer.close()
    if "test" in config.splits:
        for task in config.tasks:
            shards[task]["tiny"] = records.write_tiny(out, task, shards[task]["test"], config.seed, TINY_PER_TASK)
    manifest_data = manifest.make_manifest(config, stats, shards)
    manifest.write(out, manifest_data)
    card.write_card(out, manifest_data)
    return manifest_data


@dataclass(frozen=True)
class _Job:
    """What a worker needs to turn one complex into rows (picklable)."""

    config: BuildConfig
    entries: dict
    splits: dict[str, str]
    split_ids: dict[str, tuple[str, ...]]


@dataclass
class _ComplexResult:
    pdb_id: str
    checksum: str
    split: str
    skipped: SkippedEntry | None = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    image_digests: set[str] = field(default_factory=set)
    task_skips: list[TaskSkip] = field(default_factory=list)


@dataclass(frozen=True)
class TaskSkip:
    """A task left out for one complex, with a short reason code and the error text."""

    pdb_id: str
    task: str
    reason: str  # no_partner, generation_failed
    detail: str

    def to_dict(self) -> dict:
        return {"pdb_id": self.pdb_id, "task": self.task, "reason": self.reason, "detail": self.detail}


_worker_job: _Job | None = None


def _init_worker(job: _Job) -> None:
    global _worker_job
    _worker_job = job
    _load.cache_clear()


@contextmanager
def _results_in_order(job: _Job, pdb_ids: list[str], workers: int):
    """Results per complex in sorted id order, computed in this process or in a pool: the
    output is the same bytes for any number of workers."""
    if workers <= 1:
        _init_worker(job)
        yield map(_complex_result, pdb_ids)
        return
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker, initargs=(job,)) as pool:
        yield pool.imap(_complex_result, pdb_ids, chunksize=1)


def _task_rows(task, ctx: ComplexContext, split: str, seed: int) -> list[dict]:
    """Every row of one task for one complex: all or none (a failure skips the whole task)."""
    rows = []
    complex_rng = question_rng(seed, task.name, split, ctx.pdb_id, COMPLEX_LEVEL)
    for index, slot in enumerate(task.plan(ctx, split, complex_rng)):
        spec = task.make(ctx, slot, question_rng(seed, task.name, split, ctx.pdb_id, index))
        row = records.assemble(task, ctx, split, index, spec)
        records.validate(row)
        rows.append(row)
    return rows


@lru_cache(maxsize=8)
def _load(pdb_id: str):
    """Read a complex on demand (tasks that pair complexes); a few stay cached per process."""
    item = read_entry(_worker_job.entries[pdb_id])
    return None if isinstance(item, SkippedEntry) else item


def _complex_result(pdb_id: str) -> _ComplexResult:
    job = _worker_job
    entry = job.entries[pdb_id]
    split = job.splits[pdb_id]
    result = _ComplexResult(pdb_id, _entry_checksum([p for p in (entry.pocket, entry.mol2, entry.sdf) if p]), split)
    item = _load(pdb_id) or read_entry(entry)
    if isinstance(item, SkippedEntry):
        result.skipped = item
        return result
    config = job.config
    ctx = ComplexContext(item, image_size=config.image_size, split_ids=job.split_ids[split], load=_load)
    for task_name in config.tasks:
        try:
            result.rows[task_name] = _task_rows(TASKS[task_name], ctx, split, config.seed)
        except PartnerError as error:
            result.task_skips.append(TaskSkip(pdb_id, task_name, "no_partner", str(error)))
        except Exception as error:  # one odd complex must not stop a build of thousands
            result.task_skips.append(TaskSkip(pdb_id, task_name, "generation_failed", f"{type(error).__name__}: {error}"))
    result.image_digests = {hashlib.sha256(png).hexdigest() for png in ctx.renders.values()}
    return result
