"""Assemble the audit (JSON) and its Markdown rendering."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import distributions, docking, labels, legibility, options, shortcuts, zooming
from .data import Build, Complexes, default_thresholds

SOURCE_CHECKS = {
    f"{zooming.NAME}.visible_atoms": "visible atom counts per zoom level",
    f"{docking.NAME}.atoms": "atom-only (label-free) overlap re-render",
    "labels": "label collision rates",
    "legibility": "clear-label shares and OCR read-back of the interaction tasks (OCR needs tesseract)",
    "shortcuts.closest_residue": "closest-residue baseline for T4/T9",
    "shortcuts.registration_camera": "registration scaled by the camera distance (else a train-median scale)",
}


def audit(out: Path, source: Path | None = None, source_label: str | None = None, split: str = "test",
          thresholds: dict | None = None) -> dict:
    """The audit of a built folder; ``source`` (PDBbind layout) enables the checks that need
    the complexes."""
    thresholds = {**default_thresholds(), **(thresholds or {})}
    build = Build(out)
    complexes = Complexes(source) if source is not None else None
    result: dict = {
        "build": str(out),
        "source": source_label or (str(source) if source is not None else "none"),
        "image_size": build.manifest.get("parameters", {}).get("image_size", 0),
        "thresholds": thresholds,
        "shortcut_split": split,
        "checks_run": ["distributions", "options", f"{zooming.NAME}.entropy", f"{docking.NAME}.images", "shortcuts"]
        + (list(SOURCE_CHECKS) if complexes is not None else []),
        "checks_skipped": {} if complexes is not None else {
            name: f"{why}: needs --source DIR or --sample" for name, why in SOURCE_CHECKS.items()},
    }
    result["distributions"] = distributions.check(build, thresholds["chi_square_alpha"])
    result["options"] = options.check(build, thresholds)
    for name, module in ((zooming.NAME, zooming), (docking.NAME, docking), ("labels", labels), ("legibility", legibility)):
        value = module.check(build, thresholds, complexes)
        if value is not None:
            result[name] = value
    result["shortcuts"] = shortcuts.check(build, thresholds, complexes, split)
    result["flags"] = flags(result) + legibility.findings(result.get("legibility", {}), thresholds)
    return result


def flags(result: dict) -> list[str]:
    """One line per finding that misses its target."""
    found = []
    for task, entry in result["distributions"].items():
        for name, facet in entry["facets"].items():
            test = facet.get("chi_square")
            if test and test["flagged"]:
                found.append(f"{task}.{name}: chi-square p = {test['p_value']:.3g} < {result['thresholds']['chi_square_alpha']}")
            if test and test["unexpected_values"]:
                found.append(f"{task}.{name}: values outside the intended range: {', '.join(test['unexpected_values'])}")
    for task, entry in result["options"].items():
        if entry.get("under_threshold"):
            found.append(f"{task}: {entry['under_threshold']} question(s) with two options under "
                         f"{entry['threshold']} mean pixel difference")
        if entry.get("with_duplicate_options"):
            found.append(f"{task}: {entry['with_duplicate_options']} question(s) with duplicate options")
        if entry.get("under_separation"):
            found.append(f"{task}: {entry['under_separation']} question(s) with options closer than "
                         f"{result['thresholds']['text_option_min_separation']} Å")
    if result.get(zooming.NAME, {}).get("levels_under_threshold"):
        found.append(f"{zooming.NAME}: depths with fewer than {result['thresholds']['zoom_min_visible_atoms']} visible atoms: "
                     + ", ".join(result[zooming.NAME]["levels_under_threshold"]))
    dock = result.get(docking.NAME, {})
    if dock.get("atom_overlapping_questions"):
        found.append(f"{docking.NAME}: {dock['atom_overlapping_questions']} question(s) where ligand and pocket atoms overlap")
    return found


def _fmt(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def to_markdown(result: dict) -> str:
    lines = [f"# misi-bench audit of `{result['build']}`", "",
             f"Source complexes: {result['source']}. Checks run: {', '.join(result['checks_run'])}."]
    if result["checks_skipped"]:
        lines += ["", "Skipped (no source):", *[f"- {k}: {v}" for k, v in result["checks_skipped"].items()]]
    lines += ["", "## Findings", ""]
    lines += [f"- {f}" for f in result["flags"]] or ["- none: every check meets its target"]
    lines += ["", "## Answer distributions (train + test, chi-square against the intended distribution)", "",
              "| task | facet | n | categories | chi² | p | min expected |", "|---|---|---|---|---|---|---|"]
    for task, entry in result["distributions"].items():
        for name, facet in entry["facets"].items():
            test = facet.get("chi_square")
            if test:
                lines.append(f"| {task} | {name} | {test['n']} | {test['categories']} | {_fmt(test['statistic'])} | "
                             f"{_fmt(test['p_value'])} | {_fmt(test['min_expected'])} |")
            else:
                observed = ", ".join(f"{k}: {v}" for k, v in facet["observed"].items())
                lines.append(f"| {task} | {name} (no intended distribution) | | | | | {observed} |")
    lines += ["", "## Multiple-choice options", ""]
    for task, entry in result["options"].items():
        if entry["kind"] == "image":
            s = entry["min_pixel_difference"]
            lines.append(f"- {task}: {entry['questions']} questions; smallest difference between two options "
                         f"min {s['min']}, median {s['median']} (0-255); under {entry['threshold']}: "
                         f"**{entry['under_threshold']}** (target 0)")
        else:
            sep = entry.get("min_separation_angstrom", {})
            lines.append(f"- {task}: {entry['questions']} questions; with duplicate options: "
                         f"**{entry['with_duplicate_options']}** (target 0); closest two options {sep.get('min', '-')} Å")
    if zooming.NAME in result:
        z = result[zooming.NAME]
        lines += ["", "## Zooming", "", "| depth (Å) | n | entropy (bits) min / mean | content fraction min | visible atoms min / mean |",
                  "|---|---|---|---|---|"]
        for depth, e in z["levels"].items():
            atoms = e.get("visible_atoms")
            atom_text = f"{atoms['min']} / {atoms['mean']}" if atoms else "needs source"
            lines.append(f"| {depth} | {e['questions']} | {e['entropy_bits']['min']} / {e['entropy_bits']['mean']} | "
                         f"{e['content_fraction']['min']} | {atom_text} |")
    if docking.NAME in result:
        d = result[docking.NAME]
        lines += ["", "## Docking", "",
                  f"- {d['questions']} questions; pocket and ligand drawings overlapping (labels included): "
                  f"{d['overlapping_questions']} (max {d['overlap_pixels_max']} px); x ranges overlapping: {d['x_ranges_overlapping']}; "
                  f"x gap min {d['x_gap_pixels']['min']} px"]
        if d["atoms_checked"]:
            lines.append(f"- atoms only (re-rendered without labels): **{d['atom_overlapping_questions']}** overlapping "
                         f"(target 0; max {d['atom_overlap_pixels_max']} px)")
    if "labels" in result:
        lines += ["", "## Label collisions", "", "| task | images | labels | colliding | rate |", "|---|---|---|---|---|"]
        for task, e in result["labels"].items():
            lines.append(f"| {task} | {e['images']} | {e['labels']} | {e['colliding_labels']} | {e['collision_rate']:.1%} |")
    if "legibility" in result:
        lines += ["", "## Label legibility (interaction tasks)", "",
                  "A label is clear when its ink box is inside the image and no other label's box covers more than "
                  f"{result['thresholds']['clear_max_cover']:.0%} of it. OCR: tesseract on the label pixels "
                  "(stored image vs a label-free re-render); T4 reads the front view, T8/T9 the six views together.", "",
                  "| task | px | questions | labels | n | clear, front view | clear, some view | OCR read back |",
                  "|---|---|---|---|---|---|---|---|"]
        for task, e in result["legibility"].items():
            for group, c in e["clear"].items():
                read = e.get("ocr", {}).get(group)
                read_text = f"{read['read_back']:.1%}" if read else "no tesseract"
                lines.append(f"| {task} | {e['image_size']} | {e['questions']} | {group} | {c['labels']} | "
                             f"{c['clear_front']:.1%} | {c['clear_any_view']:.1%} | {read_text} |")
    lines += ["", f"## Shortcut baselines ({result['shortcut_split']} split, composite score 0-100, scored by the evaluator)", "",
              "| task | n | chance | majority | other shortcuts | best − chance |", "|---|---|---|---|---|---|"]
    for task, e in result["shortcuts"].items():
        others = ", ".join(f"{k} {v.get('composite', '-')}" for k, v in e["shortcuts"].items() if k != "majority") or "-"
        lines.append(f"| {task} | {e['n']} | {e['chance']['composite']} | {e['shortcuts']['majority'].get('composite', '-')} | "
                     f"{others} | {e['best_shortcut']['margin_over_chance']:+} |")
    return "\n".join(lines) + "\n"


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write(result: dict, folder: Path) -> tuple[Path, Path]:
    folder = Path(folder)
    json_path, md_path = folder / "audit.json", folder / "audit.md"
    _atomic_write(json_path, json.dumps(result, indent=2, sort_keys=False) + "\n")
    _atomic_write(md_path, to_markdown(result))
    return json_path, md_path
