"""Vectorised ray-cast rasterizer for stick models: spheres + half-bond cylinders, z-buffered.

Every primitive is tiny on screen (a 0.2 Å stick is ~5 px wide on the 1024 px supersampled grid),
so instead of a per-pixel loop all primitives are expanded at once (numpy) into candidate
fragments: primitive → rows of its screen box → the exact x-span of the projected capsule on
each row (no wasted box corners). Each fragment's eye ray is intersected analytically with its
sphere or finite cylinder (exact perspective, float32), and the nearest hit per pixel wins
through ``np.minimum.at`` on an int64 key (quantised depth << 24 | primitive id), which is exact
and independent of evaluation order. Only the winners are shaded (two camera-fixed directional
lights + ambient + specular, then depth cue; scene-conventions §6). Hot loops avoid ``np.where``
and boolean indexing with random masks (branchy, ~10× slower than arithmetic masks + ``take``).

Antialiasing: the frame is rendered on an ``S``× finer grid and box-filtered down
(``style.SUPERSAMPLE`` = 2; ChimeraX itself saves images with 3×3 supersampling).

Primitives in front of the near plane (or behind the eye) are dropped whole rather than
clipped; that only happens when ``move z`` puts the eye inside the molecule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import style
from .camera import TAN_HALF_FOV

_ID_BITS = 24
_ID_MASK = (1 << _ID_BITS) - 1
_DEPTH_LEVELS = float(1 << 38)
_EMPTY = np.iinfo(np.int64).max


@dataclass
class Frame:
    """A rendered frame on the (supersampled) grid, stored sparsely: one entry per covered pixel.

    ``pixels`` flat pixel indices (row-major), ``atoms`` the displayed-atom index whose sphere or
    half-bond is visible there, ``depths`` (Å), ``colors`` (n, 3) float32 0..1 after lighting and
    depth cue. Background pixels are black.
    """

    width: int
    height: int
    pixels: np.ndarray
    atoms: np.ndarray
    depths: np.ndarray
    colors: np.ndarray

    @property
    def owner(self) -> np.ndarray:
        """(H, W) int32 atom index per pixel, -1 for background."""
        out = np.full(self.width * self.height, -1, dtype=np.int32)
        out[self.pixels] = self.atoms
        return out.reshape(self.height, self.width)

    @property
    def depth(self) -> np.ndarray:
        out = np.full(self.width * self.height, np.inf, dtype=np.float32)
        out[self.pixels] = self.depths
        return out.reshape(self.height, self.width)

    @property
    def rgb(self) -> np.ndarray:
        out = np.zeros((self.width * self.height, 3), dtype=np.float32)
        out[self.pixels] = self.colors
        return out.reshape(self.height, self.width, 3)

    def downsampled(self, factor: int) -> np.ndarray:
        """Box-filtered (H/f, W/f, 3) float32 image: each output pixel averages f×f samples."""
        w, h = self.width // factor, self.height // factor
        target = (self.pixels // self.width // factor) * w + (self.pixels % self.width) // factor
        out = np.empty((h * w, 3), dtype=np.float32)
        for channel in range(3):
            out[:, channel] = np.bincount(target, weights=self.colors[:, channel], minlength=h * w)
        out *= np.float32(1.0 / (factor * factor))
        return out.reshape(h, w, 3)


_BIG = 1e30  # "empty interval" sentinel; arithmetic masks instead of np.where (random masks are slow)


def _capsule_fragments(ua, va, ub, vb, rho, width: int, height: int, band: bool = True):
    """Pixels whose centers lie in the 2-D capsules (segment (ua, va)-(ub, vb) dilated by ``rho``).

    Returns (fragment count per capsule, column, row), fragments grouped by capsule in order.
    Two-level expansion with ``np.repeat``: capsule → rows of its box → exact x-span of each row
    (union of the two end discs and, if ``band``, the band along the segment), so no candidate is
    wasted on the empty corners of a diagonal stick's bounding box. ``band=False`` gives discs.
    """
    n = len(ua)
    y0 = np.clip(np.floor(np.minimum(va, vb) - rho - 0.5), 0, height).astype(np.int64)
    y1 = np.clip(np.ceil(np.maximum(va, vb) + rho - 0.5), -1, height - 1).astype(np.int64)
    ny = np.maximum(y1 - y0 + 1, 0)
    ny[(np.maximum(ua, ub) + rho < 0) | (np.minimum(ua, ub) - rho > width)] = 0
    row_prim = np.repeat(np.arange(n), ny)
    row_y = np.repeat(y0 - (np.cumsum(ny) - ny), ny) + np.arange(len(row_prim))
    yc = row_y + 0.5
    au, av, r = ua.take(row_prim), va.take(row_prim), rho.take(row_prim)
    r2 = r * r
    h = r2 - (yc - av) ** 2  # end disc at a
    w = np.sqrt(np.maximum(h, 0.0))
    miss = _BIG * (h < 0)
    lo, hi = au - w + miss, au + w - miss
    if band:
        bu, bv = ub.take(row_prim), vb.take(row_prim)
        h = r2 - (yc - bv) ** 2  # end disc at b
        w = np.sqrt(np.maximum(h, 0.0))
        miss = _BIG * (h < 0)
        lo, hi = np.minimum(lo, bu - w + miss), np.maximum(hi, bu + w - miss)
        # band: |(p − a)·n| ≤ r and 0 ≤ (p − a)·t ≤ L for p = (x, yc): two x-intervals
        du, dv = bu - au, bv - av
        length = np.sqrt(du * du + dv * dv)
        inv = 1.0 / np.maximum(length, 1e-12)
        tu, tv = du * inv, dv * inv
        nu, nv = -tv, tu
        nu = nu + np.copysign(1e-12, nu)  # never exactly 0 (a horizontal / vertical stick)
        tu = tu + np.copysign(1e-12, tu)
        off_n, off_t = (yc - av) * nv, (yc - av) * tv
        n_a, n_b = (-r - off_n) / nu, (r - off_n) / nu
        t_a, t_b = -off_t / tu, (length - off_t) / tu
        band_lo = au + np.maximum(np.minimum(n_a, n_b), np.minimum(t_a, t_b))
        band_hi = au + np.minimum(np.maximum(n_a, n_b), np.maximum(t_a, t_b))
        miss = _BIG * (band_lo > band_hi)
        lo, hi = np.minimum(lo, band_lo + miss), np.maximum(hi, band_hi - miss)
    # pixel columns whose centers x + 0.5 fall in [lo, hi]
    x_first = np.ceil(np.clip(lo, -1.0, width + 1.0) - 0.5).astype(np.int64)
    x_last = np.floor(np.clip(hi, -2.0, width + 1.0) - 0.5).astype(np.int64)
    x_first = np.maximum(x_first, 0)
    x_last = np.minimum(x_last, width - 1)
    row_nx = np.maximum(x_last - x_first + 1, 0)
    n_frags = int(row_nx.sum())
    frag_first = np.cumsum(row_nx) - row_nx
    px = np.repeat(x_first - frag_first, row_nx) + np.arange(n_frags)
    py = np.repeat(row_y, row_nx)
    counts = np.bincount(row_prim, weights=row_nx, minlength=n).astype(np.int64)
    return counts, px.astype(np.intp), py.astype(np.intp)


def _ray_tables(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Eye-ray directions through pixel centers: d = (dx[col], dy[row], −1); depth λ ↦ point λ·d."""
    f = (width / 2) / TAN_HALF_FOV
    dx = (np.arange(width) + 0.5 - width / 2) / f
    dy = -(np.arange(height) + 0.5 - height / 2) / f
    return dx.astype(np.float32), dy.astype(np.float32)


