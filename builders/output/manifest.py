"""``manifest.json``: what a build is, byte-reproducibly (no paths, no timestamps).

It holds the build parameters, library versions, a checksum of every input entry, the complexes
per split, the skipped entries with reasons, image counts, and rows + sha256 of every shard.
"""

from __future__ import annotations

import json
import os
from importlib.metadata import version
from pathlib import Path

from .. import __version__
from .licence import LICENSE_NAME
from .folder_rules import Owner

MANIFEST_NAME = "manifest.json"
CARD_NAME = "README.md"
# the libraries whose versions can change a build's bytes (huggingface_hub writes the card's YAML;
# `datasets` is not among them: output/features.py writes what it would)
SOFTWARE = ("huggingface-hub", "numpy", "pillow", "pyarrow", "rdkit")


def make_manifest(config, stats, shards: dict) -> dict:
    return {
        "dataset": "MiSI-Bench",
        "builder": {"name": "misi-bench", "version": __version__},
        "software": {name: version(name) for name in SOFTWARE},
        "parameters": {
            "seed": config.seed,
            "image_size": config.image_size,
            "tasks": list(config.tasks),
            "splits": list(config.splits),
            "limit": config.limit,
            "split_file": Path(config.split_file).name if config.split_file else None,
        },
        "inputs": dict(sorted(stats.input_checksums.items())),
        "complexes": {split: sorted(ids) for split, ids in stats.complexes.items()},
        "skipped": [s.to_dict() for s in sorted(stats.skipped, key=lambda s: s.pdb_id)],
        "skipped_tasks": [t.to_dict() for t in stats.task_skips],
        "images": {"distinct": len(stats.image_digests), "slots": stats.image_slots},
        "configs": {
            task: {
                split: {"rows": sum(s.rows for s in infos), "shards": [s.to_dict() for s in infos]}
                for split, infos in per_split.items()
            }
            for task, per_split in shards.items()
        },
    }


def shard_section(shard: tuple[int, int], pdb_ids: list[str], image_digests: set[str]) -> dict:
    """What ``misi-bench merge`` needs beyond a normal manifest: which shard this is, its
    complexes, and its distinct image digests (images can repeat across shards, so distinct
    counts do not add up)."""
    index, count = shard
    return {"index": index, "count": count, "complexes": list(pdb_ids), "image_digests": sorted(image_digests)}


def shard_paths(manifest: dict) -> list[str]:
    """Relative path of every shard a manifest lists."""
    return [shard["path"] for per_split in manifest["configs"].values() for entry in per_split.values()
            for shard in entry["shards"]]


def _build_files(manifest: dict) -> list[str]:
    return shard_paths(manifest) + ([] if "shard" in manifest else [CARD_NAME, LICENSE_NAME])


# What build and merge own in their output folder (folder_rules.py): the listed shards, the
# card of a full build and the manifest; nothing else may sit in data/ or under those names.
BUILD_OUTPUT = Owner("build", MANIFEST_NAME, "manifest", _build_files, ("data", CARD_NAME, LICENSE_NAME, MANIFEST_NAME))


def write(out: Path, manifest: dict) -> None:
    path = Path(out) / MANIFEST_NAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read(out: Path) -> dict:
    return json.loads((Path(out) / MANIFEST_NAME).read_text(encoding="utf-8"))


class ManifestError(ValueError):
    """A manifest that is missing, not JSON, or not ours (fails schema/manifest.schema.json)."""


def read_checked(path: Path) -> dict:
    """A manifest file that validates against the manifest schema (ManifestError otherwise);
    its shard paths are then relative and stay inside the build folder."""
    from jsonschema.exceptions import best_match

    from misi_bench import schema

    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"{path} does not exist; not a misi-bench build")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ManifestError(f"cannot read {path}: {' '.join(str(error).split())[:200]}") from None
    error = best_match(schema.validator("manifest").iter_errors(content))
    if error is not None:
        where = "/".join(map(str, error.absolute_path)) or "<top level>"
        raise ManifestError(f"{path} is not a misi-bench manifest: {where}: {' '.join(error.message.split())[:200]}")
    return content
