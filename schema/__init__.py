"""JSON Schemas of the dataset rows: ``row.schema.json`` (shared) and one per task.

``validator(task)`` returns a jsonschema validator whose ``$ref`` to the shared files resolve
from this package, so validation works offline and from an installed wheel.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

SHARED_FILES = ("row.schema.json", "definitions.schema.json")


def load(name: str) -> dict:
    """A schema file of this package by file name (``rotation.schema.json``) or task name."""
    file_name = name if name.endswith(".json") else f"{name}.schema.json"
    return json.loads(resources.files(__name__).joinpath(file_name).read_text(encoding="utf-8"))


def image_digest(png: bytes) -> str:
    """An image as the rows' JSON form and the manifest name it: the sha256 (hex) of its PNG."""
    return hashlib.sha256(png).hexdigest()


@lru_cache(maxsize=None)
def _registry() -> Registry:
    resources_ = [(name, Resource.from_contents(load(name))) for name in SHARED_FILES]
    return Registry().with_resources(resources_)


@lru_cache(maxsize=None)
def validator(task: str) -> Draft202012Validator:
    return Draft202012Validator(load(task), registry=_registry())
