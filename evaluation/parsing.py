"""Read answers in the fixed answer grammar (docs/conventions.md, Answers and ranges): strictly for ground truth, leniently for models.

Ground truth (`parse_truth`) must match the grammar exactly; anything else is a dataset bug and
raises `ParseError`. Model replies (`parse_prediction`) go through `clean` first and then the
task's finder; a reply with nothing recognisable gives ``None`` (scored 0, counted unparsable).

Lenient reading (our choices, also in docs/evaluation.md):

* Length: only the last ``MAX_REPLY_CHARS`` characters are read, and every pattern is written so
  that its time is linear in the reply (no two optional whitespace runs side by side, bounded
  marker spans): a hostile reply cannot stall ``evaluate``.
* Cleaning: Unicode NFKC; U+2212, U+2012, U+2013, U+FE63, U+FF0D read as ``-``; curly quotes
  read as straight ones; markdown removed (code fences, backticks, ``**``, ``__``, ``$``, and
  ``*x*`` / ``_x_`` pairs that open after a space); a pair of quotes around the answer removed.
  A single ``*`` inside a token is kept because atom names may contain it (``C5*``).
* Commands: ``move|roll AXIS [:|=] [+|-] NUMBER``, any case and spacing, units after the number
  ignored. Only the keywords ``move`` and ``roll`` count (not "moves", "rotate", "by 3").
  Decimals are accepted and scored by value; ``3.0`` reads as 3.
* Several commands in a reply: the last one wins. Docking: the last two consecutive commands
  of different kinds (one ``roll``, one ``move``, either order), else whichever of the two kinds
  appears (last of it); a reply with only one kind is parsed with the other part missing.
* Letters: a whole reply that is a letter A-D in any case (``c``, ``(c)``, ``Answer: c.``);
  otherwise the last of ``(B)``, ``[B]``, ``Option/Choice/Answer [is] B`` (a lower-case letter
  here only when punctuation or the line end follows) and a bare upper-case ``B`` token (not
  touching a letter, digit, ``'``, ``-`` or ``=``, so "C-alpha", "3D" do not count). A bare
  ``A`` followed by an ordinary lower-case word is the article and is skipped ("A is correct"
  still counts); ranges such as ``A-D`` / ``A to D`` are skipped. With text options (T8), a reply without any letter
  that contains an option's text picks that option (last occurrence wins).
* Bonds: bonds separated by ``;``, a line break (optionally a ``-``/``*``/``1.`` bullet) or
  ``and``; case ignored. T4 lists are read after ``Yes`` (``Yes:``, ``Yes,``, ``Yes -``) or when
  the whole reply is a list; a residue number after the residue name is tolerated and dropped.
  T9 lists are read anywhere (an optional ``Yes:`` is ignored); the chain is part of the bond.
  ``No`` counts when it is the first word of the reply or is followed by punctuation or the end
  of a line ("No other bonds" does not count). The candidate that starts last wins. ``Yes``
  without any bond is unparsable. Repeated bonds count once.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence, Union

from misi_bench.renderers.operations import Operation

TASKS = (
    "translation",
    "rotation",
    "zooming",
    "residue_ligand_interaction",
    "translation_rotation",
    "rotation_rotation",
    "docking",
    "interaction_location",
    "pocket_ligand_interaction",
)
COMMAND_TASKS = frozenset({"translation", "rotation", "zooming"})
CHOICE_TASKS = frozenset({"translation_rotation", "rotation_rotation", "interaction_location"})
LETTERS = "ABCD"
# Only the last MAX_REPLY_CHARS characters of a reply are read (the last answer wins anyway); a
# marker or quote pair spans at most MAX_SPAN characters. Both keep every reply linear in time.
MAX_REPLY_CHARS = 32_768
MAX_SPAN = 500


class ParseError(ValueError):
    """A ground-truth answer that is not in the answer grammar (docs/conventions.md)."""


class UnknownTaskError(ValueError):
    """A task name that is not one of the nine configs."""


@dataclass(frozen=True)
class Docking:
    """T7 answer; a part is None when a model's reply lacks it (never for ground truth)."""

    rotation: Operation | None
    translation: Operation | None


@dataclass(frozen=True)
class Choice:
    letter: str


@dataclass(frozen=True)
class Bond:
    """One hydrogen bond, upper-cased; ``number`` and ``chain`` stay empty for T4."""

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

Answer = Union[Operation, Docking, Choice, BondList]


def check_task(task: str) -> None:
    if task not in TASKS:
        raise UnknownTaskError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")


# ---------------------------------------------------------------- ground truth (strict)

