"""The generated dataset card (``OUT/README.md``), written with huggingface_hub's DatasetCard.

The YAML header (configs, splits, features, sizes, and the metadata the Hub searches by) comes
from ``DatasetCardData`` so the Hub and ``load_dataset`` read the folder with no script; the body
says how it differs from the paper's release, how to evaluate a model, the counts, how the folder
was built, the licence and the citation. ``license_link`` points at the ``LICENSE`` file written
beside the card (``licence.py``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .features import yaml_features
from ..tasks.answers import DEFAULT_CONFIG as METRICS
from ..tasks.base import NAME_IMAGE_SCALE
from .licence import LICENSE_NAME, PDBBIND_URL, write_license
from ..tasks import TASKS

if TYPE_CHECKING:  # imported where used (huggingface_hub is slow to import)
    from huggingface_hub import DatasetCardData

PAPER_URL = "https://arxiv.org/abs/2512.10867"
PAPER_RELEASE = "zongzhao/MiSI-bench"  # the authors' own upload: archives, not this layout
CITATION = """@article{li2025misibench,
  title   = {From Macro to Micro: Benchmarking Microscopic Spatial Intelligence on Molecules via Vision-Language Models},
  author  = {Li, Zongzhao and Kong and others},
  journal = {arXiv preprint arXiv:2512.10867},
  year    = {2025},
  url     = {https://arxiv.org/abs/2512.10867}
}"""

SPLIT_ORDER = ("train", "test", "tiny")
# The Hub's size buckets by number of rows: bucket i holds fewer than 10 ** (3 + i) rows.
SIZE_CATEGORIES = ("n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B",
                   "1B<n<10B", "10B<n<100B", "100B<n<1T")
STATIC_METADATA = {  # the Hub's search metadata that holds for every build (the repository README repeats it)
    "pretty_name": "MiSI-Bench",
    "license": "other",
    "license_name": "pdbbind-terms",
    "license_link": LICENSE_NAME,
    "language": ["en"],
    "annotations_creators": ["machine-generated"],
    "language_creators": ["machine-generated"],
    "multilinguality": ["monolingual"],
    "tags": ["chemistry", "biology", "protein-ligand", "spatial-reasoning", "molecules"],
}


def choices_text() -> str:
    """The build's documented choices (``builders/choices.md``), shared with the repository README."""
    return resources.files("misi_bench.builders").joinpath("choices.md").read_text(encoding="utf-8").strip()


def card_data(manifest: dict) -> DatasetCardData:
    from huggingface_hub import DatasetCardData

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
            "features": yaml_features(task),
            "splits": [{"name": s, "num_bytes": sizes[s], "num_examples": per_split[s]["rows"]} for s in splits],
            "download_size": sum(sizes.values()),
            "dataset_size": sum(sizes.values()),
        })
    return DatasetCardData(**STATIC_METADATA, **build_metadata(manifest), configs=configs, dataset_info=infos)


def build_metadata(manifest: dict) -> dict:
    """Search metadata that depends on the build: the size bucket of all rows (the Hub counts
    every row of every split, ``tiny`` included) and the task categories of its configs."""
    rows = sum(entry["rows"] for per_split in manifest["configs"].values() for entry in per_split.values())
    size = next((name for i, name in enumerate(SIZE_CATEGORIES) if rows < 10 ** (3 + i)), "n>1T")
    multiple_choice = any(TASKS[task].question_type == "multiple_choice" for task in manifest["configs"])
    return {"size_categories": [size],
            "task_categories": ["visual-question-answering", *(["multiple-choice"] if multiple_choice else [])]}


