"""Element facts used across the pipeline, taken from RDKit's periodic table."""

from __future__ import annotations

from functools import lru_cache

from rdkit import Chem

_PERIODIC_TABLE = Chem.GetPeriodicTable()

# ChimeraX's Element::is_metal: Li, Be, Na, Mg, Al, K-Ge, Rb-Sb, Cs-Po, Fr-Lr.
_METAL_NUMBERS = frozenset(
    [3, 4, 11, 12, 13]
    + list(range(19, 33))
    + list(range(37, 52))
    + list(range(55, 85))
    + list(range(87, 104))
)


def normalize_symbol(symbol: str) -> str:
    """'ZN' / 'zn' / ' Zn' -> 'Zn'; unknown symbols are returned capitalised."""
    text = symbol.strip()
    return text[:1].upper() + text[1:].lower()


_NUMBER_BY_SYMBOL = {_PERIODIC_TABLE.GetElementSymbol(n): n for n in range(1, 119)}
_NUMBER_BY_SYMBOL["D"] = 1  # deuterium, as PDB files write it


def atomic_number(symbol: str) -> int:
    """Atomic number of an element symbol, 0 when it is not an element."""
    return _NUMBER_BY_SYMBOL.get(normalize_symbol(symbol), 0)


@lru_cache(maxsize=None)
def covalent_radius(symbol: str) -> float:
    number = atomic_number(symbol)
    return _PERIODIC_TABLE.GetRcovalent(number) if number else 0.0


def is_metal(symbol: str) -> bool:
    return atomic_number(symbol) in _METAL_NUMBERS
