"""Camera geometry, independent of the rasterizer: fit, projection, move, roll, views, docking.

Expected values are re-derived here from docs/conventions.md, Frames and camera / Commands and views (helpers.renderer_support.pixel /
fit_distance), not taken from the renderer.
"""

from __future__ import annotations

import numpy as np
import pytest

from misi_bench.renderers import Scene, camera_coords, camera_for, pixel_size, project
from helpers.renderer_support import TAN15, fit_distance, make_complex, pixel

# Pocket: three residues around the origin; ligand: four atoms. Deliberately not symmetric.
POCKET = [("N", "N", (-6.0, 1.0, 2.0), 1), ("CA", "C", (-5.0, 2.0, 1.0), 1),
          ("CB", "C", (4.0, -3.0, -2.0), 2), ("OG", "O", (5.0, -4.0, -3.0), 2),
          ("SD", "S", (1.0, 7.0, 3.0), 3)]
LIGAND = [("C1", "C", (0.0, 0.0, 0.0)), ("O2", "O", (1.4, 0.0, 0.0)),
          ("N3", "N", (-0.7, 1.2, 0.5)), ("H4", "H", (0.0, -1.0, 0.3))]
COMPLEX = make_complex(POCKET, LIGAND, pocket_bonds=[(0, 1), (2, 3)], ligand_bonds=[(0, 1), (0, 2), (0, 3)])
HEAVY = np.array([a[2] for a in POCKET] + [a[2] for a in LIGAND[:3]])


def test_front_view_fit_and_projection_follow_the_formulas():
    center, distance = fit_distance(HEAVY)
    coords = camera_coords(COMPLEX, Scene())
    assert coords.camera.distance == pytest.approx(distance)
    expected_pocket = np.array([a[2] for a in POCKET]) - center + [0, 0, -distance]
    np.testing.assert_allclose(coords.pocket, expected_pocket, atol=1e-9)
    pixels = project(coords.pocket, 512)
    for point, uv in zip(expected_pocket, pixels):
        assert uv == pytest.approx(pixel(point), abs=1e-9)
    assert project(coords.pocket, 300)[0] == pytest.approx(pixel(expected_pocket[0], 300))


def test_box_center_projects_to_image_center_and_box_fits_with_pad():
    coords = camera_coords(COMPLEX, Scene())
    uv = project(np.concatenate([coords.pocket, coords.ligand[:3]]))
    assert uv.min() > 0 and uv.max() < 512
    # without the pad (D0 = 0.95·D) the box's front face would touch the frame edge exactly
    _, distance = fit_distance(HEAVY)
    assert coords.camera.distance == pytest.approx(distance)
    half = (HEAVY.max(0) - HEAVY.min(0) + 0.4) / 2
    d0 = 0.95 * distance
    assert max(half[0], half[1]) / ((d0 - half[2]) * TAN15) == pytest.approx(1.0)


def test_move_x_shifts_an_atom_at_box_center_depth_by_predicted_pixels():
    center, distance = fit_distance(HEAVY)
    atom = make_complex(POCKET + [("X", "C", tuple(center + [1.0, 2.0, 0.0]), 4)], LIGAND,
                        pocket_bonds=[(0, 1), (2, 3)], ligand_bonds=[(0, 1), (0, 2), (0, 3)])
    before = camera_coords(atom, Scene()).pocket[-1]
    after = camera_coords(atom, Scene(ops="move x 1")).pocket[-1]
    assert before[2] == pytest.approx(-distance)
    shift = project(after[None])[0] - project(before[None])[0]
    assert shift == pytest.approx([(512 / 2) / (distance * TAN15), 0.0])
    assert shift[0] == pytest.approx(1.0 / pixel_size(distance, 512))
    up = project(camera_coords(atom, Scene(ops="move y 2")).pocket[-1:])[0] - project(before[None])[0]
    assert up == pytest.approx([0.0, -2 * (512 / 2) / (distance * TAN15)])  # rows grow downward


