"""Helpers shared by the hydrogen-bond tests (no tests here): hand-built complexes, shuffling."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
from rdkit import Chem
from rdkit.Chem import AllChem

from misi_bench.builders.source.ligand_reader import ligand_from_mol
from misi_bench.builders.source.pdb_reader import read_pocket
from misi_bench.builders.source.structure import Complex, Ligand, Pocket, Residue


def embedded(smiles: str, seed: int = 7, hydrogens: bool = True) -> Chem.Mol:
    mol = Chem.AddHs(Chem.MolFromSmiles(smiles))
    AllChem.EmbedMolecule(mol, randomSeed=seed)
    AllChem.MMFFOptimizeMolecule(mol)
    return mol if hydrogens else Chem.RemoveHs(mol)


def ligand_of(mol: Chem.Mol) -> Ligand:
    names = [f"{a.GetSymbol()}{a.GetIdx() + 1}" for a in mol.GetAtoms()]
    return ligand_from_mol(mol, names, "sdf")


def dipeptide_pocket(hydrogens: bool = True) -> Pocket:
    """ALA 1 - GLY 2 (chain A), embedded by RDKit, read back through the PDB reader."""
    mol = Chem.AddHs(Chem.MolFromSequence("AG"), addResidueInfo=True)
    AllChem.EmbedMolecule(mol, randomSeed=11)
    AllChem.MMFFOptimizeMolecule(mol)
    if not hydrogens:
        mol = Chem.RemoveHs(mol)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pocket.pdb"
        path.write_text(Chem.MolToPDBBlock(mol))
        return read_pocket(path)


def rotation_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Rotation matrix taking unit vector u onto unit vector v."""
    u = u / np.linalg.norm(u)
    v = v / np.linalg.norm(v)
    axis = np.cross(u, v)
    s, c = np.linalg.norm(axis), float(u @ v)
    if s < 1e-9:
        if c > 0:
            return np.eye(3)
        perp = np.cross(u, [1.0, 0, 0] if abs(u[0]) < 0.9 else [0, 1.0, 0])
        perp /= np.linalg.norm(perp)
        return 2 * np.outer(perp, perp) - np.eye(3)
    k = axis / s
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + s * K + (1 - c) * K @ K


def place(mol: Chem.Mol, atom: int, partner: int, target: np.ndarray, direction: np.ndarray) -> Chem.Mol:
    """Move ``mol`` rigidly so ``atom`` sits at ``target`` and partner->atom points along ``direction``."""
    mol = Chem.Mol(mol)
    conf = mol.GetConformer()
    xyz = conf.GetPositions()
    rot = rotation_between(xyz[atom] - xyz[partner], direction)
    new = (xyz - xyz[atom]) @ rot.T + target
    for i, p in enumerate(new):
        conf.SetAtomPosition(i, p.tolist())
    return mol


def angle(p0, p1, p2) -> float:
    u, v = np.asarray(p0) - p1, np.asarray(p2) - p1
    return math.degrees(math.acos(np.clip(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)), -1, 1)))


def shuffled(complex_: Complex, seed: int = 3) -> Complex:
    """The same complex with pocket and ligand atoms in a random order."""
    rng = np.random.default_rng(seed)
    pocket = complex_.pocket
    perm = rng.permutation(pocket.n_atoms)  # new position k holds old atom perm[k]
    new_of_old = np.empty_like(perm)
    new_of_old[perm] = np.arange(len(perm))
    res_order = rng.permutation(len(pocket.residues))
    residues = tuple(
        Residue(r.chain, r.name, r.number, r.icode, tuple(int(new_of_old[i]) for i in r.atom_indices),
                r.color_index, r.is_hetero)
        for r in (pocket.residues[k] for k in res_order)
    )
    res_new_of_old = np.empty(len(res_order), dtype=np.int64)
    res_new_of_old[res_order] = np.arange(len(res_order))
    bonds = np.sort(new_of_old[pocket.bonds], axis=1) if len(pocket.bonds) else pocket.bonds
    new_pocket = Pocket(
        names=pocket.names[perm], elements=pocket.elements[perm], coords=pocket.coords[perm],
        res_names=pocket.res_names[perm], res_numbers=pocket.res_numbers[perm], icodes=pocket.icodes[perm],
        chains=pocket.chains[perm], is_hetero=pocket.is_hetero[perm],
        residue_index=res_new_of_old[pocket.residue_index[perm]], residues=residues, bonds=bonds,
    )
    lig = complex_.ligand
    lperm = [int(i) for i in rng.permutation(lig.n_atoms)]
    mol = Chem.RenumberAtoms(lig.mol, lperm)
    names = [str(lig.names[i]) for i in lperm]
    new_ligand = ligand_from_mol(mol, names, lig.file_route)
    return Complex(complex_.pdb_id, new_pocket, new_ligand)
