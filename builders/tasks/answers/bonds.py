"""Answers that list hydrogen bonds: T4 (one residue: ``No`` or ``Yes: RESNAME RESATOM, LIGATOM;
...``) and T9 (the pocket: ``No`` or ``RESNAME RESNUM RESATOM CHAIN, LIGATOM; ...``, CHAIN left
out for a residue without a chain id), the ``with_position`` flavour.

Lenient reading: bonds separated by ``;``, a line break (optionally a ``-``/``*``/``1.`` bullet) or
``and``; case ignored. T4 lists are read after ``Yes`` (``Yes:``, ``Yes,``, ``Yes -``) or when the
whole reply is a list; a residue number after the residue name is tolerated and dropped. T9 lists
are read anywhere (an optional ``Yes:`` is ignored); the chain is part of the bond. ``No`` counts
when it is the first word of the reply or is followed by punctuation or the end of a line. The
candidate that starts last wins. ``Yes`` without any bond is unparsable. Repeated bonds count once.

Score (our choices, docs/evaluation.md): bonds compared as sets of upper-cased tokens. No/No = 1;
No vs bonds (either way) = 0; more than ``bond_overcount_ratio`` times as many distinct bonds as
the truth = 0 (checked first); every true bond plus extras = ``bond_superset_score``; otherwise the
fraction of true bonds named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .kind import AnswerKind, MetricConfig, ParseError, pick

# Atom names of the random baseline's bond: backbone atoms (every residue has them) and typical
# ligand names; T9 also draws a residue name, a number 1..500 and chain A.
RANDOM_RESIDUE_ATOMS = ("N", "O")
RANDOM_LIGAND_ATOMS = tuple(f"{e}{i}" for e in ("O", "N") for i in range(1, 10))
RANDOM_RESIDUE_NAMES = ("ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                        "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL")
YES = "Yes: "


@dataclass(frozen=True)
class Bond:
    """One hydrogen bond; parsed bonds are upper-cased, ``number`` and ``chain`` stay empty for T4.
    ``number`` carries the insertion code (``52A``)."""

    residue: str
    atom: str
    ligand_atom: str
    number: str = ""
    chain: str = ""


@dataclass(frozen=True)
class BondList:
    bonds: frozenset[Bond]

    @property
    def is_no(self) -> bool:
        return not self.bonds


NO = BondList(frozenset())

_TRUTH_ATOM = r"[A-Za-z0-9'*\"]{1,6}"
_TRUTH_RES = r"[A-Za-z0-9]{1,5}"
_TRUTH_T4_BOND = re.compile(rf"({_TRUTH_RES}) ({_TRUTH_ATOM}), ({_TRUTH_ATOM})")
# The chain is left out for a residue without a chain id (the T9 grammar).
_TRUTH_T9_BOND = re.compile(rf"({_TRUTH_RES}) (-?\d+[A-Za-z]?) ({_TRUTH_ATOM})(?: ([A-Za-z0-9]{{1,4}}))?, ({_TRUTH_ATOM})")


def _bond(residue: str, atom: str, ligand_atom: str, number: str = "", chain: str = "") -> Bond:
    return Bond(residue.upper(), atom.upper(), ligand_atom.upper(), number.upper(), chain.upper())


def _bond_of(groups: tuple, t9: bool) -> Bond:
    """The bond of a T4 (residue, atom, ligand atom) or T9 (residue, number, atom, chain, ligand
    atom) match's groups."""
    if t9:
        residue, number, atom, chain, ligand_atom = groups
        return _bond(residue, atom, ligand_atom, number, chain or "")
    return _bond(*groups)


def _truth_bonds(text: str, pattern: re.Pattern, t9: bool) -> BondList:
    bonds = []
    for part in text.split("; "):
        match = pattern.fullmatch(part)
        if match is None:
            raise ParseError(f"bond {part!r} is not in the grammar")
        bonds.append(_bond_of(match.groups(), t9))
    return BondList(frozenset(bonds))


_RES = r"[A-Za-z0-9]{1,5}"
_ATOM = r"[A-Za-z0-9][A-Za-z0-9'*\"]{0,5}"
_RESNUM = r"-?\d+[A-Za-z]?"
_SEP = r"(?:\s*;|[ \t]*\n|[ \t]*\band\b)\s*(?:(?:[-*\u2022]|\d+[.)])\s+)?"
_T4_BOND = rf"({_RES})(?:\s+{_RESNUM})?\s+({_ATOM})\s*,\s*({_ATOM})"
_T9_BOND = rf"({_RES})\s+({_RESNUM})\s+({_ATOM})(?:\s+([A-Za-z0-9]{{1,4}}))?\s*,\s*({_ATOM})"
_START = r"(?<![A-Za-z0-9'*])"
_END = r"(?![A-Za-z0-9'*\"])"
_T4_BOND_RE = re.compile(_T4_BOND + _END, re.I)
_T9_BOND_RE = re.compile(_T9_BOND + _END, re.I)
_T4_LIST = re.compile(rf"{_START}{_T4_BOND}{_END}(?:{_SEP}{_T4_BOND}{_END})*", re.I)
_T9_LIST = re.compile(rf"{_START}{_T9_BOND}{_END}(?:{_SEP}{_T9_BOND}{_END})*", re.I)
_YES = re.compile(r"(?<![A-Za-z])yes\b\s*[:,.\-]?\s*(?:(?:[-*\u2022]|\d+[.)])\s+)?", re.I)
_NO_STANDALONE = re.compile(r"(?<![A-Za-z])no(?=[ \t]*(?:[.,;:!)]|$))", re.I | re.M)
_NO_LEADING = re.compile(r"(?:(?:final\s+)?answer\s*(?:[:\-]\s*)?)?no\b", re.I)
_ANSWER_PREFIX = re.compile(r"(?:(?:final\s+)?answer\s*(?:[:\-]\s*)?)?(?:yes\s*(?:[:,.\-]\s*)?)?", re.I)


