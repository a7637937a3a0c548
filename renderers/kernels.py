"""Optional compiled kernels (numba) for the rasterizer's hot loops, bit-identical to numpy's
(and one integer sum for comparing option images, ``absolute_difference_sum``).

``raster.py`` (numpy) is the reference. Each kernel here performs, for every fragment or pixel,
the very float32 operations of the numpy path in the same order, one rounding per operation:

- every operand is float32 (array elements, ``np.float32`` constants): numba, like Python,
  promotes ``int * float32`` or ``float32 + 1.0`` to float64, which would skip roundings; the
  one float64 step is the z-test's depth quantisation, float64 in numpy's path too;
- no ``fastmath``: LLVM then neither contracts a·b + c into a fused multiply-add nor
  reassociates sums, and its float32 ``sqrt`` and division are IEEE-exact like numpy's;
- ``error_model="numpy"``: a division by zero gives inf/nan like numpy instead of raising;
- ``_maximum`` / ``_minimum`` propagate NaN like ``np.maximum`` / ``np.minimum``;
- the z-test keeps the minimum of an integer key per pixel, so the order of the fragments does
  not matter, and the box filter adds each output pixel's samples in float64 in ascending pixel
  order, as ``np.bincount`` does.

So the pixels do not depend on which kernel runs, nor on the CPU (tests/renderers/
test_render_fingerprints.py compares both against the stored reference and across numpy's SIMD
levels). ``backend.compiled_kernels`` decides whether they run; this module needs numba.
"""

from __future__ import annotations

import numba
import numpy as np

from . import style
from .raster import _BIG, _EMPTY, _ID_BITS, _ID_MASK  # the numpy path's sentinels and z-key layout


def _njit(function):
    """Compiled on first call, cached on disk (see ``backend``); without any writable cache
    directory (read-only install, no home directory) numba refuses ``cache=True``, and each
    process compiles for itself (~5 s) instead."""
    options = {"error_model": "numpy", "nogil": True}
    try:
        return numba.njit(cache=True, **options)(function)
    except RuntimeError:  # "cannot cache function ...: no locator available"
        return numba.njit(**options)(function)


_F0, _F1, _F2, _HALF, _255 = (np.float32(v) for v in (0.0, 1.0, 2.0, 0.5, 255.0))
_TINY = np.float32(1e-12)
_KEY_X, _KEY_Y, _KEY_Z = (np.float32(v) for v in style.KEY_LIGHT)
_FILL_X, _FILL_Y, _FILL_Z = (np.float32(v) for v in style.FILL_LIGHT)
_AMBIENT, _KEY_DIFFUSE, _FILL_DIFFUSE, _SPECULAR = (
    np.float32(v) for v in (style.AMBIENT, style.KEY_DIFFUSE, style.FILL_DIFFUSE, style.SPECULAR))


@_njit
def _maximum(x, low):
    """``np.maximum(x, low)`` of scalars of one type (a NaN ``x`` stays NaN)."""
    return low if x < low else x


@_njit
def _minimum(x, high):
    """``np.minimum(x, high)`` of scalars of one type (a NaN ``x`` stays NaN)."""
    return high if x > high else x


@_njit
def _sphere_disc(dx, dy_cy, a, cx, cz, cc):
    """(b, discriminant) of the ray (dx, dy, −1) with the sphere (c, cc = |c|² − r²), given
    dy·cy (``_Spheres._intersect``); a hit iff discriminant ≥ 0."""
    b = dx * cx
    b = b + dy_cy
    b = b - cz
    return b, b * b - a * cc


@_njit
def _sphere_depth(b, disc, a):
    """λ of the near hit from ``_sphere_disc``."""
    return (b - np.sqrt(_maximum(disc, _F0))) / a


@_njit
def _cylinder_disc(dx, a, ax, dy_ay, az, x0, dy_y0, z0, wa, qc):
    """(qa, qb, discriminant, d·axis) of the ray with the cylinder (axis, a0, wa, qc), given
    dy·ay and dy·y0 (``_Cylinders._intersect``); the infinite cylinder is hit iff
    discriminant ≥ 0."""
    da = dx * ax
    da = da + dy_ay
    da = da - az
    qa = a - da * da
    qb = dx * x0
    qb = qb + dy_y0
    qb = qb - z0
    qb = -qb
    qb = qb - da * wa
    return qa, qb, qb * qb - qa * qc, da


@_njit
def _cylinder_depth(qa, qb, disc, da, wa):
    """(λ, s): depth of the near hit from ``_cylinder_disc`` and its axial position."""
    lam = (-qb - np.sqrt(_maximum(disc, _F0))) / _maximum(qa, _TINY)
    return lam, lam * da + wa


