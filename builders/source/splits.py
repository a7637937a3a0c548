"""Train/test assignment of complexes.

Default (our choice, the paper's id lists are not published): hash the lower-case PDB id with a
fixed salt; an id goes to ``test`` when the hash, read as a fraction of 2**64, is below
490/3993, the paper's test fraction. The assignment of an id never depends on which other ids
exist or in what order they come. A split file overrides it: JSON ``{"train": [...], "test": [...]}``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SPLITS = ("train", "test")
TEST_FRACTION = 490 / 3993
SPLIT_SALT = "misi-bench/split/v1"


class SplitFileError(ValueError):
    """The split file is unreadable, malformed, or names ids that are not in the corpus."""


def hashed_split(pdb_id: str, salt: str = SPLIT_SALT, test_fraction: float = TEST_FRACTION) -> str:
    digest = hashlib.sha256(f"{salt}:{pdb_id.lower()}".encode()).digest()
    fraction = int.from_bytes(digest[:8], "big") / 2**64
    return "test" if fraction < test_fraction else "train"


def read_split_file(path: Path) -> dict[str, str]:
    """Map pdb id -> split from a JSON split file."""
    try:
        content = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SplitFileError(f"cannot read split file {path}: {' '.join(str(error).split())[:200]}") from None
    except RecursionError:
        raise SplitFileError(f"cannot read split file {path}: nested too deeply") from None
    if not isinstance(content, dict) or not set(content) <= set(SPLITS):
        raise SplitFileError(f"split file {path} must be a JSON object with keys among {list(SPLITS)}")
    assignment: dict[str, str] = {}
    for split, ids in content.items():
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise SplitFileError(f"split file {path}: '{split}' must be a list of PDB ids")
        for pdb_id in ids:
            key = pdb_id.lower()
            if key in assignment and assignment[key] != split:
                raise SplitFileError(f"split file {path}: {key} is in both {assignment[key]} and {split}")
            assignment[key] = split
    return assignment


def assign_splits(pdb_ids: list[str], split_file: Path | None = None) -> dict[str, str]:
    """Split of every id. With a split file, ids missing from it are left out of the build
    and ids it names that are not in the corpus are an error."""
    ids = [i.lower() for i in pdb_ids]
    if split_file is None:
        return {pdb_id: hashed_split(pdb_id) for pdb_id in ids}
    assignment = read_split_file(split_file)
    unknown = sorted(set(assignment) - set(ids))
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise SplitFileError(f"split file names {len(unknown)} id(s) not in the corpus: {shown}")
    return {pdb_id: assignment[pdb_id] for pdb_id in ids if pdb_id in assignment}
