"""Compare our ChimeraX-criteria pocket–ligand hydrogen bonds with PLIP's on the sample corpus.

PLIP (``plip`` + ``openbabel-wheel``, not a runtime dependency) is an independent annotator
with looser geometry (donor–acceptor <= 4.1 Å, D-H···A >= 100°, no acceptor-side angle), its
own (OpenBabel) protonation, at most one H-bond per donor atom, and no H-bond inside a salt
bridge (reported separately). Pairs are compared by (pocket atom, ligand atom), direction
ignored; PLIP's salt bridges, water bridges, halogen bonds and its H-bonds before refinement are
recorded to classify the disagreements (docs/hbonds.md, "Comparison with PLIP"). Run with a venv
that has PLIP, e.g. ``/tmp/venv-plip/bin/python benchmarks/hbonds_vs_plip.py [PDBBIND_DIR]``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from misi_bench.builders.source.hbonds import find_hbonds
from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
from misi_bench.builders.source.structure import Complex

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


@dataclass
class PlipResult:
    """PLIP's interactions between pocket atom i and ligand atom k, keyed (i, k)."""

    hbonds: dict = field(default_factory=dict)  # reported H-bonds -> donor–acceptor distance
    raw: dict = field(default_factory=dict)  # H-bonds before PLIP's refinement -> (distance, D-H...A angle)
    dropped: dict = field(default_factory=dict)  # raw H-bonds PLIP dropped -> reason
    salt: set = field(default_factory=set)  # atom pairs of PLIP salt bridges (charged group x charged group)
    other: dict = field(default_factory=dict)  # water bridges, halogen bonds, metal complexes -> kind


def plip_interactions(complex_: Complex) -> PlipResult:
    """PLIP's pocket–ligand interactions, mapped onto our atom indices by coordinates."""
    from plip.basic import config
    from plip.structure.preparation import PDBComplex

    config.NOHYDRO = False  # PLIP runs OpenBabel's AddPolarHydrogens on its own bond perception
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

    def pair(atom_a, atom_b):
        a = key.get(tuple(round(float(x), 2) for x in atom_a.coords))
        b = key.get(tuple(round(float(x), 2) for x in atom_b.coords))
        if a is None or b is None or a[0] == b[0]:
            return None
        return (a[1], b[1]) if a[0] == "pocket" else (b[1], a[1])

    result = PlipResult()
    for bsid, inter in mol.interaction_sets.items():
        if not bsid.startswith(f"{LIGAND_RESNAME}:{LIGAND_CHAIN}"):
            continue
        kept = set()
        for hb in inter.hbonds_pdon + inter.hbonds_ldon:
            p = pair(hb.d, hb.a)
            if p is not None:
                result.hbonds[p] = float(hb.distance_ad)
                kept.add(p)
        for sb in inter.saltbridge_lneg + inter.saltbridge_pneg:
            for x in sb.positive.atoms:
                for y in sb.negative.atoms:
                    p = pair(x, y)
                    if p is not None:
                        result.salt.add(p)
        for hb in inter.all_hbonds_pdon + inter.all_hbonds_ldon:
            p = pair(hb.d, hb.a)
            if p is None:
                continue
            result.raw[p] = (float(hb.distance_ad), float(hb.angle))
            if p not in kept:
                result.dropped[p] = "in a PLIP salt bridge" if p in result.salt else "PLIP keeps one H-bond per donor"
        for wb in inter.water_bridges:
            p = pair(wb.d, wb.a)
            if p is not None:
                result.other[p] = "water bridge"
        for xb in inter.halogen_bonds:
            p = pair(xb.acc.o, xb.don.x)
            if p is not None:
                result.other[p] = "halogen bond"
    return result


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


def _pair_distance(complex_: Complex, pair) -> float:
    i, k = pair
    return float(((complex_.pocket.coords[i] - complex_.ligand.coords[k]) ** 2).sum() ** 0.5)