def test_roll_z_90_takes_plus_x_to_plus_y():
    front = camera_coords(COMPLEX, Scene())
    rolled = camera_coords(COMPLEX, Scene(ops="roll z 90"))
    center = front.camera.center
    rel_front, rel_rolled = front.pocket - center, rolled.pocket - center
    np.testing.assert_allclose(rel_rolled, np.stack([-rel_front[:, 1], rel_front[:, 0], rel_front[:, 2]], 1), atol=1e-9)
    # an atom right of center ends up above center
    right = int(np.argmax(rel_front[:, 0]))
    uv_f, uv_r = project(front.pocket[right:right + 1])[0], project(rolled.pocket[right:right + 1])[0]
    assert uv_f[0] > 256 and uv_r[1] < 256


def test_roll_y_90_brings_the_minus_x_face_forward():
    front = camera_coords(COMPLEX, Scene())
    rolled = camera_coords(COMPLEX, Scene(ops="roll y 90"))
    leftmost = int(np.argmin(front.pocket[:, 0]))
    assert int(np.argmax(rolled.pocket[:, 2])) == leftmost  # nearest to the viewer
    assert camera_for(COMPLEX, Scene(ops="roll y 90")).center == pytest.approx(front.camera.center)


def test_roll_x_positive_tips_the_top_toward_the_viewer():
    front = camera_coords(COMPLEX, Scene())
    rolled = camera_coords(COMPLEX, Scene(ops="roll x 30"))
    top = int(np.argmax(front.pocket[:, 1]))
    assert rolled.pocket[top, 2] > front.pocket[top, 2]


# An octahedron of six atoms around a central ligand atom: which face comes to the front?
FACES = {"+x": (4.0, 0, 0), "-x": (-4.0, 0, 0), "+y": (0, 4.0, 0), "-y": (0, -4.0, 0), "+z": (0, 0, 4.0), "-z": (0, 0, -4.0)}
OCTA = make_complex([(name, "C", xyz, k + 1) for k, (name, xyz) in enumerate(FACES.items())], [("C1", "C", (0.0, 0.0, 0.0))])


@pytest.mark.parametrize("view, face", [("front", "+z"), ("left", "-x"), ("right", "+x"), ("top", "+y"),
                                        ("bottom", "-y"), ("back", "-z")])
def test_views_put_the_named_face_toward_the_viewer(view, face):
    coords = camera_coords(OCTA, Scene(view=view))
    nearest = list(FACES)[int(np.argmax(coords.pocket[:, 2]))]
    assert nearest == face
    # every view keeps the box center on the view axis at the fit distance
    assert coords.ligand[0] == pytest.approx([0.0, 0.0, -coords.camera.distance])


def test_view_screen_positions():
    top = project(camera_coords(OCTA, Scene(view="top")).pocket)
    names = list(FACES)
    # top view (roll x 90): the front (+z) atom goes down the screen, the back (-z) atom up
    assert top[names.index("+z"), 1] > 256 > top[names.index("-z"), 1]
    left = project(camera_coords(OCTA, Scene(view="left")).pocket)
    # left view (roll y 90): the old front (+z) swings to the right
    assert left[names.index("+z"), 0] > 256 > left[names.index("-z"), 0]
    back = project(camera_coords(OCTA, Scene(view="back")).pocket)
    assert back[names.index("+x"), 0] < 256 < back[names.index("-x"), 0]


@pytest.mark.parametrize("d", [10, 40, 60])
def test_move_z_enlarges_by_D_over_D_minus_d(d):
    front = camera_coords(COMPLEX, Scene())
    zoomed = camera_coords(COMPLEX, Scene(ops=f"move z {d}"))
    for before, after in zip(front.pocket, zoomed.pocket):
        depth = -before[2]
        off_before = np.array(pixel(before)) - 256
        off_after = np.array(pixel(after)) - 256
        np.testing.assert_allclose(off_after, off_before * depth / (depth - d), rtol=1e-9, atol=1e-9)