def _bonds_in(span: str, t9: bool) -> BondList:
    return BondList(frozenset(_bond_of(match.groups(), t9) for match in (_T9_BOND_RE if t9 else _T4_BOND_RE).finditer(span)))


def find_bonds(text: str, t9: bool) -> BondList | None:
    candidates: list[tuple[int, BondList]] = [(m.start(), NO) for m in _NO_STANDALONE.finditer(text)]
    stripped = text.strip()
    if _NO_LEADING.match(stripped):
        candidates.append((0, NO))
    if t9:
        candidates += [(m.start(), _bonds_in(m[0], True)) for m in _T9_LIST.finditer(text)]
    else:
        for yes in _YES.finditer(text):
            listed = _T4_LIST.match(text, yes.end())
            if listed:
                candidates.append((listed.start(), _bonds_in(listed[0], False)))
        whole = _T4_LIST.fullmatch(stripped, _ANSWER_PREFIX.match(stripped).end())
        if whole:
            candidates.append((0, _bonds_in(whole[0], False)))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def bond_score(predicted: BondList, truth: BondList, config: MetricConfig) -> float:
    if truth.is_no or predicted.is_no:
        return 1.0 if truth.is_no and predicted.is_no else 0.0
    named, true = predicted.bonds, truth.bonds
    if len(named) > config.bond_overcount_ratio * len(true):
        return 0.0
    if named > true:  # strict superset
        return config.bond_superset_score
    return len(named & true) / len(true)


@dataclass(frozen=True)
class BondAnswer(AnswerKind):
    """``No`` or a list of bonds; ``with_position`` (T9) adds residue number and chain, without it
    (T4) the list follows ``Yes: ``."""

    with_position: bool
    family: str = "residue / pocket interaction"
    subsets = {"positive": "the answer lists bonds", "negative": "the answer is No"}  # not a field

    def parse_truth(self, text: str) -> BondList:
        if text == "No":
            return NO
        if self.with_position:
            return _truth_bonds(text, _TRUTH_T9_BOND, t9=True)
        if not text.startswith(YES):
            raise ParseError(f"answer {text!r} is neither 'No' nor 'Yes: ...'")
        return _truth_bonds(text[len(YES):], _TRUTH_T4_BOND, t9=False)

    def read(self, cleaned: str, options: Sequence[str]) -> BondList | None:
        return find_bonds(cleaned, self.with_position)

    def bond_text(self, bond: Bond) -> str:
        if not self.with_position:
            return f"{bond.residue} {bond.atom}, {bond.ligand_atom}"
        residue = " ".join(part for part in (bond.residue, bond.number, bond.atom, bond.chain) if part)
        return f"{residue}, {bond.ligand_atom}"

    def format(self, bonds: Sequence[Bond]) -> str:
        """The truth string of ``bonds`` in the given order (names as written, not upper-cased)."""
        if not bonds:
            return "No"
        listed = "; ".join(self.bond_text(b) for b in bonds)
        return listed if self.with_position else YES + listed

    def score(self, predicted: BondList, truth: BondList, config: MetricConfig) -> float:
        return bond_score(predicted, truth, config)

    def subset_of(self, truth: BondList) -> str:
        return "negative" if truth.is_no else "positive"

    def random_answer(self, rng: np.random.Generator, row: Mapping) -> str:
        """``No`` or, with equal probability, one bond of random atom names (in practice never
        a true one); T4 names the residue of the question (params)."""
        if rng.random() < 0.5:
            return "No"
        residue = ((row.get("params") or {}).get("residue") or {}).get("name")
        residue = residue or pick(rng, RANDOM_RESIDUE_NAMES)
        atom, ligand_atom = pick(rng, RANDOM_RESIDUE_ATOMS), pick(rng, RANDOM_LIGAND_ATOMS)
        if self.with_position:
            return f"{residue} {int(rng.integers(1, 501))} {atom} A, {ligand_atom}"
        return f"{YES}{residue} {atom}, {ligand_atom}"
