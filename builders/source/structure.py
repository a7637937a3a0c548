"""The in-memory complex: a PDBbind pocket and its ligand, as columnar numpy arrays.

Every later stage (hydrogen bonds, rendering, tasks) reads these objects and never the files.
Coordinates are the file's scene coordinates in Å. Hydrogens are kept (the hydrogen-bond
annotator needs them) and flagged with ``is_hydrogen`` so the renderer can hide them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rdkit import Chem

HYDROGEN_ELEMENTS = frozenset({"H", "D"})


@dataclass(frozen=True)
class Residue:
    """One pocket residue, in sequence (file) order."""

    chain: str
    name: str
    number: int
    icode: str
    atom_indices: tuple[int, ...]
    color_index: int  # 0 or 1, alternating residue by residue in sequence order
    is_hetero: bool = False

    @property
    def label(self) -> str:
        """ChimeraX residue label text: name and number, no chain, no insertion code."""
        return f"{self.name} {self.number}"

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.chain, self.number, self.icode)


class _AtomTable:
    """What pocket and ligand share; both hold per-atom ``names`` and ``elements`` arrays."""

    @property
    def is_hydrogen(self) -> np.ndarray:
        """Read-only mask, made once per ``elements`` array (tasks ask for it thousands of times;
        a complex's arrays are replaced, never modified in place)."""
        made_from, mask = self.__dict__.get("_hydrogen_mask", (None, None))
        if made_from is not self.elements:
            made_from, mask = self.elements, np.isin(self.elements, list(HYDROGEN_ELEMENTS))
            mask.flags.writeable = False
            self.__dict__["_hydrogen_mask"] = (made_from, mask)
        return mask

    @property
    def n_atoms(self) -> int:
        return len(self.names)


@dataclass
class Pocket(_AtomTable):
    """Pocket atoms (solvent removed, one alternate location each) and their covalent bonds."""

    names: np.ndarray  # (N,) str atom names, e.g. "CA"
    elements: np.ndarray  # (N,) str element symbols, capitalised like "C", "Zn"
    coords: np.ndarray  # (N, 3) float64
    res_names: np.ndarray  # (N,) str
    res_numbers: np.ndarray  # (N,) int
    icodes: np.ndarray  # (N,) str, "" when none
    chains: np.ndarray  # (N,) str
    is_hetero: np.ndarray  # (N,) bool, HETATM record
    residue_index: np.ndarray  # (N,) int, index into ``residues``
    residues: tuple[Residue, ...]
    bonds: np.ndarray  # (M, 2) int atom index pairs, i < j


@dataclass
class Ligand(_AtomTable):
    """Ligand atoms with unique names, bonds with orders, and the RDKit molecule they came from.

    Atom ``i`` here is atom ``i`` of ``mol``.
    """

    names: np.ndarray  # (N,) str, unique
    elements: np.ndarray  # (N,) str
    coords: np.ndarray  # (N, 3) float64
    formal_charges: np.ndarray  # (N,) int
    bonds: np.ndarray  # (M, 2) int
    bond_orders: np.ndarray  # (M,) float: 1, 2, 3 or 1.5 (aromatic)
    mol: Chem.Mol = field(repr=False)
    name_source: str = "mol2"  # "mol2" or "sdf" (names element + running index)
    file_route: str = "mol2"  # which parse route succeeded: mol2, sdf, sdf-unsanitized


@dataclass
class Complex:
    pdb_id: str
    pocket: Pocket
    ligand: Ligand

    @property
    def has_hydrogens(self) -> bool:
        return bool(self.pocket.is_hydrogen.any() or self.ligand.is_hydrogen.any())
