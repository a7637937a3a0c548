"""Pocket–ligand hydrogen bonds: neighbour search, then acceptor test, donor test, metal veto."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..structure import Complex
from .acceptors import AcceptorSpec, acceptor_test, classify_acceptor, is_metal_blocked, near_metal
from .donors import DonorSpec, classify_donor, donor_test
from .geometry import SkipPair, angle, distance, hyd_positions
from .model import Model, build_model
from .tolerances import Tolerances

POLAR = ("N", "O", "S")
_CHUNK = 2048


@dataclass(frozen=True)
class HBond:
    """One pocket–ligand hydrogen bond, named by the pocket residue atom and the ligand atom.

    ``distance`` is donor···acceptor (heavy atoms, Å). ``angle`` is θ = ∠(D, H, A) in degrees for
    the donor hydrogen that best satisfies it when the donor has hydrogen positions (explicit,
    or computed where ChimeraX computes them); otherwise (no hydrogen position) it is
    υ = the smallest ∠(X, D, A) over the donor's heavy neighbours X. ``angle_kind`` says which.
    """

    chain: str
    res_name: str
    res_number: int
    icode: str
    res_atom: str
    ligand_atom: str
    donor: str  # "pocket" or "ligand"
    distance: float
    angle: float
    pocket_atom_index: int
    ligand_atom_index: int
    angle_kind: str = "D-H...A"  # or "X-D...A"

    @property
    def sort_key(self) -> tuple:
        return (self.chain, self.res_number, self.icode, self.res_atom, self.ligand_atom)


def pairs_within(a: np.ndarray, b: np.ndarray, radius: float) -> np.ndarray:
    """(K, 2) index pairs (i into ``a``, j into ``b``) closer than ``radius``; chunked numpy."""
    found = []
    r2 = radius * radius
    for start in range(0, len(a), _CHUNK):
        block = a[start:start + _CHUNK]
        d2 = ((block[:, None, :] - b[None, :, :]) ** 2).sum(-1)
        rows, cols = np.nonzero(d2 <= r2)
        found.append(np.stack([rows + start, cols], axis=1))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)


class _Annotator:
    def __init__(self, model: Model, tol: Tolerances):
        self.model = model
        self.tol = tol
        self._acc: dict[int, AcceptorSpec | None] = {}
        self._don: dict[int, DonorSpec | None] = {}
        self._hyds: dict[int, list] = {}

    def acceptor(self, atom: int) -> AcceptorSpec | None:
        if atom not in self._acc:
            self._acc[atom] = classify_acceptor(self.model, atom, self.tol)
        return self._acc[atom]

    def donor(self, atom: int) -> DonorSpec | None:
        if atom not in self._don:
            metal_near = self.acceptor(atom) is not None and near_metal(self.model, atom)
            self._don[atom] = classify_donor(self.model, atom, self.tol, metal_near)
        return self._don[atom]

    def hyds(self, atom: int) -> list:
        if atom not in self._hyds:
            self._hyds[atom] = hyd_positions(self.model, atom)
        return self._hyds[atom]

    def is_hbond(self, donor: int, acceptor: int) -> bool:
        d_spec, a_spec = self.donor(donor), self.acceptor(acceptor)
        if d_spec is None or a_spec is None:
            return False
        hyds = self.hyds(donor)
        try:
            if not acceptor_test(self.model, a_spec, donor, acceptor, hyds):
                return False
            if not donor_test(self.model, d_spec, donor, acceptor, hyds):
                return False
        except SkipPair:
            return False
        return not is_metal_blocked(self.model, donor, acceptor)

    def reported_angle(self, donor: int, acceptor: int) -> tuple[float, str]:
        coords = self.model.coords
        dp, ap = coords[donor], coords[acceptor]
        hyds = self.hyds(donor)
        if hyds:
            return max(angle(dp, h, ap) for h in hyds), "D-H...A"
        heavy = self.model.heavy_nbrs(donor)
        if not heavy:
            return 0.0, "X-D...A"
        return min(angle(coords[x], dp, ap) for x in heavy), "X-D...A"


def find_hbonds(complex_: Complex, dist_slop: float = 0.4, angle_slop: float = 20.0,
                tolerances: Tolerances | None = None) -> list[HBond]:
    """Pocket–ligand hydrogen bonds by ChimeraX's ``hbonds`` criteria, sorted by
    (chain, residue number, insertion code, residue atom, ligand atom).

    Both directions are tested (pocket donor -> ligand acceptor and the reverse); a pair that
    passes both ways is reported once, with the pocket as donor.
    """
    tol = tolerances or Tolerances(dist_slop, angle_slop)
    model = build_model(complex_)
    annotator = _Annotator(model, tol)
    pocket, ligand = complex_.pocket, complex_.ligand
    n_p = model.n_pocket
    pocket_polar = np.array([i for i in range(n_p) if model.elements[i] in POLAR], dtype=np.int64)
    ligand_polar = np.array([n_p + k for k in range(ligand.n_atoms) if model.elements[n_p + k] in POLAR],
                            dtype=np.int64)
    if len(pocket_polar) == 0 or len(ligand_polar) == 0:
        return []
    pairs = pairs_within(model.coords[pocket_polar], model.coords[ligand_polar], tol.search_radius)
    bonds = []
    for pi, li in pairs:
        p, lig = int(pocket_polar[pi]), int(ligand_polar[li])
        if annotator.is_hbond(p, lig):
            donor, acceptor, side = p, lig, "pocket"
        elif annotator.is_hbond(lig, p):
            donor, acceptor, side = lig, p, "ligand"
        else:
            continue
        value, kind = annotator.reported_angle(donor, acceptor)
        k = lig - n_p
        bonds.append(HBond(
            chain=str(pocket.chains[p]), res_name=str(pocket.res_names[p]), res_number=int(pocket.res_numbers[p]),
            icode=str(pocket.icodes[p]), res_atom=str(pocket.names[p]), ligand_atom=str(ligand.names[k]),
            donor=side, distance=round(distance(model.coords[p], model.coords[lig]), 3), angle=round(value, 2),
            pocket_atom_index=p, ligand_atom_index=k, angle_kind=kind,
        ))
    return sorted(bonds, key=lambda b: b.sort_key)
