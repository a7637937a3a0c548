"""Walk a PDBbind directory and yield one :class:`Complex` per entry, in sorted id order.

An entry is a sub-directory holding ``<id>_pocket.pdb`` and ``<id>_ligand.mol2`` and/or
``<id>_ligand.sdf`` (any letter case of the id). ``index/`` and other folders without a pocket
file are not entries. An entry that cannot be used is reported as a :class:`SkippedEntry` with a
short reason code instead of raising, so a build over thousands of entries never stops on one.

An id is a PDBbind id: four characters, a digit then three letters or digits, any letter case
(read lower-case). An entry folder with another name is skipped (``bad_id``), and so are both of
two folders whose names differ only in letter case (``duplicate_id``): neither ever gets an id, a
split or a place among the partners of other entries. An entry with a coordinate that is not a
finite number a PDB coordinate field can hold is skipped as a whole (``bad_coordinates``) when it
is read, before any task, and so is never a partner either (partners must be readable).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from .ligand_reader import LigandParseError, read_ligand
from .pdb_reader import PDBFormatError, read_pocket
from .structure import Complex

_INDEX_LINE = re.compile(r"^([0-9][A-Za-z0-9]{3})\s")
PDB_ID = re.compile(r"[0-9][a-z0-9]{3}")
# What the 8-character PDB coordinate fields (%8.3f) can hold; anything else is a broken file.
COORDINATE_RANGE = (-999.999, 9999.999)


class SourceError(ValueError):
    """The source directory itself is unusable (missing, or holds no entry)."""


@dataclass(frozen=True)
class SkippedEntry:
    pdb_id: str
    reason: str  # short code: ligand_unparsable, empty_pocket, pocket_unparsable, no_ligand_file,
    #              bad_coordinates, bad_id, duplicate_id
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


def scan_source(source: Path) -> tuple[list[EntryFiles], list[SkippedEntry]]:
    """Entries of a PDBbind directory sorted by lower-case PDB id, and the entry folders skipped
    for their name (bad_id, duplicate_id), sorted by folder name."""
    source = Path(source)
    if not source.is_dir():
        raise SourceError(f"source directory does not exist: {source}")
    by_id: dict[str, list[EntryFiles]] = {}
    skipped = []
    for folder in source.iterdir():
        if not folder.is_dir():
            continue
        pdb_id = folder.name.lower()
        pocket = _find_file(folder, pdb_id, "_pocket.pdb")
        if pocket is None:
            continue
        if not PDB_ID.fullmatch(pdb_id):
            skipped.append(SkippedEntry(folder.name, "bad_id", "a PDBbind id is a digit and three letters or digits"))
            continue
        mol2 = _find_file(folder, pdb_id, "_ligand.mol2")
        sdf = _find_file(folder, pdb_id, "_ligand.sdf")
        by_id.setdefault(pdb_id, []).append(EntryFiles(pdb_id, pocket, mol2, sdf))
    entries = []
    for pdb_id, found in by_id.items():
        if len(found) == 1:
            entries.append(found[0])
            continue
        names = sorted(entry.pocket.parent.name for entry in found)
        skipped += [SkippedEntry(name, "duplicate_id", f"folders {', '.join(names)} differ only in letter case") for name in names]
    if not entries:
        misnamed = f" ({len(skipped)} entry folder(s) skipped for their name, e.g. {skipped[0].pdb_id!r}: {skipped[0].reason})" if skipped else ""
        raise SourceError(f"no PDBbind entries (<id>/<id>_pocket.pdb) found in {source}{misnamed}")
    return sorted(entries, key=lambda entry: entry.pdb_id), sorted(skipped, key=lambda entry: entry.pdb_id)


def find_entries(source: Path) -> list[EntryFiles]:
    """Entries of a PDBbind directory, sorted by lower-case PDB id (misnamed folders left out)."""
    return scan_source(source)[0]


def _coordinate_problem(pocket, ligand) -> str | None:
    low, high = COORDINATE_RANGE
    for part, coords in (("pocket", pocket.coords), ("ligand", ligand.coords)):
        bad = ~(np.isfinite(coords) & (coords >= low) & (coords <= high))
        if bad.any():
            atom = int(np.argwhere(bad)[0][0])
            return f"{part} atom {atom + 1} has coordinate {coords[atom].tolist()}; expected finite values in [{low}, {high}] Å"
    return None


def read_entry(entry: EntryFiles) -> Complex | SkippedEntry:
    """Read one entry, or say why it is skipped."""
    if entry.mol2 is None and entry.sdf is None:
        return SkippedEntry(entry.pdb_id, "no_ligand_file", "neither _ligand.mol2 nor _ligand.sdf")
    try:
        ligand = read_ligand(entry.mol2, entry.sdf)
    except LigandParseError as error:
        return SkippedEntry(entry.pdb_id, "ligand_unparsable", str(error))
    try:
        with np.errstate(invalid="ignore", over="ignore"):  # bad coordinates are reported just below
            pocket = read_pocket(entry.pocket)
    except (PDBFormatError, OSError) as error:
        return SkippedEntry(entry.pdb_id, "pocket_unparsable", str(error))
    if pocket.n_atoms == 0 or not (~pocket.is_hydrogen).any():
        return SkippedEntry(entry.pdb_id, "empty_pocket", "no pocket atom after removing solvent")
    problem = _coordinate_problem(pocket, ligand)
    if problem:
        return SkippedEntry(entry.pdb_id, "bad_coordinates", problem)
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
