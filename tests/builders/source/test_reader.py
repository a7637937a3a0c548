"""The PDBbind reader against counts taken independently from the raw files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from rdkit import Chem

from misi_bench.builders.source.pdbbind import SkippedEntry, find_entries, iter_complexes, load_complexes, read_entry

SOLVENT = {"HOH", "WAT", "DOD"}


def _raw_atom_lines(path):
    """ATOM/HETATM lines of the first model, no water, first alternate location only."""
    lines = []
    for line in path.read_text().splitlines():
        if line.startswith("ENDMDL"):
            break
        if line.startswith(("ATOM  ", "HETATM")) and line[17:20].strip() not in SOLVENT and line[16] in " A":
            lines.append(line)
    return lines


def test_sample_has_at_least_eight_complexes_with_hydrogens_on_three(sample_complexes):
    assert len(sample_complexes) >= 8
    protonated = [c for c in sample_complexes if c.pocket.is_hydrogen.any() and c.ligand.is_hydrogen.any()]
    assert len(protonated) >= 3


def test_sample_ids_sorted_and_lower_case(sample_complexes):
    ids = [c.pdb_id for c in sample_complexes]
    assert ids == sorted(ids) and all(i == i.lower() and len(i) == 4 for i in ids)


def test_pocket_counts_match_raw_file(sample_entries, sample_complexes):
    for entry, complex_ in zip(sample_entries, sample_complexes):
        lines = _raw_atom_lines(entry.pocket)
        pocket = complex_.pocket
        assert pocket.n_atoms == len(lines), entry.pdb_id
        raw_h = sum(1 for l in lines if (l[76:78].strip() or l[12:16].strip()[0]) in ("H", "D"))
        assert int(pocket.is_hydrogen.sum()) == raw_h, entry.pdb_id
        raw_residues = {(l[21], l[22:26], l[26], l[17:20]) for l in lines}
        assert len(pocket.residues) == len(raw_residues), entry.pdb_id
        assert not set(pocket.res_names) & SOLVENT
        assert sorted(i for r in pocket.residues for i in r.atom_indices) == list(range(pocket.n_atoms))


def test_ligand_counts_and_unique_names(sample_entries, sample_complexes):
    for entry, complex_ in zip(sample_entries, sample_complexes):
        ligand = complex_.ligand
        assert len(set(ligand.names)) == ligand.n_atoms, entry.pdb_id
        reference = Chem.MolFromMolFile(str(entry.sdf), removeHs=False, sanitize=False) if entry.sdf else None
        if reference is not None:
            assert ligand.n_atoms == reference.GetNumAtoms(), entry.pdb_id
        if entry.mol2 is not None:
            assert ligand.name_source == "mol2"
            mol2_names = []
            block = entry.mol2.read_text().split("@<TRIPOS>ATOM")[1].split("@<TRIPOS>")[0]
            mol2_names = [line.split()[1] for line in block.strip().splitlines()]
            assert list(ligand.names) == mol2_names
        else:
            assert list(ligand.names) == [f"{e}{i + 1}" for i, e in enumerate(ligand.elements)]
        assert np.allclose(ligand.coords, ligand.mol.GetConformer().GetPositions())


def test_residue_colors_alternate_in_sequence_order(sample_complexes):
    for complex_ in sample_complexes:
        residues = complex_.pocket.residues
        assert [r.color_index for r in residues] == [i % 2 for i in range(len(residues))]
        first_atoms = [r.atom_indices[0] for r in residues]
        assert first_atoms == sorted(first_atoms)


def test_hydrogens_bond_to_exactly_one_heavy_atom(sample_complexes):
    for complex_ in sample_complexes:
        pocket = complex_.pocket
        degree = np.bincount(pocket.bonds.ravel(), minlength=pocket.n_atoms)
        assert (degree[pocket.is_hydrogen] == 1).all(), complex_.pdb_id


def test_altloc_keeps_highest_occupancy_then_first(tmp_path, sample_entries):
    entry = sample_entries[0]
    lines = entry.pocket.read_text().splitlines()
    atom_rows = [i for i, l in enumerate(lines) if l.startswith("ATOM  ")]
    first, second = atom_rows[0], atom_rows[1]
    def with_alt(line, alt, occupancy, dx):
        x = float(line[30:38]) + dx
        return f"{line[:16]}{alt}{line[17:30]}{x:8.3f}{line[38:54]}{occupancy:6.2f}{line[60:]}"
    # atom 1: B has higher occupancy -> B kept; atom 2: equal occupancy -> first (A) kept
    edited = list(lines)
    edited[first] = with_alt(lines[first], "A", 0.40, 0.0) + "\n" + with_alt(lines[first], "B", 0.60, 1.5)
    edited[second] = with_alt(lines[second], "A", 0.50, 0.0) + "\n" + with_alt(lines[second], "B", 0.50, 2.5)
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    (folder / entry.pocket.name).write_text("\n".join(edited) + "\n")
    complex_ = read_entry(find_entries(tmp_path)[0])
    original = read_entry(entry)
    assert complex_.pocket.n_atoms == original.pocket.n_atoms
    assert complex_.pocket.coords[0, 0] == pytest.approx(original.pocket.coords[0, 0] + 1.5)
    assert complex_.pocket.coords[1, 0] == pytest.approx(original.pocket.coords[1, 0])


def _copy_sample(sample_entries, tmp_path):
    for entry in sample_entries:
        shutil.copytree(entry.pocket.parent, tmp_path / entry.pocket.parent.name)
    return tmp_path


def test_bad_entries_are_skipped_with_reasons(tmp_path, sample_entries):
    root = _copy_sample(sample_entries, tmp_path)
    broken, empty = sample_entries[0], sample_entries[1]
    for path in (root / broken.pdb_id).iterdir():
        if "_ligand" in path.name:
            path.write_text("this is not a molecule\n")
    pocket = root / empty.pdb_id / empty.pocket.name
    pocket.write_text("".join(l + "\n" for l in pocket.read_text().splitlines() if not l.startswith(("ATOM", "HETATM"))))
    # a folder whose id has upper case letters is still found
    (root / sample_entries[2].pdb_id).rename(root / sample_entries[2].pdb_id.upper())
    complexes, skipped = load_complexes(root)
    reasons = {s.pdb_id: s.reason for s in skipped}
    assert reasons == {broken.pdb_id: "ligand_unparsable", empty.pdb_id: "empty_pocket"}
    assert len(complexes) == len(sample_entries) - 2
    assert sample_entries[2].pdb_id in {c.pdb_id for c in complexes}
    skipped_detail = next(s for s in skipped if s.reason == "ligand_unparsable").detail
    assert "sdf" in skipped_detail


def test_mol2_failure_falls_back_to_sdf_names(tmp_path, sample_entries):
    entry = next(e for e in sample_entries if e.mol2 is not None and e.sdf is not None)
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    (folder / entry.mol2.name).write_text("garbage\n")
    complex_ = next(iter_complexes(tmp_path))
    assert not isinstance(complex_, SkippedEntry)
    assert complex_.ligand.file_route == "sdf" and complex_.ligand.name_source == "sdf"
    assert list(complex_.ligand.names) == [f"{e}{i + 1}" for i, e in enumerate(complex_.ligand.elements)]


def _strip_mol2_hydrogens(text: str) -> str:
    """The same mol2 without its hydrogen atoms (and their bonds), renumbered."""
    head, rest = text.split("@<TRIPOS>ATOM\n")
    atoms_block, rest = rest.split("@<TRIPOS>BOND\n")
    bonds_block, *tail = rest.split("@<TRIPOS>", 1)
    atoms = [l for l in atoms_block.splitlines() if l.strip()]
    kept = [l for l in atoms if not l.split()[5].startswith("H")]
    new_index = {l.split()[0]: str(i + 1) for i, l in enumerate(kept)}
    atom_lines = [" ".join([new_index[l.split()[0]], *l.split()[1:]]) for l in kept]
    bond_lines = []
    for line in bonds_block.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in new_index and parts[2] in new_index:
            bond_lines.append(" ".join([str(len(bond_lines) + 1), new_index[parts[1]], new_index[parts[2]], *parts[3:]]))
    lines = head.splitlines()
    counts = lines[2].split()
    lines[2] = " ".join([str(len(kept)), str(len(bond_lines)), *counts[2:]])
    return ("\n".join(lines) + "\n@<TRIPOS>ATOM\n" + "\n".join(atom_lines) + "\n@<TRIPOS>BOND\n"
            + "\n".join(bond_lines) + "\n" + ("@<TRIPOS>" + tail[0] if tail else ""))


def test_hydrogen_free_mol2_takes_chemistry_from_sdf(tmp_path, sample_entries):
    """A mol2 without hydrogens keeps its names, but charges come from the SDF (without H too)."""
    entry = next(e for e in sample_entries if e.mol2 is not None and "1s3v" in e.pdb_id)
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    (folder / entry.mol2.name).write_text(_strip_mol2_hydrogens(entry.mol2.read_text()))
    sdf = Chem.MolFromMolFile(str(entry.sdf), removeHs=True)
    Chem.MolToMolFile(sdf, str(folder / entry.sdf.name))
    complex_ = read_entry(find_entries(tmp_path)[0])
    original = read_entry(entry)
    heavy_names = [n for n, h in zip(original.ligand.names, original.ligand.is_hydrogen) if not h]
    assert complex_.ligand.file_route == "mol2-names+sdf"
    assert list(complex_.ligand.names) == heavy_names
    assert list(complex_.ligand.formal_charges) == [a.GetFormalCharge() for a in sdf.GetAtoms()]


# ------------------------------------------------------------------ repeated atom names (issue 14)

def _entry_with_pocket(tmp_path, entry, lines, name=None):
    """A copy of ``entry``'s folder (under ``name``) whose pocket file holds ``lines``."""
    folder = tmp_path / (name or entry.pdb_id) / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    (folder / entry.pocket.name).write_text("\n".join(lines) + "\n")
    return find_entries(folder.parent)[0]


