"""``misi-bench evaluate --compare-paper`` and ``--plot``: the paper's rows beside a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from conftest import run_cli
from misi_bench.evaluation.paper import PAPER_ROWS
from misi_bench.evaluation.plot import DPI, FIGURE_INCHES
from misi_bench.evaluation.report import ALL_COLUMNS, AVERAGED_COLUMNS, COLUMNS, column_average


@pytest.fixture(scope="module")
def oracle(sample_build, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("oracle") / "oracle.jsonl"
    result = run_cli("baseline", "oracle", "--dataset", str(sample_build), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_paper_averages_are_the_mean_of_their_eight_columns():
    assert [r.model for r in PAPER_ROWS] == ["human", "Claude Sonnet 4.5", "o3", "Qwen2.5-VL-7B fine-tuned"]
    for row in PAPER_ROWS:
        assert set(row.columns) == set(ALL_COLUMNS)
        assert column_average(row.columns, AVERAGED_COLUMNS) == pytest.approx(row.average, abs=0.01), row.model


def _table(markdown: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in markdown.splitlines() if line.startswith("|")]


def test_markdown_puts_the_paper_rows_under_the_run(sample_build, oracle):
    result = run_cli("evaluate", "--dataset", str(sample_build), "--predictions", str(oracle),
                     "--markdown", "--compare-paper", "--label", "oracle")
    assert result.returncode == 0, result.stderr
    rows = _table(result.stdout)
    header, body = rows[0], rows[2:]
    assert header[2:] == [c.header for c in COLUMNS]
    labels = [r[0] for r in body]
    assert labels[:2] == ["oracle (composite)", "oracle (exact)"]
    assert labels[2:6] == [f"{r.model} (paper, tiny) †" for r in PAPER_ROWS]
    for cells, row in zip(body[2:6], PAPER_ROWS):
        assert float(cells[1]) == row.average
        assert [float(c) for c in cells[2:]] == [round(row.columns[c.key], 2) for c in COLUMNS]
    assert "† The paper's figures" in result.stdout and "MiSI-Bench(tiny)" in result.stdout
    plain = run_cli("evaluate", "--dataset", str(sample_build), "--predictions", str(oracle), "--markdown")
    assert "(paper, tiny)" not in plain.stdout and len(_table(plain.stdout)) == len(rows) - len(PAPER_ROWS)


def test_json_report_carries_the_paper_rows(sample_build, oracle):
    result = run_cli("evaluate", "--dataset", str(sample_build), "--predictions", str(oracle), "--compare-paper")
    report = json.loads(result.stdout)
    assert [r["model"] for r in report["paper"]["rows"]] == [r.model for r in PAPER_ROWS]
    assert report["paper"]["metric"] == "composite" and "tiny" in report["paper"]["question_set"]
    assert report["average"]["composite"] == 100.0


def test_plot_is_a_png_of_the_expected_size_with_every_series(sample_build, oracle, tmp_path):
    png = tmp_path / "scores.png"
    result = run_cli("evaluate", "--dataset", str(sample_build), "--predictions", str(oracle), "--plot", str(png))
    assert result.returncode == 0, result.stderr
    with Image.open(png) as image:
        assert image.format == "PNG"
        assert image.size == (int(FIGURE_INCHES[0] * DPI), int(FIGURE_INCHES[1] * DPI))
        colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    # matplotlib's default cycle: the run (C0) and the four paper rows (C1-C4) are all drawn.
    for hex_colour in ("1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd"):
        assert tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4)) in colours, hex_colour
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


BLOCK_MATPLOTLIB = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
sys.meta_path.insert(0, Block())
from misi_bench.builders.commands.main import main
sys.exit(main(sys.argv[1:]))
"""


def test_plot_without_matplotlib_is_a_one_line_error(sample_build, oracle, tmp_path):
    png = tmp_path / "scores.png"
    result = subprocess.run([sys.executable, "-c", BLOCK_MATPLOTLIB, "evaluate", "--dataset", str(sample_build),
                             "--predictions", str(oracle), "--plot", str(png)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "misi-bench[plot]" in result.stderr
    assert not png.exists()
