"""Which files a command may replace in the folder it writes (``build``/``merge`` OUT, ``gallery`` SITE).

The rule (docs/reliability.md): a command writes into a folder that is missing or empty, or into
one an earlier run of the same command wrote, recognised by its marker file (``manifest.json``,
``gallery.json``) validating against our schema. There it replaces only the files the marker
lists, plus the marker; everything else (a user's ``NOTES.md``, ``.git/``) is kept. Any other
non-empty folder is refused before any work, and so is a folder holding a file we did not write
where ours go (``data/``, ``README.md``, ``images/`` ...).

The new files are written in a staging folder and moved in one by one, the marker removed first
and put back last, so the folder never looks finished while it changes. The files being replaced
are listed in a journal in the folder before anything is touched, so a run killed halfway knows
on the next run which files are its own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

JOURNAL = ".misi-bench-replacing.json"


class OutputFolderError(ValueError):
    """The output folder holds files this command did not write (or is not a folder)."""


@dataclass(frozen=True)
class Owner:
    """What one command writes: its marker file, the schema of the marker, the files a valid
    marker owns, and the top-level names where only its own files may be."""

    command: str
    marker: str
    schema: str
    listed_files: Callable[[dict], list[str]]
    reserved: tuple[str, ...]


def resolve_target(path: Path) -> Path:
    """The real folder behind ``--out``: a symlink is followed, ``.`` is the working folder."""
    target = Path(path).resolve()
    if target.parent == target:
        raise OutputFolderError(f"--out {path} is a file-system root; choose a folder inside it")
    return target


def _safe(relative: str) -> bool:
    """A relative path that stays inside its folder."""
    parts = PurePosixPath(relative).parts
    return bool(parts) and not PurePosixPath(relative).is_absolute() and ".." not in parts and "\\" not in relative


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None


def _marked_files(folder: Path, owner: Owner) -> set[str] | None:
    """Files the folder's marker owns (marker included), or None when it is not a valid marker."""
    from misi_bench import schema

    content = _read_json(folder / owner.marker)
    if content is None or any(True for _ in schema.validator(owner.schema).iter_errors(content)):
        return None
    files = set(owner.listed_files(content)) | {owner.marker}
    return files if all(_safe(f) for f in files) else None


def _journaled_files(folder: Path) -> set[str] | None:
    """Files of a replacement that was interrupted, as journaled before it started."""
    content = _read_json(folder / JOURNAL)
    if not isinstance(content, list) or not all(isinstance(f, str) and _safe(f) for f in content):
        return None
    return set(content) | {JOURNAL}


def owned_files(folder: Path, owner: Owner) -> set[str]:
    """Relative paths in ``folder`` that a new run of ``owner.command`` may replace.
    OutputFolderError when the folder holds anything else where the command writes."""
    folder = Path(folder)
    if not folder.exists():
        return set()
    if not folder.is_dir():
        raise OutputFolderError(f"{folder} exists and is not a folder; choose another --out")
    if not any(folder.iterdir()):
        return set()
    owned = _journaled_files(folder) if (folder / JOURNAL).exists() else _marked_files(folder, owner)
    if owned is None:
        raise OutputFolderError(f"{folder} is not empty and is not a misi-bench {owner.command} output (no valid "
                                f"{owner.marker}); nothing was changed: choose a new or empty folder")
    strangers = sorted(rel for rel in _files_under(folder, owner.reserved) if rel not in owned)
    if strangers:
        raise OutputFolderError(f"{folder / strangers[0]} was not written by misi-bench {owner.command} "
                                f"({len(strangers)} such file(s)); nothing was changed: move them away or choose another folder")
    return owned


def _files_under(folder: Path, names: tuple[str, ...]) -> list[str]:
    found = []
    for name in names:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            found += [p.relative_to(folder).as_posix() for p in path.rglob("*") if not p.is_dir() or p.is_symlink()]
        elif path.exists() or path.is_symlink():
            found.append(name)
    return found


def install(staging: Path, folder: Path, owner: Owner) -> None:
    """Move every file of ``staging`` into ``folder``, replacing only files ``owner`` wrote there
    before; the marker last. ``staging`` is left empty."""
    staging, folder = Path(staging), Path(folder)
    owned = owned_files(folder, owner)
    if not folder.exists():
        staging.rename(folder)  # same parent folder: one atomic rename
        return
    new = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    new.remove(owner.marker)
    clashes = [rel for rel in new if rel not in owned and ((folder / rel).exists() or (folder / rel).is_symlink())]
    if clashes:
        raise OutputFolderError(f"{folder / clashes[0]} was not written by misi-bench {owner.command}; nothing was "
                                "changed: move it away and run again")
    _write_journal(folder, sorted((owned | set(new) | {owner.marker}) - {JOURNAL}))
    (folder / owner.marker).unlink(missing_ok=True)  # from here on the folder does not look finished
    for rel in sorted(owned - set(new) - {owner.marker, JOURNAL}):
        _remove(folder, rel)
    for rel in new:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / rel, folder / rel)
    shutil.move(staging / owner.marker, folder / owner.marker)
    (folder / JOURNAL).unlink()


def _write_journal(folder: Path, files: list[str]) -> None:
    tmp = folder / f"{JOURNAL}.tmp"
    tmp.write_text(json.dumps(files), encoding="utf-8")
    tmp.replace(folder / JOURNAL)


def _remove(folder: Path, relative: str) -> None:
    """Remove one file we wrote, then its parent folders up to ``folder`` that it left empty."""
    path = folder / relative
    path.unlink(missing_ok=True)
    for parent in path.parents:
        if parent == folder or not parent.is_dir() or any(parent.iterdir()):
            break
        parent.rmdir()
