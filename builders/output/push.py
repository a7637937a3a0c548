"""``misi-bench push OUT --repo-id ID [--dry-run]``: publish a finished build to the Hugging Face Hub.

Refuses a folder that fails ``validate`` or that breaks a Hub viewer limit (docs/conventions.md, Output folder):
shards <= ~500 MB, row groups <= 100 rows, no ``.py`` file, a README whose YAML header lists
every config, the ``LICENSE`` its ``license_link`` points at, and no shard-only build. Uploads
exactly the files the manifest describes plus ``README.md``, ``LICENSE`` and ``manifest.json``
with ``huggingface_hub.HfApi.create_commit``: one commit per config's data, then the card,
licence and manifest last (so the card never describes data that is not up), deleting data files
of an earlier push that this build does not have. ``--dry-run`` prints the same plan and checks
and uploads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from . import manifest as manifest_io
from ..run.build import BuildError
from .licence import LICENSE_NAME
from .validate import validate_folder
from .writer import ROWS_PER_GROUP

MAX_SHARD_BYTES = 500 * 1000 * 1000  # the dataset viewer's ~500 MB per file
CARD = "README.md"
TAIL = (CARD, LICENSE_NAME, manifest_io.MANIFEST_NAME)  # uploaded after the data, in this order


class PushError(BuildError):
    """A folder that cannot be published (missing, not a build)."""


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def upload_plan(out: Path, manifest: dict) -> list[tuple[str, int]]:
    """(path in the repository, bytes) of every file to upload: data shards by config, then the
    card, the licence and the manifest."""
    shards = manifest_io.shard_paths(manifest)
    tail = [name for name in TAIL if (out / name).is_file()]
    return [(path, (out / path).stat().st_size) for path in [*shards, *tail]]


def viewer_checks(out: Path, manifest: dict) -> list[Check]:
    shard_paths = [out / path for path, _ in upload_plan(out, manifest) if path.startswith("data/")]
    biggest = max((p.stat().st_size for p in shard_paths), default=0)
    groups = [pq.ParquetFile(p).metadata for p in shard_paths]
    largest_group = max((meta.row_group(i).num_rows for meta in groups for i in range(meta.num_row_groups)), default=0)
    scripts = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.py"))
    configs = _card_configs(out / CARD)
    missing = sorted(set(manifest["configs"]) - set(configs))
    has_license = (out / LICENSE_NAME).is_file()
    return [
        Check("shard size", biggest <= MAX_SHARD_BYTES, f"largest shard {biggest:,} bytes (limit {MAX_SHARD_BYTES:,})"),
        Check("row groups", largest_group <= ROWS_PER_GROUP, f"largest row group {largest_group} rows (limit {ROWS_PER_GROUP})"),
        Check("no script", not scripts, "no .py file" if not scripts else f".py files: {', '.join(scripts)}"),
        Check("card configs", bool(configs) and not missing,
              f"README.md lists {len(configs)} config(s)" + (f"; missing {', '.join(missing)}" if missing else "")),
        Check("licence file", has_license, f"{LICENSE_NAME} (the card's license_link) " + ("present" if has_license else "missing")),
        Check("complete build", "shard" not in manifest,
              "a merged / one-shot build" if "shard" not in manifest else "a --shard build: merge the shards first"),
    ]


def _card_configs(path: Path) -> list[str]:
    if not path.is_file():
        return []
    from huggingface_hub import DatasetCard

    try:
        configs = DatasetCard.load(path).data.configs or []
    except Exception:  # an unreadable card header fails the check, it is not a crash
        return []
    return [c.get("config_name") for c in configs if isinstance(c, dict)]


def push(out: Path, repo_id: str, dry_run: bool = False, private: bool = False) -> tuple[list[str], list[tuple[str, int]], list[Check]]:
    """Validate, check, and (unless ``dry_run``) upload. Returns (problems, plan, checks); nothing
    is uploaded when there is any problem or failed check."""
    out = Path(out)
    if not out.is_dir():
        raise PushError(f"build folder does not exist: {out}")
    problems = validate_folder(out)
    if problems:
        return problems, [], []
    manifest = manifest_io.read(out)
    plan = upload_plan(out, manifest)
    checks = viewer_checks(out, manifest)
    if dry_run or not all(c.ok for c in checks):
        return [], plan, checks
    _upload(out, repo_id, plan, private)
    return [], plan, checks


def _upload(out: Path, repo_id: str, plan: list[tuple[str, int]], private: bool) -> None:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete, HfApi

    api = HfApi()
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    planned = {path for path, _ in plan}
    by_config: dict[str, list[str]] = {}
    for path in (p for p, _ in plan if p.startswith("data/")):
        by_config.setdefault(path.split("/")[1], []).append(path)
    for config, paths in by_config.items():
        api.create_commit(repo_id, repo_type="dataset", commit_message=f"misi-bench: data of {config}",
                          operations=[CommitOperationAdd(path_in_repo=p, path_or_fileobj=out / p) for p in paths])
    stale = [p for p in api.list_repo_files(repo_id, repo_type="dataset") if p.startswith("data/") and p not in planned]
    api.create_commit(repo_id, repo_type="dataset", commit_message="misi-bench: dataset card, licence and manifest",
                      operations=[*(CommitOperationAdd(path_in_repo=p, path_or_fileobj=out / p) for p in TAIL),
                                  *(CommitOperationDelete(path_in_repo=p) for p in stale)])
