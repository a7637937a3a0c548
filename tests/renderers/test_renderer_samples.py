"""Every sample complex: six views render sensibly (PNGs saved under build/test-output/renderer/
for a human look), and the zoom band of task T3 (`move z 40..60`) is calibrated:

- consecutive depths are distinguishable: mean absolute pixel difference between `move z d` and
  `move z d+1` above ZOOM_STEP_MIN_DIFF (0..255 scale) for every d in 40..59;
- at `move z 60` at least MIN_ATOMS_AT_60 atoms are fully inside the frame (projected sphere
  within the image, in front of the near plane) and visible at their own center.
"""

from __future__ import annotations

import numpy as np
import pytest

from misi_bench.renderers import VIEWS, Scene, render, render_png
from misi_bench.renderers.camera import pixel_size
from helpers.renderer_support import OUTPUT_DIR, sample_complexes

ZOOM_STEP_MIN_DIFF = 5.0
MIN_ATOMS_AT_60 = 5

COMPLEXES = sample_complexes()
IDS = [c.pdb_id for c in COMPLEXES]


@pytest.mark.parametrize("cx", COMPLEXES, ids=IDS)
def test_six_views_render_and_are_saved(cx):
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    images = {}
    for view in VIEWS:
        result = render(cx, Scene(view=view))
        image = result.image
        (OUTPUT_DIR / f"{cx.pdb_id}_{view}.png").write_bytes(render_png(cx, Scene(view=view)))
        lit = image.max(axis=-1) > 20
        assert 0.05 < lit.mean() < 0.8, f"{cx.pdb_id} {view}: {lit.mean():.2f} of the image is lit"
        rows, cols = np.flatnonzero(lit.any(axis=1)), np.flatnonzero(lit.any(axis=0))
        # fitted: the molecule spans most of the frame and is roughly centered
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) > 0.6 * 512
        assert abs((rows[0] + rows[-1]) / 2 - 256) < 60 and abs((cols[0] + cols[-1]) / 2 - 256) < 60
        images[view] = image
    # opposite views are different pictures; front and back are not mirror images of each other
    assert (images["front"] != images["back"]).mean() > 0.05
    assert (images["left"] != images["right"]).mean() > 0.05


@pytest.mark.parametrize("cx", COMPLEXES, ids=IDS)
def test_zoom_band_40_to_60_is_calibrated(cx):
    renders = {d: render(cx, Scene(ops=f"move z {d}")) for d in range(40, 61)}
    for d in range(40, 60):
        diff = np.abs(renders[d].image.astype(np.int16) - renders[d + 1].image.astype(np.int16)).mean()
        assert diff > ZOOM_STEP_MIN_DIFF, f"{cx.pdb_id}: move z {d} vs {d + 1} differ by only {diff:.2f}"
    last = renders[60]
    (OUTPUT_DIR / f"{cx.pdb_id}_front_z60.png").write_bytes(render_png(cx, Scene(ops="move z 60")))
    points = last.camera.to_camera(last.shown.coords)
    depth = -points[:, 2]
    uv = last.camera.project(points)
    rho = last.shown.radii / pixel_size(np.maximum(depth, 1e-9), 512)
    size = 512
    inside = (depth - last.shown.radii > last.near) & (uv[:, 0] - rho >= 0) & (uv[:, 0] + rho <= size) \
        & (uv[:, 1] - rho >= 0) & (uv[:, 1] + rho <= size)
    owner = last.frame.owner
    s = last.supersample
    visible = [k for k in np.flatnonzero(inside) if owner[int(uv[k, 1] * s), int(uv[k, 0] * s)] == k]
    assert len(visible) >= MIN_ATOMS_AT_60, f"{cx.pdb_id}: only {len(visible)} atoms fully in frame at move z 60"
    # and the eye is still in front of the fitted box center (the picture is not inside-out)
    assert last.camera.distance > 60