class _Spheres:
    """Per-sphere constants for the ray test: center c and |c|² − r² (float32 columns)."""

    def __init__(self, centers: np.ndarray, radii: np.ndarray):
        self.c, self.r = centers, radii
        self.table = [np.ascontiguousarray(a, dtype=np.float32) for a in
                      (centers[:, 0], centers[:, 1], centers[:, 2], (centers * centers).sum(axis=1) - radii * radii)]

    def hits(self, dx, dy, spread):
        """(λ, hit, None): depth of the near hit of rays (dx, dy, −1) and whether there is one.
        ``spread`` maps a per-primitive column to a per-ray column."""
        cx, cy, cz, cc = (spread(a) for a in self.table)
        a = dx * dx + dy * dy + 1.0
        b = dx * cx + dy * cy - cz
        disc = b * b - a * cc
        hit = disc >= 0
        return (b - np.sqrt(np.maximum(disc, 0))) / a, hit, None


class _Cylinders:
    """Per-cylinder constants: start a0, unit axis, length and the ray-independent terms."""

    def __init__(self, a0: np.ndarray, axis: np.ndarray, length: np.ndarray, radius: float):
        self.axis = axis
        wa = -(a0 * axis).sum(axis=1)  # (eye − a0)·axis
        qc = (a0 * a0).sum(axis=1) - wa * wa - radius * radius
        self.table = [np.ascontiguousarray(a, dtype=np.float32) for a in
                      (axis[:, 0], axis[:, 1], axis[:, 2], a0[:, 0], a0[:, 1], a0[:, 2], wa, qc, length)]

    def hits(self, dx, dy, spread):
        """(λ, hit, s): depth of the near hit of rays (dx, dy, −1) with the finite cylinder,
        whether there is one, and the axial position s of the hit."""
        ax, ay, az, x0, y0, z0, wa, qc, length = (spread(a) for a in self.table)
        da = dx * ax + dy * ay - az
        qa = dx * dx + dy * dy + 1.0 - da * da
        qb = -(dx * x0 + dy * y0 - z0) - da * wa  # d⊥·w⊥
        disc = qb * qb - qa * qc
        lam = (-qb - np.sqrt(np.maximum(disc, 0))) / np.maximum(qa, 1e-12)
        s = lam * da + wa
        hit = (disc >= 0) & (s >= 0) & (s <= length)
        return lam, hit, s


