"""Geometric primitives of the tests: angles, planes, computed hydrogen and lone-pair positions,
and the φ, θ and τ tests shared by acceptor and donor rules (ChimeraX common_geom, bond_geom)."""

from __future__ import annotations

import math

import numpy as np

from .atom_types import PLANAR, TETRAHEDRAL, TYPE_INFO
from .model import Model

H_BOND_LENGTH = {"N": 0.91, "O": 0.91, "S": 1.25, "C": 0.99}  # covalent radius sums with H 0.23
TET_DEG = 109.5  # ChimeraX bond_geom.tetra_pos: 109.5 and 54.75 degrees (not 109.47)
TET_HALF_DEG = 54.75


class SkipPair(Exception):
    """The pair cannot be judged (ChimeraX's ConnectivityError / AtomTypeError): not a bond."""


def unit(v: np.ndarray) -> np.ndarray:
    norm = math.sqrt(float(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]))
    return v / norm if norm > 0 else v


def angle(p0: np.ndarray, p1: np.ndarray, p2: np.ndarray) -> float:
    """Angle at ``p1`` in degrees."""
    u = p0 - p1
    v = p2 - p1
    nu = math.sqrt(float(u @ u))
    nv = math.sqrt(float(v @ v))
    if nu == 0 or nv == 0:
        return 0.0
    c = float(u @ v) / (nu * nv)
    return math.degrees(math.acos(max(-1.0, min(1.0, c))))


def distance(p: np.ndarray, q: np.ndarray) -> float:
    d = p - q
    return math.sqrt(float(d @ d))


