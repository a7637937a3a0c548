"""Hydrogen bonds of the sample corpus: literal expected lists, checked by hand from coordinates,
and invariance under atom-order shuffling."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from helpers.hbonds import angle, embedded, ligand_of, place, shuffled

from misi_bench.builders.source.hbonds import HBond, find_hbonds
from misi_bench.builders.source.hbonds.acceptors import classify_acceptor
from misi_bench.builders.source.hbonds.model import build_model
from misi_bench.builders.source.hbonds.tolerances import RELAXED
from misi_bench.builders.source.structure import Complex

# (chain, res, number, icode, res_atom, ligand_atom, donor, D···A Å, angle °)
EXPECTED = {
    "1s3v": [
        ("A", "ILE", 7, "", "O", "N4'", "ligand", 2.92, 169.66),
        ("A", "GLU", 30, "", "OE1", "N2'", "ligand", 2.719, 160.75),
        ("A", "VAL", 115, "", "O", "N4'", "ligand", 2.917, 125.73),
    ],
    "1us0": [
        ("A", "HIS", 110, "", "NE2", "O33", "pocket", 2.659, 154.01),
        ("A", "TRP", 111, "", "NE1", "O34", "pocket", 3.057, 165.7),
    ],
}


def _complex(sample_complexes, pdb_id):
    found = [c for c in sample_complexes if c.pdb_id == pdb_id]
    if not found:
        pytest.fail(f"{pdb_id} missing from the sample corpus")
    return found[0]


def _atom(complex_, res_number, name):
    p = complex_.pocket
    return next(i for i in range(p.n_atoms) if p.res_numbers[i] == res_number and p.names[i] == name)


def _lig(complex_, name):
    return list(complex_.ligand.names).index(name)


def _bonded(coords_from, index, bonds):
    return [int(j if i == index else i) for i, j in bonds.tolist() if index in (i, j)]


@pytest.mark.parametrize("pdb_id", sorted(EXPECTED))
def test_bond_list_equals_the_literal_list(sample_complexes, pdb_id):
    bonds = find_hbonds(_complex(sample_complexes, pdb_id))
    got = [(b.chain, b.res_name, b.res_number, b.icode, b.res_atom, b.ligand_atom, b.donor, b.distance, b.angle)
           for b in bonds]
    assert got == EXPECTED[pdb_id]


def test_1s3v_by_hand(sample_complexes):
    """Ligand NH2 groups (aromatic primary amine donor, upsilon/tau, acceptor class sp2O): relaxed
    D···A <= 3.30 + 0.4, 100 - 20 <= υ = ∠(C, N, O) <= 146 + 20, θ = ∠(N, H, O) >= 145 - 20.
    Acceptors: backbone O (amide rule, D···A <= 3.70, θ >= 110) and Glu OE1 (carboxylate,
    D···A <= 3.57, θ >= 125)."""
    c = _complex(sample_complexes, "1s3v")
    lig, poc = c.ligand, c.pocket
    for res_number, res_atom, lig_atom, acceptor_limit in [(7, "O", "N4'", 3.70), (30, "OE1", "N2'", 3.57),
                                                            (115, "O", "N4'", 3.70)]:
        n = _lig(c, lig_atom)
        o = poc.coords[_atom(c, res_number, res_atom)]
        nbrs = _bonded(lig.coords, n, lig.bonds)
        hydrogens = [j for j in nbrs if lig.elements[j] == "H"]
        (carbon,) = [j for j in nbrs if lig.elements[j] != "H"]
        assert len(hydrogens) == 2
        d = float(np.linalg.norm(lig.coords[n] - o))
        upsilon = angle(lig.coords[carbon], lig.coords[n], o)
        theta = max(angle(lig.coords[n], lig.coords[h], o) for h in hydrogens)
        assert d <= min(3.70, acceptor_limit)
        assert 80.0 <= upsilon <= 166.0
        assert theta >= 125.0
    # the borderline one: VAL 115 O is accepted with θ just above 125°
    n = _lig(c, "N4'")
    o = poc.coords[_atom(c, 115, "O")]
    theta = max(angle(lig.coords[n], lig.coords[h], o) for h in _bonded(None, n, lig.bonds) if lig.elements[h] == "H")
    assert theta == pytest.approx(125.73, abs=0.01)
    assert find_hbonds(c, angle_slop=19.0) == [b for b in find_hbonds(c) if b.res_number != 115]


def test_1us0_by_hand(sample_complexes):
    """Ring NH donors (5-ring NH rule, theta/tau, sp2O class: H···O <= 2.09 + 0.4, θ >= 146 - 20)
    to the ligand carboxylate (D···A <= 3.17 + 0.4, θ >= 145 - 20). HIS 110 NE2 carries no H in
    the file: as ChimeraX does for a residue named HIS (docs/hbonds.md, choice 7) it is Npl and gets a
    computed H on the external bisector of CD2-NE2-CE1, 0.91 Å from N."""
    c = _complex(sample_complexes, "1us0")
    lig, poc = c.ligand, c.pocket
    ne2, cd2, ce1 = (poc.coords[_atom(c, 110, name)] for name in ("NE2", "CD2", "CE1"))
    u = (cd2 - ne2) / np.linalg.norm(cd2 - ne2) + (ce1 - ne2) / np.linalg.norm(ce1 - ne2)
    h = ne2 - 0.91 * u / np.linalg.norm(u)
    o = lig.coords[_lig(c, "O33")]
    assert np.linalg.norm(ne2 - o) <= 3.57
    assert np.linalg.norm(h - o) <= 2.49
    assert angle(ne2, h, o) == pytest.approx(154.01, abs=0.01)
    ne1, he1 = poc.coords[_atom(c, 111, "NE1")], poc.coords[_atom(c, 111, "HE1")]
    o = lig.coords[_lig(c, "O34")]
    assert np.linalg.norm(ne1 - o) <= 3.57
    assert np.linalg.norm(he1 - o) <= 2.49
    assert angle(ne1, he1, o) >= 126.0


def test_identical_with_shuffled_atom_order(sample_complexes):
    for complex_ in sample_complexes:
        reference = find_hbonds(complex_)
        for seed in (1, 2):
            other = find_hbonds(shuffled(complex_, seed))
            strip = [(b.chain, b.res_number, b.res_atom, b.ligand_atom, b.donor, b.distance, b.angle)
                     for b in other]
            assert strip == [(b.chain, b.res_number, b.res_atom, b.ligand_atom, b.donor, b.distance, b.angle)
                             for b in reference], complex_.pdb_id


def test_sorted_and_typed(sample_complexes):
    for complex_ in sample_complexes:
        bonds = find_hbonds(complex_)
        assert bonds == sorted(bonds, key=lambda b: (b.chain, b.res_number, b.icode, b.res_atom, b.ligand_atom))
        assert len({(b.pocket_atom_index, b.ligand_atom_index) for b in bonds}) == len(bonds)
        for b in bonds:
            assert isinstance(b, HBond) and b.donor in ("pocket", "ligand")
            assert complex_.pocket.names[b.pocket_atom_index] == b.res_atom
            assert complex_.ligand.names[b.ligand_atom_index] == b.ligand_atom
            assert 2.0 < b.distance <= 3.83 + 0.4 + 0.35


def test_pair_passing_both_ways_is_reported_once_with_the_pocket_as_donor():
    """Ser OG and a methanol O, no hydrogens: each hydroxyl can donate (upsilon/tau, θ untestable)
    and accept (hydroxyl theta/tau rule), so both directions pass; one bond, donor 'pocket'."""
    import tempfile
    from pathlib import Path

    from rdkit import Chem
    from rdkit.Chem import AllChem

    from misi_bench.builders.source.pdb_reader import read_pocket

    peptide = Chem.AddHs(Chem.MolFromSequence("S"), addResidueInfo=True)
    AllChem.EmbedMolecule(peptide, randomSeed=5)
    peptide = Chem.RemoveHs(peptide)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ser.pdb"
        path.write_text(Chem.MolToPDBBlock(peptide))
        pocket = read_pocket(path)
    og, cb = (pocket.coords[list(pocket.names).index(n)] for n in ("OG", "CB"))
    axis = (og - cb) / np.linalg.norm(og - cb)
    perp = np.cross(axis, [0.0, 0.0, 1.0])
    perp /= np.linalg.norm(perp)
    to_ligand = np.cos(np.radians(70)) * axis + np.sin(np.radians(70)) * perp  # ∠(CB, OG, O) = 110°
    o_lig = og + 2.8 * to_ligand
    back = -to_ligand  # ligand O -> pocket OG
    side = np.cross(back, perp)
    side /= np.linalg.norm(side)
    c_dir = np.cos(np.radians(110)) * back + np.sin(np.radians(110)) * side  # ∠(C, O, OG) = 110°
    mol = place(embedded("CO", hydrogens=False), 1, 0, o_lig, -c_dir)
    complex_ = Complex("both", pocket, ligand_of(mol))
    assert angle(cb, og, o_lig) == pytest.approx(110.0, abs=0.1)
    lig = complex_.ligand
    assert angle(lig.coords[0], lig.coords[1], og) == pytest.approx(110.0, abs=0.1)
    from misi_bench.builders.source.hbonds.search import _Annotator

    model = build_model(complex_)
    annotator = _Annotator(model, RELAXED)
    p, l = list(pocket.names).index("OG"), model.n_pocket + 1
    assert annotator.is_hbond(p, l) and annotator.is_hbond(l, p)
    bonds = [b for b in find_hbonds(complex_) if b.res_atom == "OG"]
    assert [(b.ligand_atom, b.donor, b.angle_kind) for b in bonds] == [("O2", "pocket", "X-D...A")]
    assert bonds[0].angle == pytest.approx(110.0, abs=0.1)


def test_first_phosphate_oxygen_by_name_gets_the_syn_anti_rule():
    """Rule 1 (phosphate with three O-) applies to the first O- in bond order only (docs/hbonds.md, choice 4); the
    bond order is the atoms' name order, so the choice does not depend on the file order."""
    mol = embedded("COP(=O)([O-])[O-]")
    names = {0: "C1", 1: "O1", 2: "P1", 3: "OZ", 4: "OB", 5: "OM"}
    from misi_bench.builders.source.ligand_reader import ligand_from_mol

    full = [names.get(a.GetIdx(), f"H{a.GetIdx()}") for a in mol.GetAtoms()]
    ligand = ligand_from_mol(mol, full, "sdf")
    empty_pocket = dipeptide_far_away()
    model = build_model(Complex("po4", empty_pocket, ligand))
    rules = {full[k]: classify_acceptor(model, model.n_pocket + k, RELAXED).rule for k in (3, 4, 5)}
    assert rules == {"OB": "phosphate, three O-", "OM": "generic O3-", "OZ": "generic O3-"}


