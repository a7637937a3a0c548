"""``misi-bench build``: PDBbind directory -> Parquet shards, manifest and dataset card.

Data flows one way: source -> annotate -> tasks -> render -> assemble -> validate -> write. The
build writes into a temporary sibling folder and renames it into place only when complete, so an
interrupted build leaves nothing that looks finished.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tqdm import tqdm

from . import card, manifest, records
from .features import task_features
from .pdbbind import SkippedEntry, iter_complexes, read_entry
from .rng import COMPLEX_LEVEL, question_rng
from .splits import SPLITS, assign_splits
from .tasks import TASKS
from .tasks.base import ComplexContext
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
    progress: bool = True


@dataclass
class BuildStats:
    complexes: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SPLITS})
    skipped: list[SkippedEntry] = field(default_factory=list)
    image_digests: set[str] = field(default_factory=set)
    image_slots: int = 0
    input_checksums: dict[str, str] = field(default_factory=dict)


def _check_config(config: BuildConfig) -> None:
    unknown = [t for t in config.tasks if t not in TASKS]
    if unknown:
        raise BuildError(f"unknown task(s): {', '.join(unknown)}; available: {', '.join(TASKS)}")
    bad_splits = [s for s in config.splits if s not in SPLITS]
    if bad_splits:
        raise BuildError(f"unknown split(s): {', '.join(bad_splits)}; available: train, test")
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
    wanted = {i for i in ids if splits.get(i) in config.splits}
    split_ids = {split: tuple(sorted(i for i in wanted if splits[i] == split)) for split in config.splits}
    load = _partner_loader(entries)
    items = iter_complexes(config.source, wanted)
    for item in tqdm(items, total=len(wanted), desc="complexes", unit="complex", disable=not config.progress):
        entry = entries[item.pdb_id]
        stats.input_checksums[item.pdb_id] = _entry_checksum([p for p in (entry.pocket, entry.mol2, entry.sdf) if p])
        if isinstance(item, SkippedEntry):
            stats.skipped.append(item)
            continue
        split = splits[item.pdb_id]
        stats.complexes[split].append(item.pdb_id)
        ctx = ComplexContext(item, image_size=config.image_size, split_ids=split_ids[split], load=load)
        _questions_of_complex(config, ctx, split, writers, stats)
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


def _partner_loader(entries: dict):
    """Read other complexes on demand (tasks that pair complexes); a few stay cached."""

    @lru_cache(maxsize=8)
    def load(pdb_id: str):
        item = read_entry(entries[pdb_id])
        return None if isinstance(item, SkippedEntry) else item

    return load


def _questions_of_complex(config: BuildConfig, ctx: ComplexContext, split: str, writers: dict, stats: BuildStats) -> None:
    for task_name in config.tasks:
        task = TASKS[task_name]
        complex_rng = question_rng(config.seed, task_name, split, ctx.pdb_id, COMPLEX_LEVEL)
        for index, slot in enumerate(task.plan(ctx, split, complex_rng)):
            rng = question_rng(config.seed, task_name, split, ctx.pdb_id, index)
            spec = task.make(ctx, slot, rng)
            row = records.assemble(task, ctx, split, index, spec)
            records.validate(row)
            writers[(task_name, split)].add(row)
            stats.image_slots += len(row["images"])
    stats.image_digests.update(hashlib.sha256(png).hexdigest() for png in ctx.renders.values())
