"""Build throughput and memory on a SYNTHETIC scale corpus (timing only; never published).

The corpus is the bundled sample complexes re-posed (one random rigid rotation + translation of
pocket and ligand together) and renamed ``9s00``, ``9s01``, ... into a temporary directory; a
split file puts every complex in ``train`` (the split with the most questions per complex), all
nine tasks are built. Each build runs in its own process; peak RSS is the sum over the whole
process tree (build + pool workers), polled every 0.1 s. That sum counts shared library pages once
per process, so PSS (shared pages split between the processes sharing them) is printed as well; the
targets are checked on the RSS sum. A build that skips any complex or task aborts the benchmark.

Prints: seconds per complex with 1 and 2 workers (wall, and CPU of the whole process tree: the
figure to compare on a busy machine), the speed-up, images per second, milliseconds and Parquet
bytes per distinct image — with the compiled kernels (numba) and with the numpy path
(``MISI_BENCH_KERNEL``) — then peak RSS for 50 vs 200 complexes (compiled kernels), and the
projected wall time of the full 3,993-complex build on 2 and 16 cores. Targets: <= 3 s per complex per core, speed-up >= 1.7x from 1 to 2 workers, peak RSS
ratio 200/50 <= 1.2 and under 1.5 GB at 512 px.

    pip install -e '.[fast,bench]'   # psutil walks the process tree for the peak RSS
    python benchmarks/build_scaling.py [--complexes 100] [--memory 50,200] [--image-size 512] [--kernels numba,numpy]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

FULL_CORPUS = 3993
_LETTERS = "stuvwxyz"


def synthetic_id(number: int) -> str:
    return f"9{_LETTERS[number // 100]}{number % 100:02d}"


def _rigid(number: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(number)
    q, r = np.linalg.qr(rng.normal(size=(3, 3)))
    q = q * np.sign(np.diag(r))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    return q, rng.uniform(-20, 20, size=3)


def _move(xyz: list[float], rotation: np.ndarray, shift: np.ndarray) -> np.ndarray:
    return rotation @ np.asarray(xyz, dtype=float) + shift


def _repose_pdb(text: str, rotation, shift) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith(("ATOM  ", "HETATM")):
            x, y, z = _move([line[30:38], line[38:46], line[46:54]], rotation, shift)
            line = f"{line[:30]}{x:8.3f}{y:8.3f}{z:8.3f}{line[54:]}"
        lines.append(line)
    return "".join(lines)


def _repose_sdf(text: str, rotation, shift) -> str:
    lines = text.splitlines(keepends=True)
    n_atoms = int(lines[3][:3])
    for i in range(4, 4 + n_atoms):
        line = lines[i]
        x, y, z = _move([line[0:10], line[10:20], line[20:30]], rotation, shift)
        lines[i] = f"{x:10.4f}{y:10.4f}{z:10.4f}{line[30:]}"
    return "".join(lines)


def _repose_mol2(text: str, rotation, shift) -> str:
    out, in_atoms = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("@<TRIPOS>"):
            in_atoms = line.strip() == "@<TRIPOS>ATOM"
        elif in_atoms and line.strip():
            fields = line.split()
            x, y, z = _move(fields[2:5], rotation, shift)
            fields[2:5] = [f"{x:.4f}", f"{y:.4f}", f"{z:.4f}"]
            line = " ".join(fields) + "\n"
        out.append(line)
    return "".join(out)


_REPOSE = {"_pocket.pdb": _repose_pdb, "_ligand.sdf": _repose_sdf, "_ligand.mol2": _repose_mol2}


def make_scale_corpus(folder: Path, count: int) -> Path:
    """``count`` synthetic complexes (re-posed, renamed sample complexes) + an all-train split file."""
    from misi_bench.builders.source.pdbbind import find_entries, sample_corpus_dir

    sources = find_entries(sample_corpus_dir())
    folder.mkdir(parents=True)
    ids = []
    for number in range(count):
        source = sources[number % len(sources)]
        new_id = synthetic_id(number)
        rotation, shift = _rigid(number)
        (folder / new_id).mkdir()
        for suffix, repose in _REPOSE.items():
            path = source.pocket.parent / f"{source.pdb_id}{suffix}"
            if path.is_file():
                (folder / new_id / f"{new_id}{suffix}").write_text(repose(path.read_text(), rotation, shift))
        ids.append(new_id)
    (folder / "SYNTHETIC-timing-only.txt").write_text("Re-posed, renamed copies of the misi-bench sample corpus. Timing only.\n")
    split_file = folder.parent / f"{folder.name}-splits.json"
    split_file.write_text(json.dumps({"train": ids, "test": []}))
    return split_file


def run_build(corpus: Path, split_file: Path, out: Path, workers: int, image_size: int, kernel: str) -> dict:
    """One build in a child process with ``MISI_BENCH_KERNEL=kernel``: wall seconds, peak RSS of
    its process tree, its manifest."""
    options = {"source": str(corpus), "out": str(out), "split_file": str(split_file), "workers": workers,
               "image_size": image_size, "splits": ["train"]}
    process = subprocess.Popen([sys.executable, __file__, "--run-build", json.dumps(options)],
                               env={**os.environ, "MISI_BENCH_KERNEL": kernel})
    parent = psutil.Process(process.pid)
    peak = peak_pss = 0
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    while process.poll() is None:
        try:
            memory = [p.memory_full_info() for p in (parent, *parent.children(recursive=True)) if p.is_running()]
            peak = max(peak, sum(m.rss for m in memory))
            peak_pss = max(peak_pss, sum(m.pss for m in memory))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the build and its (reaped) workers
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if process.returncode != 0:
        raise SystemExit(f"build failed (exit {process.returncode})")
    manifest = json.loads((out / "manifest.json").read_text())
    shutil.rmtree(out)
    failures = manifest["skipped"] + manifest["skipped_tasks"]
    if failures:  # a build that generated less is not a timing of the build
        raise SystemExit(f"build skipped {len(failures)} complex(es)/task(s), e.g. {failures[0]}")
    return {"seconds": seconds, "cpu": cpu, "peak_rss": peak, "peak_pss": peak_pss, "manifest": manifest}


def shard_bytes(manifest: dict) -> int:
    return sum(shard["bytes"] for splits in manifest["configs"].values() for split in splits.values()
               for shard in split["shards"])


def _child_build(options: dict) -> None:
    from misi_bench.builders.run.build import BuildConfig, build

    build(BuildConfig(source=Path(options["source"]), out=Path(options["out"]), split_file=Path(options["split_file"]),
                      workers=options["workers"], image_size=options["image_size"], splits=tuple(options["splits"]),
                      progress=False))


def _fmt_hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--complexes", type=int, default=100, help="complexes of the timing runs (default 100)")
    parser.add_argument("--memory", default="50,200", help="corpus sizes of the memory comparison (2 workers)")
    parser.add_argument("--image-size", type=int, default=512)
    parser.add_argument("--kernels", default="numba,numpy",
                        help="MISI_BENCH_KERNEL values of the timing runs; the memory runs use the first")
    parser.add_argument("--run-build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_build:
        _child_build(json.loads(args.run_build))
        return
    sizes = [int(s) for s in args.memory.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="misi-scale-") as tmp:
        tmp = Path(tmp)
        biggest = max([args.complexes, *sizes])
        make_scale_corpus(tmp / "corpus-all", biggest)
        corpora = {}
        for count in sorted({args.complexes, *sizes}):  # a corpus of the first `count` synthetic complexes
            corpus = tmp / f"corpus-{count}"
            corpus.mkdir()
            for number in range(count):
                (corpus / synthetic_id(number)).symlink_to(tmp / "corpus-all" / synthetic_id(number))
            split_file = tmp / f"corpus-{count}-splits.json"
            split_file.write_text(json.dumps({"train": [synthetic_id(i) for i in range(count)], "test": []}))
            corpora[count] = (corpus, split_file)
        print(f"synthetic corpus: {biggest} re-posed sample complexes (9s00..), all train, 9 tasks, {args.image_size} px, "
              f"{psutil.cpu_count()} cores", flush=True)
        kernels = [k for k in args.kernels.split(",") if k]
        for kernel in kernels:
            timing = {}
            for workers in (1, 2):
                run = run_build(*corpora[args.complexes], tmp / "out", workers, args.image_size, kernel)
                timing[workers] = run
                images = run["manifest"]["images"]
                print(f"[{kernel}] workers={workers}: {run['seconds']:.1f} s for {args.complexes} complexes = "
                      f"{run['seconds'] / args.complexes:.2f} s/complex ({run['seconds'] * workers / args.complexes:.2f} s/complex/core), "
                      f"{images['distinct'] / run['seconds']:.1f} distinct images/s ({images['slots'] / run['seconds']:.1f} image slots/s), "
                      f"peak RSS {run['peak_rss'] / 2**20:.0f} MiB (PSS {run['peak_pss'] / 2**20:.0f} MiB)", flush=True)
                print(f"  CPU {run['cpu']:.1f} s = {run['cpu'] / args.complexes:.2f} CPU s/complex, "
                      f"{run['seconds'] * workers / images['distinct'] * 1000:.1f} ms wall x cores and "
                      f"{run['cpu'] / images['distinct'] * 1000:.1f} ms CPU per distinct image, "
                      f"{shard_bytes(run['manifest']) / images['distinct'] / 1024:.1f} KiB Parquet per distinct image",
                      flush=True)
            differing = [t for t in timing[1]["manifest"]["configs"]
                         if timing[1]["manifest"]["configs"][t] != timing[2]["manifest"]["configs"][t]]
            print(f"[{kernel}] 1 and 2 workers: " + ("identical shards" if not differing and timing[1]["manifest"] == timing[2]["manifest"]
                                                     else f"DIFFER in {', '.join(differing) or 'manifest'}"), flush=True)
            speedup = timing[1]["seconds"] / timing[2]["seconds"]
            per_complex_per_core = timing[2]["seconds"] * 2 / args.complexes
            print(f"[{kernel}] speed-up 1 -> 2 workers: {speedup:.2f}x (target >= 1.7x)")
            print(f"[{kernel}] s/complex/core: 1 worker {timing[1]['seconds'] / args.complexes:.2f}, "
                  f"2 workers {per_complex_per_core:.2f} (target <= 3)")
            print(f"[{kernel}] projected {FULL_CORPUS} complexes (train-split counts, an upper bound): "
                  f"2 cores {_fmt_hours(FULL_CORPUS * timing[2]['seconds'] / args.complexes)}, "
                  f"16 cores {_fmt_hours(FULL_CORPUS * per_complex_per_core / 16)} (at the measured per-core rate)", flush=True)
        peaks = {}
        for count in sizes:
            run = run_build(*corpora[count], tmp / "out", 2, args.image_size, kernels[0])
            peaks[count] = run["peak_rss"]
            print(f"memory ({kernels[0]}): {count} complexes, 2 workers: peak RSS {run['peak_rss'] / 2**20:.0f} MiB "
                  f"(PSS {run['peak_pss'] / 2**20:.0f} MiB) "
                  f"({run['seconds'] / count:.2f} s/complex)", flush=True)
        if len(sizes) >= 2:
            ratio = peaks[max(sizes)] / peaks[min(sizes)]
            print(f"peak RSS ratio {max(sizes)}/{min(sizes)}: {ratio:.2f} (target <= 1.2); "
                  f"max {max(peaks.values()) / 1e9:.2f} GB (target < 1.5 GB)")


if __name__ == "__main__":
    main()
