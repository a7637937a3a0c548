"""build() refuses settings it cannot honour before doing any work (not marked slow: it builds
nothing)."""

from __future__ import annotations

import pytest

from misi_bench.builders.run.build import BuildError

from conftest import build_sample_into


def test_a_kernel_choice_no_render_can_honour_is_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("MISI_BENCH_KERNEL", "fast")
    with pytest.raises(BuildError, match="MISI_BENCH_KERNEL must be one of"):
        build_sample_into(tmp_path / "out", ("translation",), 64)
    assert list(tmp_path.iterdir()) == []
