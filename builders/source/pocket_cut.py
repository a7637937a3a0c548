"""Cut a PDBbind-style pocket from a whole protein: every residue with any atom within
``POCKET_RADIUS`` Å of any ligand heavy atom (hydrogens of the protein count as residue atoms)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .ligand_reader import read_ligand
from .pdb_reader import group_residues, pocket_from_records, read_atom_records
from .structure import Complex, Ligand, Pocket

POCKET_RADIUS = 10.0


def pocket_residue_mask(protein_coords: np.ndarray, residue_index: np.ndarray, ligand_heavy: np.ndarray,
                        radius: float = POCKET_RADIUS) -> np.ndarray:
    """Boolean mask over residues: True where some atom lies within ``radius`` of the ligand."""
    n_residues = int(residue_index.max()) + 1 if len(residue_index) else 0
    near_atom = np.zeros(len(protein_coords), dtype=bool)
    for start in range(0, len(protein_coords), 4096):
        block = protein_coords[start : start + 4096]
        d2 = ((block[:, None, :] - ligand_heavy[None, :, :]) ** 2).sum(-1)
        near_atom[start : start + 4096] = (d2 <= radius * radius).any(axis=1)
    mask = np.zeros(n_residues, dtype=bool)
    mask[residue_index[near_atom]] = True
    return mask


def cut_pocket(protein_pdb: Path, ligand: Ligand, radius: float = POCKET_RADIUS) -> Pocket:
    """The pocket of ``ligand`` in a whole-protein PDB file."""
    records = read_atom_records(Path(protein_pdb))
    _, _, residue_index = group_residues(records)
    coords = np.array([record.xyz for record in records], dtype=np.float64).reshape(-1, 3)
    heavy = ligand.coords[~ligand.is_hydrogen]
    keep_residue = pocket_residue_mask(coords, residue_index, heavy, radius)
    kept = [record for record, r in zip(records, residue_index) if keep_residue[r]]
    return pocket_from_records(kept)


def complex_from_protein(pdb_id: str, protein_pdb: Path, ligand_sdf: Path,
                         radius: float = POCKET_RADIUS) -> Complex:
    """Second entry point: whole-protein PDB + ligand SDF -> :class:`Complex` with a cut pocket."""
    ligand = read_ligand(None, Path(ligand_sdf))
    return Complex(pdb_id=pdb_id.lower(), pocket=cut_pocket(protein_pdb, ligand, radius), ligand=ligand)
