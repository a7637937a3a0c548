"""Residue templates: IDATM types of standard amino-acid atoms by name (ChimeraX idatm templates).

Only heavy atoms are listed; hydrogens are HC on carbon and H otherwise. ``TEMPLATE_BONDS`` gives
each residue's intra-residue heavy-atom bonds, used to count the template neighbours an atom
should have (truncated side chains: docs/hbonds.md).
"""

from __future__ import annotations

BACKBONE = {"N": "Npl", "CA": "C3", "C": "C2", "O": "O2", "OXT": "O2-"}

_SIDE_CHAINS: dict[str, dict[str, str]] = {
    "GLY": {},
    "ALA": {"CB": "C3"},
    "VAL": {"CB": "C3", "CG1": "C3", "CG2": "C3"},
    "LEU": {"CB": "C3", "CG": "C3", "CD1": "C3", "CD2": "C3"},
    "ILE": {"CB": "C3", "CG1": "C3", "CG2": "C3", "CD1": "C3"},
    "PRO": {"CB": "C3", "CG": "C3", "CD": "C3"},
    "PHE": {"CB": "C3", "CG": "Car", "CD1": "Car", "CD2": "Car", "CE1": "Car", "CE2": "Car", "CZ": "Car"},
    "TYR": {"CB": "C3", "CG": "Car", "CD1": "Car", "CD2": "Car", "CE1": "Car", "CE2": "Car", "CZ": "Car",
            "OH": "O3"},
    "TRP": {"CB": "C3", "CG": "Car", "CD1": "Car", "CD2": "Car", "NE1": "Npl", "CE2": "Car", "CE3": "Car",
            "CZ2": "Car", "CZ3": "Car", "CH2": "Car"},
    "SER": {"CB": "C3", "OG": "O3"},
    "THR": {"CB": "C3", "OG1": "O3", "CG2": "C3"},
    "CYS": {"CB": "C3", "SG": "S3"},
    "MET": {"CB": "C3", "CG": "C3", "SD": "S3", "CE": "C3"},
    "MSE": {"CB": "C3", "CG": "C3", "SE": "Se", "CE": "C3"},
    "ASN": {"CB": "C3", "CG": "C2", "OD1": "O2", "ND2": "Npl"},
    "GLN": {"CB": "C3", "CG": "C3", "CD": "C2", "OE1": "O2", "NE2": "Npl"},
    "ASP": {"CB": "C3", "CG": "Cac", "OD1": "O2-", "OD2": "O2-"},
    "GLU": {"CB": "C3", "CG": "C3", "CD": "Cac", "OE1": "O2-", "OE2": "O2-"},
    "LYS": {"CB": "C3", "CG": "C3", "CD": "C3", "CE": "C3", "NZ": "N3+"},
    "ARG": {"CB": "C3", "CG": "C3", "CD": "C3", "NE": "Ng+", "CZ": "C2", "NH1": "Ng+", "NH2": "Ng+"},
    "HIS": {"CB": "C3", "CG": "Car", "ND1": "Npl", "CD2": "Car", "CE1": "Car", "NE2": "Npl"},
    "HID": {"CB": "C3", "CG": "Car", "ND1": "Npl", "CD2": "Car", "CE1": "Car", "NE2": "N2"},
    "HIE": {"CB": "C3", "CG": "Car", "ND1": "N2", "CD2": "Car", "CE1": "Car", "NE2": "Npl"},
    "HIP": {"CB": "C3", "CG": "C2", "ND1": "Npl", "CD2": "C2", "CE1": "C2", "NE2": "Npl"},
    "HYP": {"CB": "C3", "CG": "C3", "CD": "C3", "OD1": "O3"},
}
# HYP's hydroxyl is named OD1 in the PDB chemical component dictionary, OD in older files
_SIDE_CHAINS["HYP"]["OD"] = "O3"

TEMPLATE_RESIDUES = frozenset(_SIDE_CHAINS)

