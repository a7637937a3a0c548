"""What a scene shows: displayed atoms (hydrogens hidden), their colors, radii, bonds and labels.

Pocket and ligand atoms are concatenated, pocket first; ``molecule`` (0 pocket, 1 ligand) and
``index`` map each displayed atom back to the :class:`Complex` arrays. The ligand's coordinates
are those after the scene's ``ligand_ops`` (docking), applied in the scene axes (= the front
view's screen axes), rolls about the centroid of the ligand's heavy atoms.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np

from . import style
from .camera import apply_operation
from .scene import Scene, SceneError

POCKET, LIGAND = 0, 1


RESIDUE, RESIDUE_ATOM, LIGAND_ATOM = "residue", "residue_atom", "ligand_atom"  # label kinds


@dataclass(frozen=True)
class Label:
    text: str
    anchor: np.ndarray  # scene coordinates (Å)
    offset: tuple[float, float, float]  # camera axes (Å), lower-left corner of the text box
    kind: str = LIGAND_ATOM  # RESIDUE, RESIDUE_ATOM or LIGAND_ATOM
    ref: int = 0  # residue index (RESIDUE) or atom index in its molecule (atom labels)
    polar: bool = False  # a ligand atom that can take part in a hydrogen bond (style.POLAR_ELEMENTS)


@dataclass
class Displayed:
    coords: np.ndarray  # (n, 3) scene coordinates
    radii: np.ndarray  # (n,)
    colors: np.ndarray  # (n, 3) float 0..1
    molecule: np.ndarray  # (n,) 0 pocket / 1 ligand
    index: np.ndarray  # (n,) atom index within its molecule
    bonds: np.ndarray  # (m, 2) indices into the displayed atoms
    labels: list[Label]


def ligand_coords(complex_, scene: Scene) -> np.ndarray:
    """All ligand atom coordinates (hydrogens included) after ``scene.ligand_ops``.

    Rolls are about the centroid of the ligand's heavy atoms (all atoms if it has none). A roll
    leaves that centroid in place, so ``roll a θ`` followed by ``roll a -θ`` restores the ligand
    exactly (a bounding-box center would move under the first roll)."""
    ligand = complex_.ligand
    coords = np.asarray(ligand.coords, dtype=np.float64)
    if not scene.ligand_ops:
        return coords
    heavy = ~ligand.is_hydrogen
    pivot_atoms = heavy if heavy.any() else np.ones(len(coords), dtype=bool)
    for op in scene.ligand_ops:
        coords = apply_operation(coords, op, coords[pivot_atoms].mean(axis=0))
    return coords


def _element_colors(elements: np.ndarray) -> np.ndarray:
    """(n, 3) float RGB 0..255 from the element table."""
    if len(elements) == 0:
        return np.zeros((0, 3))
    unique, inverse = np.unique(elements.astype(str), return_inverse=True)
    table = np.array([style.element_color(str(e)) for e in unique], dtype=np.float64)
    return table[inverse.reshape(-1)]


def _residue(complex_, key: tuple[str, int, str]):
    for residue in complex_.pocket.residues:
        if residue.key == key:
            return residue
    chain, number, icode = key
    raise SceneError(f"{complex_.pdb_id}: no pocket residue {chain}:{number}{icode}")


def _radii(elements: np.ndarray, bonds: np.ndarray, shown: np.ndarray) -> np.ndarray:
    """Stick radius, or the ion sphere radius for displayed atoms without a displayed bond
    (hidden atoms keep the stick radius: only displayed ones are looked up)."""
    radii = np.full(len(elements), style.STICK_RADIUS)
    bonds = np.asarray(bonds, dtype=np.int64).reshape(-1, 2)
    bonded = np.zeros(len(elements), dtype=bool)
    live = bonds[shown[bonds[:, 0]] & shown[bonds[:, 1]]] if len(bonds) else bonds
    bonded[live.ravel()] = True
    for i in np.flatnonzero(shown & ~bonded):
        radii[i] = style.ION_RADII.get(str(elements[i]), style.STICK_RADIUS)
    return radii


def atom_masks(complex_, content: str, residue_key=None) -> tuple[np.ndarray, np.ndarray]:
    """(pocket mask, ligand mask) of the atoms of ``content``, hydrogens excluded."""
    pocket, ligand = complex_.pocket, complex_.ligand
    p_mask = np.zeros(pocket.n_atoms, dtype=bool)
    l_mask = np.zeros(ligand.n_atoms, dtype=bool)
    if content in ("complex", "pocket"):
        p_mask[:] = True
    elif content == "residue":
        p_mask[list(_residue(complex_, residue_key).atom_indices)] = True
    if content in ("complex", "ligand", "residue"):
        l_mask[:] = True
    return p_mask & ~pocket.is_hydrogen, l_mask & ~ligand.is_hydrogen


def fit_atoms(complex_, scene: Scene, shown: Displayed | None = None,
              l_coords: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates and radii of the atoms the camera is fitted to (``shown`` is reused when the
    scene fits to what it shows; ``l_coords``, the scene's ``ligand_coords``, when given)."""
    if shown is not None and scene.fit_content == scene.show:
        return shown.coords, shown.radii
    selection = _selection(complex_, scene.fit_content, scene.residue)
    return _coords(complex_, scene, selection, l_coords), selection.radii