def _hydrogens_named_h(lines):
    """Every pocket hydrogen renamed ``H`` (as some protonation tools write them)."""
    def is_h(line):
        return line.startswith(("ATOM  ", "HETATM")) and (line[76:78].strip() or line[12:16].strip()[0]) in ("H", "D")
    return [f"{l[:12]} H  {l[16:]}" if is_h(l) else l for l in lines]


def _bond_set(complex_):
    from misi_bench.builders.source.hbonds import find_hbonds

    return sorted((b.chain, b.res_name, b.res_number, b.icode, b.res_atom, b.ligand_atom, b.donor,
                   round(b.distance, 6), round(b.angle, 4)) for b in find_hbonds(complex_))


def _protonated_entry(sample_entries, pdb_id):
    return next(e for e in sample_entries if e.pdb_id == pdb_id)


def test_same_named_atoms_with_blank_altloc_are_both_kept(tmp_path, sample_entries):
    entry = sample_entries[0]
    lines = entry.pocket.read_text().splitlines()
    first = next(i for i, l in enumerate(lines) if l.startswith("ATOM  "))
    twin = f"{lines[first][:30]}{float(lines[first][30:38]) + 1.0:8.3f}{lines[first][38:]}"  # same name, altloc blank
    edited = lines[:first + 1] + [twin] + lines[first + 1:]
    complex_ = read_entry(_entry_with_pocket(tmp_path, entry, edited))
    original = read_entry(entry)
    assert complex_.pocket.n_atoms == original.pocket.n_atoms + 1
    assert complex_.pocket.names[0] == complex_.pocket.names[1] == lines[first][12:16].strip()
    assert complex_.pocket.coords[1, 0] == pytest.approx(complex_.pocket.coords[0, 0] + 1.0)
    assert complex_.pocket.residue_index[0] == complex_.pocket.residue_index[1]