def _perpendicular(v: np.ndarray) -> np.ndarray:
    axis = np.array([1.0, 0.0, 0.0]) if abs(v[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    return unit(np.cross(v, axis))


def _planar_second(center, bond, length, coplanar) -> np.ndarray:
    """Second substituent of a planar atom with one known bond ``bond``, at 120° from it
    (ChimeraX bond_geom.angle_pos). Each ``coplanar`` point c gives the position in the plane of
    (atom, bond, c), on c's side for the first point and on the far side of the second; with
    two points the two positions are averaged and put back at ``length``. No coplanar point:
    the rotation about the bond is arbitrary (ChimeraX's z_align frame; ours a fixed
    perpendicular)."""
    axis = unit(bond - center)
    c120, s120 = math.cos(math.radians(120.0)), math.sin(math.radians(120.0))
    points = []
    for k, point in enumerate((coplanar or [])[:2]):
        up = point - center
        if k:
            up = -up
        perp = up - axis * float(up @ axis)
        if float(perp @ perp) <= 1e-12:
            continue
        points.append(center + (axis * c120 + unit(perp) * s120) * length)
    if not points:
        points = [center + (axis * c120 + _perpendicular(axis) * s120) * length]
    if len(points) == 1:
        return points[0]
    middle = (points[0] + points[1]) / 2.0 - center
    return center + unit(middle) * length


def bond_positions(center, geometry, length, bonded, coplanar=None, toward=None) -> list[np.ndarray]:
    """Positions of the empty valences of an atom (ChimeraX bond_geom.bond_positions).

    ``toward`` settles the free rotation of a single-neighbour atom (docs/hbonds.md, choice 5): one position is put
    in the plane of the neighbour, the atom and that point, on its side (our choice).
    """
    units = [unit(b - center) for b in bonded]
    known = len(units)
    if known == 0 or known >= geometry:
        return []
    if geometry == TETRAHEDRAL:
        if known == 3:
            normal = unit(np.cross(units[1] - units[0], units[2] - units[1]))
            if float(normal @ units[0]) > 0:
                normal = -normal
            return [center + normal * length]
        if known == 2:
            anti = -unit(units[0] + units[1])
            normal = unit(np.cross(units[0], units[1]))
            c, s = math.cos(math.radians(TET_HALF_DEG)), math.sin(math.radians(TET_HALF_DEG))
            return [center + (anti * c + normal * s) * length, center + (anti * c - normal * s) * length]
        # one neighbour (ChimeraX tetra_pos): one position at 109.5 degrees from it, then the two
        # of the two-known case; the rotation about the bond is free (``toward``)
        axis = units[0]
        ref = None
        if toward is not None:
            ref = toward - center
            ref = ref - axis * float(ref @ axis)
            ref = unit(ref) if float(ref @ ref) > 1e-12 else None
        if ref is None:
            ref = _perpendicular(axis)
        first = center + (axis * math.cos(math.radians(TET_DEG)) + ref * math.sin(math.radians(TET_DEG))) * length
        return [first] + bond_positions(center, geometry, length, [bonded[0], first])
    if geometry == PLANAR:
        if known == 1:
            first = _planar_second(center, bonded[0], length, coplanar)
            units.append(unit(first - center))
            positions = [first]
        else:
            positions = []
        # the last planar position: on the anti-bisector of the two known bonds
        return positions + [center - unit(units[0] + units[1]) * length]
    if geometry == 2 and known == 1:
        return [center - units[0] * length]
    return []


def hyd_positions(model: Model, atom: int, include_lone_pairs: bool = False) -> list[np.ndarray]:
    """Hydrogen positions of ``atom``: its explicit H, else computed ones when determined."""
    coords = model.coords
    heavy = model.heavy_nbrs(atom)
    hyd_locs = [coords[j] for j in model.h_nbrs(atom)]
    if hyd_locs and not include_lone_pairs:
        return hyd_locs
    info = TYPE_INFO.get(model.types[atom])
    if info is None:
        return hyd_locs
    geom, subs = info
    if include_lone_pairs:
        subs = geom
    bonded = hyd_locs + [coords[j] for j in heavy]
    known = len(bonded)
    if known >= subs or known == 0:
        return hyd_locs
    if known == 1 and geom == TETRAHEDRAL:
        return hyd_locs
    if geom - subs > 0:
        return hyd_locs
    coplanar = None
    if geom == PLANAR:
        coplanar = []
        for b in heavy:
            if model.geometry(b) != PLANAR:
                continue
            coplanar.extend(coords[x] for x in model.nbrs[b] if x != atom)
    length = H_BOND_LENGTH.get(model.elements[atom], 1.0)
    return hyd_locs + bond_positions(coords[atom], geom, length, bonded, coplanar=coplanar)


def lone_pair_bisectors(model: Model, atom: int, toward: np.ndarray | None = None) -> list[np.ndarray]:
    """Points A - (L - A) for the tetrahedral lone pairs L of ``atom`` (all neighbours count)."""
    a = model.coords[atom]
    bonded = [model.coords[j] for j in model.nbrs[atom]]
    pairs = bond_positions(a, TETRAHEDRAL, 1.0, bonded, toward=toward)
    return [a - (lp - a) for lp in pairs]


def phi_plane(model: Model, acceptor: int, b1: int | None, b2: int | None):
    """(plane points, base point) for the φ test; plane None when undetermined."""
    coords = model.coords
    ap = coords[acceptor]
    if b1 is not None and b2 is not None:
        return (ap, coords[b1], coords[b2]), (coords[b1] + coords[b2]) / 2.0
    if b1 is not None:
        grand = [g for g in model.nbrs[b1] if g != acceptor]
        if len(grand) == 1:
            return (ap, coords[b1], coords[grand[0]]), coords[b1]
        if len(grand) == 2:
            return (ap, coords[grand[0]], coords[grand[1]]), coords[b1]
        if len(grand) == 0:
            return None, coords[b1]
        raise SkipPair("phi/psi acceptor base with more than two other neighbours")
    return None, None


def test_phi(dp, ap, bp, plane, phi: float) -> bool:
    if plane is None:
        return True
    normal = unit(np.cross(plane[1] - plane[0], plane[2] - plane[1]))
    offset = float(normal @ plane[1])

    def project(p):
        return p - normal * (float(normal @ p) - offset)

    return angle(project(bp), project(ap), project(dp)) >= phi


def test_theta(dp, hyds, ap, theta: float) -> bool:
    if not hyds:
        return True
    return any(angle(ap, h, dp) >= theta for h in hyds)


def test_tau(model: Model, tau, tau_sym, atom: int, other_point: np.ndarray) -> bool:
    """τ test about the axis from ``atom`` to its single heavy neighbour."""
    if tau is None:
        return True
    coords = model.coords
    dap = coords[atom]
    refs = hyd_positions(model, atom) if tau_sym == 4 else []
    heavy = model.heavy_nbrs(atom)
    if 2 * len(refs) != tau_sym:
        x = heavy[0]
        refs = hyd_positions(model, x, include_lone_pairs=True)
        refs += [coords[b] for b in model.nbrs[x] if b != atom and not model.is_h(b)]
        if not refs:
            return True
    if 2 * len(refs) != tau_sym:
        raise SkipPair("unexpected tau symmetry")
    normal = unit(coords[heavy[0]] - dap)

    def project(p):
        return p - normal * float(normal @ p)

    po, pd = project(other_point), project(dap)
    for ref in refs:
        ang = angle(po, pd, project(ref))
        if tau < 0.0:
            if ang <= -tau:
                return True
        elif ang < tau:
            return False
    return tau >= 0.0
