"""Assemble and validate dataset rows (shared by every task). Imported by build workers, so
it stays free of `datasets`."""

from __future__ import annotations

from collections.abc import Callable

from misi_bench import schema

from ..tasks.base import ComplexContext, QuestionSpec, Task


class RecordError(ValueError):
    """A row that does not match its task's schema; the build stops (a bug, not bad input)."""


def question_id(task: str, split: str, pdb_id: str, index: int) -> str:
    return f"{task}-{split}-{pdb_id}-{index:03d}"


def assemble(task: Task, ctx: ComplexContext, split: str, index: int, spec: QuestionSpec) -> dict:
    """A full row: images rendered through the context's cache, scenes recorded in params."""
    return {
        "id": question_id(task.name, split, ctx.pdb_id, index),
        "task": task.name,
        "split": split,
        "pdb_id": ctx.pdb_id,
        "images": [ctx.render(image.scene, image.complex, task.image_scale) for image in spec.images],
        "image_roles": [image.role for image in spec.images],
        "question": spec.question,
        "answer": spec.answer,
        "question_type": task.question_type,
        "options": list(spec.options),
        "params": {**spec.params, "scenes": [ctx.sized(image.scene, task.image_scale).to_json() for image in spec.images]},
    }


def json_form(row: dict, digest: Callable[[bytes], str] = schema.image_digest) -> dict:
    """The row as the schema describes it: each image given by its sha256 (``digest``: a cached
    one, e.g. ``ComplexContext.digest``)."""
    if "images" not in row:
        return dict(row)
    return {**row, "images": [digest(_png_bytes(img)) for img in row["images"]]}


def _png_bytes(image) -> bytes:
    return image["bytes"] if isinstance(image, dict) else image


def schema_errors(row: dict, digest: Callable[[bytes], str] = schema.image_digest) -> list[str]:
    form = json_form(row, digest)
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<row>'}: {e.message}"
              for e in schema.validator(row["task"]).iter_errors(form)]
    if errors:
        return errors
    for number, image in enumerate(row["images"]):
        if not _png_bytes(image).startswith(b"\x89PNG\r\n\x1a\n"):
            errors.append(f"images/{number}: not a PNG")
    if not len(row["image_roles"]) == len(row["images"]) == len(row["params"]["scenes"]):
        errors.append("images, image_roles and params/scenes differ in length")
    return errors


def validate(row: dict, digest: Callable[[bytes], str] = schema.image_digest) -> None:
    errors = schema_errors(row, digest)
    if errors:
        raise RecordError(f"{row.get('id', '?')}: " + "; ".join(errors[:5]))