def test_hydrogens_all_named_h_are_kept_counted_and_bond_as_before(tmp_path, sample_entries):
    from misi_bench.builders.source.inspect_corpus import summarize

    entry = _protonated_entry(sample_entries, "1us0")  # the old reader lost a bond here
    original = read_entry(entry)
    renamed = read_entry(_entry_with_pocket(tmp_path, entry, _hydrogens_named_h(entry.pocket.read_text().splitlines())))
    n_h = int(original.pocket.is_hydrogen.sum())
    assert renamed.pocket.n_atoms == original.pocket.n_atoms and int(renamed.pocket.is_hydrogen.sum()) == n_h
    assert _bond_set(renamed) == _bond_set(original) and _bond_set(original)
    # inspect counts the atoms sharing a name within their residue: here every hydrogen of a
    # residue with two or more of them
    expected = sum(k for r in original.pocket.residues
                   if (k := int(original.pocket.is_hydrogen[list(r.atom_indices)].sum())) > 1)
    row = summarize(tmp_path / entry.pdb_id)["entries"][0]
    assert row["repeated_names"] == expected > 0
    assert summarize(tmp_path / entry.pdb_id)["with_repeated_names"] == 1


def _shuffled(lines, seed):
    """Atom lines shuffled within each residue and the residues put in a random order."""
    rng = np.random.default_rng(seed)
    residues: dict = {}
    for line in lines:
        if line.startswith(("ATOM  ", "HETATM")):
            residues.setdefault(line[17:27], []).append(line)
    groups = list(residues.values())
    out = []
    for k in rng.permutation(len(groups)):
        group = groups[int(k)]
        out += [group[int(i)] for i in rng.permutation(len(group))]
    return out + ["END"]


