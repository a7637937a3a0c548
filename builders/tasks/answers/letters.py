"""Answers that are a letter A-D (T5, T6 with image options; T8 with text options).

Lenient reading: a whole reply that is a letter in any case (``c``, ``(c)``, ``Answer: c.``);
otherwise the last of ``(B)``, ``[B]``, ``Option/Choice/Answer [is] B`` (a lower-case letter here
only when punctuation or the line end follows) and a bare upper-case ``B`` token (not touching a
letter, digit, ``'``, ``-`` or ``=``). A bare ``A`` followed by an ordinary lower-case word is the
article and is skipped; ranges such as ``A-D`` are skipped. With text options, a reply without
any letter that contains an option's text picks that option (last occurrence wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .kind import AnswerKind, ParseError, pick

LETTERS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Choice:
    letter: str


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



@dataclass(frozen=True)
class ChoiceAnswer(AnswerKind):
    """One of the letters A-D; ``options`` says what the letters stand for: ``"image"`` (the
    option images, the options column holds the letters) or ``"text"`` (the options column holds
    the option texts)."""

    options: str
    family: str = "multiple choice"

    def parse_truth(self, text: str) -> Choice:
        if len(text) != 1 or text not in LETTERS:
            raise ParseError(f"answer {text!r} is not one of A-D")
        return Choice(text)

    def read(self, cleaned: str, options: Sequence[str]) -> Choice | None:
        return find_choice(cleaned, options)

    def format(self, value: Choice) -> str:
        return value.letter

    def random_answer(self, rng: np.random.Generator, row: Mapping) -> str:
        return pick(rng, LETTERS)
