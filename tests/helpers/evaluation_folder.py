"""Hand-made build folders for the evaluation tests: Parquet shards + manifest in the build's
layout, answers drawn in the answer grammar, so every task is covered without a real build."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image

from misi_bench.evaluation import TASKS

MULTIPLE_CHOICE = ("translation_rotation", "rotation_rotation", "interaction_location")


SAMPLE_TASKS = ("translation", "residue_ligand_interaction")


def _png(shade: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (shade, shade, shade)).save(buffer, format="PNG")
    return buffer.getvalue()


def _bonds(rng: np.random.Generator, with_position: bool) -> str:
    bonds = []
    for k in range(int(rng.integers(1, 4))):
        atom, ligand = ("N", "O", "OG", "NZ")[k], f"O{int(rng.integers(1, 30))}"
        bonds.append(f"SER {100 + k} {atom} A, {ligand}" if with_position else f"SER {atom}, {ligand}")
    return "; ".join(bonds)


def make_answer(task: str, rng: np.random.Generator) -> tuple[str, list[str]]:
    """A ground-truth answer in the answer grammar of docs/conventions.md, and the options (T8 only)."""
    nonzero = lambda lo, hi, step=1: [v for v in range(lo, hi + 1, step) if v]  # noqa: E731
    if task == "translation":
        return f"move {rng.choice(['x', 'y'])} {rng.choice(nonzero(-4, 4))}", []
    if task == "rotation":
        return f"roll {rng.choice(['x', 'y', 'z'])} {rng.choice(nonzero(-90, 90, 15))}", []
    if task == "zooming":
        return f"move z {rng.integers(40, 61)}", []
    if task == "docking":
        return f"roll {rng.choice(['x', 'y', 'z'])} {rng.choice(nonzero(-90, 90, 15))}, move x {rng.choice(nonzero(-20, 20))}", []
    if task == "residue_ligand_interaction":
        return ("No" if rng.random() < 0.5 else "Yes: " + _bonds(rng, False)), []
    if task == "pocket_ligand_interaction":
        return ("No" if rng.random() < 0.2 else _bonds(rng, True)), []
    letter = str(rng.choice(list("ABCD")))
    options = [f"move x {i + 1}, move y {-i - 2}" for i in range(4)] if task == "interaction_location" else list("ABCD")
    return letter, options


def make_rows(task: str, split: str, n: int, seed: int = 0) -> list[dict]:
    rng = np.random.default_rng([seed, TASKS.index(task), len(split)])
    rows = []
    for i in range(n):
        answer, options = make_answer(task, rng)
        rows.append({
            "id": f"{task}-{split}-{i:04d}-000", "task": task, "split": split, "pdb_id": f"{i:04d}",
            "images": [{"bytes": _png(10 * k), "path": None} for k in range(3)],
            "image_roles": ["front", "left", "top"],
            "question": f"Question {i} of {task}.", "answer": answer,
            "question_type": "multiple_choice" if task in MULTIPLE_CHOICE else "cloze",
            "options": options, "params": {"index": i},
        })
    return rows


def make_folder(out: Path, rows_by_config: dict[str, dict[str, list[dict]]]) -> Path:
    """A folder in the build's layout: data/<config>/<split>-00000-of-00001.parquet + manifest."""
    configs = {}
    for task, per_split in rows_by_config.items():
        configs[task] = {}
        for split, rows in per_split.items():
            relative = f"data/{task}/{split}-00000-of-00001.parquet"
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pylist(rows), out / relative)
            configs[task][split] = {"rows": len(rows), "shards": [{"path": relative, "rows": len(rows)}]}
    (out / "manifest.json").write_text(json.dumps({"dataset": "MiSI-Bench", "configs": configs}))
    return out