@_njit
def _key(lam, hit, lo, scale, cap, prim_id):
    """The z-key of ``raster._zbuffer`` (depth quantised in float64: ``lo``, ``scale``, ``cap``
    are float64; key = depth << 24 | id), or ``_EMPTY`` for a miss or a hit in front of ``lo``.
    Branch-free, so the loops calling it vectorise."""
    depth = np.float64(lam)
    hit = hit & (depth >= lo)
    key = (np.int64(_minimum((depth - lo) * scale if hit else 0.0, cap)) << _ID_BITS) | prim_id
    return key if hit else _EMPTY


@_njit
def _keep_nearest(zbuf, first, keys, n):
    """The z-test: ``zbuf[first + k] = min(zbuf[first + k], keys[k])`` for k < n, stored
    unconditionally: branch-free, so it vectorises and never mispredicts (~12 % faster z-test
    than a conditional store)."""
    for k in range(n):
        zbuf[first + k] = min(zbuf[first + k], keys[k])


@_njit
def _sphere_keys(keys, n, ray_dx, x_first, dy2, cx, dy_cy, cz, cc, lo, scale, cap, prim_id):
    """``keys[:n]``: the z-keys of one row's run of fragments on one sphere."""
    for k in range(n):
        dx = ray_dx[x_first + k]
        a = (dx * dx + dy2) + _F1
        b, disc = _sphere_disc(dx, dy_cy, a, cx, cz, cc)
        keys[k] = _key(_sphere_depth(b, disc, a), disc >= _F0, lo, scale, cap, prim_id)


@_njit
def _cylinder_keys(keys, n, ray_dx, x_first, dy2, ax, dy_ay, az, x0, dy_y0, z0, wa, qc, length, lo, scale, cap,
                   prim_id):
    """``keys[:n]``: the z-keys of one row's run of fragments on one cylinder (a hit lies within
    0 ≤ s ≤ length)."""
    for k in range(n):
        dx = ray_dx[x_first + k]
        a = (dx * dx + dy2) + _F1
        qa, qb, disc, da = _cylinder_disc(dx, a, ax, dy_ay, az, x0, dy_y0, z0, wa, qc)
        lam, s = _cylinder_depth(qa, qb, disc, da, wa)
        keys[k] = _key(lam, (disc >= _F0) & (s >= _F0) & (s <= length), lo, scale, cap, prim_id)


@_njit
def sphere_ztest(table, first_id, prim, y, x_first, nx, ray_dx, ray_dy, width, lo, scale, cap, zbuf):
    """Ray-test every candidate fragment of the sphere rows (``raster._Rows`` columns) and keep
    the nearest hit per pixel in ``zbuf``. Terms of the row (dy·…) are computed once per row:
    the same float32 products as per fragment."""
    keys = np.empty(width, dtype=np.int64)
    for row in range(len(prim)):
        p, dy = prim[row], ray_dy[y[row]]
        _sphere_keys(keys, nx[row], ray_dx, x_first[row], dy * dy, table[0, p], dy * table[1, p], table[2, p],
                     table[3, p], lo, scale, cap, p + first_id)
        _keep_nearest(zbuf, y[row] * width + x_first[row], keys, nx[row])


@_njit
def cylinder_ztest(table, first_id, prim, y, x_first, nx, ray_dx, ray_dy, width, lo, scale, cap, zbuf):
    """``sphere_ztest`` for the half-bond cylinders."""
    keys = np.empty(width, dtype=np.int64)
    for row in range(len(prim)):
        p, dy = prim[row], ray_dy[y[row]]
        _cylinder_keys(keys, nx[row], ray_dx, x_first[row], dy * dy, table[0, p], dy * table[1, p], table[2, p],
                       table[3, p], dy * table[4, p], table[5, p], table[6, p], table[7, p], table[8, p], lo, scale,
                       cap, p + first_id)
        _keep_nearest(zbuf, y[row] * width + x_first[row], keys, nx[row])


@_njit
def shade(pixels, keys, spheres, cylinders, prim_colors, ray_dx, ray_dy, width, cue_end, cue_scale):
    """(λ, channel-major (3, n) rgb) of the winning hits (``raster._shade``): the hit recomputed
    from its primitive (``_surfaces``), then lighting and depth cue (``_light``)."""
    prims = keys & _ID_MASK
    lam, dx, dy, nx, ny, nz = _surfaces(pixels, prims, spheres, cylinders, ray_dx, ray_dy, width)
    return lam, _light(lam, dx, dy, nx, ny, nz, prims, prim_colors, cue_end, cue_scale)


