"""What every answer kind shares: the strict/lenient split, reply cleaning and the kind interface.

Ground truth (``parse_truth``) must match the grammar exactly; anything else is a dataset bug and
raises `ParseError`. Model replies (``parse_prediction``) are cut to their last
``MAX_REPLY_CHARS`` characters and cleaned (`clean`) before a kind's finder reads them; a reply
with nothing recognisable gives ``None`` (scored 0, counted unparsable). The lenient rules are
listed in docs/evaluation.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

# Only the last MAX_REPLY_CHARS characters of a reply are read (the last answer wins anyway); a
# marker or quote pair spans at most MAX_SPAN characters. Both keep every reply linear in time.
MAX_REPLY_CHARS = 32_768
MAX_SPAN = 500


class ParseError(ValueError):
    """A ground-truth answer that is not in the answer grammar (docs/conventions.md)."""


@dataclass(frozen=True)
class MetricConfig:
    """The scoring constants; defaults are the scores of docs/conventions.md."""

    translation_range: float = 8.0  # Å, width of -4..4: the graded score of a "move" answer
    rotation_range: float = 180.0  # degrees, width of -90..90: the graded score of a "roll" answer
    docking_rotation_weight: float = 0.5  # the translation part gets the rest
    bond_superset_score: float = 0.5  # every true bond plus extra ones
    bond_overcount_ratio: float = 2.0  # more distinct bonds than ratio x truth scores 0

    def command_range(self, kind: str) -> float:
        """The width R of a graded command score ``max(0, 1 - |d^ - d| / R)``."""
        return self.translation_range if kind == "move" else self.rotation_range


DEFAULT_CONFIG = MetricConfig()


class AnswerKind:
    """The answer grammar of one kind of task: what a task module picks for its ``answer``.

    ``family`` names the kind for people (the gallery groups tasks by it); the methods are the
    strict truth parser, the lenient reply reader (on a cleaned reply), the printer of the truth
    string, the composite score and one draw of the random baseline. A kind whose questions fall
    into subsets the paper reports apart (``ReportColumn.subset``) names them in ``subsets``
    (subset -> what its questions have) and sorts a truth into one with ``subset_of``.
    """

    family: str = ""
    subsets: Mapping[str, str] = {}

    def subset_of(self, truth: Any) -> str:
        raise NotImplementedError

    def parse_truth(self, text: str) -> Any:
        raise NotImplementedError

    def read(self, cleaned: str, options: Sequence[str]) -> Any | None:
        raise NotImplementedError

    def format(self, value: Any) -> str:
        raise NotImplementedError

    def score(self, predicted: Any, truth: Any, config: MetricConfig) -> float:
        """Composite score in 0..1 of a parsed reply of the truth's type (exact match by default)."""
        return 1.0 if predicted == truth else 0.0

    def random_answer(self, rng: np.random.Generator, row: Mapping) -> str:
        raise NotImplementedError

    def parse_prediction(self, text: str | None, options: Sequence[str] = ()) -> Any | None:
        """A model's reply read leniently; None when nothing in it follows the grammar."""
        if not text:
            return None
        return self.read(clean(text[-MAX_REPLY_CHARS:]), options)


def pick(rng: np.random.Generator, values: Sequence):
    """One of ``values``, uniform (the random baseline's draw)."""
    return values[int(rng.integers(len(values)))]


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
