"""A grouped bar chart of a run's composite scores beside the paper's rows (``evaluate --plot``).

matplotlib is an optional extra (``pip install 'misi-bench[plot]'``); without it `plot_report`
raises `RunError` with that instruction. One group per column of Table 1 plus ``avg``, one bar per
row: the run first, then the paper's rows (composite on the paper's tiny set, hatched). A column
the run has no question for has no bar for the run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping, Sequence

from .paper import PAPER_ROWS, PaperRow
from .report import COLUMNS, column_entry
from .runs import RunError

FIGURE_INCHES = (12.0, 4.5)
DPI = 100  # so the PNG is 1200 x 450 pixels
INSTALL_HINT = "pip install 'misi-bench[plot]'"


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise RunError(f"--plot needs matplotlib, which is not installed: {INSTALL_HINT}") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_report(report: Mapping, path: Path, label: str = "model", paper_rows: Sequence[PaperRow] = PAPER_ROWS) -> None:
    """Write the chart to ``path`` (PNG, written to a temporary file then renamed)."""
    plt = _pyplot()
    path = Path(path)
    if not path.parent.is_dir():
        raise RunError(f"folder of --plot does not exist: {path.parent}")
    groups = ["avg"] + [c.header for c in COLUMNS]
    run = [report["average"]["composite"]] + [
        (entry["composite"] if (entry := column_entry(report, c)) else None) for c in COLUMNS]
    series = [(label, run, "")] + [
        (f"{r.model} (paper, tiny)", [r.average] + [r.columns[c.key] for c in COLUMNS], "//") for r in paper_rows]

    figure, axes = plt.subplots(figsize=FIGURE_INCHES, dpi=DPI)
    width = 0.8 / len(series)
    for index, (name, values, hatch) in enumerate(series):
        xs = [g + (index - (len(series) - 1) / 2) * width for g in range(len(groups))]
        present = [(x, v) for x, v in zip(xs, values) if v is not None]
        axes.bar([x for x, _ in present], [v for _, v in present], width, label=name, hatch=hatch,
                 edgecolor="white" if hatch else None, linewidth=0)
    axes.set_xticks(range(len(groups)), groups)
    axes.set_ylim(0, 100)
    axes.set_ylabel("composite score")
    axes.set_title("MiSI-Bench composite score per task (paper rows: the paper's own tiny set)")
    axes.legend(fontsize="small", ncols=len(series), loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    figure.tight_layout()
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    handle.close()
    try:
        figure.savefig(handle.name, format="png", dpi=DPI)
        os.replace(handle.name, path)
    finally:
        plt.close(figure)
        Path(handle.name).unlink(missing_ok=True)