_NUM = r"-?\d+"
_TRUTH_COMMAND = re.compile(rf"(move|roll) ([xyz]) ({_NUM})")
_TRUTH_DOCKING = re.compile(rf"(roll) ([xyz]) ({_NUM}), (move) ([xyz]) ({_NUM})")
_TRUTH_ATOM = r"[A-Za-z0-9'*\"]{1,6}"
_TRUTH_RES = r"[A-Za-z0-9]{1,5}"
_TRUTH_T4_BOND = re.compile(rf"({_TRUTH_RES}) ({_TRUTH_ATOM}), ({_TRUTH_ATOM})")
# The chain is left out for a residue without a chain id (pocket_ligand_interaction's grammar).
_TRUTH_T9_BOND = re.compile(rf"({_TRUTH_RES}) (-?\d+[A-Za-z]?) ({_TRUTH_ATOM})(?: ([A-Za-z0-9]{{1,4}}))?, ({_TRUTH_ATOM})")


def _bond(residue: str, atom: str, ligand_atom: str, number: str = "", chain: str = "") -> Bond:
    return Bond(residue.upper(), atom.upper(), ligand_atom.upper(), number.upper(), chain.upper())


def _truth_bonds(text: str, pattern: re.Pattern, t9: bool) -> BondList:
    bonds = []
    for part in text.split("; "):
        match = pattern.fullmatch(part)
        if match is None:
            raise ParseError(f"bond {part!r} is not in the grammar")
        g = match.groups()
        bonds.append(_bond(g[0], g[2], g[4], g[1], g[3] or "") if t9 else _bond(*g))
    return BondList(frozenset(bonds))


def parse_truth(task: str, text: str) -> Answer:
    """A ground-truth answer, which must follow the answer grammar exactly (ParseError otherwise)."""
    check_task(task)
    if task in COMMAND_TASKS:
        match = _TRUTH_COMMAND.fullmatch(text)
        if match is None:
            raise ParseError(f"{task} answer {text!r} is not 'move|roll AXIS INTEGER'")
        return Operation(match[1], match[2], int(match[3]))
    if task == "docking":
        match = _TRUTH_DOCKING.fullmatch(text)
        if match is None:
            raise ParseError(f"docking answer {text!r} is not 'roll AXIS INTEGER, move AXIS INTEGER'")
        return Docking(Operation(match[1], match[2], int(match[3])), Operation(match[4], match[5], int(match[6])))
    if task in CHOICE_TASKS:
        if len(text) != 1 or text not in LETTERS:
            raise ParseError(f"{task} answer {text!r} is not one of A-D")
        return Choice(text)
    if text == "No":
        return NO
    if task == "residue_ligand_interaction":
        if not text.startswith("Yes: "):
            raise ParseError(f"residue-ligand answer {text!r} is neither 'No' nor 'Yes: ...'")
        return _truth_bonds(text[len("Yes: "):], _TRUTH_T4_BOND, t9=False)
    return _truth_bonds(text, _TRUTH_T9_BOND, t9=True)


# ---------------------------------------------------------------- cleaning

_CHAR_MAP = str.maketrans({
    "\u2212": "-", "\u2012": "-", "\u2013": "-", "\ufe63": "-", "\uff0d": "-",
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
})
_FENCE = re.compile(r"```[A-Za-z]*")
# Spans are bounded so that a reply full of unmatched markers is still read in linear time.
_EMPHASIS = re.compile(r"(?:^|(?<=\s))([*_])(?=\S)(.{1,%d}?)(?<=\S)\1(?!\w)" % MAX_SPAN, re.M)
_QUOTED = re.compile(r"(?:^|(?<=[\s:(\[]))(['\"])(\S[^\n]{0,%d}?)\1(?=[.,!?)\]]|[ \t]*$)" % MAX_SPAN, re.M)


def clean(text: str) -> str:
    """The reply with Unicode look-alikes folded and markdown / quotes removed."""
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    text = _FENCE.sub(" ", text).replace("`", " ")
    text = text.replace("**", "").replace("__", "").replace("$", "")
    text = _EMPHASIS.sub(r"\2", text)
    return _QUOTED.sub(r"\2", text)


# ---------------------------------------------------------------- commands

_COMMAND = re.compile(r"(?<![A-Za-z])(move|roll)\s+([xyz])\s*(?:[:=]\s*)?(?:([+-])\s*)?(\d+(?:\.\d+)?)(?!\d)", re.I)


def find_commands(text: str) -> list[Operation]:
    """Every well-formed command in a cleaned reply, in reading order (an amount too long to be
    a finite float is not a number of the grammar and its command is passed over)."""
    found = []
    for match in _COMMAND.finditer(text):
        value = float(match[4])
        if math.isfinite(value):
            found.append(Operation(match[1], match[2], -value if match[3] == "-" else value))
    return found


