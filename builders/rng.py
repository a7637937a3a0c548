"""Per-question random generators (docs/conventions.md, Determinism).

Each stream is a local ``numpy.random.Generator`` seeded from a SHA-256 of (seed, task, split,
pdb_id, index), so a question's draws never depend on worker count, order, or which other
complexes exist. Draws made once per complex (e.g. which negative residues to ask about) use
``COMPLEX_LEVEL`` as the index.
"""

from __future__ import annotations

import hashlib

import numpy as np

COMPLEX_LEVEL = -1


def question_rng(seed: int, task: str, split: str, pdb_id: str, index: int) -> np.random.Generator:
    key = f"misi-bench/{seed}/{task}/{split}/{pdb_id}/{index}".encode()
    words = np.frombuffer(hashlib.sha256(key).digest(), dtype=np.uint32)
    return np.random.Generator(np.random.PCG64(words))
