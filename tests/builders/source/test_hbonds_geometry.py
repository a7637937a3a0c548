"""Hand-built geometries: a backbone N-H of GLY 2 donating to the C=O of N-methylacetamide."""

from __future__ import annotations

import numpy as np
import pytest
from helpers.hbonds import angle, dipeptide_pocket, embedded, ligand_of, place

from misi_bench.builders.source.hbonds import HBond, Tolerances, find_hbonds
from misi_bench.builders.source.structure import Complex

NMA = "CC(=O)NC"  # atom 1 = carbonyl C, atom 2 = O (ligand names C2, O3)


def _backbone(pocket):
    n = next(i for i in range(pocket.n_atoms) if pocket.res_numbers[i] == 2 and pocket.names[i] == "N")
    bonded = {int(j) for b in pocket.bonds for j in b if n in b} - {n}
    h = next((j for j in bonded if pocket.elements[j] == "H"), None)
    heavy = [j for j in bonded if pocket.elements[j] != "H"]
    return n, h, heavy


def _complex(d_na: float, direction_of, hydrogens: bool = True, bend: float = 0.0):
    """Ligand O at ``d_na`` Å from GLY 2 N along ``direction_of(pocket)``, rotated by ``bend``
    degrees about the N atom, with the ligand C=O axis pointing from the N side."""
    pocket = dipeptide_pocket(hydrogens)
    n, h, heavy = _backbone(pocket)
    direction = direction_of(pocket, n, h, heavy)
    if bend:
        axis = np.cross(direction, pocket.coords[heavy[0]] - pocket.coords[n])
        axis /= np.linalg.norm(axis)
        k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
        rot = np.eye(3) + np.sin(np.radians(bend)) * k + (1 - np.cos(np.radians(bend))) * k @ k
        direction = rot @ direction
    target = pocket.coords[n] + d_na * direction
    mol = place(embedded(NMA, hydrogens=hydrogens), 2, 1, target, -direction)
    return Complex("hand", pocket, ligand_of(mol)), n


def _along_h(pocket, n, h, heavy):
    v = pocket.coords[h] - pocket.coords[n]
    return v / np.linalg.norm(v)


def _along_bisector(pocket, n, h, heavy):
    units = [(pocket.coords[j] - pocket.coords[n]) / np.linalg.norm(pocket.coords[j] - pocket.coords[n])
             for j in heavy]
    v = -(units[0] + units[1])
    return v / np.linalg.norm(v)


def _backbone_bonds(bonds: list[HBond]) -> list[tuple]:
    return [(b.res_number, b.res_atom, b.ligand_atom, b.donor) for b in bonds if b.res_atom == "N" and b.res_number == 2]


def test_linear_backbone_nh_to_carbonyl_at_2_9_is_a_bond():
    complex_, n = _complex(2.9, _along_h)
    bonds = find_hbonds(complex_)
    assert _backbone_bonds(bonds) == [(2, "N", "O3", "pocket")]
    bond = next(b for b in bonds if b.res_atom == "N" and b.res_number == 2)
    assert bond.distance == pytest.approx(2.9, abs=1e-3)
    assert bond.angle == pytest.approx(180.0, abs=0.05)  # linear N-H···O
    assert bond.angle_kind == "D-H...A"
    assert bond.pocket_atom_index == n


def test_same_pair_at_4_2_is_no_bond():
    complex_, _ = _complex(4.2, _along_h)
    assert _backbone_bonds(find_hbonds(complex_)) == []


def test_bent_past_the_angle_limit_is_no_bond():
    # N···O 2.9 Å, but the acceptor 70° off the N-H axis: ∠(N, H, O) well below the relaxed 126°
    complex_, n = _complex(2.9, _along_h, bend=70.0)
    pocket, lig = complex_.pocket, complex_.ligand
    h = _backbone(pocket)[1]
    o = list(lig.names).index("O3")
    theta = angle(pocket.coords[n], pocket.coords[h], lig.coords[o])
    assert theta < 126.0 - 30.0
    assert _backbone_bonds(find_hbonds(complex_)) == []


