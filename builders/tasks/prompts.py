"""Question text shared by all tasks: image conventions, coordinate system, command grammar.

The paper asks every question to convey what each image shows (numbered), the styling rules, the
coordinate system and command grammar, the task, and the exact answer format with an example.
Tasks supply the image list, the task sentence and the answer format; the rest is here, worded
once.
"""

from __future__ import annotations

# What the labels show (renderers.labels.arrange): the label classes of style.YIELDING_LABELS are
# left out where they would overlap one of style.ANSWER_LABELS; ligand polar labels on top.
POLAR_ATOMS = "N, O, S, P and halogen (F, Cl, Br, I) atoms"

STYLE = (
    "Every image shows a protein-ligand complex as sticks on a black background; hydrogens are "
    "hidden. Oxygen is red, nitrogen blue, sulfur yellow; ligand carbons are gray; the carbons of "
    "the pocket residues alternate, residue by residue in sequence order, between purple and "
    "orange. Each pocket residue is labeled with its name and number (e.g. ARG 45) and each "
    f"ligand atom with its atom name (e.g. O1B). Labels of the ligand's {POLAR_ATOMS} are drawn "
    "on top of the others, and a residue label or a label of one of the ligand's other atoms "
    "(mostly carbons) that would overlap one of them is left out."
)

STYLE_SINGLE_RESIDUE = (
    "Every image shows one pocket residue and the ligand as sticks on a black background; "
    "hydrogens are hidden. Oxygen is red, nitrogen blue, sulfur yellow; ligand carbons are gray "
    "and the residue's carbons purple or orange. The residue's atoms and the ligand's atoms are "
    f"labeled with their atom names. Labels of the ligand's {POLAR_ATOMS} are drawn on top of the "
    "others, and a label of one of the ligand's other atoms (mostly carbons) that would overlap "
    "one of them or a residue atom's label is left out."
)

FRAME = (
    "Coordinates are screen axes of the front view: x points right, y points up and z points "
    "out of the screen toward the viewer. Commands: 'move x d', 'move y d' and 'move z d' "
    "translate the scene by d angstroms along that axis (positive = right, up, toward the viewer; "
    "under the perspective camera 'move z' with positive d enlarges the picture, i.e. zooms in); "
    "'roll x a', 'roll y a' and 'roll z a' rotate the scene by a degrees about that screen axis "
    "through the center of the displayed atoms, right-hand rule (positive 'roll z' turns "
    "counter-clockwise on screen). Successive commands apply one after the other about the fixed "
    "screen axes."
)

VIEWS = (
    "The left, top, back, right and bottom views are the front view after 'roll y 90', "
    "'roll x 90', 'roll y 180', 'roll y -90' and 'roll x -90' respectively."
)


def numbered(descriptions: list[str]) -> str:
    """'Image 1: ...; image 2: ...' for the given image descriptions."""
    return " ".join(f"Image {number}: {text}." for number, text in enumerate(descriptions, start=1))


def question_text(images: list[str], task: str, answer_format: str, single_residue: bool = False) -> str:
    style = STYLE_SINGLE_RESIDUE if single_residue else STYLE
    return "\n\n".join([numbered(images), style, FRAME + " " + VIEWS, task, answer_format])
