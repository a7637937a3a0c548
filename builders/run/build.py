"""``misi-bench build``: PDBbind directory -> Parquet shards, manifest and dataset card.

Data flows one way: source -> annotate -> tasks -> render -> assemble -> validate -> write.

A build works in a sibling folder named from the output path (``OUT`` -> ``.OUT.building/``,
locked while a build runs). Every finished complex is checkpointed there atomically
(``checkpoint.py``); the shards, card and manifest are then written from the checkpoints in sorted
id order into ``.OUT.building/out/``, which is renamed to ``OUT`` only when complete (the manifest
is its last file). A build killed at any point leaves no folder that looks finished, and the same
command run again reuses every checkpointed complex (``resume=False`` starts over).
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import os
import shutil
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from filelock import FileLock, Timeout
from tqdm import tqdm

from misi_bench.renderers import backend

from ..output import card, manifest
from ..output.folder_rules import OutputFolderError, install, owned_files, resolve_target
from .checkpoint import CheckpointStore, build_key
from .executors import EXECUTORS, ExecutorError, completed_results, open_executor
from ..output.features import task_schema
from .generate import Job, TaskSkip, complex_result, init_worker
from ..source.pdbbind import SkippedEntry
from .sharding import shard_ids
from ..source.splits import SPLITS, assign_splits
from ..tasks import TASKS
from ..output.tiny import write_tiny
from ..output.writer import SplitWriter

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
    shard: tuple[int, int] | None = None  # (i, n), 1-based: build only shard i of n (sharding.py)
    executor: str = "local"  # local (this machine, --workers processes) | dask (--scheduler)
    scheduler: str | None = None
    resume: bool = True  # reuse checkpoints of an interrupted build with the same parameters


@dataclass
class BuildStats:
    complexes: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SPLITS})
    skipped: list[SkippedEntry] = field(default_factory=list)
    image_digests: set[str] = field(default_factory=set)
    image_slots: int = 0
    input_checksums: dict[str, str] = field(default_factory=dict)
    task_skips: list = field(default_factory=list)


def _check_config(config: BuildConfig) -> None:
    try:
        backend.check()
    except backend.KernelChoiceError as error:
        raise BuildError(str(error)) from None
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
    if config.executor not in EXECUTORS:
        raise BuildError(f"unknown executor {config.executor!r}; available: {', '.join(EXECUTORS)}")
    if (config.executor == "dask") != bool(config.scheduler):
        raise BuildError("--executor dask and --scheduler ADDRESS go together")
    if config.shard is not None and not 1 <= config.shard[0] <= config.shard[1]:
        raise BuildError(f"--shard {config.shard[0]}/{config.shard[1]}: need 1 <= i <= n")
    if config.limit is not None and config.limit < 1:
        raise BuildError(f"--limit must be at least 1, got {config.limit}")
    for option, names in (("--tasks", config.tasks), ("--splits", config.splits)):
        if not names:
            raise BuildError(f"{option} names nothing; give at least one")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise BuildError(f"{option} names {', '.join(repeated)} more than once")


def claim_output(out: Path, source: Path | None = None) -> Path:
    """The real output folder, after checking that the build may write there (folder_rules.py:
    only a missing, empty or earlier-build folder) and that it does not overlap the source."""
    try:
        target = resolve_target(out)
        owned_files(target, manifest.BUILD_OUTPUT)
    except OutputFolderError as error:
        raise BuildError(str(error)) from None
    if source is not None:
        source = Path(source).resolve()
        if target == source or source in target.parents or target in source.parents:
            raise BuildError(f"--out {out} and the source folder {source} overlap; build into a folder outside the source")
    return target


def _entry_checksum(complex_source_files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in complex_source_files:
        digest.update(path.name.lower().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def work_folder(out: Path) -> Path:
    """Where the build of ``out`` keeps its checkpoints and assembles its output."""
    out = Path(out)
    return out.with_name(f".{out.name}.building")


def build(config: BuildConfig) -> dict:
    """Run a whole build (or one shard of it); returns the manifest. A file-system error (full
    disk, read-only folder) is a BuildError that says where and, for a full disk, how much."""
    _check_config(config)
    final_out = claim_output(config.out, config.source)
    work = work_folder(final_out)
    progress = SimpleNamespace(total=0)
    try:
        return _build(config, final_out, work, progress)
    except OSError as error:
        raise _file_system_error(error, work, progress.total) from None


def _file_system_error(error: OSError, work: Path, total: int) -> BuildError:
    where = error.filename or work.parent
    if error.errno != errno.ENOSPC and "No space left" not in str(error):
        return BuildError(f"cannot write {where}: {error.strerror or error}")
    free = shutil.disk_usage(work if work.is_dir() else work.parent).free
    metas = list((work / "checkpoints").glob("*/*/meta.json"))
    held = sum(p.stat().st_size for m in metas for p in m.parent.iterdir())
    if metas and total:  # the output's shards take about as much again as the checkpoints
        need = f"about {held // len(metas) * (2 * total - len(metas)):,} bytes more"
    else:
        need = f"more than the {free:,} bytes left"
    return BuildError(f"disk full writing {where}: {free:,} bytes left there, the build needs {need} "
                      f"({len(metas)} of {total or '?'} complexes checkpointed in {work}, kept); "
                      "free space and run the same command again to resume")


def _build(config: BuildConfig, final_out: Path, work: Path, progress: SimpleNamespace) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    with _locked(work, final_out):
        staging = work / "out"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        try:
            manifest_data = _build_into(config, staging, work / "checkpoints", progress)
        except BaseException as error:
            if not any(p for p in (work / "checkpoints").glob("*/*/meta.json") if not p.parent.name.startswith(".")):
                shutil.rmtree(work, ignore_errors=True)  # nothing worth resuming
            if isinstance(error, ExecutorError):
                raise BuildError(str(error)) from error
            raise
        try:
            install(staging, final_out, manifest.BUILD_OUTPUT)
        except OutputFolderError as error:
            raise BuildError(str(error)) from None
        shutil.rmtree(work)
    return manifest_data


@contextmanager
def _locked(work: Path, out: Path):
    """Hold the build's lock (an OS file lock, so a killed build releases it), or refuse at once."""
    lock = FileLock(work / "lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildError(f"another build is writing {out} (lock held on {work / 'lock'})") from None
    try:
        yield
    finally:
        lock.release()


def _build_into(config: BuildConfig, out: Path, checkpoints: Path, progress: SimpleNamespace) -> dict:
    from ..source.pdbbind import scan_source

    found, misnamed = scan_source(config.source)
    entries = {e.pdb_id: e for e in found}
    ids = sorted(entries)[: config.limit] if config.limit else sorted(entries)
    splits = assign_splits(ids, config.split_file)
    wanted = sorted(i for i in ids if splits.get(i) in config.splits)
    split_ids = {split: tuple(i for i in wanted if splits[i] == split) for split in config.splits}
    stats = BuildStats()
    if config.shard is None or config.shard[0] == 1:  # listed once, so merged shards equal a one-shot build
        stats.skipped.extend(misnamed)
    stats.input_checksums = {i: _entry_checksum(_entry_files(entries[i])) for i in wanted}
    mine = shard_ids(wanted, config.shard)
    progress.total = len(mine)
    parameters = {"seed": config.seed, "image_size": config.image_size, "tasks": list(config.tasks), "splits": list(config.splits)}
    key = build_key(parameters, {i: splits[i] for i in wanted}, stats.input_checksums)
    store = CheckpointStore(checkpoints, key, reuse=config.resume)
    finished = store.finished()
    todo = [i for i in mine if i not in finished]
    if config.progress and len(todo) < len(mine):
        tqdm.write(f"resuming: {len(mine) - len(todo)} of {len(mine)} complexes already built", file=sys.stderr)
    schemas = {task: task_schema(task) for task in config.tasks}
    writers = {
        (task, split): SplitWriter(out, task, split, schemas[task])
        for task in config.tasks
        for split in config.splits
    }
    job = Job(key, config.seed, config.image_size, tuple(config.tasks), schemas, entries, splits, split_ids,
              checkpoints=store.folder if config.executor == "local" else None, build_pid=os.getpid())
    written = 0  # complexes of `mine` handed to the writers, always in sorted id order
    with _results_as_completed(config, job, todo) as results, \
            tqdm(total=len(mine), initial=len(mine) - len(todo), desc="complexes", unit="complex", disable=not config.progress) as bar:
        for result in itertools.chain([None], results):  # None: first hand over what is already checkpointed
            if result is not None:
                if job.checkpoints is None:  # Dask: the rows came back with the result
                    store.save(result)
                finished.add(result.pdb_id)
                bar.update()
            while written < len(mine) and mine[written] in finished:
                _add_complex(store, mine[written], config.tasks, writers, stats)
                written += 1
    assert written == len(mine), (written, len(mine))
    shards = {task: {} for task in config.tasks}
    for (task, split), writer in writers.items():
        shards[task][split] = writer.close()
    if config.shard is None and "test" in config.splits:
        for task in config.tasks:
            shards[task]["tiny"] = write_tiny(out, task, shards[task]["test"], config.seed, TINY_PER_TASK)
    manifest_data = manifest.make_manifest(config, stats, shards)
    if config.shard is not None:
        manifest_data["shard"] = manifest.shard_section(config.shard, mine, stats.image_digests)
    else:
        card.write_card(out, manifest_data)
    manifest.write(out, manifest_data)  # last: a folder with a manifest is complete
    return manifest_data


def _add_complex(store: CheckpointStore, pdb_id: str, tasks, writers, stats: BuildStats) -> None:
    """One checkpointed complex into the stats and the writers of its split."""
    meta = store.meta(pdb_id)
    if meta["skipped"] is not None:
        stats.skipped.append(SkippedEntry(**meta["skipped"]))
        return
    split = meta["split"]
    stats.complexes[split].append(pdb_id)
    for task in tasks:
        if meta["row_image_bytes"].get(task):
            writers[(task, split)].add_file(store.table_path(pdb_id, task), meta["row_image_bytes"][task])
    stats.image_slots += meta["image_slots"]
    stats.image_digests.update(meta["image_digests"])
    stats.task_skips.extend(TaskSkip(**skip) for skip in meta["task_skips"])


def _entry_files(entry) -> list[Path]:
    return [p for p in (entry.pocket, entry.mol2, entry.sdf) if p]


@contextmanager
def _results_as_completed(config: BuildConfig, job: Job, pdb_ids: list[str]):
    """A :class:`ComplexResult` per id as each completes, computed in this process, a local
    process pool or on a Dask cluster (the build puts rows back in sorted id order)."""
    if not pdb_ids:
        yield iter(())
        return
    with open_executor(config.executor, config.workers, config.scheduler, job, init_worker, complex_result) as (submit, wait_first, window):
        yield completed_results(submit, wait_first, pdb_ids, window)