@_njit
def _surfaces(pixels, prims, spheres, cylinders, ray_dx, ray_dy, width):
    """Per pixel: λ, the ray (dx, dy) and the unnormalised surface normal of its winning hit
    (``raster._winner_surface``)."""
    n, n_s = len(pixels), spheres.shape[1]
    lam, dx, dy = np.empty(n, np.float32), np.empty(n, np.float32), np.empty(n, np.float32)
    nx, ny, nz = np.empty(n, np.float32), np.empty(n, np.float32), np.empty(n, np.float32)
    row = 0
    for i in range(n):
        while pixels[i] >= (row + 1) * width:  # ascending pixels: no integer division
            row += 1
        x, y = ray_dx[pixels[i] - row * width], ray_dy[row]
        a = (x * x + y * y) + _F1
        prim = prims[i]
        if prim < n_s:
            b, disc = _sphere_disc(x, y * spheres[1, prim], a, spheres[0, prim], spheres[2, prim], spheres[3, prim])
            depth = _sphere_depth(b, disc, a)
            nx[i] = x * depth - spheres[0, prim]
            ny[i] = y * depth - spheres[1, prim]
            nz[i] = -depth - spheres[2, prim]
        else:
            c = prim - n_s
            qa, qb, disc, da = _cylinder_disc(x, a, cylinders[0, c], y * cylinders[1, c], cylinders[2, c],
                                              cylinders[3, c], y * cylinders[4, c], cylinders[5, c],
                                              cylinders[6, c], cylinders[7, c])
            depth, s = _cylinder_depth(qa, qb, disc, da, cylinders[6, c])
            nx[i] = (x * depth - cylinders[3, c]) - s * cylinders[0, c]
            ny[i] = (y * depth - cylinders[4, c]) - s * cylinders[1, c]
            nz[i] = (-depth - cylinders[5, c]) - s * cylinders[2, c]
        lam[i], dx[i], dy[i] = depth, x, y
    return lam, dx, dy, nx, ny, nz


@_njit
def _light(lam, dx, dy, nx, ny, nz, prims, prim_colors, cue_end, cue_scale):
    """Channel-major rgb: ``raster._lighting``, then the depth cue. Branch-free, so LLVM can
    vectorise it (IEEE square roots and divisions in every lane: the same bits)."""
    n = len(lam)
    diffuse, spec, cue = np.empty(n, np.float32), np.empty(n, np.float32), np.empty(n, np.float32)
    for i in range(n):
        inv_n = _F1 / np.sqrt((nx[i] * nx[i] + ny[i] * ny[i]) + nz[i] * nz[i])
        ux, uy, uz = nx[i] * inv_n, ny[i] * inv_n, nz[i] * inv_n
        inv = _F1 / np.sqrt((dx[i] * dx[i] + dy[i] * dy[i]) + _F1)
        ex, ey, ez = dx[i] * inv, dy[i] * inv, -inv
        n_e = (ux * ex + uy * ey) + uz * ez
        sign = _F1 - _F2 * (_F1 if n_e > _F0 else _F0)
        n_e = n_e * sign
        n_key = ((ux * _KEY_X + uy * _KEY_Y) + uz * _KEY_Z) * sign
        n_fill = ((ux * _FILL_X + uy * _FILL_Y) + uz * _FILL_Z) * sign
        diffuse[i] = (_AMBIENT + _KEY_DIFFUSE * _maximum(-n_key, _F0)) + _FILL_DIFFUSE * _maximum(-n_fill, _F0)
        r_e = _maximum(-((ex * _KEY_X + ey * _KEY_Y) + ez * _KEY_Z) + (_F2 * n_key) * n_e, _F0)
        p2 = r_e * r_e
        p4 = p2 * p2
        p8 = p4 * p4
        spec[i] = _SPECULAR * ((((p8 * p8) * p8) * p4) * p2)
        cue[i] = _minimum(_maximum((cue_end - lam[i]) * cue_scale, _F0), _F1)
    rgb = np.empty((3, n), dtype=np.float32)
    for channel in range(3):
        for i in range(n):
            rgb[channel, i] = _minimum(prim_colors[channel, prims[i]] * diffuse[i] + spec[i], _F1) * cue[i]
    return rgb


