"""``misi-bench merge SHARD_OUT... --out OUT``: combine ``build --shard i/n`` outputs into the
final folder, byte-identical to a one-shot build (shards, tiny, manifest, card).

Each shard's rows are sorted by PDB id and a complex's rows all sit in one shard, so a k-way merge
on the id restores the one-shot row order while streaming one row group per shard at a time. The
merge refuses shards that disagree on parameters, software or inputs, an incomplete or repeated
set of shards, and shards whose files differ from their own manifest.
"""

from __future__ import annotations

import heapq
import shutil
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq

from ..output import card, manifest
from .build import TINY_PER_TASK, BuildError, BuildStats, claim_output
from ..output.folder_rules import OutputFolderError, install
from ..output.features import task_schema
from .generate import TaskSkip
from ..source.pdbbind import SkippedEntry
from ..output.tiny import write_tiny
from ..output.verify import verify_folder
from ..output.writer import SplitWriter

_SAME = ("dataset", "builder", "software", "parameters", "inputs")


class MergeError(BuildError):
    """Shard folders that cannot be merged (missing, mismatched, incomplete)."""


def read_shards(shard_dirs: list[Path]) -> list[tuple[Path, dict]]:
    """(folder, manifest) per shard, sorted by shard index, after every consistency check."""
    shards = []
    for folder in map(Path, shard_dirs):
        if not (folder / manifest.MANIFEST_NAME).is_file():
            raise MergeError(f"{folder}: no {manifest.MANIFEST_NAME}; not a finished shard build")
        data = manifest.read_checked(folder / manifest.MANIFEST_NAME)
        if "shard" not in data:
            raise MergeError(f"{folder}: not a shard build (built without --shard)")
        shards.append((folder, data))
    shards.sort(key=lambda item: item[1]["shard"]["index"])
    count = shards[0][1]["shard"]["count"]
    indices = [data["shard"]["index"] for _, data in shards]
    if {data["shard"]["count"] for _, data in shards} != {count} or indices != list(range(1, count + 1)):
        raise MergeError(f"need shards 1..{count} of {count} exactly once, got {', '.join(f'{i}/{count}' for i in indices)}")
    first = shards[0][1]
    for folder, data in shards[1:]:
        differing = [k for k in _SAME if data[k] != first[k]]
        if differing:
            raise MergeError(f"{folder} differs from {shards[0][0]} in {', '.join(differing)}; shards of one build must share them")
    for folder, data in shards:
        problems = verify_folder(folder, data)
        if problems:
            raise MergeError(f"{folder}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return shards


def merge(shard_dirs: list[Path], out: Path) -> dict:
    """Merge shard builds into ``out``; returns the manifest."""
    shards = read_shards(shard_dirs)
    if any(Path(out).resolve() == Path(folder).resolve() for folder, _ in shards):
        raise MergeError(f"--out {out} is one of the shard folders")
    out = claim_output(out)
    staging = out.with_name(f".{out.name}.merging")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        manifest_data = _merge_into(shards, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        install(staging, out, manifest.BUILD_OUTPUT)
    except OutputFolderError as error:
        raise MergeError(str(error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest_data


def _merge_into(shards: list[tuple[Path, dict]], out: Path) -> dict:
    first = shards[0][1]
    params = first["parameters"]
    tasks = params["tasks"]
    config = SimpleNamespace(**params)
    stats = BuildStats(input_checksums=dict(first["inputs"]))
    for _, data in shards:
        for split, ids in data["complexes"].items():
            stats.complexes[split].extend(ids)
        stats.skipped.extend(SkippedEntry(**s) for s in data["skipped"])
        stats.task_skips.extend(TaskSkip(**t) for t in data["skipped_tasks"])
        stats.image_digests.update(data["shard"]["image_digests"])
        stats.image_slots += data["images"]["slots"]
    # a one-shot build lists task skips complex by complex (sorted ids), tasks in build order
    stats.task_skips.sort(key=lambda t: (t.pdb_id, tasks.index(t.task)))
    infos = {task: {} for task in tasks}
    for task in tasks:
        for split in params["splits"]:
            writer = SplitWriter(out, task, split, task_schema(task))
            streams = [_rows(folder, data["configs"][task][split]["shards"]) for folder, data in shards]
            for row in heapq.merge(*streams, key=lambda row: row["pdb_id"]):
                writer.add(row)
            infos[task][split] = writer.close()
        if "test" in params["splits"]:
            infos[task]["tiny"] = write_tiny(out, task, infos[task]["test"], params["seed"], TINY_PER_TASK)
    manifest_data = manifest.make_manifest(config, stats, infos)
    card.write_card(out, manifest_data)
    manifest.write(out, manifest_data)
    return manifest_data


def _rows(folder: Path, shard_files: list[dict]):
    for shard in shard_files:
        parquet = pq.ParquetFile(folder / shard["path"])
        for group in range(parquet.num_row_groups):
            yield from parquet.read_row_group(group).to_pylist()