def dipeptide_far_away():
    from helpers.hbonds import dipeptide_pocket

    pocket = dipeptide_pocket(False)
    pocket.coords = pocket.coords + 100.0
    return pocket


def test_chain_break_with_a_numbering_gap_makes_a_pseudobond():
    """Consecutive residues of one chain without a C-N bond: numbers differing by >= 2 give a
    missing-structure pseudobond (N3+ that matches no pattern -> generic N donor); by 1, a
    (long) bond as ChimeraX makes, so the N stays Npl (docs/hbonds.md, choice 3)."""
    from helpers.hbonds import dipeptide_pocket

    from misi_bench.builders.source.hbonds.donors import classify_donor

    for gap, expect_type, expect_broken in ((3, "N3+", True), (1, "Npl", False)):
        pocket = dipeptide_pocket(True)
        second = pocket.res_numbers == 2
        pocket.coords = pocket.coords.copy()
        pocket.coords[second] += np.array([3.0, 0.0, 0.0])
        pocket.res_numbers = np.where(second, 1 + gap, pocket.res_numbers)
        pocket.residues = tuple(replace(r, number=1 + gap) if r.number == 2 else r for r in pocket.residues)
        keep = [k for k, (i, j) in enumerate(pocket.bonds.tolist()) if second[i] == second[j]]
        pocket.bonds = pocket.bonds[keep]
        far = Complex("gap", pocket, ligand_of(embedded("C")))
        model = build_model(far)
        n = next(i for i in range(pocket.n_atoms) if second[i] and pocket.names[i] == "N")
        assert model.types[n] == expect_type
        assert (n in model.broken) is expect_broken
        spec = classify_donor(model, n, RELAXED)
        assert spec.rule == ("generic N" if expect_broken else "amide NH (backbone)")