@_njit
def box_quantise(pixels, colors, width, factor, out_width, out_height, scale):
    """``to_uint8(frame.box_sums(factor), scale)`` (render.final_pixels): each output pixel's
    samples summed in float64 in ascending pixel order (as ``np.bincount`` adds them), rounded to
    float32 once, times the float32 ``scale``, clipped and rounded half up. ``colors``:
    channel-major (3, n) float32. One output row at a time; rows without samples stay 0, which
    is what 0 quantises to. With ``factor`` 1 each sum is its one sample, so the samples are
    quantised and scattered directly."""
    image = np.zeros((out_height, out_width * 3), dtype=np.uint8)
    if factor == 1:
        flat = image.reshape(-1)
        for i in range(len(pixels)):
            for channel in range(3):
                flat[pixels[i] * 3 + channel] = _quantise(colors[channel, i] * scale)
        return image.reshape(out_height, out_width, 3)
    sums = np.empty(out_width * 3, dtype=np.float64)
    shift = 0
    while (1 << shift) < factor:  # factor is a power of two: col // factor = col >> shift
        shift += 1
    i, n = 0, len(pixels)
    while i < n:
        out_row = pixels[i] // (width * factor)
        sums[:] = 0.0
        stop = (out_row + 1) * width * factor
        while i < n and pixels[i] < stop:
            col = pixels[i] - out_row * width * factor
            while col >= width:  # the sample's row within the output row: no integer division
                col -= width
            for channel in range(3):
                sums[(col >> shift) * 3 + channel] += np.float64(colors[channel, i])
            i += 1
        row = image[out_row]
        for k in range(len(sums)):  # branch-free: vectorised
            row[k] = _quantise(np.float32(sums[k]) * scale)
    return image.reshape(out_height, out_width, 3)


@_njit
def _quantise(v):
    """``png.to_uint8`` of one float32 already scaled: clipped to 0..255, rounded half up."""
    return np.uint8(np.floor(_minimum(_maximum(v, _F0), _255) + _HALF))


@_njit
def _lesser(a, b):
    """``np.minimum`` of two float64 scalars (NaN if either is)."""
    return a if a < b or a != a else b


@_njit
def _greater(a, b):
    """``np.maximum`` of two float64 scalars (NaN if either is)."""
    return a if a > b or a != a else b


@_njit
def _clip(x, low, high):
    """``np.clip`` of a float64 scalar."""
    return _lesser(_greater(x, low), high)


@_njit
def _disc_span(cu, dv, r2):
    """``raster._disc_span`` of one row."""
    h = r2 - dv * dv
    w = np.sqrt(_greater(h, 0.0))
    miss = _BIG if h < 0 else 0.0
    return (cu - w) + miss, (cu + w) - miss


@_njit
def _band_span(au, dv, r, length, tu, tv, nu, nv):
    """``raster._band_span`` of one row."""
    off_n, off_t = dv * nv, dv * tv
    n_a, n_b = (-r - off_n) / nu, (r - off_n) / nu
    t_a, t_b = -off_t / tu, (length - off_t) / tu
    lo = au + _greater(_lesser(n_a, n_b), _lesser(t_a, t_b))
    hi = au + _lesser(_greater(n_a, n_b), _greater(t_a, t_b))
    miss = _BIG if lo > hi else 0.0
    return lo + miss, hi - miss


