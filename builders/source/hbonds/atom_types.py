"""IDATM atom types: the type table, and the geometric typing of atoms outside residue templates.

Standard residues are typed by name (:mod:`.residue_templates`); everything else (the ligand,
hetero groups of the pocket) by :func:`type_graph`, an approximation of ChimeraX's geometric
typing passes written from ChimeraX's idatm rules (docs/hbonds.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SINGLE, LINEAR, PLANAR, TETRAHEDRAL = 1, 2, 3, 4

# type -> (geometry, substituent count)   (ChimeraX Atom.cpp _idatm_map)
TYPE_INFO: dict[str, tuple[int, int]] = {
    "C3": (4, 4), "C2": (3, 3), "Car": (3, 3), "Cac": (3, 3), "C1": (2, 2), "C1-": (2, 1),
    "N3+": (4, 4), "N3": (4, 3), "Npl": (3, 3), "N2+": (3, 3), "N2": (3, 2), "Ng+": (3, 3),
    "Ntr": (3, 3), "N1+": (2, 2), "N1": (2, 1),
    "O3": (4, 2), "O3-": (4, 1), "O2": (3, 1), "O2-": (3, 1), "Oar": (3, 2), "Oar+": (3, 2),
    "O1": (2, 1), "O1+": (2, 1),
    "S3": (4, 2), "S3+": (4, 3), "S3-": (4, 1), "S2": (3, 1), "Sar": (3, 2), "Sac": (4, 4),
    "Son": (4, 4), "Sxd": (4, 3),
    "Pac": (4, 4), "Pox": (4, 4), "P3+": (4, 4),
    "H": (1, 1), "HC": (1, 1), "D": (1, 1), "DC": (1, 1),
}


@dataclass
class AtomGraph:
    """What the geometric typer needs about one molecule (ligand or hetero residue).

    ``nbrs`` are the atoms present in the file (hydrogens included when the file has them);
    ``total_nbrs`` adds hydrogens the file leaves implicit (RDKit's count for a ligand, a
    geometric estimate for hetero groups); ``bond_orders`` maps sorted index pairs to 1, 2, 3 or
    1.5, or is ``None`` when unknown (bond lengths decide then).
    """

    elements: list[str]
    coords: np.ndarray
    nbrs: list[tuple[int, ...]]
    total_nbrs: list[int]
    bond_orders: dict[tuple[int, int], float] | None
    rings: list[tuple[int, ...]]
    aromatic_rings: list[tuple[int, ...]]
    formal_charges: list[int] | None = None


def _angle(coords, a, center, b) -> float:
    u = coords[a] - coords[center]
    v = coords[b] - coords[center]
    cosine = float(np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v)))
    return float(np.degrees(np.arccos(max(-1.0, min(1.0, cosine)))))


def _mean_angle(coords, center, neighbours) -> float | None:
    angles = [_angle(coords, neighbours[i], center, neighbours[j])
              for i in range(len(neighbours)) for j in range(i + 1, len(neighbours))]
    return sum(angles) / len(angles) if angles else None


def _distance(coords, a, b) -> float:
    return float(np.linalg.norm(coords[a] - coords[b]))


def type_graph(graph: AtomGraph) -> list[str]:
    """IDATM type of every atom of one molecule (the first matching rule wins)."""
    el = graph.elements
    n = len(el)
    nbrs = graph.nbrs
    total = graph.total_nbrs
    aromatic_atoms = {i for ring in graph.aromatic_rings for i in ring}
    ring_atoms = {i for ring in graph.rings for i in ring}
    types = [el[i] for i in range(n)]

    def order(i, j) -> float | None:
        if graph.bond_orders is None:
            return None
        return graph.bond_orders.get((min(i, j), max(i, j)))

    def heavy(i):
        return [j for j in nbrs[i] if el[j] not in ("H", "D")]

    def explicit_h(i):
        return [j for j in nbrs[i] if el[j] in ("H", "D")]

    def is_terminal(j):  # one bond in the file, no hydrogen on it
        return len(nbrs[j]) == 1

    def free_o(center):  # O whose only heavy neighbour is ``center`` (OH counts)
        return [j for j in nbrs[center] if el[j] == "O" and heavy(j) == [center]]

    # hydrogens, carbons, sulfur, phosphorus first: N and O rules look at their types
    for i in range(n):
        e = el[i]
        if e in ("H", "D"):
            types[i] = "HC" if any(el[j] == "C" for j in nbrs[i]) else "H"
        elif e == "C":
            types[i] = _carbon_type(i, graph, aromatic_atoms, is_terminal)
        elif e == "S":
            types[i] = _sulfur_type(i, graph, aromatic_atoms, free_o, order)
        elif e == "P":
            count = len(free_o(i))
            if total[i] == 4:
                types[i] = "Pac" if count >= 2 else ("Pox" if count == 1 else "P3+")
    for i in range(n):
        if el[i] == "N":
            types[i] = _nitrogen_type(i, graph, types, aromatic_atoms, ring_atoms, heavy, order)
    for i in range(n):
        if el[i] == "O":
            types[i] = _oxygen_type(i, graph, types, aromatic_atoms, heavy, explicit_h, order)
    return types


def _carbon_type(i, graph, aromatic_atoms, is_terminal) -> str:
    el, nbrs, total, coords = graph.elements, graph.nbrs, graph.total_nbrs[i], graph.coords
    if i in aromatic_atoms:
        return "Car"
    if total >= 4:
        return "C3"
    if total == 3:
        terminal_o = [j for j in nbrs[i] if el[j] == "O" and is_terminal(j)]
        return "Cac" if len(terminal_o) >= 2 else "C2"
    if total == 2:
        if len(nbrs[i]) == 2:
            return "C1" if _angle(coords, nbrs[i][0], i, nbrs[i][1]) >= 160.0 else "C2"
        return "C1"
    return "C3"


def _sulfur_type(i, graph, aromatic_atoms, free_o, order) -> str:
    el, nbrs, total, coords = graph.elements, graph.nbrs, graph.total_nbrs[i], graph.coords
    if total >= 4:
        count = len(free_o(i))
        return "Sac" if count >= 3 else ("Son" if count >= 1 else "S")
    if total == 3:
        return "Sxd" if any(el[j] == "O" for j in nbrs[i]) else "S3+"
    if i in aromatic_atoms:
        return "Sar"
    if total == 2:
        return "S3"
    if total == 1 and nbrs[i]:
        j = nbrs[i][0]
        if el[j] == "P":
            return "S3-"
        if el[j] == "C":
            bond = order(i, j)
            if bond == 2 or (bond is None and _distance(coords, i, j) <= 1.76):
                return "S2"
    return "S3"


def _nitrogen_type(i, graph, types, aromatic_atoms, ring_atoms, heavy, order) -> str:
    el, nbrs, coords = graph.elements, graph.nbrs, graph.coords
    total = graph.total_nbrs[i]
    heavies = heavy(i)
    if total >= 4:
        return "N3+"
    if all(types[j] == "C3" or el[j] in ("H", "D") for j in nbrs[i]):
        return "N3+"
    if total == 3 and sum(1 for j in heavies if el[j] == "O" and len(heavy(j)) == 1) >= 2:
        return "Ntr"
    guan = _amidine_type(i, graph, types, aromatic_atoms, ring_atoms, heavy)
    if guan:
        return guan
    if i in aromatic_atoms:
        if total == 2:
            return "Npl" if _two_single_ring_bonds(i, graph, order) else "N2"
        charge = graph.formal_charges[i] if graph.formal_charges else 0
        return "N2+" if charge > 0 else "Npl"
    if total == 3:
        explicit = list(nbrs[i])
        if len(explicit) >= 2:
            mean = _mean_angle(coords, i, explicit)
            if mean is not None and mean < 115.0:
                if not (len(heavies) == 1 and heavies[0] in aromatic_atoms):
                    return "N3"
            return "Npl"
        # one heavy neighbour plus implicit hydrogens: no geometry to measure (our choice: Npl,
        # the type ChimeraX gives amide, aniline and sulfonamide NH2 when it can see them)
        return "Npl"
    if total == 2:
        if len(nbrs[i]) == 2 and _angle(coords, nbrs[i][0], i, nbrs[i][1]) >= 160.0:
            return "N1+"
        for j in heavies:
            bond = order(i, j)
            if bond == 2:
                return "N2"
            if bond is None and el[j] in ("C", "N") and _distance(coords, i, j) <= 1.32:
                return "N2"
        return "Npl"
    if total == 1 and heavies:
        bond = order(i, heavies[0])
        if bond == 3 or (bond is None and _distance(coords, i, heavies[0]) <= 1.20):
            return "N1"
        if bond == 2:
            return "N2"
        return "Npl"
    return "N3"


def _two_single_ring_bonds(i, graph, order) -> bool:
    """Kekulé view of a 2-connected aromatic N: True when neither ring bond is double."""
    kekule = getattr(graph, "kekule_orders", None)
    if not kekule:
        return False
    return all(kekule.get((min(i, j), max(i, j)), 1) == 1 for j in graph.nbrs[i])


def _amidine_type(i, graph, types, aromatic_atoms, ring_atoms, heavy) -> str | None:
    """Ng+ for the N of amidines/guanidines (Npl when one of the N is in a ring)."""
    el, nbrs = graph.elements, graph.nbrs
    if i in aromatic_atoms:
        return None
    for c in heavy(i):
        if el[c] != "C" or types[c] != "C2" or c in aromatic_atoms:
            continue
        if any(el[j] in ("O", "S") and len(nbrs[j]) == 1 for j in nbrs[c]):
            continue
        n_nbrs = [j for j in nbrs[c] if el[j] == "N" and j not in aromatic_atoms]
        if len(n_nbrs) >= 2 and all(len(heavy(j)) <= 2 for j in n_nbrs if j != i) and len(heavy(i)) <= 2:
            return "Npl" if any(j in ring_atoms for j in n_nbrs) else "Ng+"
    return None


def _oxygen_type(i, graph, types, aromatic_atoms, heavy, explicit_h, order) -> str:
    el, nbrs, coords = graph.elements, graph.nbrs, graph.coords
    total = graph.total_nbrs[i]
    if i in aromatic_atoms:
        charge = graph.formal_charges[i] if graph.formal_charges else 0
        return "Oar+" if charge > 0 else "Oar"
    # A file without any hydrogen shows a hydroxyl O as terminal, as ChimeraX sees it: then the
    # one-neighbour rules apply (acid OH on Cac -> O2-, P-OH -> O3-), bond lengths deciding.
    hydrogen_free = not any(e in ("H", "D") for e in el)
    if total >= 2 and not (hydrogen_free and len(nbrs[i]) == 1):
        return "O3"
    if nbrs[i] and len(nbrs[i]) == 1:
        j = nbrs[i][0]
        t = types[j]
        if t in ("Cac", "Ntr", "N1+"):
            return "O2-"
        if t == "Pac" and _long_phosphate_oxygen(i, j, graph):
            return "O3"
        if t in ("Pac", "Sac", "Son", "Sxd", "Pox", "N3+"):
            return "O3-"
        if el[j] == "C":
            bond = order(i, j)
            if bond == 2 or _distance(coords, i, j) <= 1.30:
                return "O2"
            if bond is None and t in ("C2", "Car"):
                return "O2"
        return "O3"
    return "O3"


def _long_phosphate_oxygen(o, p, graph) -> bool:
    """P with three terminal hydrogen-free O: one P-O >= 0.05 Å longer than all others is O3."""
    el, nbrs, coords = graph.elements, graph.nbrs, graph.coords
    terminal = [j for j in nbrs[p] if el[j] == "O" and len(nbrs[j]) == 1]
    if len(terminal) != 3 or len(nbrs[p]) != 4:
        return False
    lengths = {j: _distance(coords, p, j) for j in terminal}
    others = [lengths[j] for j in terminal if j != o]
    return all(lengths[o] >= x + 0.05 for x in others)
