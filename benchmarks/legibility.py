"""Label legibility of the interaction tasks (T4, T8, T9) on the sample corpus, before -> after.

"Before" is the renderer as it was until issue 14: labels 1.1 Å tall, drawn in content order
(residues, then ligand atoms), none left out, every image 512 px. It is reproduced in this
process by setting those values (``before()``), which renders the same bytes as that code did.
"After" is the current code. For each, the whole sample is built (all nine tasks, seed 0, one
worker) into a temporary folder and this prints:

- legibility, as ``misi-bench audit`` computes it (``audit/legibility.py``): shares of
  clear labels (ink box inside the image, no other label's box covering > 10 % of it) and, when
  ``tesseract`` is installed, the OCR read-back of the label names answers use;
- bytes of the build's Parquet files, per config and in total;
- render time per image: distinct images of the after build (every ``--every``-th), each rendered
  once as "before" (its 512 px counterpart, before values) and once as "after", alternated image
  by image in this one process so machine load hits both alike; PNG encoding included.

Targets (issue 14): T4 ligand polar-atom and residue-atom labels clear in the front view >= 70 %
and in some view >= 95 %; T8/T9 ligand polar-atom labels clear in some view >= 90 %, residue
labels >= 95 %; OCR read-back of ligand polar names >= 3x before, T9 residue numbers >= 0.9;
bytes <= 2x; render time per image <= 2x.

    python benchmarks/legibility.py [--every 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

from misi_bench.audit import legibility
from misi_bench.audit.data import Build, Complexes, complex_id_of_image, default_thresholds, scene_of
from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.tasks import TASKS
from misi_bench.renderers import Scene, render_png, style

NAME_TASKS = legibility.TASKS
BEFORE_STYLE = {"LABEL_HEIGHT": 1.1, "YIELDING_LABELS": frozenset(),
                "LABEL_LAYERS": {"residue": 0, "residue_atom": 0, "ligand_carbon": 0, "ligand_polar": 0}}


@contextmanager
def before():
    """The renderer and tasks as before issue 14 (see the module docstring)."""
    saved_style = {name: getattr(style, name) for name in BEFORE_STYLE}
    saved_tasks = {name: TASKS[name] for name in NAME_TASKS}
    for name, value in BEFORE_STYLE.items():
        setattr(style, name, value)
    for name in NAME_TASKS:
        TASKS[name] = dataclasses.replace(TASKS[name], image_scale=1)
    try:
        yield
    finally:
        for name, value in saved_style.items():
            setattr(style, name, value)
        TASKS.update(saved_tasks)


def build_sample(out: Path) -> float:
    corpus = sample_corpus_dir()
    start = time.perf_counter()
    build(BuildConfig(source=corpus, out=out, split_file=corpus / "splits.json", progress=False))
    return time.perf_counter() - start


def parquet_bytes(out: Path) -> dict[str, int]:
    return {folder.name: sum(p.stat().st_size for p in folder.glob("*.parquet"))
            for folder in sorted((out / "data").iterdir())}


def distinct_scenes(out: Path) -> list[tuple[str, str, Scene]]:
    """(task, pdb_id, scene) of every distinct image of a build, in config order."""
    found, seen = [], set()
    built = Build(out)
    for task in built.tasks:
        for row in built.all_rows(task, ["pdb_id", "image_roles", "params"]):
            for index in range(len(row["params"]["scenes"])):
                key = (complex_id_of_image(row, index), row["params"]["scenes"][index])
                if key not in seen:
                    seen.add(key)
                    found.append((task, key[0], scene_of(row, index)))
    return found


def render_times(out: Path, complexes: Complexes, every: int) -> dict[str, tuple[list[float], list[float]]]:
    """{'name tasks' | 'other tasks': (before ms, after ms)} per image, alternated."""
    times: dict[str, tuple[list[float], list[float]]] = {"name tasks": ([], []), "other tasks": ([], [])}
    for task, pdb_id, scene in distinct_scenes(out)[::every]:
        complex_ = complexes.get(pdb_id)
        group = times["name tasks" if task in NAME_TASKS else "other tasks"]
        with before():
            start = time.perf_counter()
            render_png(complex_, scene.replace(size=512))
            group[0].append(1000 * (time.perf_counter() - start))
        start = time.perf_counter()
        render_png(complex_, scene)
        group[1].append(1000 * (time.perf_counter() - start))
    return times


def legibility_rows(result: dict, thresholds: dict) -> list[tuple[str, str, str]]:
    """(row name, key path, target text) of the printed legibility table (targets from the audit's
    thresholds)."""
    rows = []
    for task in NAME_TASKS:
        if task not in result:
            continue
        short, one_residue = f"T{TASKS[task].number}", TASKS[task].one_residue
        groups = ("ligand_polar", "residue_atoms") if one_residue else ("ligand_polar", "residues")
        for group in groups:
            front_target = f">= {thresholds['t4_clear_front']:.0%}" if one_residue else ""
            any_key = ("t4_clear_any_view" if one_residue else "complex_residue_clear_any_view" if group == "residues"
                       else "complex_ligand_clear_any_view")
            any_target = f">= {thresholds[any_key]:.0%}"
            rows.append((f"{short} {group} clear, front view", (task, "clear", group, "clear_front"), front_target))
            rows.append((f"{short} {group} clear, some view", (task, "clear", group, "clear_any_view"), any_target))
        for group in groups:
            target = (">= 3x before" if group == "ligand_polar"
                      else f">= {thresholds['complex_residue_ocr']:g}" if short == "T9" else "")
            rows.append((f"{short} {group} OCR read back", (task, "ocr", group, "read_back"), target))
    return rows


def lookup(result: dict, path: tuple) -> float | None:
    for key in path:
        if not isinstance(result, dict) or key not in result:
            return None
        result = result[key]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=3, help="time every N-th distinct image (default 3)")
    parser.add_argument("--keep", type=Path, help="keep the two builds in this folder")
    args = parser.parse_args()
    thresholds = default_thresholds()
    complexes = Complexes(sample_corpus_dir(), cache=32)
    with tempfile.TemporaryDirectory(prefix="misi-legibility-") as scratch:
        root = args.keep or Path(scratch)
        outs = {"before": root / "before", "after": root / "after"}
        results, sizes = {}, {}
        for name, out in outs.items():
            with before() if name == "before" else nullcontext():
                seconds = build_sample(out)
                results[name] = legibility.check(Build(out), thresholds, complexes)
            sizes[name] = parquet_bytes(out)
            print(f"{name}: sample built in {seconds:.1f} s")
        times = render_times(outs["after"], complexes, args.every)

    print(f"\n{'legibility':<44} {'before':>8} {'after':>8} {'ratio':>7}  target")
    for label, path, target in legibility_rows(results["after"], thresholds):
        old, new = lookup(results["before"], path), lookup(results["after"], path)
        if new is None:
            continue
        ratio = f"{new / old:.2f}x" if old else "-"
        print(f"{label:<44} {old:>8.3f} {new:>8.3f} {ratio:>7}  {target}")

    print(f"\n{'bytes (Parquet)':<44} {'before':>8} {'after':>8} {'ratio':>7}")
    for config in sizes["after"]:
        old, new = sizes["before"].get(config, 0), sizes["after"][config]
        print(f"{config:<44} {old / 1e6:>7.1f}M {new / 1e6:>7.1f}M {new / old:>6.2f}x")
    total_old, total_new = sum(sizes["before"].values()), sum(sizes["after"].values())
    print(f"{'total':<44} {total_old / 1e6:>7.1f}M {total_new / 1e6:>7.1f}M {total_new / total_old:>6.2f}x  target <= 2x")

    print(f"\n{'render ms per image (PNG included)':<44} {'before':>8} {'after':>8} {'ratio':>7}")
    every_old, every_new = [], []
    for group, (old, new) in times.items():
        every_old += old
        every_new += new
        for stat in (statistics.median, statistics.mean):
            print(f"{group + ', ' + stat.__name__ + f' of {len(new)}':<44} {stat(old):>8.1f} {stat(new):>8.1f} "
                  f"{stat(new) / stat(old):>6.2f}x")
    print(f"{'all images, mean':<44} {statistics.mean(every_old):>8.1f} {statistics.mean(every_new):>8.1f} "
          f"{statistics.mean(every_new) / statistics.mean(every_old):>6.2f}x  target <= 2x")


if __name__ == "__main__":
    main()
