"""Pocket–ligand hydrogen bonds by UCSF ChimeraX's ``hbonds`` criteria (relaxed 0.4 Å / 20°).

``find_hbonds(complex, dist_slop=0.4, angle_slop=20.0) -> list[HBond]`` types every atom
(IDATM types: templates for standard residues, geometric rules for the ligand and hetero
groups), assigns each polar atom its first matching acceptor and donor rule, then tests every
pocket–ligand pair within 3.83 + slop + 0.35 Å in both directions: the acceptor test, the donor
test and the metal veto must all pass. Hydrogens in the files are used; without them the
no-hydrogen branches apply (computed H where ChimeraX computes them, θ untestable otherwise).

Choices where the criteria leave room (full list and reasons: ``docs/hbonds.md``):

* a pair passing in both directions is reported once, with the pocket as donor;
* ``angle`` is θ = ∠(D, H, A) of the best donor H when the donor has H positions, else the
  smallest ∠(X, D, A) over the donor's heavy neighbours (``HBond.angle_kind`` says which);
* chain breaks: numbers differing by >= 2 make a missing-structure pseudobond, by < 2 a bond;
* order-dependent rules use neighbours in atom-name order, never the file order;
* free rotations (lone pairs of one-neighbour atoms) are set toward the partner atom;
* a residue named HIS keeps both ring N as Npl (acceptor and, without H, donor via a computed H).
"""

from .search import HBond, find_hbonds
from .tolerances import RELAXED, STRICT, Tolerances

__all__ = ["HBond", "RELAXED", "STRICT", "Tolerances", "find_hbonds"]
