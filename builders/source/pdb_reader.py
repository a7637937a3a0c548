"""Read the atoms of a PDB file (pocket or whole protein) into a :class:`Pocket`.

Fixed-column PDB records are read directly: only the first MODEL, solvent removed, one
alternate location per atom (highest occupancy, then the first listed); records with a blank
altloc are separate atoms even when their names repeat. Covalent bonds are
perceived from distances (:mod:`.bonds`), since PDBbind pocket files carry no CONECT records
for the protein.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .bonds import perceive_bonds
from .elements import atomic_number, normalize_symbol
from .structure import Pocket, Residue

# Water under its usual names; PDBbind pockets keep crystal waters as HETATM HOH.
SOLVENT_RESIDUES = frozenset({"HOH", "WAT", "H2O", "DOD", "D2O", "TIP", "TIP3", "TIP4", "SOL", "SPC"})


class PDBFormatError(ValueError):
    """The file has no readable atom records."""


@dataclass
class _AtomRecord:
    order: int
    is_hetero: bool
    name: str
    altloc: str
    res_name: str
    chain: str
    res_number: int
    icode: str
    xyz: tuple[float, float, float]
    occupancy: float
    element: str


def _element_of(line: str, name_field: str) -> str:
    element = normalize_symbol(line[76:78]) if len(line) >= 78 else ""
    if element and atomic_number(element):
        return element
    # No element column: PDB convention puts a one-letter element in column 14 (name[1])
    # when the name starts with a space or a digit (" CA ", "1HB "), else two letters ("ZN  ").
    if name_field[:1] in (" ", "") or name_field[:1].isdigit():
        return normalize_symbol(name_field[1:2])
    two = normalize_symbol(name_field[:2])
    return two if atomic_number(two) else normalize_symbol(name_field[:1])


def _parse_record(line: str, order: int) -> _AtomRecord:
    name_field = line[12:16]
    occupancy_text = line[54:60].strip()
    return _AtomRecord(
        order=order,
        is_hetero=line.startswith("HETATM"),
        name=name_field.strip(),
        altloc=line[16:17].strip(),
        res_name=line[17:20].strip() or line[17:21].strip(),
        chain=line[21:22].strip(),
        res_number=int(line[22:26]),
        icode=line[26:27].strip(),
        xyz=(float(line[30:38]), float(line[38:46]), float(line[46:54])),
        occupancy=float(occupancy_text) if occupancy_text else 1.0,
        element=_element_of(line, name_field),
    )


def read_atom_records(path: Path) -> list[_AtomRecord]:
    """ATOM/HETATM records of the first model, solvent dropped, alternate locations resolved."""
    records: list[_AtomRecord] = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line.startswith("ENDMDL"):
                break
            if not line.startswith(("ATOM  ", "HETATM")):
                continue
            try:
                record = _parse_record(line.rstrip("\n"), len(records))
            except ValueError as error:
                raise PDBFormatError(f"{path.name}: unreadable atom record {line[:27]!r}") from error
            if record.res_name in SOLVENT_RESIDUES:
                continue
            records.append(record)
    return _resolve_altlocs(records)


def _resolve_altlocs(records: list[_AtomRecord]) -> list[_AtomRecord]:
    """One record per atom: as ChimeraX does, a record with a non-blank altloc is an alternate
    location of the atom of the same name already in its residue (if any) and the highest
    occupancy wins (the first on ties); a record with a blank altloc is always an atom of its
    own, so repeated names (every hydrogen named ``H``, as some protonation tools write) are
    all kept."""
    kept: list[_AtomRecord] = []
    slot_of: dict[tuple, int] = {}  # atom key -> index in ``kept`` of its latest atom
    for record in records:
        key = (record.chain, record.res_number, record.icode, record.name)
        slot = slot_of.get(key) if record.altloc else None
        if slot is None:
            slot_of[key] = len(kept)
            kept.append(record)
        elif record.occupancy > kept[slot].occupancy:
            kept[slot] = record
    return sorted(kept, key=lambda record: record.order)


def repeated_name_count(pocket: Pocket) -> int:
    """Atoms whose name another atom of the same residue also has (kept as separate atoms)."""
    names = [(int(r), str(n)) for r, n in zip(pocket.residue_index, pocket.names)]
    counts = Counter(names)
    return sum(1 for key in names if counts[key] > 1)


def group_residues(records: list[_AtomRecord]) -> tuple[list[tuple], list[list[int]], np.ndarray]:
    """Residue keys in file order, the atom indices of each, and each atom's residue index."""
    keys: list[tuple] = []
    atoms_of: dict[tuple, list[int]] = {}
    for atom_index, record in enumerate(records):
        key = (record.chain, record.res_number, record.icode, record.res_name)
        if key not in atoms_of:
            atoms_of[key] = []
            keys.append(key)
        atoms_of[key].append(atom_index)
    residue_index = np.empty(len(records), dtype=np.int64)
    members = [atoms_of[key] for key in keys]
    for index, atoms in enumerate(members):
        residue_index[atoms] = index
    return keys, members, residue_index


def pocket_from_records(records: list[_AtomRecord]) -> Pocket:
    """Build a :class:`Pocket` (residues in file order, alternating colors) from atom records."""
    residue_keys, members, residue_index = group_residues(records)
    residues = []
    for index, (key, atoms) in enumerate(zip(residue_keys, members)):
        chain, number, icode, name = key
        residues.append(
            Residue(
                chain=chain,
                name=name,
                number=number,
                icode=icode,
                atom_indices=tuple(atoms),
                color_index=index % 2,
                is_hetero=all(records[i].is_hetero for i in atoms),
            )
        )
    coords = np.array([r.xyz for r in records], dtype=np.float64).reshape(-1, 3)
    elements = np.array([r.element for r in records], dtype=object)
    return Pocket(
        names=np.array([r.name for r in records], dtype=object),
        elements=elements,
        coords=coords,
        res_names=np.array([r.res_name for r in records], dtype=object),
        res_numbers=np.array([r.res_number for r in records], dtype=np.int64),
        icodes=np.array([r.icode for r in records], dtype=object),
        chains=np.array([r.chain for r in records], dtype=object),
        is_hetero=np.array([r.is_hetero for r in records], dtype=bool),
        residue_index=residue_index,
        residues=tuple(residues),
        bonds=perceive_bonds(elements, coords),
    )


def read_pocket(path: Path) -> Pocket:
    """Read a pocket (or any protein) PDB file."""
    return pocket_from_records(read_atom_records(Path(path)))
