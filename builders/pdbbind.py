"""Walk a PDBbind directory and yield one :class:`Complex` per entry, in sorted id order.

An entry is a sub-directory holding ``<id>_pocket.pdb`` and ``<id>_ligand.mol2`` and/or
``<id>_ligand.sdf`` (any letter case of the id). ``index/`` and other folders without a pocket
file are not entries. An entry that cannot be used is reported as a :class:`SkippedEntry` with a
short reason code instead of raising, so a build over thousands of entries never stops on one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .ligand_reader import LigandParseError, read_ligand
from .pdb_reader import PDBFormatError, read_pocket
from .structure import Complex

_INDEX_LINE = re.compile(r"^([0-9][A-Za-z0-9]{3})\s")


class SourceError(ValueError):
    """The source directory itself is unusable (missing, or holds no entry)."""


@dataclass(frozen=True)
class SkippedEntry:
    pdb_id: str
    reason: str  # short code: ligand_unparsable, empty_pocket, pocket_unparsable, no_ligand_file
    detail: str = ""

    def to_dict(self) -> dict:
        return {"pdb_id": self.pdb_id, "reason": self.reason, "detail": self.detail}


@dataclass(frozen=True)
class EntryFiles:
    pdb_id: str
    pocket: Path
    mol2: Path | None
    sdf: Path | None


def sample_corpus_dir() -> Path:
    """The small corpus of public complexes that ships with the package (``--sample``)."""
    return Path(str(resources.files("misi_bench.builders") / "sample_corpus"))


def _find_file(folder: Path, pdb_id: str, suffix: str) -> Path | None:
    wanted = f"{pdb_id}{suffix}".lower()
    for path in sorted(folder.iterdir()):
        if path.name.lower() == wanted and path.is_file():
            return path
    return None


def find_entries(source: Path) -> list[EntryFiles]:
    """Entries of a PDBbind directory, sorted by lower-case PDB id."""
    source = Path(source)
    if not source.is_dir():
        raise SourceError(f"source directory does not exist: {source}")
    entries = []
    for folder in source.iterdir():
        if not folder.is_dir():
            continue
        pdb_id = folder.name.lower()
        pocket = _find_file(folder, pdb_id, "_pocket.pdb")
        if pocket is None:
            continue
        mol2 = _find_file(folder, pdb_id, "_ligand.mol2")
        sdf = _find_file(folder, pdb_id, "_ligand.sdf")
        entries.append(EntryFiles(pdb_id, pocket, mol2, sdf))
    if not entries:
        raise SourceError(f"no PDBbind entries (<id>/<id>_pocket.pdb) found in {source}")
    return sorted(entries, key=lambda entry: entry.pdb_id)


def read_entry(entry: EntryFiles) -> Complex | SkippedEntry:
    """Read one entry, or say why it is skipped."""
    if entry.mol2 is None and entry.sdf is None:
        return SkippedEntry(entry.pdb_id, "no_ligand_file", "neither _ligand.mol2 nor _ligand.sdf")
    try:
        ligand = read_ligand(entry.mol2, entry.sdf)
    except LigandParseError as error:
        return SkippedEntry(entry.pdb_id, "ligand_unparsable", str(error))
    try:
        pocket = read_pocket(entry.pocket)
    except (PDBFormatError, OSError) as error:
        return SkippedEntry(entry.pdb_id, "pocket_unparsable", str(error))
    if pocket.n_atoms == 0 or not (~pocket.is_hydrogen).any():
        return SkippedEntry(entry.pdb_id, "empty_pocket", "no pocket atom after removing solvent")
    return Complex(pdb_id=entry.pdb_id, pocket=pocket, ligand=ligand)


def iter_complexes(source: Path, ids: set[str] | None = None) -> Iterator[Complex | SkippedEntry]:
    """Yield a :class:`Complex` or :class:`SkippedEntry` per entry, in sorted id order."""
    for entry in find_entries(source):
        if ids is None or entry.pdb_id in ids:
            yield read_entry(entry)


def load_complexes(source: Path) -> tuple[list[Complex], list[SkippedEntry]]:
    complexes: list[Complex] = []
    skipped: list[SkippedEntry] = []
    for item in iter_complexes(source):
        (skipped if isinstance(item, SkippedEntry) else complexes).append(item)
    return complexes, skipped


def load_sample() -> list[Complex]:
    """Every complex of the bundled sample corpus."""
    complexes, _ = load_complexes(sample_corpus_dir())
    return complexes


def read_index_ids(source: Path) -> list[str]:
    """PDB ids listed in ``index/INDEX_*`` files, when the directory has them."""
    ids: set[str] = set()
    index_dir = Path(source) / "index"
    if index_dir.is_dir():
        for path in sorted(index_dir.glob("INDEX_*")):
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                match = _INDEX_LINE.match(line)
                if match and not line.startswith("#"):
                    ids.add(match.group(1).lower())
    return sorted(ids)
