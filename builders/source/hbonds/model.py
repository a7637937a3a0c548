"""One graph over pocket and ligand atoms: coordinates, IDATM types, neighbours, rings, flags.

Pocket atoms come first (indices ``0 .. n_pocket-1``), then ligand atoms. Neighbour lists are
in a canonical order (pocket atoms by chain, residue number, insertion code, name; ligand
atoms by name) so that order-dependent rules (docs/hbonds.md, choice 4) never depend on the file's atom order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdkit import Chem

from ..elements import is_metal
from ..structure import Complex, Ligand, Pocket
from .atom_types import TYPE_INFO, AtomGraph, type_graph
from .residue_templates import (
    TEMPLATE_RESIDUES,
    TEMPLATE_RINGS,
    template_heavy_neighbour_count,
    template_type,
)

HYDROGENS = ("H", "D")


@dataclass
class Model:
    coords: np.ndarray
    elements: list[str]
    types: list[str]
    nbrs: list[tuple[int, ...]]
    n_pocket: int
    broken: set[int]  # atoms with a missing-structure pseudobond (pocket chain breaks)
    truncated: set[int]  # template atoms with fewer heavy neighbours than their template
    atom_rings: list[list[tuple[int, ...]]]  # rings (same residue) each atom belongs to
    aromatic_rings: set[tuple[int, ...]]
    metals: list[int]

    def side(self, atom: int) -> int:
        return 0 if atom < self.n_pocket else 1

    def is_h(self, atom: int) -> bool:
        return self.elements[atom] in HYDROGENS

    def heavy_nbrs(self, atom: int) -> list[int]:
        return [j for j in self.nbrs[atom] if self.elements[j] not in HYDROGENS]

    def h_nbrs(self, atom: int) -> list[int]:
        return [j for j in self.nbrs[atom] if self.elements[j] in HYDROGENS]

    def geometry(self, atom: int) -> int | None:
        info = TYPE_INFO.get(self.types[atom])
        return info[0] if info else None


def build_model(complex_: Complex) -> Model:
    pocket, ligand = complex_.pocket, complex_.ligand
    n_p, n_l = pocket.n_atoms, ligand.n_atoms
    n = n_p + n_l
    coords = np.concatenate([pocket.coords, ligand.coords]).astype(np.float64).reshape(-1, 3)
    elements = [str(e) for e in pocket.elements] + [str(e) for e in ligand.elements]
    adjacency: list[set[int]] = [set() for _ in range(n)]
    for i, j in pocket.bonds:
        adjacency[int(i)].add(int(j))
        adjacency[int(j)].add(int(i))
    for i, j in ligand.bonds:
        adjacency[int(i) + n_p].add(int(j) + n_p)
        adjacency[int(j) + n_p].add(int(i) + n_p)
    broken = _join_chain_breaks(pocket, adjacency)

    types = [""] * n
    truncated: set[int] = set()
    atom_rings: list[list[tuple[int, ...]]] = [[] for _ in range(n)]
    aromatic: set[tuple[int, ...]] = set()
    _type_pocket(pocket, adjacency, elements, types, truncated, atom_rings, aromatic)
    _type_ligand(ligand, n_p, coords, elements, types, atom_rings, aromatic)

    rank = _canonical_rank(pocket, ligand)
    nbrs = [tuple(sorted(adjacency[i], key=rank.__getitem__)) for i in range(n)]
    metals = [i for i in range(n) if is_metal(elements[i])]
    return Model(coords, elements, types, nbrs, n_p, broken, truncated, atom_rings, aromatic, metals)


def _canonical_rank(pocket: Pocket, ligand: Ligand) -> list[int]:
    keys = [(0, str(c), int(r), str(ic), str(nm), k) for k, (c, r, ic, nm) in
            enumerate(zip(pocket.chains, pocket.res_numbers, pocket.icodes, pocket.names))]
    keys += [(1, "", 0, "", str(nm), k) for k, nm in enumerate(ligand.names)]
    order = sorted(range(len(keys)), key=lambda k: keys[k][:5])
    rank = [0] * len(keys)
    for position, k in enumerate(order):
        rank[k] = position
    return rank


def _atom_named(pocket: Pocket, residue, name: str) -> int | None:
    for i in residue.atom_indices:
        if pocket.names[i] == name:
            return i
    return None


def _join_chain_breaks(pocket: Pocket, adjacency: list[set[int]]) -> set[int]:
    """Consecutive amino-acid residues of a chain: bond C->N when the reader did not (residue
    numbers differing by < 2), else flag both atoms with a missing-structure pseudobond (docs/hbonds.md, choice 3)."""
    broken: set[int] = set()
    residues = pocket.residues
    for prev, this in zip(residues, residues[1:]):
        if prev.chain != this.chain:
            continue
        c = _atom_named(pocket, prev, "C")
        nn = _atom_named(pocket, this, "N")
        if c is None or nn is None or _atom_named(pocket, prev, "CA") is None \
                or _atom_named(pocket, this, "CA") is None:
            continue
        if nn in adjacency[c]:
            continue
        if abs(this.number - prev.number) >= 2:
            broken.update((c, nn))
        else:
            adjacency[c].add(nn)
            adjacency[nn].add(c)
    return broken


def _type_pocket(pocket, adjacency, elements, types, truncated, atom_rings, aromatic) -> None:
    names = pocket.names
    res_of = pocket.residue_index
    untemplated: list[int] = []
    for r_index, residue in enumerate(pocket.residues):
        atoms = residue.atom_indices
        if residue.name not in TEMPLATE_RESIDUES:
            untemplated.extend(atoms)
            continue
        atom_names = {str(names[i]) for i in atoms}
        has_oxt = "OXT" in atom_names
        hydrogens = {str(names[i]) for i in atoms if elements[i] in HYDROGENS}
        by_name = {str(names[i]): i for i in atoms}
        for i in atoms:
            name = str(names[i])
            if elements[i] in HYDROGENS:
                types[i] = "HC" if any(elements[j] == "C" for j in adjacency[i]) else "H"
                continue
            t = template_type(residue.name, name, has_oxt, hydrogens)
            if t is None:
                untemplated.append(i)
                continue
            if name == "N" and not any(res_of[j] != r_index for j in adjacency[i]):
                t = "N3+"
            types[i] = t
            expected = template_heavy_neighbour_count(residue.name, name)
            if expected is not None:
                have = sum(1 for j in adjacency[i] if res_of[j] == r_index and elements[j] not in HYDROGENS)
                if have < expected:
                    truncated.add(i)
        for ring_names, is_aromatic in TEMPLATE_RINGS.get(residue.name, []):
            ring = tuple(by_name.get(nm, -1) for nm in ring_names)
            if -1 in ring or not all(ring[k - 1] in adjacency[ring[k]] for k in range(len(ring))):
                continue
            for i in ring:
                atom_rings[i].append(ring)
            if is_aromatic:
                aromatic.add(ring)
    if untemplated:
        _type_hetero(pocket, untemplated, adjacency, elements, types, atom_rings, aromatic)


def _type_hetero(pocket, atoms, adjacency, elements, types, atom_rings, aromatic) -> None:
    """Geometric typing of pocket atoms outside templates (metals, cofactors, modified residues)."""
    local = {g: k for k, g in enumerate(atoms)}
    res_of = pocket.residue_index
    coords = pocket.coords[atoms]
    nbrs = [tuple(local[j] for j in adjacency[g] if j in local and res_of[j] == res_of[g]) for g in atoms]
    els = [elements[g] for g in atoms]
    residue_has_h = {int(res_of[g]) for g in atoms if elements[g] in HYDROGENS}
    total = [len(nbrs[k]) if int(res_of[g]) in residue_has_h else _estimated_substituents(k, els, coords, nbrs)
             for k, g in enumerate(atoms)]
    rings = _rings_of_graph(els, nbrs)
    aromatic_local = [ring for ring in rings if len(ring) in (5, 6) and all(total[k] == 3 or
                      (els[k] == "N" and total[k] <= 3) for k in ring) and any(els[k] == "C" for k in ring)]
    graph = AtomGraph(els, coords, nbrs, total, None, rings, aromatic_local)
    local_types = type_graph(graph)
    for k, g in enumerate(atoms):
        types[g] = local_types[k] if not is_metal(els[k]) else els[k]
    for ring in rings:
        glob = tuple(atoms[k] for k in ring)
        for g in glob:
            atom_rings[g].append(glob)
        if ring in aromatic_local:
            aromatic.add(glob)


def _estimated_substituents(k, els, coords, nbrs) -> int:
    """Substituents (hydrogens included) of an atom in a hydrogen-free hetero group, from geometry."""
    heavy = [j for j in nbrs[k] if els[j] not in HYDROGENS]
    if els[k] in HYDROGENS or is_metal(els[k]):
        return len(nbrs[k])
    if len(heavy) >= 2:
        angles = []
        for a in range(len(heavy)):
            for b in range(a + 1, len(heavy)):
                u = coords[heavy[a]] - coords[k]
                v = coords[heavy[b]] - coords[k]
                c = np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
                angles.append(np.degrees(np.arccos(np.clip(c, -1, 1))))
        mean = float(np.mean(angles))
        estimate = 4 if mean < 115.0 else (3 if mean < 150.0 else 2)
        return max(len(heavy), estimate)
    if len(heavy) == 1:
        length = float(np.linalg.norm(coords[heavy[0]] - coords[k]))
        e = els[k]
        if e == "C":
            return 2 if length <= 1.25 else (3 if length <= 1.42 else 4)
        if e == "O":
            return 1 if length <= 1.30 else 2
        if e == "N":
            return 1 if length <= 1.20 else 3
        if e == "S":
            return 1 if length <= 1.76 else 2
    return len(nbrs[k])


def _rings_of_graph(els, nbrs) -> list[tuple[int, ...]]:
    mol = Chem.RWMol()
    for e in els:
        mol.AddAtom(Chem.Atom(e if e != "D" else "H"))
    for i, nb in enumerate(nbrs):
        for j in nb:
            if i < j:
                mol.AddBond(i, j, Chem.BondType.SINGLE)
    return [tuple(r) for r in Chem.GetSymmSSSR(mol)]


def ligand_graph(ligand: Ligand) -> AtomGraph:
    """The typer's view of an RDKit ligand (explicit hydrogens kept, implicit ones counted)."""
    mol = ligand.mol
    n = mol.GetNumAtoms()
    els = [str(e) for e in ligand.elements]
    nbrs = [tuple(nb.GetIdx() for nb in mol.GetAtomWithIdx(i).GetNeighbors()) for i in range(n)]
    total = []
    for i in range(n):
        atom = mol.GetAtomWithIdx(i)
        heavy = sum(1 for nb in atom.GetNeighbors() if nb.GetAtomicNum() > 1)
        explicit_h = sum(1 for nb in atom.GetNeighbors() if nb.GetAtomicNum() == 1)
        try:
            hydrogens = atom.GetTotalNumHs(includeNeighbors=True)
        except RuntimeError:
            hydrogens = explicit_h
        total.append(heavy + max(hydrogens, explicit_h) if atom.GetAtomicNum() > 1 else len(nbrs[i]))
    orders = {}
    for (i, j), order in zip(ligand.bonds, ligand.bond_orders):
        orders[(min(int(i), int(j)), max(int(i), int(j)))] = float(order)
    rings = [tuple(r) for r in Chem.GetSymmSSSR(mol)]
    aromatic_rings = [ring for ring in rings if _is_aromatic_ring(mol, ring)]
    graph = AtomGraph(els, ligand.coords, nbrs, total, orders, rings, aromatic_rings,
                      [int(c) for c in ligand.formal_charges])
    graph.kekule_orders = _kekule_orders(mol)
    return graph


