"""Rendering: element colors and lighting at atom centers, hidden hydrogens, labels, determinism."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from rdkit import Chem

from misi_bench.renderers import Scene, camera_coords, project, render, render_array, render_png
from helpers.renderer_support import make_complex, sample_complexes

# Lit color of a surface facing the eye at the image center (docs/conventions.md, Style):
# N = +z, e = -z: 0.32 + 0.8·(1/√3) + 0.4·0.9594 (key, fill); specular (1/√3)^30 ≈ 0.
FACING = 0.32 + 0.8 * (1 / np.sqrt(3)) + 0.4 * (0.959 / np.linalg.norm([0.2, 0.2, 0.959]))


def expected(rgb) -> np.ndarray:
    return np.minimum(np.array(rgb) * FACING, 255.0)


@pytest.mark.parametrize("element, rgb", [("C", (144, 144, 144)), ("O", (255, 13, 13)), ("N", (48, 80, 248)),
                                          ("S", (255, 255, 48)), ("Cl", (31, 240, 31)), ("P", (255, 128, 0))])
def test_ligand_atom_shows_its_element_color_at_its_projected_center(element, rgb):
    # one atom, fitted: it fills the frame and its front faces the eye at the image center
    single = make_complex([], [("X1", element, (1.0, 2.0, 3.0))])
    image = render_array(single, Scene(show="ligand", labels=False))
    uv = project(camera_coords(single, Scene(show="ligand")).ligand)[0]
    assert uv == pytest.approx([256, 256])
    np.testing.assert_allclose(image[255:257, 255:257].reshape(-1, 3), np.tile(expected(rgb), (4, 1)), atol=3)


@pytest.mark.parametrize("first_color, rgb", [(0, (191, 153, 242)), (1, (242, 179, 102))])
def test_pocket_carbons_alternate_purple_orange_by_residue(first_color, rgb):
    pocket = make_complex([("CA", "C", (0.0, 0.0, 0.0), 7)], [("C1", "C", (30.0, 0.0, 0.0))], first_color=first_color)
    image = render_array(pocket, Scene(show="pocket", labels=False))
    np.testing.assert_allclose(image[255:257, 255:257].reshape(-1, 3), np.tile(expected(rgb), (4, 1)), atol=3)


def test_atom_colors_at_projected_centers_in_a_two_residue_scene():
    # several atoms at once, normal size: the pixel at each projected center is dominated by its color
    atoms = [("N", "N", (-3.0, 0.0, 0.0), 1), ("CA", "C", (-1.5, 0.0, 0.0), 1),
             ("CB", "C", (1.5, 0.0, 0.0), 2), ("OG", "O", (3.0, 0.0, 0.0), 2), ("SG", "S", (0.0, 3.0, 0.0), 3)]
    cx = make_complex(atoms, [("C1", "C", (0.0, -3.0, 0.0))], pocket_bonds=[(0, 1), (2, 3)])
    scene = Scene(labels=False)
    image = render_array(cx, scene).astype(int)
    uv = project(camera_coords(cx, scene).pocket)
    px = [image[int(v), int(u)] for u, v in uv]
    n, ca, cb, og, sg = px
    assert n[2] > 1.5 * n[0] and n[2] > 1.5 * n[1]  # blue
    assert og[0] > 4 * og[1] and og[0] > 4 * og[2]  # red
    assert ca[2] > ca[0] > ca[1]  # purple #BF99F2: B > R > G
    assert cb[0] > cb[1] > cb[2]  # orange #F2B366: R > G > B
    assert sg[0] > 2 * sg[2] and sg[1] > 2 * sg[2]  # yellow


# C1-C2 bonded, C3 isolated (widens the box), H4 bonded to C1, H5 isolated.
WITH_H = [("C1", "C", (0.0, 0.0, 0.0)), ("C2", "C", (-1.5, 0.0, 0.0)), ("C3", "C", (3.0, 3.0, 0.0)),
          ("H4", "H", (1.1, 0.0, 0.0)), ("H5", "H", (1.5, 2.0, 0.0))]


def test_hidden_hydrogens_and_their_bonds_never_appear():
    cx = make_complex([], WITH_H, ligand_bonds=[(0, 1), (0, 3)])
    scene = Scene(show="ligand", labels=False)
    result = render(cx, scene)
    image = result.image
    uv = project(camera_coords(cx, scene).ligand)
    for k in (3, 4):  # hydrogen centers are background
        assert (image[int(uv[k, 1]), int(uv[k, 0])] == 0).all()
    # the C1 half of the C1-H4 bond is hidden too: 0.5 Å from C1 toward H4 (past C1's sphere)
    probe = project(camera_coords(cx, scene).ligand[:1] + [0.5, 0, 0])[0]
    assert (image[int(probe[1]), int(probe[0])] == 0).all()
    # whereas the same spot on the C1-C2 side is drawn
    probe = project(camera_coords(cx, scene).ligand[:1] - [0.5, 0, 0])[0]
    assert image[int(probe[1]), int(probe[0])].max() > 50
    assert set(np.unique(result.frame.atoms)) <= {0, 1, 2}  # displayed atoms are the carbons
    without_h = make_complex([], WITH_H[:3], ligand_bonds=[(0, 1)])
    assert render_png(cx, Scene(show="ligand")) == render_png(without_h, Scene(show="ligand"))


def _with_ligand_hydrogens(cx):
    """The complex with RDKit hydrogens added to the ligand (explicit-H files look like this)."""
    mol = Chem.AddHs(cx.ligand.mol, addCoords=True)
    n_old = cx.ligand.n_atoms
    elements = [a.GetSymbol() for a in mol.GetAtoms()]
    names = list(cx.ligand.names) + [f"H{k}" for k in range(1, len(elements) - n_old + 1)]
    bonds = np.array([(b.GetBeginAtomIdx(), b.GetEndAtomIdx()) for b in mol.GetBonds()], dtype=np.int64)
    ligand = dataclasses.replace(
        cx.ligand, names=np.array(names), elements=np.array(elements), mol=mol,
        coords=mol.GetConformer().GetPositions(), formal_charges=np.array([a.GetFormalCharge() for a in mol.GetAtoms()]),
        bonds=bonds, bond_orders=np.ones(len(bonds)))
    assert ligand.is_hydrogen.sum() > 0
    return dataclasses.replace(cx, ligand=ligand)


@pytest.fixture(scope="module")
def real_complex():
    return sample_complexes()[0]


@pytest.mark.parametrize("scene", [Scene(show="ligand", view="left"), Scene(labels=False, view="top", ops="roll z 30")])
def test_explicit_hydrogens_change_nothing_in_the_image(real_complex, scene):
    protonated = _with_ligand_hydrogens(real_complex)
    assert render_png(protonated, scene) == render_png(real_complex, scene)


def test_labels_are_white_and_drawn_next_to_their_atom():
    cx = make_complex([], [("C1", "C", (0.0, 0.0, 0.0)), ("O22", "O", (12.0, 0.0, 0.0))])
    on, off = render_array(cx, Scene(show="ligand")), render_array(cx, Scene(show="ligand", labels=False))
    u, v = project(camera_coords(cx, Scene(show="ligand")).ligand)[0]
    box = (slice(int(v) - 45, int(v) + 2), slice(int(u) + 10, int(u) + 110))
    assert (off[box] == 0).all()
    assert (on[box].min(axis=-1) >= 240).sum() >= 20  # white text pixels
    assert (on[int(v) + 12:, :] == off[int(v) + 12:, :]).all()  # nothing below the text line


def test_same_scene_same_bytes_across_processes(real_complex):
    scene = Scene(view="left", ops="roll x 30, move z 20")
    here = hashlib.sha256(render_png(real_complex, scene)).hexdigest()
    code = (
        "import hashlib, sys; sys.path.insert(0, sys.argv[1]);"
        "from helpers.renderer_support import sample_complexes;"
        "from misi_bench.renderers import Scene, render_png;"
        "print(hashlib.sha256(render_png(sample_complexes()[0], Scene.from_json(sys.argv[2]))).hexdigest())"
    )
    tests_dir = str(Path(__file__).parents[1])
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code, tests_dir, scene.to_json()], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == here


def test_png_is_plain_rgb_without_metadata(real_complex):
    from PIL import Image
    import io

    data = render_png(real_complex, Scene(size=200))
    chunks, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunks.append(data[pos + 4:pos + 8])
        pos += 12 + length
    assert chunks == [b"IHDR", b"IDAT", b"IEND"]
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "RGB" and im.size == (200, 200)
        assert (np.asarray(im) == render_array(real_complex, Scene(size=200))).all()


def test_image_size_is_configurable_and_scales_the_picture(real_complex):
    small = render_array(real_complex, Scene(size=256, labels=False))
    big = render_array(real_complex, Scene(size=512, labels=False))
    assert small.shape == (256, 256, 3) and big.shape == (512, 512, 3)
    frac_small, frac_big = (small.max(-1) > 20).mean(), (big.max(-1) > 20).mean()
    assert frac_small == pytest.approx(frac_big, rel=0.15)