_KEY = style.KEY_LIGHT.astype(np.float32)
_FILL = style.FILL_LIGHT.astype(np.float32)


def _shade(base: np.ndarray, nrm: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """scene-conventions §6 fragment formula. ``nrm`` (3, n) surface normals (any length),
    ``(dx, dy, -1)`` the eye rays, ``base`` (n, 3) colors; returns (n, 3) float32."""
    nx, ny, nz = nrm * (1.0 / np.sqrt((nrm * nrm).sum(axis=0)))
    inv = 1.0 / np.sqrt(dx * dx + dy * dy + 1.0)
    ex, ey, ez = dx * inv, dy * inv, -inv  # unit vector from the eye to the point
    n_e = nx * ex + ny * ey + nz * ez
    sign = np.float32(1) - np.float32(2) * (n_e > 0)  # two-sided lighting: face the eye
    n_e = n_e * sign
    n_key = (nx * _KEY[0] + ny * _KEY[1] + nz * _KEY[2]) * sign
    n_fill = (nx * _FILL[0] + ny * _FILL[1] + nz * _FILL[2]) * sign
    diffuse = (np.float32(style.AMBIENT) + np.float32(style.KEY_DIFFUSE) * np.maximum(0, -n_key)
               + np.float32(style.FILL_DIFFUSE) * np.maximum(0, -n_fill))
    # R = reflect(L_key, N) = L − 2 (N·L) N;  −R·e = −L·e + 2 (N·L)(N·e)
    r_e = np.maximum(0, -(ex * _KEY[0] + ey * _KEY[1] + ez * _KEY[2]) + 2 * n_key * n_e)
    p2 = r_e * r_e
    p4 = p2 * p2
    p8 = p4 * p4
    spec = np.float32(style.SPECULAR) * (p8 * p8 * p8 * p4 * p2)  # x^30 (style.SHININESS)
    return np.minimum(base * diffuse[:, None] + spec[:, None], np.float32(1.0))


def rasterize(points: np.ndarray, radii: np.ndarray, colors: np.ndarray, bonds: np.ndarray,
              width: int, height: int, near: float, far: float) -> Frame:
    """Draw atoms (camera-frame ``points``, ``radii``, ``colors`` (n,3) in 0..1) and half-bond
    sticks (``bonds`` (m,2), radius ``style.STICK_RADIUS``) on a ``width`` × ``height`` grid.

    ``near``/``far`` are the clip / depth-cue distances (scene-conventions §1, §6).
    """
    assert style.SHININESS == 30, "_shade hard-codes the exponent 30"
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    radii = np.asarray(radii, dtype=np.float64)
    f = (width / 2) / TAN_HALF_FOV
    depth = -points[:, 2]
    r_stick = style.STICK_RADIUS

    # --- primitives: spheres (one per atom), then half-bond cylinders (atom → bond midpoint) ----
    s_keep = np.flatnonzero(depth - radii > near)
    spheres = _Spheres(points[s_keep], radii[s_keep])
    bonds = np.asarray(bonds, dtype=np.int64).reshape(-1, 2)
    half_from = np.concatenate([bonds[:, 0], bonds[:, 1]])
    half_to = np.concatenate([bonds[:, 1], bonds[:, 0]])
    keep = (depth[half_from] - r_stick > near) & (depth[half_to] - r_stick > near)
    keep &= np.linalg.norm(points[half_to] - points[half_from], axis=1) > 1e-6
    half_from, half_to = half_from[keep], half_to[keep]
    c_a = points[half_from]
    c_b = (points[half_from] + points[half_to]) / 2
    c_len = np.linalg.norm(c_b - c_a, axis=1)
    cylinders = _Cylinders(c_a, (c_b - c_a) / c_len[:, None], c_len, r_stick)
    n_s = len(s_keep)
    owner_of_prim = np.concatenate([s_keep, half_from]).astype(np.int32)

    # --- candidate fragments, nearest hit per pixel ---------------------------------------------
    def disc(centers, r):
        """Projected center and a radius bounding the projected sphere. A sphere seen at angle θ
        off the view axis subtends a cone of half-angle α = asin(r / distance); its image reaches
        at most f·(tan(θ + α) − tan θ) from the projected center (the radial far side)."""
        dep = -centers[:, 2]
        off = np.sqrt(centers[:, 0] ** 2 + centers[:, 1] ** 2)
        theta = np.arctan2(off, dep)
        alpha = np.arcsin(np.minimum(r / np.sqrt(off ** 2 + dep ** 2), 1.0))
        reach = np.tan(np.minimum(theta + alpha, np.radians(89.0))) - off / dep
        return (width / 2 + centers[:, 0] * f / dep, height / 2 - centers[:, 1] * f / dep,
                1.01 * f * reach + 0.25)  # margin: float32 ray tests graze a hair wider

    su, sv, srho = disc(spheres.c, spheres.r)
    s_frags = _capsule_fragments(su, sv, su, sv, srho, width, height, band=False)
    au, av, arho = disc(c_a, np.full(len(c_a), r_stick))
    bu, bv, brho = disc(c_b, np.full(len(c_b), r_stick))
    c_frags = _capsule_fragments(au, av, bu, bv, np.maximum(arho, brho), width, height)

    ray_dx, ray_dy = _ray_tables(width, height)
    lo, hi = near, max(far, near + 1e-3) + 2 * float(radii.max(initial=r_stick))
    scale = _DEPTH_LEVELS / (hi - lo)
    zbuf = np.full(width * height, _EMPTY, dtype=np.int64)

    for first_id, prims, (counts, px, py) in ((0, spheres, s_frags), (n_s, cylinders, c_frags)):
        if len(px) == 0:
            continue
        lam, hit, _ = prims.hits(ray_dx.take(px), ray_dy.take(py), lambda a, counts=counts: np.repeat(a, counts))
        good = np.flatnonzero(hit & (lam >= lo))
        ids = np.repeat(np.arange(first_id, first_id + len(counts), dtype=np.int64), counts).take(good)
        dq = np.minimum((lam.take(good) - lo) * scale, _DEPTH_LEVELS - 1).astype(np.int64)
        np.minimum.at(zbuf, py.take(good) * width + px.take(good), (dq << _ID_BITS) | ids)

    # --- shade the winners (same float32 tables, so the hit test agrees with the z-test) -------
    won = np.flatnonzero(zbuf != _EMPTY)
    prim = (zbuf.take(won) & _ID_MASK).astype(np.intp)
    dx, dy = ray_dx.take(won % width), ray_dy.take(won // width)
    lam = np.empty(len(won), dtype=np.float32)
    nrm = np.empty((3, len(won)), dtype=np.float32)
    is_s = prim < n_s
    for where, prims, offset in ((np.flatnonzero(is_s), spheres, 0), (np.flatnonzero(~is_s), cylinders, n_s)):
        ids = prim.take(where) - offset
        rx, ry = dx.take(where), dy.take(where)
        lam_m, _, s_ax = prims.hits(rx, ry, lambda a, ids=ids: a.take(ids))
        lam[where] = lam_m
        t = prims.table
        if s_ax is None:  # sphere: N ∝ hit − center
            nrm[0, where] = rx * lam_m - t[0].take(ids)
            nrm[1, where] = ry * lam_m - t[1].take(ids)
            nrm[2, where] = -lam_m - t[2].take(ids)
        else:  # cylinder: N ∝ hit − (a0 + s·axis)
            nrm[0, where] = rx * lam_m - t[3].take(ids) - s_ax * t[0].take(ids)
            nrm[1, where] = ry * lam_m - t[4].take(ids) - s_ax * t[1].take(ids)
            nrm[2, where] = -lam_m - t[5].take(ids) - s_ax * t[2].take(ids)
    atom = owner_of_prim.take(prim)
    shaded = _shade(colors.astype(np.float32).take(atom, axis=0), nrm, dx, dy)
    # depth cue: undimmed in front of the middle of near..far, linear to black at far
    start = near + style.DEPTH_CUE_START * (far - near)
    end = near + style.DEPTH_CUE_END * (far - near)
    cue = np.clip((np.float32(end) - lam) * np.float32(1.0 / max(end - start, 1e-9)), 0.0, 1.0)
    return Frame(width, height, won, atom, lam, shaded * cue[:, None])