def counts_table(manifest: dict) -> str:
    lines = ["| config | train | test | tiny |", "|---|---:|---:|---:|"]
    for task, per_split in manifest["configs"].items():
        cells = [str(per_split[s]["rows"]) if s in per_split else "-" for s in SPLIT_ORDER]
        lines.append(f"| `{task}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def card_body(manifest: dict) -> str:
    params = manifest["parameters"]
    complexes = manifest["complexes"]
    version = manifest["builder"]["version"]
    normalizers = f"R = {METRICS.translation_range:g} Å, {METRICS.rotation_range:g}°"
    return f"""
# MiSI-Bench (rebuilt with misi-bench)

Microscopic spatial intelligence questions about protein pockets and their ligands: the benchmark
of Li, Kong et al., [*From Macro to Micro: Benchmarking Microscopic Spatial Intelligence on
Molecules via Vision-Language Models*]({PAPER_URL}), rebuilt from PDBbind by misi-bench
{version} (`misi-bench build`). One config per task; splits `train`, `test` and `tiny`.

```python
from datasets import load_dataset
ds = load_dataset("path/to/this/folder", "rotation", split="test")
```

## This folder and the paper's release

The paper's authors publish MiSI-Bench as
[`{PAPER_RELEASE}`](https://huggingface.co/datasets/{PAPER_RELEASE}): archives of images and
question files, not this layout. Here the same tasks are plain Parquet with the images embedded,
described by the YAML header above, so you can `load_dataset` any task by its config name (no
script, no unpacking), browse every row in the Hub's dataset viewer, rebuild it from your own
PDBbind copy and check the result (`manifest.json` records every input checksum and shard hash;
`misi-bench verify` names any shard that differs), and score a model with the paper's metrics
(below).

## How to evaluate

Give the model each question of a split with its images in order, and write one JSON line per
question, `{{"id": ..., "prediction": "<the model's raw reply>"}}`; then
`misi-bench evaluate --dataset path/to/this/folder --split test --predictions replies.jsonl --markdown`
scores it with the paper's metrics: replies are read leniently and an unparsable one scores 0;
zooming and the three multiple-choice tasks score exact match; translation and rotation score 0
for a wrong axis, else 1 - |error| / R ({normalizers}); docking scores its rotation and its move
half each (the move needs the right sign and is normalized by the true distance); bond lists
(residue-ligand, pocket-ligand) score the fraction of true bonds named,
{METRICS.bond_superset_score:g} when every true bond is named with extras, 0 beyond
{METRICS.bond_overcount_ratio:g} times the true count. It reports the composite score and exact
match per task, residue-ligand positives and negatives apart, the paper's average
(without translation-rotation and rotation-rotation, where the paper found models at chance) and
the average of all columns, as JSON or, with `--markdown`, in the layout of the paper's Table 1.

For lmms-eval, misi-bench ships a task folder, `integrations/lmms_eval/misi_bench/`: copy it
into `lmms_eval/tasks/`, point it at this folder or its Hub repository as misi-bench's
`docs/evaluation.md` describes, and run `lmms-eval --model ... --tasks misi_bench` (the task
group `misi_bench`). Each task `misi_bench_<config>` reports `misi_composite` and `misi_exact`,
per question the same scores as `misi-bench evaluate`.

`tiny` holds at most 50 questions per task, drawn with the build seed from `test` (ids kept).
It stands for the paper's MiSI-Bench(tiny), the 50-question-per-task subset on which the paper
evaluated the expensive closed models (Claude Sonnet 4.5, o3) and reports its results table: use
`--split tiny` for numbers comparable in kind to the paper's. (The paper's own question ids are
not published, so the questions are not the same ones.)

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

`misi-bench build` version {version}, seed {params['seed']}, images
{params['image_size']}x{params['image_size']} ({NAME_IMAGE_SCALE * params['image_size']}x{NAME_IMAGE_SCALE * params['image_size']} for the residue-ligand,
interaction-location and pocket-ligand tasks, whose answers are label names). `manifest.json` records the library versions,
a checksum of every input entry and the sha256 of every shard; `misi-bench validate` re-checks
them. The folder holds no loading script: `datasets` 4 and later refuse dataset scripts and the
Hub viewer no longer runs them, so the data is plain Parquet described by the YAML header above.

## Choices

{choices_text()}

## Licence

The data is derived from [PDBbind]({PDBBIND_URL}) structures and follows PDBbind's terms of use:
obtain PDBbind under its own licence before using or redistributing data built from it. The
misi-bench code that built it is MIT-licensed. Both are stated in full in [`{LICENSE_NAME}`]({LICENSE_NAME}).

## Citation

```bibtex
{CITATION}
```
"""


def write_card(out: Path, manifest: dict) -> None:
    from huggingface_hub import DatasetCard

    data = card_data(manifest)
    card = DatasetCard(f"---\n{data.to_yaml()}\n---\n{card_body(manifest)}")
    card.save(str(Path(out) / "README.md"))
    write_license(out)
