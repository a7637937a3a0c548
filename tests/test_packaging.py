"""Every source package of the repository is importable from the installed distribution,
and package data (schemas, sample corpus, font) ships with it."""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _source_packages():
    for top in ("builders", "renderers", "schema"):
        for init in sorted((ROOT / top).rglob("__init__.py")):
            parts = init.parent.relative_to(ROOT).parts
            yield "misi_bench." + ".".join(parts)


@pytest.mark.parametrize("name", list(_source_packages()))
def test_package_importable(name):
    importlib.import_module(name)


def test_package_data_ships():
    assert (resources.files("misi_bench.schema") / "row.schema.json").is_file()
    corpus = resources.files("misi_bench.builders") / "sample_corpus"
    assert (corpus / "splits.json").is_file()
    assert any(p.name.endswith("_pocket.pdb") for d in corpus.iterdir() if d.is_dir() for p in d.iterdir())
