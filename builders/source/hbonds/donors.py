"""Donor rules (ChimeraX ``donor_params`` and generic donors) and the donor tests.

Numbers per acceptor class: sp2O (O with planar type), sp3O/pN (O3, O3-, or N with planar
type), sp3N (N3, N3+), gen (everything else). Upsilon/tau rows hold, per class,
``r, υmin, -υmax, θ, τ`` (+ an unused φ for sp3O, + υN for sp3N); theta/tau rows hold
``r(H···A), θ`` (+ φ for sp3O, + υ for sp3N).
"""

from __future__ import annotations

from dataclasses import dataclass

from .atom_types import PLANAR, TETRAHEDRAL, TYPE_INFO
from .geometry import SkipPair, angle, distance, lone_pair_bisectors, phi_plane, test_phi, test_tau, test_theta
from .model import Model
from .patterns import ESB, TET, H, N, O, trace
from .tolerances import SULFUR_COMP, Tolerances

UT, TT, GENERIC, WATER = "upsilon_tau", "theta_tau", "generic", "water"
OH_LENGTH = 0.91


@dataclass(frozen=True)
class DonorRule:
    name: str
    pattern: object
    donor_slot: int
    kind: str
    tau_sym: int
    numbers: tuple
    depth: int = 0


DONOR_RULES: tuple[DonorRule, ...] = (
    DonorRule("carboxylic acid OH", ["O3", ["Cac", H]], 0, UT, 2,
              (2.87, 103, -128, 140, -30, 2.87, 103, -128, 155, -30, 150, 2.87, 103, -128, 140, -30, 150)),
    DonorRule("Npl on C2 (amidinium-like NH2)", ["Npl", [["C2", [ESB, ESB]], H, H]], 0, UT, 4,
              (3.17, 90, -146, 140, -30, 3.17, 90, -146, 140, -22.5, 150, 3.17, 113, -161, 125, None, 140)),
    DonorRule("Ng+ NH2", ["Ng+", ["C2", H, H]], 0, UT, 4,
              (3.17, 90, -146, 140, -30, 3.17, 90, -146, 140, -22.5, 150, 3.17, 113, -161, 125, None, 140)),
    DonorRule("primary ammonium", ["N3+", [TET, H, H, H]], 0, UT, 6,
              (3.17, 90, -136, 140, 20, 3.17, 90, -132, 150, 25, 130, 3.17, 90, -124, 155, 15, 150)),
    DonorRule("hydroxyl", ["O3", [TET, H]], 0, UT, 6,
              (3.17, 90, -141, 130, None, 3.03, 90, -141, 135, None, 140, 3.03, 100, -132, 145, None, 150)),
    DonorRule("primary amide NH2", ["C2", ["O2", [N, [H, H]], ESB]], 2, UT, 4,
              (3.30, 103, -153, 135, -45, 3.30, 109, -141, 140, -30, 140, 3.30, 113, -161, 125, -30, 145), depth=1),
    DonorRule("aromatic primary amine", "aromatic_primary_amine", 0, UT, 4,
              (3.30, 100, -146, 145, -37.5, 3.30, 103, -146, 140, -37.5, 130, 3.42, 90, 161, 125, None, 140)),
    DonorRule("phenol OH", ["O3", ["Car", H]], 0, UT, 4,
              (3.03, 103, -136, 145, -37.5, 3.03, 103, -136, 150, -45.0, 140, 2.87, 109, -128, 145, -52.5, 150)),
    DonorRule("primary amine N3", ["N3", [TET, H, H]], 0, UT, 6,
              (3.30, 90, -128, 150, 30, 3.42, 90, -124, 155, 25, 130, 3.42, 90, -132, 155, 20, 140)),
    DonorRule("planar NH on planar atom", ["Npl", [TET, [{"geometry": 3}, [(TET, H), (TET, H)]], H]], 0, TT, 4,
              (1.92, 146, 1.92, 153, 150, 2.48, 141, 145)),
    DonorRule("secondary ammonium", ["N3+", [TET, TET, H, H]], 0, TT, 2, (2.09, 141, 2.09, 141, 155, 2.48, 141, 145)),
    DonorRule("water", [O, [H, H]], 0, WATER, 2,
              (2.36, 2.36 + OH_LENGTH, 146, 2.23, 2.23 + OH_LENGTH, 146, 140, 2.23, 2.23 + OH_LENGTH, 146, 150)),
    DonorRule("amide NH (backbone)", ["C2", ["O2", [N, [TET, H]], ESB]], 2, TT, 2,
              (2.23, 146, 2.23, 146, 140, 2.36, 141, 145), depth=1),
    DonorRule("tertiary ammonium", ["N3+", [TET, TET, TET, H]], 0, TT, 6, (1.92, 146, 2.09, 146, 140, 2.48, 141, 145)),
    DonorRule("imine NH", ["N2", [{"geometry": 3}, H]], 0, TT, 2, (2.23, 132, 2.36, 146, 140, 2.48, 141, 145)),
    DonorRule("secondary amine N3", ["N3", [TET, TET, H]], 0, TT, 2, (2.36, 141, 2.48, 146, 150, 2.48, 153, 155)),
    DonorRule("5-ring NH", "ring5_nh", 0, TT, 4, (2.09, 146, 2.09, 141, 140, 2.48, 141, 145)),
    DonorRule("aromatic 6-ring NH", "ring6_aro_nh", 0, TT, 2, (2.23, 136, 2.23, 141, 150, 2.48, 141, 145)),
)

