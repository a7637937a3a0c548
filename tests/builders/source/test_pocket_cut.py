"""The whole-protein entry point cuts the same residues as a brute-force distance check."""

from __future__ import annotations

import math

from misi_bench.builders.source.pocket_cut import complex_from_protein

from conftest import FIXTURES


def test_pocket_cut_equals_brute_force():
    protein = FIXTURES / "1s3v_protein.pdb"
    complex_ = complex_from_protein("1S3V", protein, FIXTURES / "1s3v_ligand.sdf")
    ligand_heavy = [tuple(xyz) for xyz, h in zip(complex_.ligand.coords, complex_.ligand.is_hydrogen) if not h]
    expected = set()
    for line in protein.read_text().splitlines():
        if not line.startswith(("ATOM  ", "HETATM")) or line[17:20] == "HOH":
            continue
        atom = (float(line[30:38]), float(line[38:46]), float(line[46:54]))
        if any(math.dist(atom, lig) <= 10.0 for lig in ligand_heavy):
            expected.add((line[21].strip(), int(line[22:26]), line[26].strip()))
    got = {r.key for r in complex_.pocket.residues}
    assert complex_.pdb_id == "1s3v"
    assert got == expected
    assert 20 < len(got) < 200
