"""Which implementation of the rasterizer's hot loops runs: numpy (the reference) or the
compiled kernels of ``kernels.py`` (numba, the optional extra ``fast``), which give the same
pixels.

The kernels run when numba imports, unless the environment variable ``MISI_BENCH_KERNEL`` is
``numpy``; ``MISI_BENCH_KERNEL=numba`` makes a missing numba an error instead of a silent
fallback. numba is imported only when the kernels are used: it adds ~60 MiB to a process.
Compiled code is cached on disk (numba's ``cache=True``: in ``__pycache__`` next to
``kernels.py``, in the user's cache directory when that is read-only, or in ``NUMBA_CACHE_DIR``),
so only the first process after an install compiles (~3 s).
"""

from __future__ import annotations

import os
from types import ModuleType

ENV = "MISI_BENCH_KERNEL"
CHOICES = ("auto", "numba", "numpy")


class KernelChoiceError(ValueError):
    """A ``MISI_BENCH_KERNEL`` that no render can honour."""


def choice() -> str:
    """``MISI_BENCH_KERNEL``, checked (default ``auto``)."""
    value = os.environ.get(ENV, "").strip().lower() or "auto"
    if value not in CHOICES:
        raise KernelChoiceError(f"{ENV} must be one of {', '.join(CHOICES)}, got {value!r}")
    return value


def compiled_kernels() -> ModuleType | None:
    """The ``kernels`` module when the compiled kernels run, None for the numpy path. Read at
    every call, so a process can switch paths through the environment."""
    wanted = choice()
    if wanted == "numpy":
        return None
    try:
        from . import kernels
    except ImportError as error:
        if wanted == "numba":
            raise ImportError(f"{ENV}=numba but the kernels cannot load ({error}); "
                              "install numba: pip install 'misi-bench[fast]'") from error
        return None
    return kernels


def check() -> None:
    """Raise KernelChoiceError now for a ``MISI_BENCH_KERNEL`` that no render could honour (an
    unknown value, or numba demanded but not loadable), so a command stops before any work
    instead of every render failing."""
    if choice() == "numba":
        try:
            compiled_kernels()
        except ImportError as error:
            raise KernelChoiceError(str(error)) from None
