"""Relaxation of the tabulated criteria (ChimeraX ``_process_arg_tuple``)."""

from __future__ import annotations

from dataclasses import dataclass

SULFUR_COMP = 0.35  # Å added to distance limits when the donor (or, for donor tests, acceptor) is S


@dataclass(frozen=True)
class Tolerances:
    """How far distances (Å) and angles (degrees) may exceed the tabulated values.

    Defaults are ChimeraX's ``hbonds`` command defaults, which the paper uses (relax true).
    """

    dist_slop: float = 0.4
    angle_slop: float = 20.0

    def relax(self, value):
        """One tabulated number: 0 < n < 7.5 is a distance, positive n a lower angle bound,
        negative n an upper angle bound |n| (or a τ window), ``None`` stays ``None``."""
        if value is None:
            return None
        if 0.0 < value < 7.5:
            return value + self.dist_slop
        if value < 0.0:
            return max(-180.0, value - self.angle_slop)
        return max(0.0, value - self.angle_slop)

    def relax_all(self, values):
        return tuple(self.relax(v) for v in values)

    @property
    def search_radius(self) -> float:
        """No acceptor test passes beyond its largest distance 3.83 Å + slop + sulfur 0.35 Å."""
        return 3.83 + self.dist_slop + SULFUR_COMP + 1e-6


STRICT = Tolerances(0.0, 0.0)
RELAXED = Tolerances()