GENERIC_UT = (3.42, 90, -161, 125)  # class "gen" of every upsilon/tau donor
GENERIC_TT = (2.48, 132)
GENERIC_WATER = (2.36, 2.36 + OH_LENGTH, 146)
GENERIC_NPL_ONE_H = (2.23, 136, 2.23, 141, 140, 2.46, 136, 140)
GENERIC_NPL_TWO_H = (3.30, 90, -153, 135, -45, 3.30, 90, -146, 140, -37.5, 130, 3.40, 108, -166, 125, -35, 140)
GENERIC_BY_ELEMENT = {  # max H···A sp2O, sp3O, sp3N; max D···A sp2O, sp3O, sp3N
    "O": (2.41, 2.28, 2.28, 3.27, 3.14, 3.14),
    "N": (2.36, 2.48, 2.48, 3.30, 3.42, 3.42),
    "S": (2.42, 2.42, 2.42, 3.65, 3.65, 3.65),
}
GENERIC_GENERIC = (2.48, 3.42, 130, 90)  # gen class: H···A, D···A, θ(D-H···A), min ∠(X, D, A)


@dataclass(frozen=True)
class DonorSpec:
    rule: str
    kind: str
    tau_sym: int
    numbers: tuple
    gen_numbers: tuple


def _finder_matches(model: Model, finder: str, atom: int) -> bool:
    t = model.types[atom]
    nbrs = model.nbrs[atom]
    if finder == "aromatic_primary_amine":
        heavy = model.heavy_nbrs(atom)
        in_aromatic = any(r in model.aromatic_rings for r in model.atom_rings[atom])
        return (t == "Npl" and not in_aromatic and len(heavy) == 1 and model.types[heavy[0]] == "Car"
                and len(nbrs) <= 3)
    if t not in ("Npl", "N2+") or atom in model.broken:
        return False
    rings = model.atom_rings[atom]
    if len(rings) != 1:
        return False
    ring = rings[0]
    if finder == "ring5_nh" and len(ring) != 5:
        return False
    if finder == "ring6_aro_nh" and (len(ring) != 6 or ring not in model.aromatic_rings):
        return False
    if len(nbrs) == 3:
        return any(model.is_h(j) for j in nbrs)
    return len(nbrs) == 2


