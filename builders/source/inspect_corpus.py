"""``misi-bench inspect``: what a PDBbind directory holds, as the build would read it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .pdb_reader import repeated_name_count
from .pdbbind import SkippedEntry, read_entry, read_index_ids, scan_source
from .splits import assign_splits


def summarize(source: Path, split_file: Path | None = None) -> dict:
    """The corpus as ``build`` reads it: the same entries, skips and split assignment."""
    entries, misnamed = scan_source(source)
    splits = assign_splits([entry.pdb_id for entry in entries], split_file)  # every entry, readable or not, as build does
    complexes, skipped = [], list(misnamed)
    for item in map(read_entry, entries):
        (skipped if isinstance(item, SkippedEntry) else complexes).append(item)
    skipped.sort(key=lambda s: s.pdb_id)
    rows = []
    for complex_ in complexes:
        pocket, ligand = complex_.pocket, complex_.ligand
        rows.append(
            {
                "pdb_id": complex_.pdb_id,
                "split": splits.get(complex_.pdb_id, "unassigned"),
                "pocket_atoms": pocket.n_atoms,
                "pocket_hydrogens": int(pocket.is_hydrogen.sum()),
                "repeated_names": repeated_name_count(pocket),
                "residues": len(pocket.residues),
                "chains": sorted(set(pocket.chains)),
                "ligand_atoms": ligand.n_atoms,
                "ligand_hydrogens": int(ligand.is_hydrogen.sum()),
                "ligand_route": ligand.file_route,
                "ligand_names": ligand.name_source,
            }
        )
    index_ids = read_index_ids(source)
    present = {row["pdb_id"] for row in rows} | {s.pdb_id for s in skipped}
    return {
        "source": str(source),
        "complexes": len(complexes),
        "per_split": dict(sorted(Counter(row["split"] for row in rows).items())),
        "with_hydrogens": sum(1 for row in rows if row["pocket_hydrogens"] or row["ligand_hydrogens"]),
        "with_repeated_names": sum(1 for row in rows if row["repeated_names"]),
        "skipped": [s.to_dict() for s in skipped],
        "skipped_by_reason": dict(sorted(Counter(s.reason for s in skipped).items())),
        "index_ids_missing": sorted(set(index_ids) - present),
        "entries": rows,
    }


def format_summary(summary: dict) -> str:
    lines = [
        f"source: {summary['source']}",
        f"complexes: {summary['complexes']}  "
        + "  ".join(f"{split}: {n}" for split, n in summary["per_split"].items()),
        f"with explicit hydrogens: {summary['with_hydrogens']}",
    ]
    if summary["with_repeated_names"]:
        lines.append(f"warning: {summary['with_repeated_names']} pocket(s) repeat atom names within a residue "
                     "(column 'rep': atoms kept as separate atoms; names are not unique)")
    lines += [
        "",
        f"{'pdb_id':<7} {'split':<6} {'pocket':>6} {'H':>5} {'rep':>4} {'res':>4} {'chains':<7} {'ligand':>6} {'H':>4}  names",
    ]
    for row in summary["entries"]:
        lines.append(
            f"{row['pdb_id']:<7} {row['split']:<6} {row['pocket_atoms']:>6} {row['pocket_hydrogens']:>5} {row['repeated_names']:>4} "
            f"{row['residues']:>4} {','.join(row['chains']):<7} {row['ligand_atoms']:>6} "
            f"{row['ligand_hydrogens']:>4}  {row['ligand_names']} ({row['ligand_route']})"
        )
    lines.append("")
    lines.append(f"skipped: {len(summary['skipped'])}")
    for entry in summary["skipped"]:
        lines.append(f"  {entry['pdb_id']}: {entry['reason']} ({entry['detail']})")
    if summary["index_ids_missing"]:
        lines.append(f"listed in index/ but absent: {len(summary['index_ids_missing'])}")
    return "\n".join(lines)