def _docking(commands: list[Operation]) -> Docking | None:
    for first, second in reversed(list(zip(commands, commands[1:]))):
        if first.kind != second.kind:
            pair = {first.kind: first, second.kind: second}
            return Docking(pair["roll"], pair["move"])
    rolls = [c for c in commands if c.kind == "roll"]
    moves = [c for c in commands if c.kind == "move"]
    if not rolls and not moves:
        return None
    return Docking(rolls[-1] if rolls else None, moves[-1] if moves else None)


# ---------------------------------------------------------------- letters

# Matched against the stripped reply; no two optional whitespace runs touch (linear time).
_WHOLE_LETTER = re.compile(
    r"(?:(?:final\s+)?answer(?:\s*is)?\s*(?:[:\-]\s*)?)?(?:(?:option|choice)\s*)?"
    r"(?:[(\[]\s*)?([a-d])(?:\s*[)\]])?(?:\s*[.!])?", re.I)
_RANGE = re.compile(r"(?<![A-Za-z])[A-D]\s*(?:-|to|through)\s*[A-D](?![A-Za-z])")
_STRONG_LETTER = re.compile(
    r"[(\[]\s*([a-d])\s*[)\]]"
    r"|(?<![A-Za-z])(?:option|choice|answer|letter)(?:\s+is)?\s*(?:[:\-]\s*)?([a-d])(?![A-Za-z0-9'])", re.I)
_BARE_LETTER = re.compile(r"(?<![A-Za-z0-9'=-])([A-D])(?![A-Za-z0-9'=-])")
_ARTICLE_NEXT = re.compile(r"\s+([a-z]+)")
_CLOSES_ANSWER = re.compile(r"[ \t]*(?:[.,;:!?)\]]|$)", re.M)
# After a bare "A", these words mean "A" is the choice, not the article.
_CHOICE_VERBS = frozenset({
    "is", "was", "seems", "looks", "matches", "appears", "fits", "shows", "corresponds",
    "should", "would", "must", "could", "because", "since", "as",
})


def _letter_candidates(text: str) -> list[tuple[int, str]]:
    found = []
    for match in _STRONG_LETTER.finditer(text):
        letter = match[1] or match[2]
        end = match.end()
        if letter.islower() and match[2] and not _CLOSES_ANSWER.match(text, end):
            continue  # "the answer is a rotation": the article, not option A
        found.append((match.start(), letter.upper()))
    for match in _BARE_LETTER.finditer(text):
        if match[1] == "A":
            following = _ARTICLE_NEXT.match(text, match.end())
            if following and following[1] not in _CHOICE_VERBS:
                continue
        found.append((match.start(), match[1]))
    return found


def find_choice(text: str, options: Sequence[str] = ()) -> Choice | None:
    whole = _WHOLE_LETTER.fullmatch(text.strip())
    if whole:
        return Choice(whole[1].upper())
    candidates = _letter_candidates(_RANGE.sub(" ", text))
    if candidates:
        return Choice(max(candidates)[1])
    return _choice_from_option_text(text, options)


def _fold(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return re.sub(r" ?, ?", ", ", text)


def _choice_from_option_text(text: str, options: Sequence[str]) -> Choice | None:
    """T8 options are texts: a reply may repeat one instead of naming its letter."""
    folded, best = _fold(text), None
    for letter, option in zip(LETTERS, options):
        if len(option.strip()) <= 1:  # image options are only placeholders "A".."D"
            continue
        pattern = re.compile(r"(?<![\w.+-])" + re.escape(_fold(option)) + r"(?![\w.])")
        hits = [m.start() for m in pattern.finditer(folded)]
        if hits and (best is None or hits[-1] > best[0]):
            best = (hits[-1], letter)
    return Choice(best[1]) if best else None


# ---------------------------------------------------------------- bonds

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
    bonds = []
    for match in (_T9_BOND_RE if t9 else _T4_BOND_RE).finditer(span):
        g = match.groups()
        bonds.append(_bond(g[0], g[2], g[4], g[1], g[3] or "") if t9 else _bond(*g))
    return BondList(frozenset(bonds))


def find_bonds(text: str, task: str) -> BondList | None:
    t9 = task == "pocket_ligand_interaction"
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


# ---------------------------------------------------------------- entry point

def parse_prediction(task: str, text: str | None, options: Sequence[str] = ()) -> Answer | None:
    """A model's reply read leniently; None when nothing in it follows the grammar.

    ``options`` (the record's option texts) lets a T8 reply name an option by its text.
    """
    check_task(task)
    if not text:
        return None
    text = clean(text[-MAX_REPLY_CHARS:])
    if task in COMMAND_TASKS:
        commands = find_commands(text)
        return commands[-1] if commands else None
    if task == "docking":
        return _docking(find_commands(text))
    if task in CHOICE_TASKS:
        return find_choice(text, options)
    return find_bonds(text, task)