def _rule_matches(model: Model, rule: DonorRule, atom: int) -> bool:
    if isinstance(rule.pattern, str):
        return _finder_matches(model, rule.pattern, atom)
    centres = [atom] if rule.depth == 0 else list(model.nbrs[atom])
    for centre in centres:
        for group in trace(model, rule.pattern, centre):
            if rule.donor_slot < len(group) and group[rule.donor_slot] == atom:
                return True
    return False


def classify_donor(model: Model, atom: int, tol: Tolerances, metal_near: bool = False) -> DonorSpec | None:
    """The donor rule claiming ``atom`` with relaxed numbers, or None when it cannot donate."""
    if model.elements[atom] not in ("N", "O", "S"):
        return None
    if metal_near and model.elements[atom] == "N" and model.geometry(atom) == PLANAR:
        return None
    if atom in model.truncated:
        return None
    relax = tol.relax_all
    for rule in DONOR_RULES:
        if _rule_matches(model, rule, atom):
            gen = {UT: GENERIC_UT, TT: GENERIC_TT, WATER: GENERIC_WATER}[rule.kind]
            return DonorSpec(rule.name, rule.kind, rule.tau_sym, relax(rule.numbers), relax(gen))
    t = model.types[atom]
    info = TYPE_INFO.get(t)
    expect = info[1] if info else 0
    nbrs = model.nbrs[atom]
    if t == "Npl" and len(nbrs) == 2 and any(model.is_h(j) for j in nbrs):
        return None
    if not (len(nbrs) < expect or any(model.is_h(j) for j in nbrs)):
        return None
    if t in ("Npl", "N2+"):
        if len(model.heavy_nbrs(atom)) > 1:
            return DonorSpec("generic planar NH", TT, 2, relax(GENERIC_NPL_ONE_H), relax(GENERIC_TT))
        return DonorSpec("generic planar NH2", UT, 4, relax(GENERIC_NPL_TWO_H), relax(GENERIC_UT))
    return DonorSpec("generic " + model.elements[atom], GENERIC, 0,
                     relax(GENERIC_BY_ELEMENT[model.elements[atom]]), relax(GENERIC_GENERIC))


def acceptor_class(model: Model, acceptor: int) -> str | None:
    """sp2O / sp3O / sp3N / gen, or None when the acceptor's type is not in the type table."""
    info = TYPE_INFO.get(model.types[acceptor])
    if info is None:
        return None
    geom, el = info[0], model.elements[acceptor]
    if el == "O" and geom == PLANAR:
        return "sp2O"
    if (el == "O" and geom == TETRAHEDRAL) or (el == "N" and geom == PLANAR):
        return "sp3O"
    if el == "N" and geom == TETRAHEDRAL:
        return "sp3N"
    return "gen"


def donor_test(model: Model, spec: DonorSpec, donor: int, acceptor: int, hyds: list) -> bool:
    cls = acceptor_class(model, acceptor)
    if cls is None:
        return False
    if spec.kind == UT:
        return _upsilon_tau(model, spec, donor, acceptor, hyds, cls)
    if spec.kind == TT:
        return _theta_tau(model, spec.numbers, spec.gen_numbers, donor, acceptor, hyds, cls)
    if spec.kind == WATER:
        return _water(model, spec, donor, acceptor, hyds, cls)
    return _generic(model, spec, donor, acceptor, hyds, cls)


def _upsilon_tau(model, spec, donor, acceptor, hyds, cls) -> bool:
    nums = spec.numbers
    coords = model.coords
    if cls == "sp2O":
        r, low, high, theta, tau = nums[0:5]
    elif cls == "sp3O":
        r, low, high, theta, tau = nums[5:10]
    elif cls == "sp3N":
        r, low, high, theta, tau = nums[11:16]
        upsilon_n = nums[16]
        if len(model.nbrs[acceptor]) > 1:
            ap, dp = coords[acceptor], coords[donor]
            if not any(angle(b, ap, dp) >= upsilon_n for b in lone_pair_bisectors(model, acceptor)):
                return False
    else:
        r, low, high, theta = spec.gen_numbers
        tau = None
        if model.elements[acceptor] == "S":
            r += SULFUR_COMP
    dp, ap = coords[donor], coords[acceptor]
    if distance(dp, ap) > r:
        return False
    heavy = model.heavy_nbrs(donor)
    if len(heavy) != 1:
        raise SkipPair("upsilon/tau donor not bonded to exactly one heavy atom")
    ups = angle(coords[heavy[0]], dp, ap)
    if ups < low or ups > -high:
        return False
    if not test_theta(dp, hyds, ap, theta):
        return False
    return test_tau(model, tau, spec.tau_sym, donor, ap)