def compare(complex_: Complex, ours: dict, plip: PlipResult) -> dict:
    """Counts of one complex. ``short``: PLIP H-bonds with D–A <= 3.3 Å; ``short_sb`` adds the
    atom pairs (<= 3.3 Å) of PLIP salt bridges, i.e. counts a salt bridge as an H-bond."""
    mine, theirs = set(ours), set(plip.hbonds)
    both = mine & theirs
    us_only = mine - theirs
    plip_only = theirs - mine
    short = {p for p in theirs if plip.hbonds[p] <= SHORT}
    short_sb = short | {p for p in plip.salt if _pair_distance(complex_, p) <= SHORT}
    return {
        "ours": len(mine), "both": len(both), "us_only": len(us_only),
        "us_only_salt": len(us_only & plip.salt),
        "plip_only_long": len({p for p in plip_only if plip.hbonds[p] > SHORT}),
        "plip_only_short": len({p for p in plip_only if plip.hbonds[p] <= SHORT}),
        "plip_short": len(short), "plip_short_found": len(short & mine),
        "plip_short_sb": len(short_sb), "plip_short_sb_found": len(short_sb & mine),
        "agree_sb": len(mine & (theirs | plip.salt)),
    }


def _ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else f"{a}/{b} = n/a"


def main(source: Path) -> None:
    complexes, skipped = load_complexes(source)
    totals: dict[str, int] = {}
    milliseconds = []
    print(f"{'id':6} {'H':>3} {'both':>5} {'us only (salt br.)':>19} {'PLIP only long/short':>21} "
          f"{'PLIP<=3.3 found':>16} {'ours in PLIP':>13} {'ms':>6}")
    for complex_ in complexes:
        ours, ms = our_pairs(complex_)
        plip = plip_interactions(complex_)
        row = compare(complex_, ours, plip)
        for name, value in row.items():
            totals[name] = totals.get(name, 0) + value
        milliseconds.append(ms)
        print(f"{complex_.pdb_id:6} {'yes' if complex_.has_hydrogens else 'no':>3} {row['both']:5d} "
              f"{row['us_only']:>12d} ({row['us_only_salt']:d})    "
              f"{row['plip_only_long']:>14d}/{row['plip_only_short']:<6d}"
              f"{row['plip_short_found']:>9d}/{row['plip_short']:<6d} {row['both']:>8d}/{row['ours']:<4d} {ms:6.1f}")
        for pair in sorted(set(ours) - set(plip.hbonds)):
            notes = []
            if pair in plip.salt:
                notes.append("PLIP salt bridge")
            if pair in plip.dropped:
                notes.append(f"PLIP H-bond dropped: {plip.dropped[pair]}")
            elif pair in plip.raw:
                notes.append("PLIP raw H-bond")
            if pair in plip.other:
                notes.append(f"PLIP {plip.other[pair]}")
            note = "; ".join(notes) or "not in PLIP"
            print(f"    us only:   {_label(complex_, pair)}  {ours[pair]:.2f} Å  [{note}]")
        for pair in sorted(set(plip.hbonds) - set(ours)):
            d = plip.hbonds[pair]
            print(f"    PLIP only: {_label(complex_, pair)}  {d:.2f} Å  [{'long' if d > SHORT else 'short'}"
                  f", D-H...A {plip.raw.get(pair, (0, float('nan')))[1]:.0f}°]")
        for pair in sorted(plip.salt - set(ours) - set(plip.hbonds)):
            d = _pair_distance(complex_, pair)
            if d <= SHORT:
                print(f"    PLIP salt-bridge pair not ours: {_label(complex_, pair)}  {d:.2f} Å")
    t = totals
    print(f"\noverall: both {t['both']}, us only {t['us_only']} (of which PLIP salt bridge {t['us_only_salt']}), "
          f"PLIP only {t['plip_only_long'] + t['plip_only_short']} "
          f"(long > {SHORT} Å {t['plip_only_long']}, short {t['plip_only_short']})")
    print(f"PLIP bonds with D-A <= {SHORT} Å found by us: {_ratio(t['plip_short_found'], t['plip_short'])}"
          f" (target >= 0.9)")
    print(f"our bonds found by PLIP: {_ratio(t['both'], t['ours'])} (target >= 0.8)")
    print("  counting a PLIP salt bridge between the same atom pair as agreement:")
    print(f"  PLIP bonds + salt-bridge atom pairs with D-A <= {SHORT} Å found by us: "
          f"{_ratio(t['plip_short_sb_found'], t['plip_short_sb'])}")
    print(f"  our bonds found by PLIP (H-bond or salt bridge): {_ratio(t['agree_sb'], t['ours'])}")
    print(f"ms per complex (ours, median of 5 runs each): median {statistics.median(milliseconds):.1f}, "
          f"max {max(milliseconds):.1f} (target <= 50)")
    if skipped:
        print(f"skipped entries: {[s.to_dict() for s in skipped]}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else sample_corpus_dir())