@dataclass(frozen=True)
class _Selection:
    """What a content shows of a complex, apart from where the atoms are: the displayed atoms
    (pocket first), their style and bonds, and which residues get a label."""

    p_idx: np.ndarray
    l_idx: np.ndarray
    radii: np.ndarray
    colors: np.ndarray
    bonds: np.ndarray
    residue_labels: tuple[Label, ...]  # one per pocket residue with a displayed atom


# id(complex) -> (weak reference to it, the topology objects the selections were made from,
# {(content, residue key): _Selection}). A build renders each complex over a hundred times; the
# selections depend only on elements, bonds, residues and the pocket's coordinates (residue labels
# sit at their residue's center), so they are made once per complex. An entry dies with its
# complex, and is remade when one of those objects is replaced (a complex's arrays are not
# modified in place).
_SELECTIONS: dict[int, tuple[weakref.ref, tuple, dict]] = {}


def _topology(complex_) -> tuple:
    pocket, ligand = complex_.pocket, complex_.ligand
    return (pocket, ligand, pocket.elements, pocket.bonds, pocket.residues, pocket.residue_index, pocket.coords,
            ligand.elements, ligand.bonds)


def _selection(complex_, content: str, residue_key) -> _Selection:
    key, topology = id(complex_), _topology(complex_)
    entry = _SELECTIONS.get(key)
    if entry is None or entry[0]() is not complex_ or any(a is not b for a, b in zip(entry[1], topology)):
        entry = _SELECTIONS[key] = (weakref.ref(complex_, lambda _, key=key: _SELECTIONS.pop(key, None)), topology, {})
    selections = entry[2]
    if (content, residue_key) not in selections:
        selections[content, residue_key] = _select(complex_, content, residue_key)
    return selections[content, residue_key]


