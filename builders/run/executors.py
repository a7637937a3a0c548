"""Where per-complex work runs: in this process, in a local process pool, or on a Dask cluster.

Every executor is used the same way: ``completed_results(submit, wait_first, ids, window)``
yields one result per id as soon as it is done and keeps at most ``window`` complexes in flight;
each result is checkpointed at once (by a local worker itself, or by the build for Dask) and
rows are written in sorted id order from the checkpoints, so finished results never pile up in
memory and a slow complex never idles the pool. The output is the same bytes whichever executor
runs the work (docs/conventions.md, Determinism).

Dask rather than Ray: Dask's ``Client.submit`` futures map one to one onto this ordered window,
it is a small pure-Python install, its scheduler address (``tcp://host:8786``) is all a user
passes, and ``dask-jobqueue`` starts workers on the SLURM/PBS clusters where PDBbind builds run.
Ray would bring a much larger runtime and object store for no gain here. Dask workers must see the
PDBbind directory at the same path as the machine running ``misi-bench build`` (the results travel
back through the scheduler; only the build machine writes files), and should run one thread each
(``dask worker ADDR --nthreads 1 --nworkers N``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice

from .orphan_guard import exit_with_parent
from .tuning import tune_build_process

EXECUTORS = ("local", "dask")


class ExecutorError(ValueError):
    """The executor cannot start (dask not installed, scheduler unreachable)."""


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def completed_results(submit: Callable, wait_first: Callable, ids: Iterable[str], window: int) -> Iterator:
    """Results of ``submit(id)`` as they complete, at most ``window`` in flight: a slow complex
    does not leave the other workers idle, and a finished result is handed over at once."""
    remaining = iter(ids)
    pending = {submit(i) for i in islice(remaining, max(1, window))}
    while pending:
        done, pending = wait_first(pending)
        pending = set(pending)
        for future in done:
            following = next(remaining, None)
            if following is not None:
                pending.add(submit(following))
            yield future.result()


def _inline_wait(pending):
    return set(pending), set()


def _pool_wait(pending):
    from concurrent.futures import FIRST_COMPLETED, wait

    return wait(pending, return_when=FIRST_COMPLETED)


def _dask_wait(client):
    from distributed import wait

    def wait_first(pending):
        with client.as_current():  # the client is not the process-wide default
            return wait(list(pending), return_when="FIRST_COMPLETED")

    return wait_first


def _pool_worker_init(parent_pid: int, init: Callable, job) -> None:
    """A local pool worker: end with the build process (orphan_guard.py), set the job up, then
    tune the process (tuning.py: among others, pandas is kept out). Only in our own pool: a Dask
    worker's process is not ours to change."""
    exit_with_parent(parent_pid)
    init(job)
    tune_build_process()


_initialized_key = None


def _run_with_job(init: Callable, run: Callable, job, item):
    """On a Dask worker: set the job up once per process (per job key), then run one item."""
    global _initialized_key
    if _initialized_key != job.key:
        init(job)
        _initialized_key = job.key
    return run(item)


@contextmanager
def open_executor(kind: str, workers: int, scheduler: str | None, job, init: Callable, run: Callable):
    """Yields ``(submit, wait_first, window)``. ``init(job)`` prepares a process; ``run(item)`` does one item.
    ``job`` must be picklable and carry a ``key`` attribute naming it."""
    if kind == "local" and workers <= 1:
        init(job)
        yield (lambda item: _Done(run(item))), _inline_wait, 1
    elif kind == "local":
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_pool_worker_init,
                                 initargs=(os.getpid(), init, job)) as pool:
            try:
                yield (lambda item: pool.submit(run, item)), _pool_wait, 2 * workers
            except BaseException:  # Ctrl-C or an error: do not finish the queued complexes first
                pool.shutdown(wait=False, cancel_futures=True)
                raise
    elif kind == "dask":
        with _dask_client(scheduler) as client:
            threads = sum(client.nthreads().values()) or 1
            [job_future] = client.scatter([job], broadcast=True, hash=False)
            yield (lambda item: client.submit(_run_with_job, init, run, job_future, item, pure=False)), _dask_wait(client), 2 * threads
    else:
        raise ExecutorError(f"unknown executor {kind!r}; available: {', '.join(EXECUTORS)}")


@contextmanager
def _dask_client(scheduler: str | None):
    try:
        from distributed import Client
    except ImportError as error:
        raise ExecutorError("--executor dask needs dask distributed: pip install 'misi-bench[dask]'") from error
    if not scheduler:
        raise ExecutorError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(scheduler, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise ExecutorError(f"cannot reach the dask scheduler at {scheduler}: {error}") from error
    try:
        yield client
    finally:
        client.close()