def test_relaxed_tolerance_accepts_what_strict_rejects():
    # 3.5 Å: beyond the strict amide-acceptor limit 3.30 Å and H···O limit 2.23 Å,
    # inside the relaxed 3.70 Å and 2.63 Å.
    complex_, _ = _complex(3.5, _along_h)
    assert _backbone_bonds(find_hbonds(complex_)) == [(2, "N", "O3", "pocket")]
    assert _backbone_bonds(find_hbonds(complex_, dist_slop=0.0, angle_slop=0.0)) == []
    assert _backbone_bonds(find_hbonds(complex_, tolerances=Tolerances(0.0, 0.0))) == []


def test_angle_slop_is_configurable():
    # ∠(N, H, O) about 136°: passes θ >= 146 - 20 = 126, fails the strict 146 and θ >= 146 - 5.
    complex_, n = _complex(2.9, _along_h, bend=30.0)
    pocket, lig = complex_.pocket, complex_.ligand
    theta = angle(pocket.coords[n], pocket.coords[_backbone(pocket)[1]], lig.coords[list(lig.names).index("O3")])
    assert 126.0 < theta < 141.0
    assert _backbone_bonds(find_hbonds(complex_)) == [(2, "N", "O3", "pocket")]
    assert _backbone_bonds(find_hbonds(complex_, angle_slop=5.0)) == []


def test_without_hydrogens_the_computed_h_on_the_bisector_is_used():
    # No H anywhere: the backbone N (Npl, two heavy neighbours) gets one computed H on the
    # external bisector of C(prev)-N-CA; the theta/tau donor test then runs on it.
    complex_, _ = _complex(2.9, _along_bisector, hydrogens=False)
    assert not complex_.has_hydrogens
    bonds = _backbone_bonds(find_hbonds(complex_))
    assert bonds == [(2, "N", "O3", "pocket")]
    bond = next(b for b in find_hbonds(complex_) if b.res_atom == "N" and b.res_number == 2)
    assert bond.angle == pytest.approx(180.0, abs=0.05)
    # 4.2 Å and bent variants fail the same way as with hydrogens
    assert _backbone_bonds(find_hbonds(_complex(4.2, _along_bisector, hydrogens=False)[0])) == []
    assert _backbone_bonds(find_hbonds(_complex(2.9, _along_bisector, hydrogens=False, bend=70.0)[0])) == []


def test_without_hydrogens_a_hydroxyl_donor_uses_upsilon_only():
    # Methanol O (no H, hydroxyl rule, upsilon/tau): θ cannot be tested, so only
    # D···A and υ = ∠(C, O, A) decide. Acceptor: backbone O of GLY 2 is the C-terminal
    # carboxylate (OXT present) -> carboxylate rule.
    pocket = dipeptide_pocket(False)
    o_pocket = next(i for i in range(pocket.n_atoms) if pocket.res_numbers[i] == 2 and pocket.names[i] == "OXT")
    c_pocket = next(i for i in range(pocket.n_atoms) if pocket.res_numbers[i] == 2 and pocket.names[i] == "C")
    axis = pocket.coords[o_pocket] - pocket.coords[c_pocket]
    axis /= np.linalg.norm(axis)
    target = pocket.coords[o_pocket] + 2.7 * axis
    # methanol O at target, its C behind it along the same axis: υ = ∠(C, O, O_acc) = 180° > 141 + 20
    straight = place(embedded("CO", hydrogens=False), 1, 0, target, -axis)
    bonds = [b for b in find_hbonds(Complex("meoh", pocket, ligand_of(straight))) if b.ligand_atom == "O2"]
    assert bonds == []
    # C-O bent to υ = 110°: inside 70..161
    perp = np.cross(axis, [0.0, 0.0, 1.0] if abs(axis[2]) < 0.9 else [1.0, 0, 0])
    perp /= np.linalg.norm(perp)
    c_dir = np.cos(np.radians(70)) * axis + np.sin(np.radians(70)) * perp  # O->C direction, 110° from O->acceptor
    bent = place(embedded("CO", hydrogens=False), 1, 0, target, -c_dir)
    lig = ligand_of(bent)
    upsilon = angle(lig.coords[0], lig.coords[1], pocket.coords[o_pocket])
    assert upsilon == pytest.approx(110.0, abs=0.5)
    bonds = [b for b in find_hbonds(Complex("meoh", pocket, lig)) if b.ligand_atom == "O2"]
    assert [(b.res_atom, b.donor, b.angle_kind) for b in bonds] == [("OXT", "ligand", "X-D...A")]
    assert bonds[0].angle == pytest.approx(110.0, abs=0.5)
