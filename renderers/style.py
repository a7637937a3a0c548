"""Colors, radii, lights and label sizes: every look-and-feel constant, with its source.

Values follow ``docs/conventions.md`` (ChimeraX defaults) unless marked *our choice*.
"""

from __future__ import annotations

import numpy as np

# --- colors (docs/conventions.md, Style: ChimeraX's Jmol element table) -------------------
# Background: black (the rasterizer starts from zeros; the depth cue fades toward it).
LIGAND_CARBON = (144, 144, 144)  # #909090, `color byelement`
POCKET_CARBONS = ((191, 153, 242), (242, 179, 102))  # #BF99F2 / #F2B366 by Residue.color_index
LABEL_COLOR = (255, 255, 255)  # auto-contrast on black
UNKNOWN_ELEMENT = (180, 180, 180)

ELEMENT_COLORS: dict[str, tuple[int, int, int]] = {
    "H": (255, 255, 255), "D": (255, 255, 255), "C": (144, 144, 144), "N": (48, 80, 248),
    "O": (255, 13, 13), "S": (255, 255, 48), "P": (255, 128, 0), "F": (144, 224, 80),
    "Cl": (31, 240, 31), "Br": (166, 41, 41), "I": (148, 0, 148), "B": (255, 181, 181),
    "Zn": (125, 128, 176), "Mg": (138, 255, 0), "Ca": (61, 255, 0), "Fe": (224, 102, 51),
    "Na": (171, 92, 242), "K": (143, 64, 212), "Mn": (156, 122, 199), "Cu": (200, 128, 51),
    "Co": (240, 144, 160), "Ni": (80, 208, 80), "Se": (255, 161, 0),
    # rest of the Jmol table for elements that do turn up in PDBbind files
    "He": (217, 255, 255), "Li": (204, 128, 255), "Be": (194, 255, 0), "Ne": (179, 227, 245),
    "Al": (191, 166, 166), "Si": (240, 200, 160), "Ar": (128, 209, 227), "Sc": (230, 230, 230),
    "Ti": (191, 194, 199), "V": (166, 166, 171), "Cr": (138, 153, 199), "Ga": (194, 143, 143),
    "Ge": (102, 143, 143), "As": (189, 128, 227), "Kr": (92, 184, 209), "Rb": (112, 46, 176),
    "Sr": (0, 255, 0), "Y": (148, 255, 255), "Zr": (148, 224, 224), "Mo": (84, 181, 181),
    "Ru": (36, 143, 143), "Rh": (10, 125, 140), "Pd": (0, 105, 133), "Ag": (192, 192, 192),
    "Cd": (255, 217, 143), "In": (166, 117, 115), "Sn": (102, 128, 128), "Sb": (158, 99, 181),
    "Te": (212, 122, 0), "Xe": (66, 158, 176), "Cs": (87, 23, 143), "Ba": (0, 201, 0),
    "Gd": (69, 255, 199), "Pt": (208, 208, 224), "Au": (255, 209, 35), "Hg": (184, 184, 208),
    "Tl": (166, 84, 77), "Pb": (87, 89, 97), "Bi": (158, 79, 181), "W": (33, 148, 214),
    "Re": (38, 125, 171), "Os": (38, 102, 150), "Ir": (23, 84, 135),
}


def element_color(element: str) -> tuple[int, int, int]:
    return ELEMENT_COLORS.get(element, ELEMENT_COLORS.get(element.capitalize(), UNKNOWN_ELEMENT))


# --- geometry (docs/conventions.md, Style) --------------------------------------------------------
STICK_RADIUS = 0.2  # Å, bond cylinders and bonded atoms
# Unbonded metal ions: ChimeraX's auto-style draws lone ions as spheres of their default radius
# (docs/conventions.md, Style). Other unbonded heavy atoms keep the stick radius.
ION_RADII = {"Zn": 0.74, "Mg": 0.72, "Ca": 1.00, "Na": 1.02, "K": 1.38, "Fe": 0.61, "Mn": 0.83,
             "Cu": 0.73, "Co": 0.745, "Ni": 0.69, "Cd": 0.95, "Hg": 1.02, "Sr": 1.18, "Ba": 1.35,
             "Cs": 1.67, "Li": 0.76}

# --- lighting "default" preset, fixed to the camera (docs/conventions.md, Style) -------------------
KEY_LIGHT = np.array([0.577, -0.577, -0.577]) / np.linalg.norm([0.577, -0.577, -0.577])
FILL_LIGHT = np.array([-0.2, -0.2, -0.959]) / np.linalg.norm([-0.2, -0.2, -0.959])
AMBIENT = 0.4 * 0.8  # ambient intensity x material ambient reflectivity
KEY_DIFFUSE = 1.0 * 0.8
FILL_DIFFUSE = 0.5 * 0.8
SPECULAR = 0.3
SHININESS = 30
DEPTH_CUE_START = 0.5  # fraction of near..far where dimming starts
DEPTH_CUE_END = 1.0

# --- labels (docs/conventions.md, Style; floor, draw order and yielding are our choice, see labels.py)
LABEL_HEIGHT = 0.7  # Å, ChimeraX's: text line height (font size) at the anchor depth
LABEL_MIN_PX = 11  # ... but never smaller than this many pixels (legibility floor; scaled down under 512 px)
LABEL_MAX_PX = 40  # ... nor larger than this at 512 px, scaled with the image (zoomed-in scenes)
ATOM_LABEL_OFFSET = (STICK_RADIUS + 0.2, 0.0, 0.5)  # Å in camera axes, lower-left corner
RESIDUE_LABEL_OFFSET = (0.0, 0.0, 0.0)
# Ligand atoms whose names answers can hold: the elements that take part in hydrogen bonds.
POLAR_ELEMENTS = frozenset({"N", "O", "S", "P", "F", "Cl", "Br", "I"})
# Drawing order (our choice): ligand polar-atom labels last, i.e. on top (labels.label_class).
LABEL_LAYERS = {"residue": 0, "residue_atom": 1, "ligand_carbon": 1, "ligand_polar": 2}
# Labels left out where their ink box meets the box of a label answers name (our choice; the
# question texts say so): residue labels and ligand carbon labels yield to ligand polar-atom
# labels and to the residue-atom labels of single-residue scenes (T4), which always stay.
YIELDING_LABELS = frozenset({"residue", "ligand_carbon"})
ANSWER_LABELS = frozenset({"ligand_polar", "residue_atom"})

# --- fitting (docs/conventions.md, Frames and camera) ----------------------------------------------------------
FIT_PAD = 0.05
FIELD_OF_VIEW = 30.0  # degrees, horizontal

# --- antialiasing -----------------------------------------------------------------------------
SUPERSAMPLE = 2  # ours: 2x2 supersampling (ChimeraX saves with 3x3); see raster.py
# ... while the supersampled raster stays within this width; larger images (the 1024 px images of
# the name tasks) are rasterized at their own size, as finely as a 512 px image's subsamples, so
# they cost about as much as a 512 px image instead of 4x (ours).
MAX_SUPERSAMPLED_WIDTH = 1024


def supersample_for(size: int) -> int:
    """The supersampling factor of a ``size`` px image."""
    return SUPERSAMPLE if size * SUPERSAMPLE <= MAX_SUPERSAMPLED_WIDTH else 1
