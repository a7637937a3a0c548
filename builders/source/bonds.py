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
    """Return an (M, 2) array of bonded atom index pairs (i < j), sorted.

    Atoms are swept in order of x: an atom is compared only with the atoms after it in that order
    whose x lies within the longest possible bond (twice the largest radius + ``TOLERANCE``), a
    few hundred instead of all of them; each distance is the same float as in an all-pairs test."""
    n_atoms = len(elements)
    if n_atoms < 2:
        return np.zeros((0, 2), dtype=np.int64)
    coords = np.asarray(coords, dtype=np.float64)
    radii = np.array([covalent_radius(e) for e in elements])
    bondable = np.array([not is_metal(e) and r > 0 for e, r in zip(elements, radii)])
    is_h = np.array([e in ("H", "D") for e in elements])
    reach = 2 * radii.max() + TOLERANCE
    order = np.argsort(coords[:, 0], kind="stable")
    xs = coords[order, 0]
    pairs, distances = [], []
    for start in range(0, n_atoms, _CHUNK):
        stop = min(start + _CHUNK, n_atoms)
        window = order[start:np.searchsorted(xs, xs[stop - 1] + reach, side="right")]
        rows = order[start:stop]
        d = np.linalg.norm(coords[rows][:, None, :] - coords[window][None, :, :], axis=-1)
        limit = radii[rows, None] + radii[None, window] + TOLERANCE
        r, c = np.nonzero((d < limit) & (d > MIN_DISTANCE))
        later = c > r  # window position c is sorted position start + c: each pair once
        i, j = rows[r[later]], window[c[later]]
        keep = bondable[i] & bondable[j] & ~(is_h[i] & is_h[j])
        pairs.append(np.stack([np.minimum(i, j)[keep], np.maximum(i, j)[keep]], axis=1))
        distances.append(d[r[later][keep], c[later][keep]])
    bonds, lengths = np.concatenate(pairs), np.concatenate(distances)
    order = np.lexsort((bonds[:, 1], bonds[:, 0]))  # (i, j) order: ties between a hydrogen's partners
    bonds = _nearest_partner_for_hydrogens(bonds[order], lengths[order], is_h)
    return bonds.astype(np.int64)


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
