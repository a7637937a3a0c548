"""The registry of tasks: every module of this package that declares a ``TASK``, in the order of
their numbers (T1...). A task is added by adding its module (docs/architecture.md); nothing else
in the code names a task: it asks the registry's properties (answer kind, columns, facets, ...).
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Task


def _discover() -> dict[str, Task]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        task = getattr(importlib.import_module(f"{__name__}.{info.name}"), "TASK", None)
        if isinstance(task, Task):
            found.append(task)
    return {task.name: task for task in sorted(found, key=lambda task: task.number)}


TASKS: dict[str, Task] = _discover()

# Config names of the full benchmark, in task order.
ALL_CONFIGS = tuple(TASKS)
