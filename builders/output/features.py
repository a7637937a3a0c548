"""The features of every config, derived from the JSON schemas in ``schema/``, in the three forms
a build writes: the Arrow schema of the shards, the `datasets` feature metadata the shards carry,
and the ``dataset_info`` features of the card's YAML header.

The schemas are the single description of a row; the types follow from them: integer -> int32,
number -> float64, boolean -> bool, string -> string, array -> list, object -> struct
(properties in schema order), and the images column is a list of `datasets` Images.

A build writes all three itself instead of asking `datasets` for them: importing `datasets` (and
the pandas it loads) cost a build process ~0.4 s of CPU, and the metadata `datasets` writes depends on
its version (4 and later spell a list ``{"feature": …, "_type": "List"}``, earlier versions a JSON
list), so shards built beside different `datasets` versions would differ. The metadata is written
in the JSON-list spelling, which every `datasets` version reads as a list of that feature
(``datasets.Sequence`` would not do: before `datasets` 4 it means a struct of lists, while our rows
hold lists of structs). ``tests/builders/output/test_features.py`` checks each form against what
the installed `datasets` makes of it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pyarrow as pa

from misi_bench import schema

if TYPE_CHECKING:  # imported where used: a build never loads `datasets`
    import datasets

COMMON_COLUMNS = ("id", "task", "split", "pdb_id", "images", "image_roles", "question", "answer",
                  "question_type", "options", "params")

_SCALARS = {"integer": "int32", "number": "float64", "boolean": "bool", "string": "string"}
_IMAGE = {"_type": "Image"}  # a `datasets` Image (decoded on access), stored as {bytes, path}
_IMAGE_STORAGE = pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())])


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
    """The feature of one JSON-schema node, as `datasets` serialises features: a dict of
    features for a struct, a one-element list for a list, ``{"dtype": …, "_type": "Value"}``."""
    node = _resolve(node)
    kind = node.get("type")
    if kind == "object":
        return {name: feature_of(child) for name, child in node["properties"].items()}
    if kind == "array":
        return [feature_of(node["items"])]
    if kind in _SCALARS:
        return {"dtype": _SCALARS[kind], "_type": "Value"}
    raise ValueError(f"schema node without a supported type: {node}")


def task_feature_dict(task: str) -> dict:
    """Column -> feature (serialised form) of a config's rows, in column order."""
    row_schema = schema.load("row")
    params_schema = schema.load(task)["properties"]["params"]
    features = {}
    for column in COMMON_COLUMNS:
        if column == "images":
            features[column] = [_IMAGE]
        elif column == "params":
            features[column] = feature_of(params_schema)
        else:
            features[column] = feature_of(row_schema["properties"][column])
    return features


def _arrow_type(feature) -> pa.DataType:
    if isinstance(feature, list):
        return pa.list_(_arrow_type(feature[0]))
    if feature.get("_type") == "Value":
        return pa.type_for_alias(feature["dtype"])
    if feature == _IMAGE:
        return _IMAGE_STORAGE
    return pa.struct([pa.field(name, _arrow_type(child)) for name, child in feature.items()])


def task_schema(task: str) -> pa.Schema:
    """The Arrow schema of a config's shards, with the feature metadata `datasets` reads back
    (under ``huggingface``, as `datasets` itself stores it)."""
    features = task_feature_dict(task)
    metadata = {"huggingface": json.dumps({"info": {"features": features}})}
    return pa.schema([pa.field(name, _arrow_type(feature)) for name, feature in features.items()], metadata=metadata)


def _yaml_feature(feature) -> dict:
    """One feature as the card's YAML lists it (the short forms `datasets` writes there)."""
    if isinstance(feature, list):  # `datasets` shortens a list entry to its item's dtype or fields
        inner = _yaml_feature(feature[0])
        return {"list": inner.get("dtype", inner.get("struct", inner))}
    if feature.get("_type") == "Value":
        return {"dtype": feature["dtype"]}
    if feature == _IMAGE:
        return {"dtype": "image"}
    return {"struct": [{"name": name, **_yaml_feature(child)} for name, child in feature.items()]}


def yaml_features(task: str) -> list[dict]:
    """The ``features`` of a config's ``dataset_info`` in the card."""
    return [{"name": name, **_yaml_feature(feature)} for name, feature in task_feature_dict(task).items()]


def task_features(task: str) -> datasets.Features:
    """The config's `datasets` Features (what ``load_dataset`` gives the rows)."""
    import datasets

    return datasets.Features.from_dict(task_feature_dict(task))
