"""Covalent bonds from interatomic distances, for files that do not list them (PDB pockets).

Two atoms are bonded when their distance is below the sum of their RDKit covalent radii plus
``TOLERANCE``. Metals get no covalent bonds (their contacts are coordination, which ChimeraX
draws as dashed pseudobonds and which we do not draw). A hydrogen keeps only its nearest partner.
"""

from __future__ import annotations

import numpy as np

from .elements import covalent_radius, is_metal

TOLERANCE = 0.45  # Å added to the sum of covalent radii
MIN_DISTANCE = 0.4  # Å; closer pairs are overlapping duplicates, not bonds
_CHUNK = 256


def perceive_bonds(elements: np.ndarray, coords: np.ndarray) -> np.ndarray:
    """Return an (M, 2) array of bonded atom index pairs (i < j), sorted."""
    n_atoms = len(elements)
    if n_atoms < 2:
        return np.zeros((0, 2), dtype=np.int64)
    radii = np.array([covalent_radius(e) for e in elements])
    bondable = np.array([not is_metal(e) and r > 0 for e, r in zip(elements, radii)])
    is_h = np.array([e in ("H", "D") for e in elements])
    pairs = []
    distances = []
    for start in range(0, n_atoms, _CHUNK):
        block = coords[start : start + _CHUNK]
        d = np.linalg.norm(block[:, None, :] - coords[None, :, :], axis=-1)
        limit = radii[start : start + _CHUNK, None] + radii[None, :] + TOLERANCE
        rows, cols = np.nonzero((d < limit) & (d > MIN_DISTANCE))
        rows = rows + start
        keep = (rows < cols) & bondable[rows] & bondable[cols] & ~(is_h[rows] & is_h[cols])
        pairs.append(np.stack([rows[keep], cols[keep]], axis=1))
        distances.append(d[rows[keep] - start, cols[keep]])
    bonds = np.concatenate(pairs)
    lengths = np.concatenate(distances)
    bonds = _nearest_partner_for_hydrogens(bonds, lengths, is_h)
    order = np.lexsort((bonds[:, 1], bonds[:, 0]))
    return bonds[order].astype(np.int64)


def _nearest_partner_for_hydrogens(bonds: np.ndarray, lengths: np.ndarray, is_h: np.ndarray) -> np.ndarray:
    """Drop every bond of a hydrogen but its shortest (H-H pairs are already excluded)."""
    keep = np.ones(len(bonds), dtype=bool)
    h_rows = np.nonzero(is_h[bonds[:, 0]] | is_h[bonds[:, 1]])[0]
    seen: set[int] = set()
    for row in h_rows[np.argsort(lengths[h_rows], kind="stable")]:
        hydrogen = int(bonds[row, 0] if is_h[bonds[row, 0]] else bonds[row, 1])
        if hydrogen in seen:
            keep[row] = False
        seen.add(hydrogen)
    return bonds[keep]
