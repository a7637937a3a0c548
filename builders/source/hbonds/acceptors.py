"""Acceptor rules (ChimeraX ``acceptor_params`` and generic table) and the acceptor tests.

:func:`classify_acceptor` tells which rule claims an atom (first match in list order, then the
generic table); :func:`acceptor_test` runs that rule's geometric test for one donor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .atom_types import LINEAR, PLANAR, SINGLE, TETRAHEDRAL, TYPE_INFO
from .geometry import (
    SkipPair, angle, distance, lone_pair_bisectors, phi_plane, test_phi, test_tau, test_theta,
)
from .model import Model
from .patterns import ESB, TET, H, C, O, trace
from .tolerances import SULFUR_COMP, Tolerances

_NON_O3M_SB = ({"geometry": 4, "not type": ("O3-",)}, {"geometry": 1})
_NON_SAC_PAC_H_SB = ({"geometry": 4, "not type": ("Sac", "Pac")}, {"geometry": 1, "not type": ("H", "HC", "D")})


@dataclass(frozen=True)
class AcceptorRule:
    """``pattern`` (or ``finder``), acceptor slot(s) in the matched group, test kind, references
    (group slots; -1 = the other acceptor slot) and the raw (unrelaxed) numbers."""

    name: str
    pattern: object
    acceptor_slots: tuple[int, ...]
    test: str  # "syn_anti", "phi_psi", "theta_tau", "generic"
    refs: tuple
    numbers: tuple
    depth: int = 0  # graph distance from the acceptor to the pattern centre
    aniline_tau: bool = False


ACCEPTOR_RULES: tuple[AcceptorRule, ...] = (
    AcceptorRule("phosphate, three O-", ["Pac", ["O3-", "O3-", "O3-", ESB]], (1,), "syn_anti", (2, 0),
                 (3.03, 110, 145, 3.03, 110, 135), depth=1),
    AcceptorRule("phosphate, two O-", ["Pac", ["O3-", "O3-", _NON_O3M_SB, _NON_O3M_SB]], (1, 2), "syn_anti",
                 (-1, 0), (3.03, 110, 145, 3.03, 110, 135), depth=1),
    AcceptorRule("carboxylate", ["Cac", [["O2-", []], ["O2-", []], ESB]], (1, 2), "syn_anti", (-1, 0),
                 (3.17, 90, 145, 3.17, 110, 145), depth=1),
    AcceptorRule("thiocarbonyl", ["S2", [C]], (0,), "phi_psi", (1, None), (3.73, 90, 145)),
    AcceptorRule("carboxylic acid", [C, [["O2", []], ["O3", [H]], ESB]], (1,), "syn_anti", (2, 0),
                 (3.17, 110, 130, 3.17, 110, 135), depth=1),
    AcceptorRule("amide", ["C2", ["O2", "Npl", ESB]], (1,), "syn_anti", (2, 0),
                 (3.30, 110, 135, 3.30, 110, 130), depth=1),
    AcceptorRule("ketone/aldehyde", ["C2", ["O2", C, (C, H)]], (1,), "phi_psi", (0, None),
                 (3.30, 110, 130), depth=1),
    AcceptorRule("ester carbonyl", ["C2", ["O2", ["O3", [TET]], C]], (1,), "phi_psi", (0, None),
                 (3.17, 110, 135), depth=1),
    AcceptorRule("nitro", ["Ntr", ["O2-", "O2-", ESB]], (1, 2), "syn_anti", (-1, 0),
                 (3.42, 90, 145, 3.53, 110, 130), depth=1),
    AcceptorRule("sulfone", ["Son", ["O2", "O2", ESB, ESB]], (1, 2), "syn_anti", (-1, 0),
                 (3.30, 110, 130, 3.30, 120, 135), depth=1),
    AcceptorRule("phosphonate O3", ["Pac", ["O3", "O3-", "O3-", ESB]], (1,), "theta_tau", (0,),
                 (3.03, 103, -146, 145), depth=1),
    AcceptorRule("phosphoryl O2", ["O2", ["Pox"]], (0,), "theta_tau", (1,), (3.03, 109, -180, 145)),
    AcceptorRule("sulfoxide", ["O2", ["Sxd"]], (0,), "theta_tau", (1,), (3.03, 100, -180, 145)),
    AcceptorRule("primary amine N3", ["N3", [TET, H, H]], (0,), "theta_tau", (1,), (3.03, 103, -180, 155)),
    AcceptorRule("hydroxyl", ["O3", [_NON_SAC_PAC_H_SB, H]], (0,), "theta_tau", (1,), (3.03, 100, -161, 145)),
    AcceptorRule("sulfate ester O", ["Sac", ["O3-", "O3-", ["O3", [{"default": True, "not type": ("Pac",)}]], ESB]],
                 (3,), "theta_tau", (0,), (3.17, 103, -180, 150), depth=1),
    AcceptorRule("tertiary amine N3", ["N3", [TET, TET, TET]], (0,), "theta_tau", (None,), (3.17, 153, -180, 145)),
    AcceptorRule("nitrile", ["N1", ["C1"]], (0,), "theta_tau", (1,), (3.30, 153, -180, 150)),
    AcceptorRule("secondary amine N3", ["N3", [TET, TET, H]], (0,), "theta_tau", (None,), (3.30, 153, -180, 150)),
    AcceptorRule("phenol", ["O3", ["Car", H]], (0,), "theta_tau", (1,), (3.17, 100, -153, 150)),
    AcceptorRule("aniline", [("Npl", "N3"), ["Car", H, H]], (0,), "theta_tau", (1,), (3.42, 90, -137, 140),
                 aniline_tau=True),
    AcceptorRule("water", [O, [H, H]], (0,), "phi_psi", (None, None), (3.03, 120, 145)),
    AcceptorRule("non-ring ether", "nonring_ether", (0,), "phi_psi", (1, 2), (3.42, 140, 140)),
    AcceptorRule("non-ring NR2", "nonring_nr2", (0,), "phi_psi", (1, 2), (3.42, 140, 140)),
    AcceptorRule("6-ring N, symmetric", "ring6_sym", (0,), "phi_psi", (1, 2), (3.17, 150, 145)),
    AcceptorRule("5-ring N, symmetric", "ring5_sym", (0,), "phi_psi", (1, 2), (3.30, 140, 155)),
    AcceptorRule("6-ring N, asymmetric", "ring6_asym", (0,), "phi_psi", (1, 2), (3.30, 140, 140)),
    AcceptorRule("5-ring N, asymmetric", "ring5_asym", (0,), "phi_psi", (1, 2), (3.30, 150, 135)),
    AcceptorRule("5-ring O", "ring5_O", (0,), "phi_psi", (1, 2), (3.42, 150, 135)),
)

ANILINE_TAU = 37.5  # not relaxed


@dataclass(frozen=True)
class AcceptorSpec:
    """What the acceptor test of one atom needs: kind, reference atoms, relaxed numbers."""

    rule: str
    test: str
    refs: tuple
    numbers: tuple
    aniline_tau: bool = False


def _ring_neighbours(model: Model, atom: int, ring) -> list[int]:
    k = ring.index(atom)
    return [ring[k - 1], ring[(k + 1) % len(ring)]]


def _ring_symmetric(model: Model, atom: int, ring) -> bool:
    k, n = ring.index(atom), len(ring)
    el = model.elements
    return el[ring[k - 1]] == el[ring[(k + 1) % n]] and el[ring[k - 2]] == el[ring[(k + 2) % n]]


def _finder_group(model: Model, finder: str, atom: int) -> list[int] | None:
    """Groups of the algorithmic rules (non-ring ether / NR2 and ring N / O): [atom, b1, b2]."""
    t, el = model.types[atom], model.elements[atom]
    nbrs = model.nbrs[atom]
    rings = model.atom_rings[atom]
    if finder in ("nonring_ether", "nonring_nr2"):
        wanted = "O3" if finder == "nonring_ether" else "N2"
        if t != wanted or rings or len(nbrs) != 2 or any(model.elements[j] != "C" for j in nbrs):
            return None
        return [atom, nbrs[0], nbrs[1]]
    if atom in model.broken:
        return None
    if finder == "ring5_O":
        ring = next((r for r in rings if len(r) == 5), None)
        if el != "O" or ring is None:
            return None
        return [atom] + _ring_neighbours(model, atom, ring)
    if len(rings) != 1:
        return None
    ring = rings[0]
    if finder.startswith("ring6"):
        if t != "N2" or len(ring) != 6:
            return None
    else:
        if len(ring) != 5 or el != "N":
            return None
        other_n = any(model.elements[j] == "N" for j in ring if j != atom)
        if not (t == "N2" or (t in ("Npl", "N2+") and len(nbrs) == 2 and other_n)):
            return None
    symmetric = _ring_symmetric(model, atom, ring)
    if symmetric != finder.endswith("_sym"):
        return None
    return [atom] + _ring_neighbours(model, atom, ring)


def _rule_group(model: Model, rule: AcceptorRule, atom: int) -> tuple[list[int], int] | None:
    """A group of ``rule`` in which ``atom`` fills an acceptor slot: (group, slot index)."""
    if isinstance(rule.pattern, str):
        group = _finder_group(model, rule.pattern, atom)
        return (group, 0) if group else None
    centres = [atom] if rule.depth == 0 else list(model.nbrs[atom])
    for centre in centres:
        for group in trace(model, rule.pattern, centre):
            for k, slot in enumerate(rule.acceptor_slots):
                if slot < len(group) and group[slot] == atom:
                    return group, k
    return None


def classify_acceptor(model: Model, atom: int, tol: Tolerances) -> AcceptorSpec | None:
    """The acceptor rule claiming ``atom`` (relaxed numbers, reference atoms), or None."""
    if atom in model.truncated:
        return None
    for rule in ACCEPTOR_RULES:
        found = _rule_group(model, rule, atom)
        if found is None:
            continue
        group, k = found
        refs = []
        for ref in rule.refs:
            if ref is None:
                refs.append(None)
            elif ref == -1:
                refs.append(group[rule.acceptor_slots[1 - k]])
            else:
                refs.append(group[ref])
        return AcceptorSpec(rule.name, rule.test, tuple(refs), tol.relax_all(rule.numbers), rule.aniline_tau)
    return _generic_acceptor(model, atom, tol)


def _generic_acceptor(model: Model, atom: int, tol: Tolerances) -> AcceptorSpec | None:
    t = model.types[atom]
    nbrs = model.nbrs[atom]
    el = model.elements[atom]
    relax = tol.relax_all

    def pp(numbers):
        if len(nbrs) > 2:
            raise_none = None
            return raise_none
        b = list(nbrs) + [None] * (2 - len(nbrs))
        return AcceptorSpec("generic " + t, "phi_psi", (b[0], b[1]), relax(numbers))

    def tt(numbers):
        if len(nbrs) == 0:
            return None
        partner = nbrs[0] if len(nbrs) == 1 else None
        return AcceptorSpec("generic " + t, "theta_tau", (partner,), relax(numbers))

    def gen(numbers):
        return AcceptorSpec("generic " + t, "generic", (), relax(numbers))

    if t in ("O2-", "O3-", "O2"):
        if not nbrs:
            return None
        info = TYPE_INFO.get(model.types[nbrs[0]])
        geom = info[0] if info else SINGLE
        if geom == PLANAR:
            return pp((3.53, 90, 130) if t != "O2" else (3.30, 110, 130))
        if t == "O2" and geom == TETRAHEDRAL:
            return tt((3.03, 100, -180, 145))
        return gen((3.53, 90))
    if t == "O3":
        count = len(nbrs)
        if count == 0:
            return gen((3.53, 90))
        if count == 1:
            return tt((3.17, 100, -161, 145))
        if count == 2:
            return pp((3.42, 120, 135))
        return None
    if t == "N2":
        return pp((3.42, 140, 135))
    if t == "N3":
        heavy = len(model.heavy_nbrs(atom))
        if heavy == 0:
            return gen((3.42, 90))
        if heavy == 1:
            return tt((3.13, 98, -180, 150))
        return tt((3.30, 153, -180, 145))
    if t == "N1":
        return tt((3.40, 136, -180, 145))
    if t == "S2":
        return pp((3.83, 85, 140))
    if t in ("Sar", "S3-"):
        return gen((3.83, 85))
    if el == "O":
        return gen((3.53, 90))
    return None


def acceptor_test(model: Model, spec: AcceptorSpec, donor: int, acceptor: int, hyds: list) -> bool:
    """The acceptor-side test for donor ``donor`` (``hyds``: its hydrogen positions)."""
    coords = model.coords
    dp, ap = coords[donor], coords[acceptor]
    extra = SULFUR_COMP if model.elements[donor] == "S" else 0.0
    nums = spec.numbers
    if spec.test == "syn_anti":
        syn, plane_atom = spec.refs
        sp, pp_ = coords[syn], coords[plane_atom]
        u = (pp_ - ap) / np.linalg.norm(pp_ - ap)
        up = (sp - pp_) - float((sp - pp_) @ u) * u
        r, phi, theta = nums[0:3] if float((dp - ap) @ up) > 0.0 else nums[3:6]
        return _phi_psi(dp, hyds, ap, pp_, (ap, pp_, sp), r + extra, phi, theta)
    if spec.test == "phi_psi":
        b1, b2 = spec.refs
        if b1 is None:
            bonded = model.nbrs[acceptor]
            b1 = bonded[0] if len(bonded) > 0 else None
            b2 = bonded[1] if len(bonded) > 1 else None
        plane, base = phi_plane(model, acceptor, b1, b2)
        r, phi, theta = nums
        return _phi_psi(dp, hyds, ap, base, plane, r + extra, phi, theta)
    if spec.test == "theta_tau":
        r, low, high, theta = nums
        if distance(dp, ap) > r + extra:
            return False
        partner = spec.refs[0]
        if partner is not None:
            points = [coords[partner]]
        else:
            points = lone_pair_bisectors(model, acceptor, toward=dp)
            if not points:
                return False
            points = points[1:] + points[:1]  # "extra" lone pairs are tried first
        ok = any(low <= angle(p, ap, dp) <= -high and test_theta(dp, hyds, ap, theta) for p in points)
        if ok and spec.aniline_tau:
            return test_tau(model, ANILINE_TAU, 4, acceptor, dp)
        return ok
    if spec.test == "generic":
        r, min_angle = nums
        if distance(dp, ap) > r + extra:
            return False
        return all(angle(coords[x], ap, dp) >= min_angle for x in model.nbrs[acceptor])
    raise ValueError(spec.test)


def _phi_psi(dp, hyds, ap, bp, plane, r, phi, theta) -> bool:
    if distance(dp, ap) > r:
        return False
    if bp is not None and not test_phi(dp, ap, bp, plane, phi):
        return False
    return test_theta(dp, hyds, ap, theta)


def is_metal_blocked(model: Model, donor: int, acceptor: int) -> bool:
    """Metal veto: a metal of the acceptor's own structure within 4 Å at < 45°."""
    side = model.side(acceptor)
    ap = model.coords[acceptor]
    for metal in model.metals:
        if model.side(metal) != side:
            continue
        mp = model.coords[metal]
        if distance(mp, ap) <= 4.0 and angle(model.coords[donor], ap, mp) < 45.0:
            return True
    return False


def near_metal(model: Model, atom: int) -> bool:
    side = model.side(atom)
    return any(model.side(m) == side and distance(model.coords[m], model.coords[atom]) <= 4.0
               for m in model.metals)


__all__ = ["ACCEPTOR_RULES", "AcceptorSpec", "acceptor_test", "classify_acceptor", "is_metal_blocked",
           "near_metal", "SkipPair"]
_ = (LINEAR,)