def test_1a28_arg766_nh2_computed_h(sample_complexes):
    """1a28 has no hydrogens. ARG 766 NH2 (Ng+, one heavy neighbour CZ) gets two computed H
    (ChimeraX hydpos + bond_geom.planar_pos/angle_pos): 0.91 Å from N; the first at 120° from
    N->CZ in the plane of (NH2, CZ, NE) on NE's side, and at 120° in the plane of (NH2, CZ, NH1)
    on the side away from NH1; the two are averaged and put back at 0.91 Å; the second H lies on
    the anti-bisector of CZ and the first H. The best θ = ∠(NH2, H, O4) is 118.37°, below the
    Ng+ NH2 row's relaxed 140 - 20 = 120° (sp2O acceptor), so ChimeraX reports no bond (PLIP,
    with D-H···A >= 100°, does). With angle_slop 22 (θ >= 118) the pair passes."""
    from misi_bench.builders.source.hbonds.geometry import hyd_positions

    c = _complex(sample_complexes, "1a28")
    poc, lig = c.pocket, c.ligand
    nh2, cz, ne, nh1 = (poc.coords[_atom(c, 766, name)].astype(float) for name in ("NH2", "CZ", "NE", "NH1"))
    o4 = lig.coords[_lig(c, "O4")].astype(float)

    def unit(v):
        return v / np.linalg.norm(v)

    axis = unit(cz - nh2)
    firsts = []
    for point, sign in ((ne, 1.0), (nh1, -1.0)):
        up = sign * (point - nh2)
        perp = unit(up - axis * (up @ axis))
        firsts.append(nh2 + 0.91 * (np.cos(np.radians(120)) * axis + np.sin(np.radians(120)) * perp))
    h1 = nh2 + 0.91 * unit((firsts[0] + firsts[1]) / 2 - nh2)
    h2 = nh2 - 0.91 * unit(axis + unit(h1 - nh2))
    assert angle(cz, nh2, h1) == pytest.approx(120.0, abs=0.05)
    assert angle(cz, nh2, h2) == pytest.approx(120.0, abs=0.05)
    theta = max(angle(nh2, h, o4) for h in (h1, h2))
    assert theta == pytest.approx(118.37, abs=0.01)

    model = build_model(c)
    got = hyd_positions(model, _atom(c, 766, "NH2"))
    assert len(got) == 2
    for expected, found in zip(sorted([h1, h2], key=tuple), sorted(got, key=tuple)):
        assert np.allclose(expected, found, atol=1e-6)
    assert not [b for b in find_hbonds(c) if b.res_number == 766]
    loose = [(b.res_atom, b.ligand_atom, b.angle) for b in find_hbonds(c, angle_slop=22.0) if b.res_number == 766]
    assert loose == [("NH2", "O4", 118.37)]


