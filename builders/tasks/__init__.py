"""The registry of tasks, in the spec's order (T1...)."""

from __future__ import annotations

from . import (docking, interaction_location, pocket_ligand_interaction, residue_ligand_interaction, rotation,
               rotation_rotation, translation, translation_rotation, zooming)
from .base import Task

TASKS: dict[str, Task] = {
    module.TASK.name: module.TASK
    for module in (translation, rotation, zooming, residue_ligand_interaction, translation_rotation,
                   rotation_rotation, docking, interaction_location, pocket_ligand_interaction)
}

# Config names of the full benchmark; the composite ones arrive with their issue.
ALL_CONFIGS = (
    "translation", "rotation", "zooming", "residue_ligand_interaction", "translation_rotation",
    "rotation_rotation", "docking", "interaction_location", "pocket_ligand_interaction",
)
