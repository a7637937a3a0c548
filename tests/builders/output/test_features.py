"""The features a build writes without `datasets` (builders/output/features.py) are what the
installed `datasets` makes of them: the same Arrow types, the same features read back from a
shard's metadata, the same YAML in the card. CI runs this with the current `datasets` and with the
lowest admitted version (2.14)."""

from __future__ import annotations

import json

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from misi_bench.builders.output.features import task_feature_dict, task_features, task_schema, yaml_features
from misi_bench.builders.tasks import TASKS


def _hand_written_translation_features() -> datasets.Features:
    """The translation config's features spelled out with `datasets`' own classes."""
    text = datasets.Value("string")
    return datasets.Features({
        "id": text, "task": text, "split": text, "pdb_id": text, "images": [datasets.Image()],
        "image_roles": [text], "question": text, "answer": text, "question_type": text, "options": [text],
        "params": {"axis": text, "distance": datasets.Value("int32"), "scenes": [text]},
    })


def _hand_written_pocket_ligand_params() -> dict:
    """The pocket-ligand config's params, a list of structs among them."""
    text, integer = datasets.Value("string"), datasets.Value("int32")
    bond = {"chain": text, "res_name": text, "res_number": integer, "icode": text, "res_atom": text,
            "ligand_atom": text, "donor": text, "distance": datasets.Value("float64")}
    return {"bonds": [bond], "scenes": [text]}


def test_features_are_the_hand_written_ones():
    expected = _hand_written_translation_features()
    assert task_features("translation") == expected
    assert task_schema("translation").remove_metadata() == expected.arrow_schema.remove_metadata()
    pocket = datasets.Features({**expected, "params": _hand_written_pocket_ligand_params()})
    assert task_features("pocket_ligand_interaction") == pocket
    assert task_schema("pocket_ligand_interaction").remove_metadata() == pocket.arrow_schema.remove_metadata()


@pytest.mark.parametrize("task", sorted(TASKS))
def test_schema_types_are_those_datasets_gives_the_features(task):
    assert task_schema(task).remove_metadata() == task_features(task).arrow_schema.remove_metadata()


@pytest.mark.parametrize("task", sorted(TASKS))
def test_datasets_reads_the_shard_metadata_back_as_the_features(task, tmp_path):
    """What ``load_dataset`` does with a shard: the features from the file's schema metadata."""
    path = tmp_path / "shard.parquet"
    pq.write_table(task_schema(task).empty_table(), path)
    assert datasets.Features.from_arrow_schema(pq.read_schema(path)) == task_features(task)


@pytest.mark.parametrize("task", sorted(TASKS))
def test_card_yaml_is_what_datasets_writes(task):
    assert yaml_features(task) == task_features(task)._to_yaml_list()


def test_metadata_spells_lists_as_json_lists_whatever_the_datasets_version():
    """The spelling every `datasets` version reads; `datasets` 4 and later would write
    ``{"feature": ..., "_type": "List"}`` themselves."""
    stored = json.loads(task_schema("pocket_ligand_interaction").metadata[b"huggingface"])["info"]["features"]
    assert stored == task_feature_dict("pocket_ligand_interaction")
    assert stored["images"] == [{"_type": "Image"}]
    assert stored["options"] == [{"dtype": "string", "_type": "Value"}]
    assert isinstance(stored["params"]["bonds"], list) and isinstance(stored["params"]["bonds"][0], dict)
    assert pa.types.is_list(task_schema("pocket_ligand_interaction").field("params").type.field("bonds").type)
