"""`datasets` features of every config, derived from the JSON schemas in ``schema/``.

The schemas are the single description of a row; the Arrow types follow from them: integer ->
int32, number -> float64, boolean -> bool, string -> string, array -> list, object -> struct
(properties in schema order).

Lists are written as plain Python lists (``[feature]``), which every `datasets` version reads as
a list of that feature. ``datasets.Sequence({...})`` would not do: before `datasets` 4 it means a
struct of lists, while our rows hold lists of structs (bonds, options, image scenes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from misi_bench import schema

if TYPE_CHECKING:  # imported where used: a command that fails early need not load `datasets`
    import datasets

COMMON_COLUMNS = ("id", "task", "split", "pdb_id", "images", "image_roles", "question", "answer",
                  "question_type", "options", "params")

_SCALARS = {"integer": "int32", "number": "float64", "boolean": "bool", "string": "string"}


def _resolve(node: dict) -> dict:
    ref = node.get("$ref")
    if not ref:
        return node
    file_name, _, pointer = ref.partition("#")
    target = schema.load(file_name)
    for part in [p for p in pointer.split("/") if p]:
        target = target[part]
    return _resolve(target)


def feature_of(node: dict):
    """The datasets feature for one JSON-schema node."""
    node = _resolve(node)
    kind = node.get("type")
    if kind == "object":
        return {name: feature_of(child) for name, child in node["properties"].items()}
    if kind == "array":
        return [feature_of(node["items"])]
    if kind in _SCALARS:
        from datasets import Value

        return Value(_SCALARS[kind])
    raise ValueError(f"schema node without a supported type: {node}")


def task_features(task: str) -> datasets.Features:
    import datasets

    row_schema = schema.load("row")
    task_schema = schema.load(task)
    features = {}
    for column in COMMON_COLUMNS:
        if column == "images":
            features[column] = [datasets.Image()]
        elif column == "params":
            features[column] = feature_of(task_schema["properties"]["params"])
        else:
            features[column] = feature_of(row_schema["properties"][column])
    return datasets.Features(features)
