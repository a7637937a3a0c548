"""The answer kinds a task module picks from (answer grammar, reading, printing, scoring, random
baseline); the values they parse to. docs/conventions.md states the grammar and the scores."""

from .bonds import NO, Bond, BondAnswer, BondList
from .commands import CommandAnswer, Docking, DockingAnswer, nonzero
from .letters import LETTERS, Choice, ChoiceAnswer
from .kind import DEFAULT_CONFIG, AnswerKind, MetricConfig, ParseError

__all__ = [
    "DEFAULT_CONFIG", "LETTERS", "NO", "AnswerKind", "Bond", "BondAnswer", "BondList", "Choice", "ChoiceAnswer",
    "CommandAnswer", "Docking", "DockingAnswer", "MetricConfig", "ParseError", "nonzero",
]
