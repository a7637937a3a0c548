"""MiSI-Bench as a `datasets` builder: nine configs, splits train / test / tiny.

Given ``data_dir`` = a PDBbind folder (or nothing, for the sample corpus bundled with
misi-bench), it builds the config through the same pipeline as ``misi-bench build`` and yields its
rows. Import the class (works on every `datasets` version)::

    spec = importlib.util.spec_from_file_location("misi_bench_script", "MiSI-bench.py")
    module = importlib.util.module_from_spec(spec); sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    builder = module.MisiBench(config_name="rotation", data_dir="/data/pdbbind/refined-set")
    builder.download_and_prepare(); ds = builder.as_dataset()

or, with `datasets` < 4 only, load it as a script: ``load_dataset("MiSI-bench.py", "rotation",
data_dir=...)``, adding ``trust_remote_code=True`` where `datasets` asks for it (3.x). The
published dataset folder holds Parquet and no script (see README).

Splits: ``split_file=`` (a JSON ``{"train": [...], "test": [...]}``, as ``--split-file``) when
given, else the corpus's own ``splits.json`` when it ships one (the bundled sample does), else the
hashed assignment of ``misi-bench build``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import datasets
import pyarrow.parquet as pq

from misi_bench.builders import __version__
from misi_bench.builders.run.build import BuildConfig, build
from misi_bench.builders.output.features import task_features
from misi_bench.builders.source.pdbbind import sample_corpus_dir
from misi_bench.builders.tasks import ALL_CONFIGS, TASKS

_DESCRIPTION = "MiSI-Bench: microscopic spatial intelligence questions on protein-ligand complexes (arXiv:2512.10867)."
CORPUS_SPLIT_FILE = "splits.json"  # a corpus folder may ship its own split assignment
_SPLITS = {"train": datasets.Split.TRAIN, "test": datasets.Split.TEST, "tiny": "tiny"}


class MisiBenchConfig(datasets.BuilderConfig):
    """A task config plus the build's seed and image size (no dataclass decorator, so the class
    also works when this file is executed without being registered in ``sys.modules``)."""

    def __init__(self, *, seed: int = 0, image_size: int = 512, split_file: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.image_size = image_size
        self.split_file = split_file


class MisiBench(datasets.GeneratorBasedBuilder):
    BUILDER_CONFIG_CLASS = MisiBenchConfig
    BUILDER_CONFIGS = [
        MisiBenchConfig(name=name, version=datasets.Version(__version__.split("+")[0]), description=f"MiSI-Bench task {name}")
        for name in ALL_CONFIGS
    ]

    def _require_task(self):
        if self.config.name not in TASKS:
            raise NotImplementedError(f"config '{self.config.name}' is not built yet by this version of misi-bench")
        return self.config.name

    def _info(self) -> datasets.DatasetInfo:
        return datasets.DatasetInfo(description=_DESCRIPTION, features=task_features(self._require_task()),
                                    citation="arXiv:2512.10867")

    def _split_generators(self, dl_manager):
        task = self._require_task()
        source = Path(self.config.data_dir) if self.config.data_dir else sample_corpus_dir()
        split_file = self._split_file(source)
        out = self._build_folder(dl_manager, task, source, split_file)
        manifest = build(BuildConfig(source=source, out=out, tasks=(task,), seed=self.config.seed,
                                     image_size=self.config.image_size, split_file=split_file, progress=False))
        per_split = manifest["configs"][task]
        return [
            datasets.SplitGenerator(name=_SPLITS[split], gen_kwargs={"paths": [out / s["path"] for s in entry["shards"]]})
            for split, entry in per_split.items()
            if entry["rows"]  # datasets cannot load an empty split
        ]

    def _build_folder(self, dl_manager, task: str, source: Path, split_file: Path | None) -> Path:
        """Where the Parquet build goes before `datasets` copies its rows: in the downloads cache,
        like a downloaded archive (removed with that cache), named by the config and a hash of what
        determines its bytes, so a later load with the same inputs rebuilds that folder in place
        instead of leaving a second copy."""
        cache = Path(dl_manager.download_config.cache_dir or datasets.config.DOWNLOADED_DATASETS_PATH)
        inputs = json.dumps([task, str(source.resolve()), self.config.seed, self.config.image_size,
                             str(split_file.resolve()) if split_file else None])
        return cache / f"misi-bench-{task}-{hashlib.sha256(inputs.encode()).hexdigest()[:16]}"

    def _split_file(self, source: Path) -> Path | None:
        if self.config.split_file:
            return Path(self.config.split_file)
        own = source / CORPUS_SPLIT_FILE
        return own if own.is_file() else None

    def _generate_examples(self, paths):
        for path in paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                for row in parquet.read_row_group(group).to_pylist():
                    yield row["id"], row
