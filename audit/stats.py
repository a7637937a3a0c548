"""Chi-square goodness of fit without scipy: the regularized upper incomplete gamma function.

``chi2_sf(x, k) = Q(k/2, x/2)``, Q evaluated by its power series when ``x < a + 1`` and by its
continued fraction (modified Lentz) otherwise, both to double precision (Numerical Recipes §6.2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

EPS = 1e-15
MAX_ITER = 10_000
TINY = 1e-300


def _lower_series(a: float, x: float) -> float:
    """P(a, x) by the series, for x < a + 1."""
    term = total = 1.0 / a
    ap = a
    for _ in range(MAX_ITER):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _upper_fraction(a: float, x: float) -> float:
    """Q(a, x) by the continued fraction, for x >= a + 1."""
    b = x + 1.0 - a
    c = 1.0 / TINY
    d = 1.0 / b
    h = d
    for i in range(1, MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = TINY if abs(d) < TINY else d
        c = b + an / c
        c = TINY if abs(c) < TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), a > 0, x >= 0."""
    if a <= 0:
        raise ValueError(f"a must be > 0, got {a}")
    if x < 0:
        raise ValueError(f"x must be >= 0, got {x}")
    if x == 0:
        return 1.0
    if x < a + 1.0:
        return max(0.0, 1.0 - _lower_series(a, x))
    return min(1.0, _upper_fraction(a, x))


def chi2_sf(x: float, dof: int) -> float:
    """P(X >= x) for X chi-square distributed with ``dof`` degrees of freedom."""
    if dof < 1:
        raise ValueError(f"degrees of freedom must be >= 1, got {dof}")
    return gamma_q(dof / 2.0, max(0.0, x) / 2.0)


def chisquare(observed: Mapping[str, int], expected_share: Mapping[str, float]) -> dict:
    """Pearson's goodness-of-fit test of counts against intended shares (normalised here).

    Categories observed but not intended count as observed with expected 0: the statistic is
    then infinite and p = 0 (an answer the build should never produce). ``min_expected`` lets a
    reader judge the approximation (rule of thumb: at least 5)."""
    total_share = sum(expected_share.values())
    n = sum(observed.values())
    unexpected = sorted(k for k, v in observed.items() if v and expected_share.get(k, 0) <= 0)
    categories = [k for k, v in expected_share.items() if v > 0]
    result = {"n": int(n), "categories": len(categories), "dof": max(len(categories) - 1, 0),
              "unexpected_values": unexpected}
    if n == 0 or len(categories) < 2:
        result.update(statistic=0.0, p_value=1.0, min_expected=float(n) if categories else 0.0)
        return result
    expected = {k: n * expected_share[k] / total_share for k in categories}
    statistic = sum((observed.get(k, 0) - e) ** 2 / e for k, e in expected.items())
    p_value = 0.0 if unexpected else chi2_sf(statistic, len(categories) - 1)
    result.update(statistic=round(statistic, 6), p_value=p_value, min_expected=round(min(expected.values()), 6))
    return result