def _is_aromatic_ring(mol, ring) -> bool:
    ring_set = set(ring)
    for k in range(len(ring)):
        bond = mol.GetBondBetweenAtoms(ring[k - 1], ring[k])
        if bond is None or not bond.GetIsAromatic():
            return False
    for i in ring:
        atom = mol.GetAtomWithIdx(i)
        if atom.GetSymbol() != "C":
            continue
        for bond in atom.GetBonds():
            other = bond.GetOtherAtom(atom)
            if other.GetIdx() in ring_set:
                continue
            if bond.GetBondType() == Chem.BondType.DOUBLE and other.GetDegree() == 1:
                return False
    return True


def _kekule_orders(mol) -> dict[tuple[int, int], float]:
    try:
        copy = Chem.Mol(mol)
        Chem.Kekulize(copy, clearAromaticFlags=True)
    except Exception:  # noqa: BLE001 - unkekulizable input: no Kekulé view
        return {}
    return {(min(b.GetBeginAtomIdx(), b.GetEndAtomIdx()), max(b.GetBeginAtomIdx(), b.GetEndAtomIdx())):
            b.GetBondTypeAsDouble() for b in copy.GetBonds()}


def _type_ligand(ligand, offset, coords, elements, types, atom_rings, aromatic) -> None:
    graph = ligand_graph(ligand)
    local_types = type_graph(graph)
    for k, t in enumerate(local_types):
        types[offset + k] = t if not is_metal(graph.elements[k]) else graph.elements[k]
    aromatic_local = set(graph.aromatic_rings)
    for ring in graph.rings:
        glob = tuple(offset + k for k in ring)
        for g in glob:
            atom_rings[g].append(glob)
        if ring in aromatic_local:
            aromatic.add(glob)
