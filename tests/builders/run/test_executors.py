"""The local process pool: its workers convert rows to Arrow without loading pandas."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from misi_bench.builders.run.executors import open_executor


def _set_up(job) -> None:
    """A job's set-up in a worker (nothing to do here)."""


def _convert(value: int) -> tuple[list[dict], bool]:
    """What a build worker does with its rows (pyarrow from Python lists), and whether pandas
    got imported doing it."""
    import pyarrow as pa

    rows = pa.Table.from_pylist([{"value": value}]).to_pylist()
    return rows, sys.modules.get("pandas") is not None


def test_pool_workers_convert_rows_without_pandas():
    with open_executor("local", 2, None, SimpleNamespace(key="test"), _set_up, _convert) as (submit, _, _window):
        results = [submit(value).result(timeout=120) for value in (1, 2, 3)]
    assert [rows for rows, _ in results] == [[{"value": 1}], [{"value": 2}], [{"value": 3}]]
    assert not any(pandas_loaded for _, pandas_loaded in results)
