"""``misi-bench verify OUT --manifest M``: is OUT byte for byte the build that M describes?

Unlike ``validate`` (schemas, counts, the folder's own manifest), this compares against a manifest
kept elsewhere, e.g. the one published with a release, and names every shard that differs.
"""

from __future__ import annotations

from pathlib import Path

from .writer import file_sha256


def verify_folder(out: Path, manifest: dict) -> list[str]:
    """Problems found; empty when every shard the manifest lists is present with its sha256 and
    no other shard exists."""
    out = Path(out)
    problems = []
    listed = set()
    for task, per_split in manifest["configs"].items():
        for split, entry in per_split.items():
            for shard in entry["shards"]:
                path = out / shard["path"]
                listed.add(shard["path"])
                if not path.resolve().is_relative_to(out.resolve()):
                    problems.append(f"{shard['path']}: leads outside {out}; not read")
                elif not path.is_file():
                    problems.append(f"{shard['path']}: missing")
                elif path.stat().st_size != shard["bytes"] or file_sha256(path) != shard["sha256"]:
                    problems.append(f"{shard['path']}: content differs from the manifest")
    if (out / "data").is_dir():
        extra = sorted(p.relative_to(out).as_posix() for p in (out / "data").rglob("*.parquet"))
        problems.extend(f"{path}: not in the manifest" for path in extra if path not in listed)
    return problems