def _select(complex_, content: str, residue_key) -> _Selection:
    pocket, ligand = complex_.pocket, complex_.ligand
    p_mask, l_mask = atom_masks(complex_, content, residue_key)
    p_idx, l_idx = np.flatnonzero(p_mask), np.flatnonzero(l_mask)

    p_colors = _element_colors(pocket.elements[p_idx])
    carbon = pocket.elements[p_idx] == "C"
    if carbon.any():
        shade = np.array([r.color_index for r in pocket.residues], dtype=np.int64)[pocket.residue_index[p_idx][carbon]]
        p_colors[carbon] = np.array(style.POCKET_CARBONS, dtype=np.float64)[shade]
    l_colors = _element_colors(ligand.elements[l_idx])
    l_colors[ligand.elements[l_idx] == "C"] = style.LIGAND_CARBON

    def local_bonds(all_bonds, mask, idx, shift):
        all_bonds = np.asarray(all_bonds, dtype=np.int64).reshape(-1, 2)
        keep = mask[all_bonds[:, 0]] & mask[all_bonds[:, 1]] if len(all_bonds) else np.zeros(0, bool)
        remap = np.full(len(mask), -1, dtype=np.int64)
        remap[idx] = np.arange(len(idx)) + shift
        return remap[all_bonds[keep]]

    residue_labels: tuple[Label, ...] = ()
    if content in ("complex", "pocket") and len(pocket.residues):
        n_res = len(pocket.residues)
        labelled = np.flatnonzero(np.bincount(pocket.residue_index[p_idx], minlength=n_res) > 0)
        # shown while any atom is displayed; anchored at the mean of all its atoms (H included)
        counts = np.bincount(pocket.residue_index, minlength=n_res)
        centers = np.stack([np.bincount(pocket.residue_index, weights=pocket.coords[:, k], minlength=n_res)
                            for k in range(3)], axis=1) / np.maximum(counts, 1)[:, None]
        centers.flags.writeable = False
        residue_labels = tuple(Label(pocket.residues[k].label, centers[k], style.RESIDUE_LABEL_OFFSET, RESIDUE, int(k))
                               for k in labelled)
    arrays = dict(
        p_idx=p_idx,
        l_idx=l_idx,
        radii=np.concatenate([_radii(pocket.elements, pocket.bonds, p_mask)[p_idx],
                              _radii(ligand.elements, ligand.bonds, l_mask)[l_idx]]),
        colors=np.concatenate([p_colors, l_colors]).reshape(-1, 3) / 255.0,
        bonds=np.concatenate([local_bonds(pocket.bonds, p_mask, p_idx, 0),
                              local_bonds(ligand.bonds, l_mask, l_idx, len(p_idx))]).reshape(-1, 2),
    )
    for array in arrays.values():
        array.flags.writeable = False  # shared by every render of the complex
    return _Selection(**arrays, residue_labels=residue_labels)


def _coords(complex_, scene: Scene, selection: _Selection, l_coords: np.ndarray | None = None) -> np.ndarray:
    """Scene coordinates of the selection's atoms (the ligand's after ``scene.ligand_ops``)."""
    l_coords = ligand_coords(complex_, scene) if l_coords is None else l_coords
    return np.concatenate([complex_.pocket.coords[selection.p_idx], l_coords[selection.l_idx]]).reshape(-1, 3).astype(np.float64)


def displayed(complex_, scene: Scene, content: str | None = None, with_labels: bool = True) -> Displayed:
    """The displayed atoms of ``content`` (default ``scene.show``), styled."""
    content = content or scene.show
    pocket, ligand = complex_.pocket, complex_.ligand
    selection = _selection(complex_, content, scene.residue)
    p_idx, l_idx = selection.p_idx, selection.l_idx
    l_coords = ligand_coords(complex_, scene)

    labels: list[Label] = []
    if with_labels and scene.labels:
        if selection.residue_labels:
            labels.extend(selection.residue_labels)
        elif content == "residue":
            for i in p_idx:
                labels.append(Label(str(pocket.names[i]) or str(pocket.res_numbers[i]), pocket.coords[i],
                                    style.ATOM_LABEL_OFFSET, RESIDUE_ATOM, int(i)))
        for i in l_idx:
            labels.append(Label(str(ligand.names[i]), l_coords[i], style.ATOM_LABEL_OFFSET, LIGAND_ATOM, int(i),
                                str(ligand.elements[i]) in style.POLAR_ELEMENTS))

    return Displayed(
        coords=_coords(complex_, scene, selection, l_coords),
        radii=selection.radii,
        colors=selection.colors,
        molecule=np.concatenate([np.full(len(p_idx), POCKET), np.full(len(l_idx), LIGAND)]).astype(np.int8),
        index=np.concatenate([p_idx, l_idx]).astype(np.int64),
        bonds=selection.bonds,
        labels=labels,
    )
