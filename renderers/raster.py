"""Vectorised ray-cast rasterizer for stick models: spheres + half-bond cylinders, z-buffered.

Every primitive is tiny on screen (a 0.2 Å stick is ~5 px wide on the 1024 px supersampled grid),
so instead of a per-pixel loop all primitives are expanded at once (numpy) into candidate
fragments: primitive → rows of its screen box → the exact x-span of the projected capsule on
each row (no wasted box corners). Each fragment's eye ray is intersected analytically with its
sphere or finite cylinder (exact perspective, float32), and the nearest hit per pixel wins
through ``np.minimum.at`` on an int64 key (quantised depth << 24 | primitive id), which is exact
and independent of evaluation order. Only the winners are shaded (two camera-fixed directional
lights + ambient + specular, then depth cue; docs/conventions.md, Style).

Speed: a render is ~10⁵–10⁶ fragments, and with numpy the cost is the passes over arrays and
above all the data movement (gathers, spreads, cache misses), so:

- fragments are ray-tested in batches of ~64 K (``_CHUNK``), small enough for the CPU cache;
- a fragment's primitive constants are spread from per-primitive tables with ``np.repeat`` over
  per-primitive runs, and terms that only depend on the pixel row (dy · constant) are computed
  once per row. The float32 operations and their order are exactly those of the per-fragment
  formula, so none of this changes a bit;
- the winners' hits are recomputed from the primitive tables for shading (same operations, so
  the same depth) rather than carried through the z-test in large per-fragment arrays;
- hot loops avoid ``np.where`` and boolean indexing with random masks (branchy, ~10× slower than
  arithmetic masks + gathers); see also ``_gather`` and ``_at_least``.

Antialiasing: the frame is rendered on an ``S``× finer grid and box-filtered down
(``style.SUPERSAMPLE`` = 2; ChimeraX itself saves images with 3×3 supersampling), except for
images wider than 512 px, which are rasterized at their own size (``style.supersample_for``).

Primitives in front of the near plane (or behind the eye) are dropped whole rather than
clipped; that only happens when ``move z`` puts the eye inside the molecule.

This numpy code is the reference; with numba installed the per-row, per-fragment and per-pixel
loops run as compiled kernels with the same float operations in the same order (``kernels.py``,
chosen by ``backend.py``), about twice as fast, bit for bit the same frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import backend, style
from .camera import focal_length, project

_ID_BITS = 24
_ID_MASK = (1 << _ID_BITS) - 1
_DEPTH_LEVELS = float(1 << 38)
_EMPTY = np.iinfo(np.int64).max


@dataclass
class Frame:
    """A rendered frame on the (supersampled) grid, stored sparsely: one entry per covered pixel.

    ``pixels`` flat pixel indices (row-major, ascending), ``keys`` their winning z-keys (the
    primitive in the low bits), ``prim_atoms`` the displayed-atom index of each primitive,
    ``depths`` (Å), ``colors`` (n, 3) float32 0..1 after lighting and depth cue. Background
    pixels are black.
    """

    width: int
    height: int
    pixels: np.ndarray
    keys: np.ndarray
    prim_atoms: np.ndarray
    depths: np.ndarray
    colors: np.ndarray

    @cached_property
    def atoms(self) -> np.ndarray:
        """Per covered pixel, the displayed-atom index whose sphere or half-bond is visible there
        (for tests and calibration: the image itself does not need it)."""
        return _gather(self.prim_atoms, self.keys & _ID_MASK)

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

    def box_sums(self, factor: int) -> np.ndarray:
        """(H/f, W/f, 3) float32: per output pixel, the sum of its f×f samples (a box filter
        before the division by f², which ``final_pixels`` folds into quantisation).

        ``np.bincount`` adds each output pixel's samples in float64 in the order of ``pixels``
        (ascending), which is what makes the result reproducible to the bit; each sum is rounded
        to float32 once. It reads one color channel at a time, which is why ``rasterize`` stores
        ``colors`` channel-major."""
        w, h = self.width // factor, self.height // factor
        # output index (row // f)·w + col // f = pixel // f − (row − row // f)·w (W = f·w)
        per_row = np.diff(np.searchsorted(self.pixels, np.arange(self.height + 1) * self.width))
        rows = np.arange(self.height)
        target = self.pixels // factor - np.repeat((rows - rows // factor) * w, per_row)
        out = np.empty((h * w, 3), dtype=np.float32)
        for channel in range(3):
            out[:, channel] = np.bincount(target, weights=self.colors[:, channel], minlength=h * w)
        return out.reshape(h, w, 3)


def _rows_cols(pixels: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of ascending flat pixel indices, without an integer division per pixel."""
    per_row = np.diff(np.searchsorted(pixels, np.arange(height + 1) * width))
    rows = np.repeat(np.arange(height), per_row)
    return rows, pixels - rows * width


