"""Distance-based bond perception: the x-ordered sweep finds exactly the bonds of an all-pairs test."""

from __future__ import annotations

import numpy as np
import pytest

from misi_bench.builders.source.bonds import MIN_DISTANCE, TOLERANCE, perceive_bonds
from misi_bench.builders.source.elements import covalent_radius, is_metal


def all_pairs_bonds(elements: np.ndarray, coords: np.ndarray) -> np.ndarray:
    """The rule of bonds.py, spelled out over every pair: bonded when MIN_DISTANCE < d < r_i + r_j +
    TOLERANCE, no metal, no H-H; a hydrogen keeps its nearest partner (the first in (i, j) order
    on a tie)."""
    radii = np.array([covalent_radius(e) for e in elements])
    is_h = np.isin(elements, ["H", "D"])
    candidates = []
    for i in range(len(elements)):
        d = np.linalg.norm(coords[i] - coords[i + 1:], axis=-1)
        for offset in np.flatnonzero((d < radii[i] + radii[i + 1:] + TOLERANCE) & (d > MIN_DISTANCE)):
            j = i + 1 + int(offset)
            if not (is_metal(elements[i]) or is_metal(elements[j]) or radii[i] <= 0 or radii[j] <= 0
                    or (is_h[i] and is_h[j])):
                candidates.append((float(d[offset]), i, j))
    nearest = {}
    for length, i, j in sorted(candidates, key=lambda c: c[0]):  # stable: ties keep (i, j) order
        for atom in (i, j):
            if is_h[atom]:
                nearest.setdefault(atom, (i, j))
    kept = [(i, j) for _, i, j in candidates
            if all(nearest[atom] == (i, j) for atom in (i, j) if is_h[atom])]
    return np.array(sorted(kept), dtype=np.int64).reshape(-1, 2)


@pytest.mark.parametrize("jitter", [0.0, 0.25])
def test_sweep_finds_the_all_pairs_bonds_of_every_sample_pocket(sample_complexes, jitter):
    rng = np.random.default_rng(7)
    for complex_ in sample_complexes:
        pocket = complex_.pocket
        coords = pocket.coords + rng.normal(0.0, jitter, pocket.coords.shape) if jitter else pocket.coords
        found = perceive_bonds(pocket.elements, coords)
        assert np.array_equal(found, all_pairs_bonds(pocket.elements, coords)), complex_.pdb_id
        assert len(found) > 0.8 * pocket.n_atoms  # not vacuous: most atoms are bonded
