"""``misi-bench audit``: is the benchmark answerable, and can it be gamed?

One check per module (thresholds in ``thresholds.json``): ``distributions`` (answers against the
intended draws, chi-square), ``options`` (distinguishable multiple-choice options), ``zooming``
(what each zoom level still shows), ``docking`` (ligand and pocket apart in the combined view),
``labels`` (label collisions), ``legibility`` (clear labels and OCR read-back of the interaction
tasks, ``ocr``), ``shortcuts`` (text-only and image-heuristic baselines scored by
the evaluator, next to chance). ``report`` assembles ``audit.json`` and ``audit.md``.
Documentation: docs/audit.md.
"""

from __future__ import annotations

from .report import audit, to_markdown, write

__all__ = ["audit", "to_markdown", "write"]
