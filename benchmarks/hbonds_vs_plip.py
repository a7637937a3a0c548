"""Compare our ChimeraX-criteria pocket–ligand hydrogen bonds with PLIP's on the sample corpus.

PLIP (``plip`` + ``openbabel-wheel``, not a runtime dependency) is an independent annotator
with looser geometry (donor–acceptor <= 4.1 Å, D-H···A >= 100°), so it finds more long bonds.
Pairs are compared by (pocket atom, ligand atom), direction ignored. Run with a venv that has
PLIP, e.g. ``/tmp/venv-plip/bin/python benchmarks/hbonds_vs_plip.py [PDBBIND_DIR]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from misi_bench.builders.hbonds import find_hbonds
from misi_bench.builders.pdbbind import load_complexes, sample_corpus_dir
from misi_bench.builders.structure import Complex

SHORT = 3.3  # Å: PLIP bonds this short should be found by us
LIGAND_RESNAME, LIGAND_CHAIN, LIGAND_RESNUM = "LIG", "Z", 999


def _atom_line(serial, name, res_name, chain, res_number, icode, xyz, element, hetero):
    record = "HETATM" if hetero else "ATOM  "
    name = name[:4]
    name_field = f" {name:<3}" if len(name) < 4 and len(element) == 1 else f"{name:<4}"
    return (f"{record}{serial:5d} {name_field} {res_name[:3]:>3} {chain[:1] or 'A'}{res_number:4d}{icode[:1] or ' '}"
            f"   {xyz[0]:8.3f}{xyz[1]:8.3f}{xyz[2]:8.3f}  1.00  0.00          {element.upper():>2}")


def write_combined_pdb(complex_: Complex, path: Path) -> None:
    """Pocket atoms get serials 1..N, ligand atoms N+1..; ligand bonds as CONECT records."""
    p, lig = complex_.pocket, complex_.ligand
    lines = []
    for i in range(p.n_atoms):
        lines.append(_atom_line(i + 1, str(p.names[i]), str(p.res_names[i]), str(p.chains[i]), int(p.res_numbers[i]),
                                str(p.icodes[i]), p.coords[i], str(p.elements[i]), bool(p.is_hetero[i])))
    offset = p.n_atoms + 1
    for k in range(lig.n_atoms):
        lines.append(_atom_line(offset + k, str(lig.elements[k]) + str(k + 1) if len(str(lig.names[k])) > 4
                                else str(lig.names[k]), LIGAND_RESNAME, LIGAND_CHAIN, LIGAND_RESNUM, "",
                                lig.coords[k], str(lig.elements[k]), True))
    for (i, j), order in zip(lig.bonds.tolist(), lig.bond_orders.tolist()):
        repeat = 2 if order == 2 else (3 if order == 3 else 1)
        for _ in range(repeat):
            lines.append(f"CONECT{offset + i:5d}{offset + j:5d}")
    lines.append("END")
    path.write_text("\n".join(lines) + "\n")


def plip_pairs(complex_: Complex) -> dict[tuple[int, int], float]:
    """PLIP's pocket–ligand H-bonds: (pocket index, ligand index) -> donor–acceptor distance."""
    from plip.basic import config
    from plip.structure.preparation import PDBComplex

    config.NOHYDRO = False  # PLIP keeps hydrogens present in the file and adds missing ones
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{complex_.pdb_id}_complex.pdb"
        write_combined_pdb(complex_, path)
        mol = PDBComplex()
        mol.output_path = folder
        mol.load_pdb(str(path))
        mol.analyze()
    # PLIP renumbers atoms when it handles hydrogens, so atoms are matched by coordinates
    key = {tuple(round(float(x), 2) for x in xyz): ("pocket", i) for i, xyz in enumerate(complex_.pocket.coords)}
    key.update({tuple(round(float(x), 2) for x in xyz): ("ligand", k) for k, xyz in enumerate(complex_.ligand.coords)})
    pairs = {}
    for bsid, interactions in mol.interaction_sets.items():
        if not bsid.startswith(f"{LIGAND_RESNAME}:{LIGAND_CHAIN}"):
            continue
        for hb in interactions.hbonds_pdon + interactions.hbonds_ldon:
            d = key.get(tuple(round(float(x), 2) for x in hb.d.coords))
            a = key.get(tuple(round(float(x), 2) for x in hb.a.coords))
            if d is None or a is None or d[0] == a[0]:
                continue
            pocket_atom, ligand_atom = (d[1], a[1]) if d[0] == "pocket" else (a[1], d[1])
            pairs[(pocket_atom, ligand_atom)] = float(hb.distance_ad)
    return pairs


def our_pairs(complex_: Complex) -> tuple[dict[tuple[int, int], float], float]:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        bonds = find_hbonds(complex_)
        times.append(time.perf_counter() - start)
    return {(b.pocket_atom_index, b.ligand_atom_index): b.distance for b in bonds}, statistics.median(times) * 1000


def _label(complex_: Complex, pair) -> str:
    p, lig = complex_.pocket, complex_.ligand
    i, k = pair
    return f"{p.res_names[i]} {p.res_numbers[i]} {p.names[i]} {p.chains[i]} - {lig.names[k]}"


def main(source: Path) -> None:
    complexes, skipped = load_complexes(source)
    totals = {"both": 0, "ours": 0, "plip": 0, "plip_short": 0, "plip_short_found": 0}
    milliseconds = []
    print(f"{'id':6} {'H':>3} {'both':>5} {'us only':>8} {'PLIP only':>10} {'PLIP<=3.3 found':>16} {'ms':>6}")
    for complex_ in complexes:
        ours, ms = our_pairs(complex_)
        theirs = plip_pairs(complex_)
        both = set(ours) & set(theirs)
        short = {pair for pair, d in theirs.items() if d <= SHORT}
        totals["both"] += len(both)
        totals["ours"] += len(ours)
        totals["plip"] += len(theirs)
        totals["plip_short"] += len(short)
        totals["plip_short_found"] += len(short & set(ours))
        milliseconds.append(ms)
        print(f"{complex_.pdb_id:6} {'yes' if complex_.has_hydrogens else 'no':>3} {len(both):5d} "
              f"{len(set(ours) - both):8d} {len(set(theirs) - both):10d} "
              f"{len(short & set(ours)):>9d}/{len(short):<6d} {ms:6.1f}")
        for pair in sorted(set(ours) - both):
            print(f"    us only:   {_label(complex_, pair)}  {ours[pair]:.2f} Å")
        for pair in sorted(set(theirs) - both):
            print(f"    PLIP only: {_label(complex_, pair)}  {theirs[pair]:.2f} Å")
    plip_rate = totals["plip_short_found"] / totals["plip_short"] if totals["plip_short"] else float("nan")
    our_rate = totals["both"] / totals["ours"] if totals["ours"] else float("nan")
    print(f"\noverall: both {totals['both']}, us only {totals['ours'] - totals['both']}, "
          f"PLIP only {totals['plip'] - totals['both']}")
    print(f"PLIP bonds with D-A <= {SHORT} Å found by us: {totals['plip_short_found']}/{totals['plip_short']}"
          f" = {plip_rate:.2f} (target >= 0.9)")
    print(f"our bonds found by PLIP: {totals['both']}/{totals['ours']} = {our_rate:.2f} (target >= 0.8)")
    print(f"ms per complex: median {statistics.median(milliseconds):.1f}, max {max(milliseconds):.1f} "
          f"(target <= 50)")
    if skipped:
        print(f"skipped entries: {[s.to_dict() for s in skipped]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else sample_corpus_dir())
