"""The generated dataset card (``OUT/README.md``), written with huggingface_hub's DatasetCard.

The YAML header (configs, splits, features, sizes) comes from ``DatasetCardData`` so the Hub and
``load_dataset`` read the folder with no script; the body states the counts, how the folder was
built, the licence situation and the citation.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from huggingface_hub import DatasetCard, DatasetCardData

from .features import task_features
from .tasks.base import NAME_IMAGE_SCALE

CITATION = """@article{li2025misibench,
  title   = {From Macro to Micro: Benchmarking Microscopic Spatial Intelligence on Molecules via Vision-Language Models},
  author  = {Li, Zongzhao and Kong and others},
  journal = {arXiv preprint arXiv:2512.10867},
  year    = {2025}
}"""

SPLIT_ORDER = ("train", "test", "tiny")


def choices_text() -> str:
    """The build's documented choices (``builders/choices.md``), shared with the repository README."""
    return resources.files(__package__).joinpath("choices.md").read_text(encoding="utf-8").strip()


def card_data(manifest: dict) -> DatasetCardData:
    configs, infos = [], []
    for task, per_split in manifest["configs"].items():
        splits = [s for s in SPLIT_ORDER if per_split.get(s, {}).get("rows")]
        configs.append({
            "config_name": task,
            "data_files": [{"split": s, "path": f"data/{task}/{s}-*.parquet"} for s in splits],
        })
        sizes = {s: sum(shard["bytes"] for shard in per_split[s]["shards"]) for s in splits}
        infos.append({
            "config_name": task,
            "features": task_features(task)._to_yaml_list(),
            "splits": [{"name": s, "num_bytes": sizes[s], "num_examples": per_split[s]["rows"]} for s in splits],
            "download_size": sum(sizes.values()),
            "dataset_size": sum(sizes.values()),
        })
    return DatasetCardData(
        pretty_name="MiSI-Bench",
        license="other",
        license_name="pdbbind-terms",
        license_link="LICENSE",
        language=["en"],
        task_categories=["visual-question-answering"],
        tags=["chemistry", "biology", "protein-ligand", "spatial-reasoning", "molecules"],
        configs=configs,
        dataset_info=infos,
    )


def counts_table(manifest: dict) -> str:
    lines = ["| config | train | test | tiny |", "|---|---:|---:|---:|"]
    for task, per_split in manifest["configs"].items():
        cells = [str(per_split[s]["rows"]) if s in per_split else "-" for s in SPLIT_ORDER]
        lines.append(f"| `{task}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def card_body(manifest: dict) -> str:
    params = manifest["parameters"]
    complexes = manifest["complexes"]
    return f"""
# MiSI-Bench (rebuilt with misi-bench)

Microscopic spatial intelligence questions about protein pockets and their ligands, rebuilt from
PDBbind with [misi-bench](https://github.com/) following Li, Kong et al. (arXiv:2512.10867).
One config per task; splits `train`, `test` and `tiny` (a seeded sample of at most 50 test
questions per task, for expensive models).

```python
from datasets import load_dataset
ds = load_dataset("path/to/this/folder", "rotation", split="test")
```

## Counts

Complexes: {len(complexes.get('train', []))} train, {len(complexes.get('test', []))} test
({len(manifest['skipped'])} skipped). Images: {manifest['images']['distinct']} distinct renders
filling {manifest['images']['slots']} image slots (initial views are shared between questions).

{counts_table(manifest)}

## Columns

`id`, `task`, `split`, `pdb_id`, `images` (PNG, embedded), `image_roles`, `question`, `answer`,
`question_type` (`cloze` / `multiple_choice`), `options`, `params` (every random draw and the
renderer scene of each image, so any row can be re-rendered and re-checked).

## How this folder was built

`misi-bench build` version {manifest['builder']['version']}, seed {params['seed']}, images
{params['image_size']}x{params['image_size']} ({NAME_IMAGE_SCALE * params['image_size']}x{NAME_IMAGE_SCALE * params['image_size']} for the residue-ligand,
interaction-location and pocket-ligand tasks, whose answers are label names). `manifest.json` records the library versions,
a checksum of every input entry and the sha256 of every shard; `misi-bench validate` re-checks
them. The folder holds no loading script: `datasets` 4 and later refuse dataset scripts and the
Hub viewer no longer runs them, so the data is plain Parquet described by the YAML header above.

## Choices

{choices_text()}

## Licence

The questions and images are derived from PDBbind structures and follow PDBbind's terms of use;
obtain PDBbind under its own licence before using or redistributing data built from it. The
builder code is MIT-licensed.

## Citation

```bibtex
{CITATION}
```
"""


def write_card(out: Path, manifest: dict) -> None:
    data = card_data(manifest)
    card = DatasetCard(f"---\n{data.to_yaml()}\n---\n{card_body(manifest)}")
    card.save(str(Path(out) / "README.md"))