_BIG = 1e30  # "empty interval" sentinel; arithmetic masks instead of np.where (random masks are slow)


@dataclass
class _Rows:
    """Candidate fragments of one kind of primitive, run-length coded: one run of consecutive
    columns ``x_first`` .. ``x_first + nx − 1`` on pixel row ``y`` per (primitive ``prim``, row),
    grouped by primitive; ``new_prim`` marks the first row of each primitive."""

    prim: np.ndarray
    y: np.ndarray
    x_first: np.ndarray
    nx: np.ndarray
    new_prim: np.ndarray

    def chunks(self, max_frags: int) -> Iterator[slice]:
        """Runs of whole rows holding at least one and fewer than ``max_frags`` + (longest row)
        fragments each."""
        ends = np.cumsum(self.nx)
        total = int(ends[-1]) if len(ends) else 0
        if total == 0:
            return
        cuts = np.searchsorted(ends, np.arange(max_frags, total, max_frags), side="right")
        bounds = [0, *np.unique(cuts).tolist(), len(ends)]
        for first, last in zip(bounds[:-1], bounds[1:]):
            if ends[last - 1] > (ends[first - 1] if first else 0):
                yield slice(first, last)


def _gather(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` for an in-range ``index``. ``take(mode="wrap")`` gives the same result
    ~1.5× faster than the default ``take`` (no bounds-error path); the hot loops gather a lot."""
    return values.take(index, mode="wrap")


def _at_least(x: np.ndarray, low: float) -> np.ndarray:
    """``np.maximum(x, low)``. The bound is spread to an array of ``x``'s dtype first: numpy's
    maximum/minimum loop for a scalar operand is not vectorised and ~4× slower."""
    return np.maximum(x, np.full_like(x, low))


def _at_most(x: np.ndarray, high: float) -> np.ndarray:
    """``np.minimum(x, high)``, vectorised like ``_at_least``."""
    return np.minimum(x, np.full_like(x, high))


class _FragmentRays:
    """The eye rays d = (dx, dy, −1) of a run of ``_Rows`` (one ray per fragment, aimed at the
    fragment's primitive), with ``a`` = |d|². Terms that depend on the row only (dy · column) are
    computed once per row: the same float32 products, so the same bits as per fragment.
    Per-primitive columns are spread per primitive (long runs: ``np.repeat`` is ~3× cheaper per
    element than over the short runs of rows)."""

    def __init__(self, rows: _Rows, run: slice, width: int, ray_dx: np.ndarray, ray_dy: np.ndarray,
                 counter: np.ndarray):
        """``counter``: 0, 1, 2, ... at least as long as the run's fragment count."""
        self.row_prims, self.nx = rows.prim[run], rows.nx[run]
        y, x_first = rows.y[run], rows.x_first[run]
        frag_first = np.cumsum(self.nx) - self.nx
        px = np.repeat(x_first - frag_first, self.nx) + counter[:int(frag_first[-1] + self.nx[-1])]
        self.pixels = np.repeat(y * width, self.nx) + px
        new_prim = rows.new_prim[run].copy()
        new_prim[0] = True  # the run may start inside a primitive's rows
        starts = np.flatnonzero(new_prim)
        self.prims, self.counts = _gather(self.row_prims, starts), np.add.reduceat(self.nx, starts)
        self.dx = _gather(ray_dx, px)
        self.dy = _gather(ray_dy, y)  # per row
        self.a = self.dx * self.dx
        self.a += np.repeat(self.dy * self.dy, self.nx)
        self.a += 1.0

    def prim(self, column: np.ndarray) -> np.ndarray:
        """Per-primitive ``column`` → one value per ray."""
        return np.repeat(_gather(column, self.prims), self.counts)

    def times_dy(self, column: np.ndarray) -> np.ndarray:
        """dy · ``column`` (per primitive) → one value per ray."""
        return np.repeat(self.dy * _gather(column, self.row_prims), self.nx)


class _PixelRays:
    """The eye rays d = (dx, dy, −1) through given pixels, each aimed at primitive ``prims``
    (indices into the primitive columns), with ``a`` = |d|²; same interface as ``_FragmentRays``.
    Each primitive column is gathered once (the hit and the normal share them)."""

    def __init__(self, prims: np.ndarray, dx: np.ndarray, dy: np.ndarray):
        self.prims, self.dx, self.dy = prims, dx, dy
        self.a = dx * dx + dy * dy + 1.0
        self._gathered: dict[int, np.ndarray] = {}

    def prim(self, column: np.ndarray) -> np.ndarray:
        """Per-primitive ``column`` → one value per ray."""
        if id(column) not in self._gathered:
            self._gathered[id(column)] = _gather(column, self.prims)
        return self._gathered[id(column)]

    def times_dy(self, column: np.ndarray) -> np.ndarray:
        """dy · ``column`` (per primitive) → one value per ray."""
        return self.dy * self.prim(column)


def _capsule_rows(ua, va, ub, vb, rho, width: int, height: int, band: bool = True, compiled=None) -> _Rows:
    """Pixels whose centers lie in the 2-D capsules (segment (ua, va)-(ub, vb) dilated by ``rho``).

    Capsule → rows of its box → exact x-span of each row (union of the two end discs and, if
    ``band``, the band along the segment), so no candidate is wasted on the empty corners of a
    diagonal stick's bounding box. ``band=False`` gives discs. ``compiled``: the kernels module
    that does the per-row part.
    """
    if compiled:
        axes = _band_axes(ub - ua, vb - va) if band else (ua,) * 5
        return _Rows(*compiled.capsule_rows(ua, va, ub, vb, rho, *axes, width, height, band))
    n = len(ua)
    y0 = np.clip(np.floor(np.minimum(va, vb) - rho - 0.5), 0, height).astype(np.int64)
    y1 = np.clip(np.ceil(np.maximum(va, vb) + rho - 0.5), -1, height - 1).astype(np.int64)
    ny = np.maximum(y1 - y0 + 1, 0)
    ny[(np.maximum(ua, ub) + rho < 0) | (np.minimum(ua, ub) - rho > width)] = 0
    first_row = np.cumsum(ny) - ny
    row_prim = np.repeat(np.arange(n), ny)
    row_y = np.repeat(y0 - first_row, ny) + np.arange(len(row_prim))
    new_prim = np.zeros(len(row_prim), dtype=bool)
    new_prim[first_row[ny > 0]] = True
    yc = row_y + 0.5
    au, av, r = _gather(ua, row_prim), _gather(va, row_prim), _gather(rho, row_prim)
    r2 = r * r
    lo, hi = _disc_span(au, yc - av, r2)
    if band:
        bu, bv = _gather(ub, row_prim), _gather(vb, row_prim)
        lo_b, hi_b = _disc_span(bu, yc - bv, r2)
        lo, hi = np.minimum(lo, lo_b), np.maximum(hi, hi_b)
        axes = (_gather(column, row_prim) for column in _band_axes(ub - ua, vb - va))
        lo_b, hi_b = _band_span(au, yc - av, r, *axes)
        lo, hi = np.minimum(lo, lo_b), np.maximum(hi, hi_b)
    # pixel columns whose centers x + 0.5 fall in [lo, hi]
    x_first = np.ceil(np.clip(lo, -1.0, width + 1.0) - 0.5).astype(np.int64)
    x_last = np.floor(np.clip(hi, -2.0, width + 1.0) - 0.5).astype(np.int64)
    x_first = np.maximum(x_first, 0)
    x_last = np.minimum(x_last, width - 1)
    return _Rows(row_prim, row_y, x_first, np.maximum(x_last - x_first + 1, 0), new_prim)


def _disc_span(cu, dv, r2):
    """(lo, hi) x-interval of a disc of squared radius ``r2`` centered at ``cu`` on a row ``dv``
    below its center; an empty row gives lo = +big, hi = −big."""
    h = r2 - dv ** 2
    w = np.sqrt(_at_least(h, 0.0))
    miss = _BIG * (h < 0)
    return cu - w + miss, cu + w - miss


def _band_axes(du, dv):
    """Per segment (du, dv): length L, unit tangent (tu, tv) and normal (nu, nv) = (−tv, tu), with
    nu and tu nudged off 0 (a horizontal / vertical stick) because ``_band_span`` divides by them."""
    length = np.sqrt(du * du + dv * dv)
    inv = 1.0 / np.maximum(length, 1e-12)
    tu, tv = du * inv, dv * inv
    nu, nv = -tv, tu
    return length, tu + np.copysign(1e-12, tu), tv, nu + np.copysign(1e-12, nu), nv


def _band_span(au, dv, r, length, tu, tv, nu, nv):
    """(lo, hi) x-interval of the band |(p − a)·n| ≤ r, 0 ≤ (p − a)·t ≤ L on a row ``dv`` below
    ``a`` (see ``_band_axes``): the intersection of two x-intervals."""
    off_n, off_t = dv * nv, dv * tv
    n_a, n_b = (-r - off_n) / nu, (r - off_n) / nu
    t_a, t_b = -off_t / tu, (length - off_t) / tu
    lo = au + np.maximum(np.minimum(n_a, n_b), np.minimum(t_a, t_b))
    hi = au + np.minimum(np.maximum(n_a, n_b), np.maximum(t_a, t_b))
    miss = _BIG * (lo > hi)
    return lo + miss, hi - miss


def _ray_tables(width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Eye-ray directions through pixel centers: d = (dx[col], dy[row], −1); depth λ ↦ point λ·d."""
    f = focal_length(width)
    dx = (np.arange(width) + 0.5 - width / 2) / f
    dy = -(np.arange(height) + 0.5 - height / 2) / f
    return dx.astype(np.float32), dy.astype(np.float32)


class _Primitives:
    """One kind of primitive: its per-primitive constants as one float32 (columns, n) array
    ``stacked`` (what the compiled kernels take) and its rows ``table`` (what the numpy path
    takes)."""

    def __init__(self, columns):
        self.stacked = np.array(columns, dtype=np.float32)
        self.table = list(self.stacked)


class _Spheres(_Primitives):
    """Per-sphere constants for the ray test: center c and |c|² − r² (float32 columns)."""

    kernel = "sphere_ztest"  # its z-test in the compiled kernels

    def __init__(self, centers: np.ndarray, radii: np.ndarray):
        self.c, self.r = centers, radii
        super().__init__([centers[:, 0], centers[:, 1], centers[:, 2], (centers * centers).sum(axis=1) - radii * radii])

    def hits(self, rays) -> tuple[np.ndarray, np.ndarray]:
        """(λ, hit): depth of the near hit of ``rays`` and whether there is one."""
        lam, disc = self._intersect(rays)
        return lam, disc >= 0

    def surface(self, rays) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(λ, N) of rays known to hit: depth and unnormalised surface normal N = hit − c."""
        lam, _ = self._intersect(rays)
        cx, cy, cz = self.table[:3]
        return lam, (rays.dx * lam - rays.prim(cx), rays.dy * lam - rays.prim(cy), -lam - rays.prim(cz))

    def _intersect(self, rays) -> tuple[np.ndarray, np.ndarray]:
        """(λ, discriminant): λ = (b − √(b² − a·cc)) / a with b = d·c; a hit iff disc ≥ 0."""
        cx, cy, cz, cc = self.table
        b = rays.dx * rays.prim(cx)
        b += rays.times_dy(cy)
        b -= rays.prim(cz)
        disc = b * b - rays.a * rays.prim(cc)
        return (b - np.sqrt(_at_least(disc, 0))) / rays.a, disc


class _Cylinders(_Primitives):
    """Per-cylinder constants: start a0, unit axis, length and the ray-independent terms."""

    kernel = "cylinder_ztest"

    def __init__(self, a0: np.ndarray, axis: np.ndarray, length: np.ndarray, radius: float):
        wa = -(a0 * axis).sum(axis=1)  # (eye − a0)·axis
        qc = (a0 * a0).sum(axis=1) - wa * wa - radius * radius
        super().__init__([axis[:, 0], axis[:, 1], axis[:, 2], a0[:, 0], a0[:, 1], a0[:, 2], wa, qc, length])

    def hits(self, rays) -> tuple[np.ndarray, np.ndarray]:
        """(λ, hit): depth of the near hit of ``rays`` with the finite cylinder and whether there
        is one (on the infinite cylinder, within 0 ≤ s ≤ length along the axis)."""
        lam, s, disc = self._intersect(rays)
        return lam, (disc >= 0) & (s >= 0) & (s <= rays.prim(self.table[8]))

    def surface(self, rays) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(λ, N) of rays known to hit: depth and unnormalised surface normal N = hit − (a0 + s·axis)."""
        lam, s, _ = self._intersect(rays)
        ax, ay, az, x0, y0, z0 = self.table[:6]
        return lam, (rays.dx * lam - rays.prim(x0) - s * rays.prim(ax),
                     rays.dy * lam - rays.prim(y0) - s * rays.prim(ay),
                     -lam - rays.prim(z0) - s * rays.prim(az))

    def _intersect(self, rays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(λ, s, discriminant) of the near intersection with the infinite cylinder; s is the
        axial position of the hit."""
        ax, ay, az, x0, y0, z0, wa, qc, _ = self.table
        dx = rays.dx
        da = dx * rays.prim(ax)  # d·axis
        da += rays.times_dy(ay)
        da -= rays.prim(az)
        qa = rays.a - da * da
        qb = dx * rays.prim(x0)  # d⊥·w⊥ = −(d·a0) − (d·axis)·wa
        qb += rays.times_dy(y0)
        qb -= rays.prim(z0)
        np.negative(qb, out=qb)
        wa = rays.prim(wa)
        qb -= da * wa
        disc = qb * qb - qa * rays.prim(qc)
        lam = (-qb - np.sqrt(_at_least(disc, 0))) / _at_least(qa, 1e-12)
        return lam, lam * da + wa, disc


_KEY = style.KEY_LIGHT.astype(np.float32)
_FILL = style.FILL_LIGHT.astype(np.float32)


def _lighting(nx, ny, nz, dx, dy) -> tuple[np.ndarray, np.ndarray]:
    """docs/conventions.md, Style fragment formula, as (diffuse, specular) float32 factors:
    color = min(base · diffuse + specular, 1). ``(nx, ny, nz)`` surface normals (any length),
    ``(dx, dy, -1)`` the eye rays."""
    inv_n = 1.0 / np.sqrt(nx * nx + ny * ny + nz * nz)
    nx, ny, nz = nx * inv_n, ny * inv_n, nz * inv_n
    inv = 1.0 / np.sqrt(dx * dx + dy * dy + 1.0)
    ex, ey, ez = dx * inv, dy * inv, -inv  # unit vector from the eye to the point
    n_e = nx * ex + ny * ey + nz * ez
    sign = np.float32(1) - np.float32(2) * (n_e > 0)  # two-sided lighting: face the eye
    n_e = n_e * sign
    n_key = (nx * _KEY[0] + ny * _KEY[1] + nz * _KEY[2]) * sign
    n_fill = (nx * _FILL[0] + ny * _FILL[1] + nz * _FILL[2]) * sign
    diffuse = (np.float32(style.AMBIENT) + np.float32(style.KEY_DIFFUSE) * _at_least(-n_key, 0)
               + np.float32(style.FILL_DIFFUSE) * _at_least(-n_fill, 0))
    # R = reflect(L_key, N) = L − 2 (N·L) N;  −R·e = −L·e + 2 (N·L)(N·e)
    r_e = _at_least(-(ex * _KEY[0] + ey * _KEY[1] + ez * _KEY[2]) + 2 * n_key * n_e, 0)
    p2 = r_e * r_e
    p4 = p2 * p2
    p8 = p4 * p4
    spec = np.float32(style.SPECULAR) * (p8 * p8 * p8 * p4 * p2)  # x^30 (style.SHININESS)
    return diffuse, spec


_CHUNK = 1 << 16  # fragments per ray-test batch: its temporaries stay in the CPU cache


def _row_band(all_rows: list[_Rows], width: int) -> slice:
    """The flat pixel indices of the image rows from the first to the last with candidates."""
    ys = [rows.y for rows in all_rows if len(rows.y)]
    if not ys:
        return slice(0, 0)
    return slice(min(int(y.min()) for y in ys) * width, (max(int(y.max()) for y in ys) + 1) * width)


def _zbuffer(passes, rays: tuple[np.ndarray, np.ndarray], width: int, height: int, lo: float, scale: float,
             compiled) -> tuple[np.ndarray, np.ndarray]:
    """Ray-test the candidate fragments of each pass ``(first primitive id, primitives, _Rows)``
    batch by batch and keep the nearest hit per pixel (or with the ``compiled`` kernels module,
    see ``_compiled_zbuffer``). ``rays``: the ``_ray_tables``. Only hits at depth ≥ ``lo`` count;
    depths are quantised with ``scale``. Returns the covered pixels (ascending) and their winning
    keys."""
    if compiled:
        return _compiled_zbuffer(passes, rays, width, height, lo, scale, compiled)
    ray_dx, ray_dy = rays
    band = _row_band([rows for _, _, rows in passes], width)
    zbuf = np.empty(width * height, dtype=np.int64)
    zbuf[band] = _EMPTY  # only the rows that have candidates are ever read
    counter = np.arange(_CHUNK + width)
    for first_id, prims, rows in passes:
        for run in rows.chunks(_CHUNK):
            rays = _FragmentRays(rows, run, width, ray_dx, ray_dy, counter)
            lam, hit = prims.hits(rays)
            good = np.flatnonzero(hit & (lam >= lo))
            dq = _at_most((_gather(lam, good) - lo) * scale, _DEPTH_LEVELS - 1).astype(np.int64)
            ids = _gather(np.repeat(rays.prims + first_id, rays.counts), good)
            np.minimum.at(zbuf, _gather(rays.pixels, good), (dq << _ID_BITS) | ids)
    won = np.flatnonzero(zbuf[band] != _EMPTY) + band.start
    return won, _gather(zbuf, won)


def _compiled_zbuffer(passes, rays: tuple[np.ndarray, np.ndarray], width: int, height: int, lo: float,
                      scale: float, compiled) -> tuple[np.ndarray, np.ndarray]:
    """``_zbuffer`` with the compiled kernels, which only touch the span of columns each image
    row has candidates in (rather than every pixel of the rows from the first to the last)."""
    first, stop = np.full(height, width, dtype=np.int64), np.zeros(height, dtype=np.int64)
    for _, _, rows in passes:
        compiled.widen_spans(first, stop, rows.y, rows.x_first, rows.nx)
    zbuf = np.empty(width * height, dtype=np.int64)
    compiled.clear_spans(zbuf, first, stop, width)
    for first_id, prims, rows in passes:
        ztest = getattr(compiled, prims.kernel)
        ztest(prims.stacked, first_id, rows.prim, rows.y, rows.x_first, rows.nx, *rays, width,
              lo, scale, _DEPTH_LEVELS - 1, zbuf)
    return compiled.winners(zbuf, first, stop, width)


def _winner_surface(prims: np.ndarray, dx: np.ndarray, dy: np.ndarray, spheres: _Spheres,
                    cylinders: _Cylinders) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(λ, unnormalised normal) of the winning hits along the rays (dx, dy, −1) at primitives
    ``prims`` (spheres first, then cylinders).

    The hit is recomputed from the primitive tables with the very float32 operations of the
    z-test, so it has the same λ; that is cheaper than carrying λ through the z-test, which would
    mean scattered reads of large per-fragment arrays. Every pixel goes through the cylinder
    formula and the (few) sphere pixels are redone, rather than splitting the pixels by kind
    and merging the results back (both cost more than the wasted arithmetic)."""
    n_s = len(spheres.table[0])
    on_sphere = np.flatnonzero(prims < n_s)
    if len(on_sphere) == len(prims):
        return spheres.surface(_PixelRays(prims, dx, dy))
    # sphere pixels borrow cylinder 0 for now
    lam, normal = cylinders.surface(_PixelRays(_at_least(prims - n_s, 0), dx, dy))
    if len(on_sphere):
        on_lam, on_normal = spheres.surface(
            _PixelRays(_gather(prims, on_sphere), _gather(dx, on_sphere), _gather(dy, on_sphere)))
        lam[on_sphere] = on_lam
        for column, on_column in zip(normal, on_normal):
            column[on_sphere] = on_column
    return lam, normal


def _shade(pixels: np.ndarray, keys: np.ndarray, spheres: _Spheres, cylinders: _Cylinders,
           prim_colors: np.ndarray, rays: tuple[np.ndarray, np.ndarray], width: int, height: int,
           near: float, far: float, compiled) -> tuple[np.ndarray, np.ndarray]:
    """(depth λ, channel-major (3, n) rgb) of the winning hits of the covered ``pixels`` (z-keys
    ``keys``; ``prim_colors`` (3, n primitives) base colors; ``rays`` the ``_ray_tables``):
    lighting, then depth cue, in cache-sized batches (or with the ``compiled`` kernels module)."""
    ray_dx, ray_dy = rays
    # depth cue: undimmed in front of the middle of near..far, linear to black at far
    start = near + style.DEPTH_CUE_START * (far - near)
    end = near + style.DEPTH_CUE_END * (far - near)
    if compiled:
        return compiled.shade(pixels, keys, spheres.stacked, cylinders.stacked, prim_colors,
                              ray_dx, ray_dy, width, np.float32(end), np.float32(1.0 / max(end - start, 1e-9)))
    rows, cols = _rows_cols(pixels, width, height)
    prims = keys & _ID_MASK
    lam = np.empty(len(pixels), dtype=np.float32)
    rgb = np.empty((3, len(pixels)), dtype=np.float32)
    for first in range(0, len(pixels), _CHUNK):
        batch = slice(first, first + _CHUNK)
        batch_prims, dx, dy = prims[batch], _gather(ray_dx, cols[batch]), _gather(ray_dy, rows[batch])
        lam[batch], normal = _winner_surface(batch_prims, dx, dy, spheres, cylinders)
        diffuse, spec = _lighting(*normal, dx, dy)
        cue = (np.float32(end) - lam[batch]) * np.float32(1.0 / max(end - start, 1e-9))
        cue = _at_most(_at_least(cue, 0.0), 1.0)  # np.clip(cue, 0, 1)
        for channel in range(3):
            base = _gather(prim_colors[channel], batch_prims)
            np.multiply(_at_most(base * diffuse + spec, 1.0), cue, out=rgb[channel, batch])
    return lam, rgb


def rasterize(points: np.ndarray, radii: np.ndarray, colors: np.ndarray, bonds: np.ndarray,
              width: int, height: int, near: float, far: float) -> Frame:
    """Draw atoms (camera-frame ``points``, ``radii``, ``colors`` (n,3) in 0..1) and half-bond
    sticks (``bonds`` (m,2), radius ``style.STICK_RADIUS``) on a ``width`` × ``height`` grid.

    ``near``/``far`` are the clip / depth-cue distances (docs/conventions.md, Frames and camera / Style).
    """
    assert style.SHININESS == 30, "_lighting hard-codes the exponent 30"
    points = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    radii = np.asarray(radii, dtype=np.float64)
    f = focal_length(width)
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
        u, v = project(centers, width, height).T
        return u, v, 1.01 * f * reach + 0.25  # margin: float32 ray tests graze a hair wider

    compiled = backend.compiled_kernels()
    su, sv, srho = disc(spheres.c, spheres.r)
    s_rows = _capsule_rows(su, sv, su, sv, srho, width, height, band=False, compiled=compiled)
    au, av, arho = disc(c_a, np.full(len(c_a), r_stick))
    bu, bv, brho = disc(c_b, np.full(len(c_b), r_stick))
    c_rows = _capsule_rows(au, av, bu, bv, np.maximum(arho, brho), width, height, compiled=compiled)

    # float64 scalars: depths are quantised to 38 bits in float64 (a Python float would be
    # demoted to float32 against the float32 depths)
    lo = np.float64(near)
    hi = np.float64(max(far, near + 1e-3) + 2 * float(radii.max(initial=r_stick)))
    rays = _ray_tables(width, height)
    pixels, keys = _zbuffer(((0, spheres, s_rows), (n_s, cylinders, c_rows)), rays, width, height,
                            lo, _DEPTH_LEVELS / (hi - lo), compiled)

    # --- shade the winners ----------------------------------------------------------------------
    prim_colors = np.ascontiguousarray(np.asarray(colors, dtype=np.float32).take(owner_of_prim, axis=0).T)
    lam, rgb = _shade(pixels, keys, spheres, cylinders, prim_colors, rays, width, height, near, far, compiled)
    return Frame(width, height, pixels, keys, owner_of_prim, lam, rgb.T)  # (n, 3) view of channel-major rgb: see box_sums