def test_1us0_tyr48_oh_uses_the_file_hydrogen(sample_complexes):
    """TYR 48 OH has its HH in the file; ChimeraX's hyd_positions returns explicit H ("explicit
    hydrogens win"), so θ = ∠(OH, HH, O33) = 70.0° fails the phenol row (145 - 20 = 125°) and the
    carboxylate acceptor (θ >= 125°) although OH···O33 is 2.73 Å. PLIP re-protonates and reports it."""
    c = _complex(sample_complexes, "1us0")
    oh, hh = (c.pocket.coords[_atom(c, 48, name)] for name in ("OH", "HH"))
    o33 = c.ligand.coords[_lig(c, "O33")]
    assert np.linalg.norm(oh - o33) == pytest.approx(2.73, abs=0.01)
    assert angle(oh, hh, o33) == pytest.approx(70.0, abs=0.1)
    assert not [b for b in find_hbonds(c) if b.res_number == 48]


def test_untemplated_pocket_residue_with_hydrogens_is_typed_geometrically(tmp_path, sample_entries):
    """A pocket hetero group that carries hydrogens (here a TYR renamed to an unknown name) goes
    through geometric typing with its explicit H counted as substituents."""
    import shutil

    from misi_bench.builders.source.pdbbind import find_entries, read_entry

    entry = next(e for e in sample_entries if read_entry(e).pocket.is_hydrogen.any()
                 and "TYR" in set(read_entry(e).pocket.res_names))
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    pocket_file = folder / entry.pocket.name
    lines = pocket_file.read_text().splitlines()
    number = next(l[22:26] for l in lines if l.startswith("ATOM") and l[17:20] == "TYR")
    renamed = [l[:17] + "TYX" + l[20:] if l.startswith("ATOM") and l[17:20] == "TYR" and l[22:26] == number else l
               for l in lines]
    pocket_file.write_text("\n".join(renamed) + "\n")
    complex_ = read_entry(find_entries(tmp_path)[0])
    assert "TYX" in set(complex_.pocket.res_names)
    assert any(h for h, name in zip(complex_.pocket.is_hydrogen, complex_.pocket.res_names) if name == "TYX")
    bonds = find_hbonds(complex_)
    assert bonds == sorted(bonds, key=lambda b: (b.chain, b.res_number, b.icode, b.res_atom, b.ligand_atom))
