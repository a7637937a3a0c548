"""Pool workers end when the build process that started them dies (even by ``kill -9``).

Otherwise a killed build leaves its workers blocked on a pipe forever, each holding hundreds of
MB. Two mechanisms: on Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` has the kernel kill the worker
the moment its parent exits; everywhere, a daemon thread checks once a second that the parent is
still the same process and ends the worker when it is not (the kernel's signal also misses a
parent that died before the worker got this far, which the watchdog catches).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
CHECK_SECONDS = 1.0


def exit_with_parent(parent_pid: int) -> None:
    """Call in a worker process: it ends as soon as ``parent_pid`` is no longer its parent."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the watchdog alone does it
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="orphan-guard", daemon=True).start()


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(CHECK_SECONDS)
    os._exit(1)