def test_hbonds_do_not_depend_on_atom_or_residue_order(tmp_path, sample_entries):
    entry = _protonated_entry(sample_entries, "1hpv")  # the old reader's bonds changed with the order here
    lines = _hydrogens_named_h(entry.pocket.read_text().splitlines())
    reference = _bond_set(read_entry(_entry_with_pocket(tmp_path, entry, lines, "reference")))
    assert reference
    for seed in (1, 2):
        shuffled = read_entry(_entry_with_pocket(tmp_path, entry, _shuffled(lines, seed), f"shuffled-{seed}"))
        assert _bond_set(shuffled) == reference


def test_rigidly_moved_copy_has_the_same_hbonds(sample_complexes):
    import dataclasses

    from rdkit.Chem import rdMolTransforms

    axis = np.array([0.3, -0.8, 0.52]) / np.linalg.norm([0.3, -0.8, 0.52])
    cross = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    angle = np.radians(113.0)
    rotation = np.eye(3) + np.sin(angle) * cross + (1 - np.cos(angle)) * cross @ cross  # Rodrigues
    shift = np.array([12.5, -40.25, 7.75])
    for complex_ in sample_complexes:
        moved_mol = Chem.Mol(complex_.ligand.mol)
        transform = np.eye(4)
        transform[:3, :3], transform[:3, 3] = rotation, shift
        rdMolTransforms.TransformConformer(moved_mol.GetConformer(), transform)
        moved = dataclasses.replace(
            complex_,
            pocket=dataclasses.replace(complex_.pocket, coords=complex_.pocket.coords @ rotation.T + shift),
            ligand=dataclasses.replace(complex_.ligand, coords=complex_.ligand.coords @ rotation.T + shift, mol=moved_mol))
        assert np.allclose(moved.ligand.coords, moved_mol.GetConformer().GetPositions())
        original = [b[:7] + (round(b[7], 4), round(b[8], 2)) for b in _bond_set(complex_)]
        assert [b[:7] + (round(b[7], 4), round(b[8], 2)) for b in _bond_set(moved)] == original, complex_.pdb_id


# ------------------------------------------------------------------ ligand names (issue 14)

def test_unique_names_keeps_unique_ones_and_never_collides():
    from misi_bench.builders.source.ligand_reader import unique_names

    names = ["C1", "O1", "H", "H", "", "H3", "C1", "H4_2"]
    elements = ["C", "O", "H", "H", "N", "H", "C", "H"]
    # O1, H3 and H4_2 are unique: kept. H (x2), "" and C1 (x2) are renamed by position; H3 is
    # taken by a kept name, so the H at position 3 becomes H3_2; position 4 gives H4.
    assert unique_names(names, elements) == ["C1", "O1", "H3_2", "H4", "N5", "H3", "C7", "H4_2"]
    assert unique_names(["C1", "C1", "C2"], ["C", "C", "C"]) == ["C1", "C2_2", "C2"]  # C2 is kept
    assert unique_names(["O22", "N1"], ["O", "N"]) == ["O22", "N1"]


def test_mol2_with_repeated_hydrogen_names_keeps_heavy_atom_names(tmp_path, sample_entries):
    entry = next(e for e in sample_entries if e.pdb_id == "1s3v")
    text = entry.mol2.read_text()
    head, rest = text.split("@<TRIPOS>ATOM\n")
    atoms_block, tail = rest.split("@<TRIPOS>BOND\n")
    atom_lines = atoms_block.splitlines()
    original_names = [l.split()[1] for l in atom_lines]
    renamed = []
    for line in atom_lines:
        parts = line.split()
        if parts[5].startswith("H"):
            line = line.replace(f" {parts[1]} ", " H ", 1)  # every hydrogen named H
        renamed.append(line)
    folder = tmp_path / entry.pdb_id
    shutil.copytree(entry.pocket.parent, folder)
    (folder / entry.mol2.name).write_text(head + "@<TRIPOS>ATOM\n" + "\n".join(renamed) + "\n@<TRIPOS>BOND\n" + tail)
    ligand = read_entry(find_entries(tmp_path)[0]).ligand
    assert ligand.name_source == "mol2" and len(set(ligand.names)) == ligand.n_atoms
    heavy = ~ligand.is_hydrogen
    assert list(ligand.names[heavy]) == [n for n, h in zip(original_names, heavy) if h]
    expected_h = [f"H{i + 1}" for i in np.flatnonzero(~heavy)]
    assert list(ligand.names[~heavy]) == expected_h
