"""Helpers shared by the renderer tests (no tests here): tiny hand-built complexes, the sample
complexes, and an independent re-statement of the camera formulas of docs/conventions.md."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from rdkit import Chem

from misi_bench.builders.source.structure import Complex, Ligand, Pocket, Residue

TAN15 = math.tan(math.radians(15))
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "build" / "test-output" / "renderer"
POSEBUSTERS_IDS = ("1ia1", "1of6", "1s3v", "1uou")


def make_complex(pocket_atoms, ligand_atoms, pocket_bonds=(), ligand_bonds=(), pdb_id="test", first_color=0) -> Complex:
    """``pocket_atoms``: (name, element, (x, y, z), residue number) in residue order, chain A;
    ``ligand_atoms``: (name, element, (x, y, z)). Residues alternate color_index 0, 1, ..."""
    numbers = [a[3] for a in pocket_atoms]
    order = list(dict.fromkeys(numbers))
    residue_index = np.array([order.index(n) for n in numbers], dtype=np.int64)
    residues = tuple(
        Residue("A", "ALA", number, "", tuple(int(i) for i in np.flatnonzero(residue_index == k)), (k + first_color) % 2)
        for k, number in enumerate(order)
    )
    n = len(pocket_atoms)
    pocket = Pocket(
        names=np.array([a[0] for a in pocket_atoms], dtype=str),
        elements=np.array([a[1] for a in pocket_atoms], dtype=str),
        coords=np.array([a[2] for a in pocket_atoms], dtype=np.float64).reshape(-1, 3),
        res_names=np.array(["ALA"] * n, dtype=str),
        res_numbers=np.array(numbers, dtype=np.int64),
        icodes=np.array([""] * n, dtype=str),
        chains=np.array(["A"] * n, dtype=str),
        is_hetero=np.zeros(n, dtype=bool),
        residue_index=residue_index,
        residues=residues,
        bonds=np.array(pocket_bonds, dtype=np.int64).reshape(-1, 2),
    )
    m = len(ligand_atoms)
    ligand = Ligand(
        names=np.array([a[0] for a in ligand_atoms], dtype=str),
        elements=np.array([a[1] for a in ligand_atoms], dtype=str),
        coords=np.array([a[2] for a in ligand_atoms], dtype=np.float64).reshape(-1, 3),
        formal_charges=np.zeros(m, dtype=np.int64),
        bonds=np.array(ligand_bonds, dtype=np.int64).reshape(-1, 2),
        bond_orders=np.ones(len(ligand_bonds), dtype=np.float64),
        mol=Chem.Mol(),
    )
    return Complex(pdb_id, pocket, ligand)


def fit_distance(coords: np.ndarray, radius: float = 0.2) -> tuple[np.ndarray, float]:
    """Box center and ChimeraX fit distance (docs/conventions.md, Frames and camera), written out independently."""
    low, high = coords.min(axis=0) - radius, coords.max(axis=0) + radius
    hx, hy, hz = (high - low) / 2
    d0 = max(hx / TAN15 + hz, hy / TAN15 + hz)
    return (low + high) / 2, d0 / 0.95


def pixel(camera_point, width: int = 512) -> tuple[float, float]:
    """docs/conventions.md, Frames and camera: u = W/2 + (W/2)·x/(D·t), v = H/2 − (W/2)·y/(D·t), D = −z."""
    x, y, z = camera_point
    depth = -z
    return width / 2 + (width / 2) * x / (depth * TAN15), width / 2 - (width / 2) * y / (depth * TAN15)


def sample_complexes() -> list[Complex]:
    """The bundled sample corpus when it exists, else PoseBusters' four public complexes."""
    try:
        from misi_bench.builders.source import pdbbind

        corpus = pdbbind.sample_corpus_dir()
        if corpus.is_dir() and any(corpus.iterdir()):
            complexes = pdbbind.load_sample()
            if complexes:
                return complexes
    except (ImportError, ValueError, OSError):
        pass
    import posebusters

    from misi_bench.builders.source.pocket_cut import complex_from_protein

    root = Path(posebusters.__file__).parent / "datasets" / "pdb"
    return [
        complex_from_protein(pdb_id, root / pdb_id / f"{pdb_id}_protein_one_lig_removed.pdb",
                             root / pdb_id / f"{pdb_id}_ligand.sdf")
        for pdb_id in POSEBUSTERS_IDS
    ]
