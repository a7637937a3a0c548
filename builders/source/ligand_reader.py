"""Read a PDBbind ligand with RDKit: mol2 first, then SDF, then SDF without sanitization.

Atom names come from the mol2 file (PDBbind keeps PDB-style names such as ``O1B``): every
unique mol2 name is kept, and only empty or repeated ones (typically hydrogens all named ``H``)
are renamed (:func:`unique_names`). When the mol2 route fails, every atom is named element + its
1-based position in the file (``C1``, ``O2``, ``H23``): unique by construction (our choice).

RDKit reads the hydrogens of a mol2 file as explicit, so a mol2 without hydrogens sanitizes into
wrong formal charges (radicals and charged atoms where valences fall short). For such a file the
molecule is taken from the SDF when that lists the same elements in the same order, and only the
names from the mol2 (route ``mol2-names+sdf``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from rdkit import Chem, RDLogger

from .structure import Ligand

RDLogger.DisableLog("rdApp.*")  # parse failures are reported as skip reasons instead


class LigandParseError(ValueError):
    """No route could read the ligand; the message lists why each route failed."""


def _read_mol2(path: Path) -> Chem.Mol | None:
    return Chem.MolFromMol2File(str(path), sanitize=True, removeHs=False)


def _read_sdf(path: Path, sanitize: bool) -> Chem.Mol | None:
    supplier = Chem.SDMolSupplier(str(path), sanitize=sanitize, removeHs=False)
    mol = next(iter(supplier), None) if len(supplier) else None
    if mol is not None and not sanitize:
        mol.UpdatePropertyCache(strict=False)
    return mol


def _mol2_names(mol: Chem.Mol) -> list[str]:
    """The mol2 atom names, each unique one kept; see :func:`unique_names` for the rest."""
    raw = [a.GetProp("_TriposAtomName").strip() if a.HasProp("_TriposAtomName") else "" for a in mol.GetAtoms()]
    return unique_names(raw, [a.GetSymbol() for a in mol.GetAtoms()])


def unique_names(names: list[str], elements: list[str]) -> list[str]:
    """Every name that occurs once is kept; an empty or repeated name (all its occurrences) is
    replaced, in file order, by element + 1-based position (``H23``), or when that is taken by
    a kept name or an earlier replacement, by the first free ``H23_2``, ``H23_3``, ... (our
    choice: deterministic, never colliding, the kept names untouched)."""
    counts = Counter(names)
    taken = {name for name in names if name and counts[name] == 1}
    result = []
    for position, (name, element) in enumerate(zip(names, elements), start=1):
        if name and counts[name] == 1:
            result.append(name)
            continue
        candidate, suffix = f"{element}{position}", 1
        while candidate in taken:
            suffix += 1
            candidate = f"{element}{position}_{suffix}"
        taken.add(candidate)
        result.append(candidate)
    return result


def _has_hydrogens(mol: Chem.Mol) -> bool:
    return any(atom.GetAtomicNum() == 1 for atom in mol.GetAtoms())


def _sdf_chemistry_for(mol2_mol: Chem.Mol, sdf_path: Path) -> tuple[Chem.Mol, str]:
    """The SDF molecule when its atoms match the mol2's one to one, else the mol2 molecule."""
    try:
        sdf_mol = _read_sdf(sdf_path, sanitize=True)
    except (RuntimeError, ValueError, OSError):
        sdf_mol = None
    elements = [a.GetSymbol() for a in mol2_mol.GetAtoms()]
    if sdf_mol is not None and [a.GetSymbol() for a in sdf_mol.GetAtoms()] == elements:
        return sdf_mol, "mol2-names+sdf"
    return mol2_mol, "mol2"


def _positional_names(mol: Chem.Mol) -> list[str]:
    return unique_names([""] * mol.GetNumAtoms(), [a.GetSymbol() for a in mol.GetAtoms()])


def ligand_from_mol(mol: Chem.Mol, names: list[str] | None, file_route: str) -> Ligand:
    """Wrap an RDKit molecule with a 3-D conformer as a :class:`Ligand`."""
    if mol.GetNumConformers() == 0:
        raise LigandParseError("ligand has no coordinates")
    if not any(a.GetAtomicNum() > 1 for a in mol.GetAtoms()):
        raise LigandParseError("ligand has no heavy atom")
    name_source = "mol2" if names is not None else "sdf"
    bonds = [(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in mol.GetBonds()]
    return Ligand(
        names=np.array(names if names is not None else _positional_names(mol), dtype=object),
        elements=np.array([a.GetSymbol() for a in mol.GetAtoms()], dtype=object),
        coords=np.array(mol.GetConformer().GetPositions(), dtype=np.float64).reshape(-1, 3),
        formal_charges=np.array([a.GetFormalCharge() for a in mol.GetAtoms()], dtype=np.int64),
        bonds=np.array(bonds, dtype=np.int64).reshape(-1, 2),
        bond_orders=np.array([b.GetBondTypeAsDouble() for b in mol.GetBonds()], dtype=np.float64),
        mol=mol,
        name_source=name_source,
        file_route=file_route,
    )


def read_ligand(mol2_path: Path | None, sdf_path: Path | None) -> Ligand:
    """Try each route in order; raise :class:`LigandParseError` naming every failure."""
    failures = []
    routes = []
    if mol2_path is not None:
        routes.append(("mol2", lambda: _read_mol2(mol2_path)))
    if sdf_path is not None:
        routes.append(("sdf", lambda: _read_sdf(sdf_path, sanitize=True)))
        routes.append(("sdf-unsanitized", lambda: _read_sdf(sdf_path, sanitize=False)))
    if not routes:
        raise LigandParseError("no ligand file (.mol2 or .sdf)")
    for route, read in routes:
        try:
            mol = read()
        except (RuntimeError, ValueError, OSError) as error:
            failures.append(f"{route}: {error}".strip())
            continue
        if mol is None:
            failures.append(f"{route}: RDKit could not parse it")
            continue
        try:
            names = _mol2_names(mol) if route == "mol2" else None
            if route == "mol2" and sdf_path is not None and not _has_hydrogens(mol):
                mol, route = _sdf_chemistry_for(mol, sdf_path)
            return ligand_from_mol(mol, names, route)
        except LigandParseError as error:
            failures.append(f"{route}: {error}")
    raise LigandParseError("; ".join(failures))
