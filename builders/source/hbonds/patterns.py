"""Chemical-group patterns, matched the way ChimeraX's chem_group does (docs/hbonds.md).

A pattern is ``[centre, [neighbour conditions]]``. A condition is an IDATM type (str), an atomic
number (int: 1 = H, 6 = C, 7 = N, 8 = O), a tuple of alternatives, a dict on type properties
(``geometry``, ``not type``, ``default``) or a nested pattern. The centre's neighbours (minus the
parent) map one-to-one onto the conditions; conditions that a hydrogen could satisfy may also
match nothing (hydrogens absent from the file). An atom with a missing-structure pseudobond
matches no pattern that constrains its neighbours.
"""

from __future__ import annotations

from .atom_types import TYPE_INFO
from .model import Model

H, C, N, O = 1, 6, 7, 8
TET = {"geometry": 4}
ESB = ({"geometry": 4}, {"geometry": 1})  # tetrahedral or single (H): "explicit single bond"
R = (C, H)

_ATOMIC_NUMBER = {"H": 1, "D": 1, "C": 6, "N": 7, "O": 8, "S": 16, "P": 15}


def _type_matches(cond: dict, idatm_type: str) -> bool:
    info = TYPE_INFO.get(idatm_type)
    if info is None:
        return bool(cond.get("default", False))
    if idatm_type in cond.get("not type", ()):
        return False
    if "geometry" in cond and info[0] != cond["geometry"]:
        return False
    if "substituents" in cond and info[1] != cond["substituents"]:
        return False
    return True


def possibly_h(cond) -> bool:
    if isinstance(cond, str):
        return cond in ("H", "HC")
    if isinstance(cond, int):
        return cond == 1
    if isinstance(cond, tuple):
        return any(possibly_h(c) for c in cond)
    if isinstance(cond, dict):
        return _type_matches(cond, "H") or _type_matches(cond, "HC")
    return False


def atom_matches(model: Model, cond, atom: int) -> bool:
    if isinstance(cond, str):
        return model.types[atom] == cond
    if isinstance(cond, int):
        return _ATOMIC_NUMBER.get(model.elements[atom], 0) == cond
    if isinstance(cond, tuple):
        return any(atom_matches(model, c, atom) for c in cond)
    if isinstance(cond, dict):
        return _type_matches(cond, model.types[atom])
    if isinstance(cond, list):
        return atom_matches(model, cond[0], atom)
    if cond is None:
        return True
    raise TypeError(f"unknown pattern condition {cond!r}")


def _same_condition(c1, c2) -> bool:
    if c1 == c2:
        return True
    if isinstance(c1, tuple) and not isinstance(c2, tuple):
        return c2 in c1
    if isinstance(c2, tuple) and not isinstance(c1, tuple):
        return c1 in c2
    return False


def trace(model: Model, cond, atom: int, parent: int | None = None) -> list[list[int]]:
    """Every group (flattened atom list, pattern order) matching ``cond`` rooted at ``atom``."""
    if not isinstance(cond, list):
        return [[atom]] if atom_matches(model, cond, atom) else []
    if not atom_matches(model, cond[0], atom):
        return []
    bonded = cond[1]
    to_match = len(model.nbrs[atom]) - (parent is not None)
    if len(bonded) < to_match or len(bonded) - sum(map(possibly_h, bonded)) > to_match:
        return []
    if not bonded:
        return [[atom]]
    if atom in model.broken:
        return []
    return [[atom] + match for match in _match_descendents(model, atom, list(model.nbrs[atom]), parent,
                                                          bonded, {})]


def _match_descendents(model, atom, neighbours, parent, descendents, prev_assigned) -> list[list[int]]:
    matches: list[list[int]] = []
    target, rest = descendents[0], descendents[1:]
    to_match = len(neighbours) - (parent in neighbours)
    if len(descendents) < to_match or len(descendents) - sum(map(possibly_h, descendents)) > to_match:
        return matches
    prev_assigned = dict(prev_assigned)
    for other in neighbours:
        if other == parent:
            continue
        if any(_same_condition(target, c) for c in prev_assigned.get(other, ())):
            continue
        possible = trace(model, target, other, atom)
        if possible:
            if not rest:
                remainder = [[]]
            else:
                remaining = [x for x in neighbours if x != other]
                remainder = _match_descendents(model, atom, remaining, parent, rest, prev_assigned)
            for m1 in possible:
                for m2 in remainder:
                    matches.append(m1 + m2)
            prev_assigned[other] = list(prev_assigned.get(other, ())) + [target]
    if possibly_h(target) and len(rest) >= to_match and len(rest) - sum(map(possibly_h, rest)) <= to_match:
        if not rest:
            matches.append([])
        else:
            matches.extend(_match_descendents(model, atom, neighbours, parent, rest, prev_assigned))
    return matches


def pattern_size(cond) -> int:
    """Atoms in a flattened group (each condition one slot; optional H slots count too)."""
    if isinstance(cond, list):
        return 1 + sum(pattern_size(c) for c in cond[1])
    return 1
