"""lmms-eval hooks for MiSI-Bench: dataset location, images, prompt, target and per-question scores.

Needs ``misi-bench`` installed next to lmms-eval (the scores come from
``misi_bench.evaluation``, the same code as ``misi-bench evaluate``). Per-question
metrics are on the paper's 0-100 scale, so a task's ``mean`` equals the number that
``misi-bench evaluate`` reports for it.

``dataset_path`` is not a hook but a string: the task template reads it with ``!function
utils.dataset_path`` (lmms-eval's ``!function`` returns the named attribute of this module), so
the dataset is set once with the environment variable ``MISI_BENCH_DATASET`` instead of by
editing the YAML.
"""

from __future__ import annotations

import io
import os
from typing import Any, Mapping, Sequence

from PIL import Image

from misi_bench.evaluation import judge, parse_truth
from misi_bench.evaluation.report import COLUMNS, SPLIT_TASKS, subset_of

SUBSETS = tuple(dict.fromkeys(c.subset for c in COLUMNS if c.subset))  # positive, negative
DATASET_ENV = "MISI_BENCH_DATASET"
DEFAULT_DATASET = "MiSI-bench"


def resolve_dataset_path(value: str | None) -> str:
    """A build folder as an absolute path (``~`` and relative paths resolved against the working
    directory), or the value unchanged when no such folder exists (a Hub repository id)."""
    value = (value or "").strip() or DEFAULT_DATASET
    folder = os.path.expanduser(value)
    return os.path.abspath(folder) if os.path.isdir(folder) else value


dataset_path = resolve_dataset_path(os.environ.get(DATASET_ENV))


def _image(item: Any) -> Image.Image:
    """A PIL image from a decoded `datasets` Image, an Arrow ``{"bytes": ...}`` dict or raw bytes."""
    if isinstance(item, Image.Image):
        return item.convert("RGB")
    data = item.get("bytes") if isinstance(item, Mapping) else item
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(f"cannot read an image from {type(item).__name__}")
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")


def doc_to_visual(doc: Mapping) -> list[Image.Image]:
    """The question's images, in the order the question numbers them."""
    return [_image(item) for item in doc["images"]]


def doc_to_text(doc: Mapping, lmms_eval_specific_kwargs: Mapping | None = None) -> str:
    """The question text with optional ``pre_prompt`` / ``post_prompt`` from the task YAML."""
    kwargs = lmms_eval_specific_kwargs or {}
    pre, post = kwargs.get("pre_prompt", ""), kwargs.get("post_prompt", "")
    return f"{pre}{doc['question']}{post}"


def doc_to_target(doc: Mapping) -> str:
    return doc["answer"]


def process_results(doc: Mapping, results: Sequence[str]) -> dict[str, float | None]:
    """Scores of the model's first reply: composite and exact match, 0-100.

    For the questions of a task the paper reports in two columns (residue-ligand: positives and
    negatives) the composite is repeated under ``misi_composite_positive`` or
    ``misi_composite_negative`` (None under the other).
    """
    reply = results[0] if results else None
    task = doc["task"]
    judged = judge(task, reply, doc)  # the reply and the truth parsed once
    scores: dict[str, float | None] = {
        "misi_composite": 100.0 * judged.score,
        "misi_exact": 100.0 * judged.exact,
    }
    if task in SPLIT_TASKS:
        subset = subset_of(task, judged.truth)
        for name in SUBSETS:
            scores[f"misi_composite_{name}"] = scores["misi_composite"] if subset == name else None
    return scores


def mean_of_present(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None (aggregation of the subset metrics)."""
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _subset(task: str, answer: str) -> str:
    """``misi-bench evaluate``'s subset of a question: "positive" (the answer lists bonds) or "negative"."""
    return subset_of(task, parse_truth(task, answer))


def _only(subset: str):
    """``process_docs`` of a subset column's task (e.g. res-lig pos): the questions of that subset."""

    def process_docs(dataset):
        return dataset.filter(lambda task, answer: _subset(task, answer) == subset, input_columns=["task", "answer"])

    return process_docs


positives = _only("positive")  # the questions whose answer lists bonds
negatives = _only("negative")  # the questions whose answer is No