def test_rolls_compose_about_fixed_screen_axes_and_follow_moves():
    a = camera_coords(COMPLEX, Scene(ops="roll x 30, roll y 40"))
    ref = camera_coords(COMPLEX, Scene())
    c = ref.camera.center
    rx = np.array([[1, 0, 0], [0, np.cos(np.radians(30)), -np.sin(np.radians(30))], [0, np.sin(np.radians(30)), np.cos(np.radians(30))]])
    ry = np.array([[np.cos(np.radians(40)), 0, np.sin(np.radians(40))], [0, 1, 0], [-np.sin(np.radians(40)), 0, np.cos(np.radians(40))]])
    np.testing.assert_allclose(a.pocket, (ref.pocket - c) @ (ry @ rx).T + c, atol=1e-9)
    # the center of rotation travels with the model: move then roll == roll then move
    b = camera_coords(COMPLEX, Scene(ops="move x 5, roll z 30"))
    e = camera_coords(COMPLEX, Scene(ops="roll z 30, move x 5"))
    np.testing.assert_allclose(b.pocket, e.pocket, atol=1e-9)
    # and an operation sequence followed by its inverse is the identity
    back = camera_coords(COMPLEX, Scene(ops="move x 5, roll z 30, move z 20, roll y -45, move z -20, roll y 45, roll z -30, move x -5"))
    np.testing.assert_allclose(back.pocket, ref.pocket, atol=1e-9)


def test_ligand_ops_move_and_roll_the_ligand_about_its_own_center():
    base = COMPLEX.ligand.coords[:3]
    lig_center = base.mean(0)  # centroid of the heavy atoms (hydrogens are hidden)
    moved = camera_coords(COMPLEX, Scene(ligand_ops="move x -14", fit="pocket"))
    ref = camera_coords(COMPLEX, Scene(fit="pocket"))
    np.testing.assert_allclose(moved.ligand - ref.ligand, np.tile([-14.0, 0, 0], (4, 1)), atol=1e-9)
    np.testing.assert_allclose(moved.pocket, ref.pocket)
    rolled = camera_coords(COMPLEX, Scene(ligand_ops="roll z 90", fit="pocket"))
    rel = COMPLEX.ligand.coords - lig_center
    expected = np.stack([-rel[:, 1], rel[:, 0], rel[:, 2]], 1) + lig_center
    np.testing.assert_allclose(rolled.ligand - ref.ligand, expected - COMPLEX.ligand.coords, atol=1e-9)


def test_docking_fit_uses_pocket_and_displaced_ligand_but_shows_only_the_ligand():
    ops = "move x -20, roll y 45"
    shown_ligand = camera_for(COMPLEX, Scene(show="ligand", fit="complex", ligand_ops=ops))
    whole = camera_for(COMPLEX, Scene(show="complex", ligand_ops=ops))
    assert shown_ligand.distance == pytest.approx(whole.distance)
    np.testing.assert_allclose(shown_ligand.translation, whole.translation)
    native = camera_for(COMPLEX, Scene())
    assert shown_ligand.distance > native.distance  # the displaced ligand widens the box


def test_camera_coords_cover_hydrogens_and_keep_complex_indexing():
    coords = camera_coords(COMPLEX, Scene(show="pocket", view="left"))
    assert coords.pocket.shape == (len(POCKET), 3) and coords.ligand.shape == (len(LIGAND), 3)
    # rigid: distances are preserved, including to the (hidden) hydrogen
    d_scene = np.linalg.norm(COMPLEX.ligand.coords[3] - COMPLEX.pocket.coords[0])
    assert np.linalg.norm(coords.ligand[3] - coords.pocket[0]) == pytest.approx(d_scene)
    assert coords.pixels("pocket") == pytest.approx(project(coords.pocket))


def test_in_frame_follows_the_projection_and_drops_atoms_behind_the_eye():
    fitted = camera_coords(COMPLEX, Scene())
    assert fitted.in_frame("pocket").all() and fitted.in_frame("ligand").all()  # the fit shows everything
    # 4 Å to the right: an atom stays in frame exactly when its re-derived pixel column is < 512
    shifted = camera_coords(COMPLEX, Scene(ops="move x 4"))
    expected = [0 <= pixel(p)[0] < 512 and 0 <= pixel(p)[1] < 512 for p in shifted.pocket]
    assert shifted.in_frame("pocket").tolist() == expected and not all(expected) and any(expected)
    # the eye moved past the whole complex: everything is behind it, nothing in frame
    passed = camera_coords(COMPLEX, Scene(ops="move z 200"))
    assert (passed.pocket[:, 2] > 0).all() and not passed.in_frame("pocket").any() and not passed.in_frame("ligand").any()