_SIDE_BONDS: dict[str, list[tuple[str, str]]] = {
    "GLY": [],
    "ALA": [("CA", "CB")],
    "VAL": [("CA", "CB"), ("CB", "CG1"), ("CB", "CG2")],
    "LEU": [("CA", "CB"), ("CB", "CG"), ("CG", "CD1"), ("CG", "CD2")],
    "ILE": [("CA", "CB"), ("CB", "CG1"), ("CB", "CG2"), ("CG1", "CD1")],
    "PRO": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "N")],
    "PHE": [("CA", "CB"), ("CB", "CG"), ("CG", "CD1"), ("CG", "CD2"), ("CD1", "CE1"), ("CD2", "CE2"),
            ("CE1", "CZ"), ("CE2", "CZ")],
    "TYR": [("CA", "CB"), ("CB", "CG"), ("CG", "CD1"), ("CG", "CD2"), ("CD1", "CE1"), ("CD2", "CE2"),
            ("CE1", "CZ"), ("CE2", "CZ"), ("CZ", "OH")],
    "TRP": [("CA", "CB"), ("CB", "CG"), ("CG", "CD1"), ("CG", "CD2"), ("CD1", "NE1"), ("NE1", "CE2"),
            ("CD2", "CE2"), ("CD2", "CE3"), ("CE2", "CZ2"), ("CE3", "CZ3"), ("CZ2", "CH2"), ("CZ3", "CH2")],
    "SER": [("CA", "CB"), ("CB", "OG")],
    "THR": [("CA", "CB"), ("CB", "OG1"), ("CB", "CG2")],
    "CYS": [("CA", "CB"), ("CB", "SG")],
    "MET": [("CA", "CB"), ("CB", "CG"), ("CG", "SD"), ("SD", "CE")],
    "MSE": [("CA", "CB"), ("CB", "CG"), ("CG", "SE"), ("SE", "CE")],
    "ASN": [("CA", "CB"), ("CB", "CG"), ("CG", "OD1"), ("CG", "ND2")],
    "GLN": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "OE1"), ("CD", "NE2")],
    "ASP": [("CA", "CB"), ("CB", "CG"), ("CG", "OD1"), ("CG", "OD2")],
    "GLU": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "OE1"), ("CD", "OE2")],
    "LYS": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "CE"), ("CE", "NZ")],
    "ARG": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "NE"), ("NE", "CZ"), ("CZ", "NH1"), ("CZ", "NH2")],
    "HIS": [("CA", "CB"), ("CB", "CG"), ("CG", "ND1"), ("CG", "CD2"), ("ND1", "CE1"), ("CD2", "NE2"),
            ("CE1", "NE2")],
    "HYP": [("CA", "CB"), ("CB", "CG"), ("CG", "CD"), ("CD", "N"), ("CG", "OD1")],
}
for _name in ("HID", "HIE", "HIP"):
    _SIDE_BONDS[_name] = _SIDE_BONDS["HIS"]

# aromatic / planar rings of the templates (atom names), for the ring acceptor and donor rules
TEMPLATE_RINGS: dict[str, list[tuple[tuple[str, ...], bool]]] = {
    "PRO": [(("N", "CA", "CB", "CG", "CD"), False)],
    "HYP": [(("N", "CA", "CB", "CG", "CD"), False)],
    "PHE": [(("CG", "CD1", "CE1", "CZ", "CE2", "CD2"), True)],
    "TYR": [(("CG", "CD1", "CE1", "CZ", "CE2", "CD2"), True)],
    "TRP": [(("CG", "CD1", "NE1", "CE2", "CD2"), True),
            (("CD2", "CE2", "CZ2", "CH2", "CZ3", "CE3"), True)],
    "HIS": [(("CG", "ND1", "CE1", "NE2", "CD2"), True)],
    "HID": [(("CG", "ND1", "CE1", "NE2", "CD2"), True)],
    "HIE": [(("CG", "ND1", "CE1", "NE2", "CD2"), True)],
    "HIP": [(("CG", "ND1", "CE1", "NE2", "CD2"), False)],
}


def template_heavy_neighbour_count(res_name: str, atom_name: str) -> int | None:
    """Intra-residue heavy neighbours the template gives this atom (OXT not counted)."""
    if res_name not in _SIDE_BONDS:
        return None
    bonds = [("N", "CA"), ("CA", "C"), ("C", "O")] + _SIDE_BONDS[res_name]
    names = {a for bond in bonds for a in bond}
    if atom_name not in names:
        return None
    return sum(1 for a, b in bonds if atom_name in (a, b))


def template_type(res_name: str, atom_name: str, has_oxt: bool, protonated: set[str]) -> str | None:
    """Type of a heavy atom of a templated residue, or None when the name is not in the template.

    ``protonated`` holds the names of the residue's hydrogens (for ASP/GLU acid forms).
    """
    side = _SIDE_CHAINS.get(res_name)
    if side is None:
        return None
    if atom_name in BACKBONE:
        if atom_name == "C" and has_oxt:
            return "Cac"
        if atom_name == "O" and has_oxt:
            return "O2-"
        return BACKBONE[atom_name]
    base = side.get(atom_name)
    if base is None:
        return None
    acid = {"ASP": ("CG", "OD1", "OD2", "HD1", "HD2"), "GLU": ("CD", "OE1", "OE2", "HE1", "HE2")}.get(res_name)
    if acid is not None:
        carbon, o1, o2, h1, h2 = acid
        if h1 in protonated or h2 in protonated:
            if atom_name == carbon:
                return "C2"
            if atom_name == o1:
                return "O3" if h1 in protonated else "O2"
            if atom_name == o2:
                return "O3" if h2 in protonated and h1 not in protonated else "O2"
    return base
