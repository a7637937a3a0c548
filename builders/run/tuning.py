"""Process settings that make a build's own processes cheaper to run; the pixels and bytes do not
depend on them.

- Freed memory is kept for the next render (glibc only). Every render allocates its z-buffer,
  fragment and shading arrays afresh, a few MiB each. glibc hands freed memory above its trim
  threshold back to the kernel and serves large requests with a fresh ``mmap``, so the next
  render touches pages the kernel must fault in and zero again: on a one-worker sample build
  ~160,000 extra page faults, a third of a second of system time. Fixed thresholds (``mmap``
  only above 32 MiB, trim only above 512 MiB free at the top of the heap) let the pages be
  reused; peak RSS moves by a few percent (docs/rendering.md).
- The objects that exist once the process is set up (modules, the job) are moved out of the
  garbage collector's sight (``gc.freeze``): they live as long as the process, and every full
  collection would otherwise walk them again.
- pandas is kept out. pyarrow imports it, when it is installed, only to ask whether the values it
  converts are pandas objects; a build hands it plain lists, and pandas would cost ~0.2 s of CPU
  and ~41 MiB in every build process. Here ``import pandas`` fails, so pyarrow goes on without it
  (nothing a build runs needs pandas: its features are written without `datasets`, see
  ``output/features.py``).

Applied to the ``misi-bench build`` program and to the pool workers a local build starts (its own
processes, also when ``build()`` is called from Python), never to the process that calls
``build()`` or ``main([...])`` from Python, nor to a Dask worker: those are not ours to tune.
"""

from __future__ import annotations

import ctypes
import gc
import importlib.abc
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest allowed value on 64-bit
TRIM_THRESHOLD = 512 * 1024 * 1024


def tune_build_process() -> None:
    """Every setting, once the process has imported what it needs."""
    keep_freed_memory()
    keep_pandas_out()
    gc.freeze()


def keep_pandas_out() -> None:
    """Make ``import pandas`` fail in this process, unless pandas is loaded already."""
    if "pandas" not in sys.modules and not any(isinstance(finder, _NoPandas) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())


class _NoPandas(importlib.abc.MetaPathFinder):
    """Makes ``import pandas`` raise ModuleNotFoundError."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "pandas":
            raise ModuleNotFoundError("pandas is not loaded in misi-bench build processes", name=name)
        return None


def keep_freed_memory() -> bool:
    """Set glibc's thresholds for this process; False where there is no glibc ``mallopt``."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