@_njit
def capsule_rows(ua, va, ub, vb, rho, length, tu, tv, nu, nv, width, height, band):
    """``raster._capsule_rows`` (float64, operation for operation): the columns of its ``_Rows``
    (prim, y, x_first, nx, new_prim). ``length`` … ``nv``: ``raster._band_axes`` of the segments
    (read only when ``band``)."""
    n = len(ua)
    y0, ny = np.empty(n, np.int64), np.empty(n, np.int64)
    total = 0
    for i in range(n):
        y0[i] = np.int64(_clip(np.floor((_lesser(va[i], vb[i]) - rho[i]) - 0.5), 0.0, np.float64(height)))
        y1 = np.int64(_clip(np.ceil((_greater(va[i], vb[i]) + rho[i]) - 0.5), -1.0, np.float64(height - 1)))
        ny[i] = max(y1 - y0[i] + 1, 0)
        if _greater(ua[i], ub[i]) + rho[i] < 0 or _lesser(ua[i], ub[i]) - rho[i] > width:
            ny[i] = 0
        total += ny[i]
    prim, y = np.empty(total, np.int64), np.empty(total, np.int64)
    x_first, nx, new_prim = np.empty(total, np.int64), np.empty(total, np.int64), np.zeros(total, np.bool_)
    first_row = 0
    for i in range(n):
        if ny[i] > 0:
            new_prim[first_row] = True
        # the primitive's constants read once, and each row's outputs written at first_row + j:
        # the row loop then vectorises (~2x faster than reading them through i in every row)
        r, au, av, bu, bv = rho[i], ua[i], va[i], ub[i], vb[i]
        r2 = r * r
        seg_length, seg_tu, seg_tv, seg_nu, seg_nv = length[i], tu[i], tv[i], nu[i], nv[i]
        top, rows = y0[i], ny[i]
        for j in range(rows):
            yc = np.float64(top + j) + 0.5
            dv = yc - av
            lo, hi = _disc_span(au, dv, r2)
            if band:
                lo_b, hi_b = _disc_span(bu, yc - bv, r2)
                lo, hi = _lesser(lo, lo_b), _greater(hi, hi_b)
                lo_b, hi_b = _band_span(au, dv, r, seg_length, seg_tu, seg_tv, seg_nu, seg_nv)
                lo, hi = _lesser(lo, lo_b), _greater(hi, hi_b)
            # pixel columns whose centers x + 0.5 fall in [lo, hi]
            first = max(np.int64(np.ceil(_clip(lo, -1.0, width + 1.0) - 0.5)), 0)
            last = min(np.int64(np.floor(_clip(hi, -2.0, width + 1.0) - 0.5)), width - 1)
            prim[first_row + j], y[first_row + j] = i, top + j
            x_first[first_row + j], nx[first_row + j] = first, max(last - first + 1, 0)
        first_row += rows
    return prim, y, x_first, nx, new_prim


@_njit
def widen_spans(first, stop, y, x_first, nx):
    """Widen the per-image-row column span [first[y], stop[y]) to hold every run of candidate
    fragments of a ``_Rows`` (empty runs are ignored)."""
    for row in range(len(y)):
        if nx[row] > 0:
            first[y[row]] = min(first[y[row]], x_first[row])
            stop[y[row]] = max(stop[y[row]], x_first[row] + nx[row])


@_njit
def clear_spans(zbuf, first, stop, width):
    """``_EMPTY`` in ``zbuf`` over the spans: the only pixels the z-test reads or writes."""
    for y in range(len(first)):
        for p in range(y * width + first[y], y * width + stop[y]):
            zbuf[p] = _EMPTY


@_njit
def winners(zbuf, first, stop, width):
    """(pixels, keys) of the covered pixels of ``zbuf`` within the spans, ascending. One pass:
    the outputs are allocated for every span pixel (pages never written are never mapped) and
    returned as views of their filled part."""
    total = 0
    for y in range(len(first)):
        total += max(stop[y] - first[y], 0)
    pixels = np.empty(total, dtype=np.int64)
    keys = np.empty(total, dtype=np.int64)
    count = 0
    for y in range(len(first)):
        for p in range(y * width + first[y], y * width + stop[y]):
            if zbuf[p] != _EMPTY:
                pixels[count], keys[count] = p, zbuf[p]
                count += 1
    return pixels[:count], keys[:count]


@_njit
def absolute_difference_sum(a, b):
    """Σ |a − b| of two equally long flat uint8 arrays, exactly (integers): the sum behind
    ``builders.tasks.choice.pixel_difference``, without its temporary images."""
    total = 0
    for i in range(len(a)):
        x, y = np.int64(a[i]), np.int64(b[i])
        total += max(x, y) - min(x, y)
    return total


@_njit
def blend_labels(image, masks, boxes, inks):
    """``labels.draw_labels``: label k's ink ``inks[k]`` blended into ``image`` (H, W, 3 uint8)
    through its coverage mask (``masks[offset:offset + w·h]``, row-major; ``boxes[k]`` = x0,
    top, w, h, offset), clipped to the image, in order. The arithmetic of Pillow's ``paste``
    with an "L" mask: out = (t + (t >> 8)) >> 8 with t = out·(255 − m) + ink·m + 128."""
    height, width = image.shape[0], image.shape[1]
    for k in range(len(boxes)):
        x0, top, w, h, offset = boxes[k, 0], boxes[k, 1], boxes[k, 2], boxes[k, 3], boxes[k, 4]
        for r in range(max(0, -top), min(h, height - top)):
            for c in range(max(0, -x0), min(w, width - x0)):
                m = np.int64(masks[offset + r * w + c])
                if m == 0:  # no coverage: the formula gives the pixel back unchanged
                    continue
                for channel in range(3):
                    t = np.int64(image[top + r, x0 + c, channel]) * (255 - m) + inks[k, channel] * m + 128
                    image[top + r, x0 + c, channel] = ((t >> 8) + t) >> 8