def _theta_tau(model, nums, gen_nums, donor, acceptor, hyds, cls, is_water=False) -> bool:
    if not hyds and not is_water:
        return False
    coords = model.coords
    dp, ap = coords[donor], coords[acceptor]

    def some_h_within(limit):
        return any(distance(h, ap) <= limit for h in hyds)

    if cls == "sp2O":
        if not some_h_within(nums[0]) and not is_water:
            return False
        theta = nums[1]
    elif cls == "sp3O":
        if not some_h_within(nums[2]) and not is_water:
            return False
        theta = nums[3]
        if len(model.nbrs[acceptor]) == 2:
            b = model.nbrs[acceptor]
            plane, base = phi_plane(model, acceptor, b[0], b[1])
            if not test_phi(dp, ap, base, plane, nums[4]):
                return False
    elif cls == "sp3N":
        if not some_h_within(nums[5]) and not is_water:
            return False
        theta = nums[6]
        bisectors = lone_pair_bisectors(model, acceptor, toward=dp)
        if bisectors and not any(angle(dp, ap, b) > nums[7] for b in bisectors):
            return False
    else:
        limit = gen_nums[0] + (SULFUR_COMP if model.elements[acceptor] == "S" else 0.0)
        if not some_h_within(limit):
            return False
        theta = gen_nums[1]
    return test_theta(dp, hyds, ap, theta)


def _water(model, spec, donor, acceptor, hyds, cls) -> bool:
    n = spec.numbers  # rp sp2O, r sp2O, θ, rp sp3O, r sp3O, θ, φ, rp sp3N, r sp3N, θ, υ
    tt_numbers = (n[0], n[2], n[3], n[5], n[6], n[7], n[9], n[10])
    if hyds:
        return _theta_tau(model, tt_numbers, (spec.gen_numbers[0], spec.gen_numbers[2]), donor, acceptor, hyds, cls)
    d = distance(model.coords[donor], model.coords[acceptor])
    limit = {"sp2O": n[1], "sp3O": n[4], "sp3N": n[8]}.get(cls, spec.gen_numbers[1])
    if d > limit:
        return False
    return _theta_tau(model, tt_numbers, (spec.gen_numbers[0], spec.gen_numbers[2]), donor, acceptor, hyds, cls,
                      is_water=True)


def _generic(model, spec, donor, acceptor, hyds, cls) -> bool:
    coords = model.coords
    dp, ap = coords[donor], coords[acceptor]
    nums = spec.numbers
    gen_rp, gen_r, min_hyd_angle, min_bonded = spec.gen_numbers
    index = {"sp2O": 0, "sp3O": 1, "sp3N": 2}.get(cls)
    if index is None:
        rp, r = gen_rp, gen_r
        if model.elements[acceptor] == "S":
            min_bonded -= 9.0  # the +0.35 Å ChimeraX computes here is overwritten (docs/hbonds.md, choice 8)
    else:
        rp, r = nums[index], nums[index + 3]
    if not hyds:
        if distance(dp, ap) > r:
            return False
    elif not any(distance(h, ap) < rp for h in hyds):
        return False
    for x in model.heavy_nbrs(donor):
        if angle(coords[x], dp, ap) < min_bonded:
            return False
    if not hyds:
        return True
    return any(angle(dp, h, ap) >= min_hyd_angle for h in hyds)
