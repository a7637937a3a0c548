"""The lmms-eval task folder: YAML wiring and the utils.py hooks, called directly (no model, no
lmms-eval install): images, prompt, target and per-question scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from PIL import Image

from misi_bench.builders.evaluation import TASKS, evaluate, read_records
from misi_bench.builders.tasks import TASKS as TASK_SPECS
from test_evaluate_cli import SAMPLE_TASKS, make_rows

FOLDER = Path(__file__).resolve().parents[1] / "integrations" / "lmms_eval" / "misi_bench"


def _load_utils():
    spec = importlib.util.spec_from_file_location("misi_bench_lmms_utils", FOLDER / "utils.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


utils = _load_utils()


class _Loader(yaml.SafeLoader):
    """Reads lmms-eval YAML: ``!function utils.name`` becomes the string ``utils.name``."""


_Loader.add_constructor("!function", lambda loader, node: "!function " + loader.construct_scalar(node))


def _read(name: str) -> dict:
    return yaml.load((FOLDER / name).read_text(), Loader=_Loader)


def task_config(task: str) -> dict:
    """A task YAML merged over its ``include`` template, as lmms-eval does."""
    own = _read(f"misi_bench_{task}.yaml")
    return {**_read(own.pop("include")), **own} if "include" in own else own


# ---------------------------------------------------------------- YAML

@pytest.mark.parametrize("task", TASKS)
def test_each_task_yaml_is_complete(task):
    config = task_config(task)
    assert config["task"] == f"misi_bench_{task}" and config["dataset_name"] == task
    assert config["test_split"] == "test" and config["output_type"] == "generate_until"
    assert config["dataset_path"] and config["generation_kwargs"]["do_sample"] is False
    hooks = ("doc_to_visual", "doc_to_text", "doc_to_target", "process_results")
    assert {h: config[h] for h in hooks} == {h: f"!function utils.{h}" for h in hooks}
    metrics = {m["metric"]: m for m in config["metric_list"]}
    assert metrics["misi_composite"]["aggregation"] == metrics["misi_exact"]["aggregation"] == "mean"
    for metric in metrics.values():
        aggregation = metric["aggregation"]
        if aggregation.startswith("!function utils."):
            assert callable(getattr(utils, aggregation.split(".", 1)[1]))


def test_group_lists_every_task_once():
    group = _read("misi_bench.yaml")
    assert group["group"] == "misi_bench"
    assert group["task"] == [f"misi_bench_{t}" for t in TASKS]
    assert {m["metric"] for m in group["aggregate_metric_list"]} == {"misi_composite", "misi_exact"}
    assert sorted(p.name for p in FOLDER.glob("misi_bench_*.yaml")) == sorted(f"misi_bench_{t}.yaml" for t in TASKS)


# ---------------------------------------------------------------- hooks on hand-made records

@pytest.mark.parametrize("task", TASKS)
def test_target_gets_full_marks_and_garbage_none(task):
    for doc in make_rows(task, "test", 12):
        assert utils.doc_to_target(doc) == doc["answer"]
        full = utils.process_results(doc, [utils.doc_to_target(doc)])
        assert (full["misi_composite"], full["misi_exact"]) == (100.0, 100.0)
        garbage = utils.process_results(doc, ["I am not sure what the images show."])
        assert (garbage["misi_composite"], garbage["misi_exact"]) == (0.0, 0.0)


def test_process_results_means_equal_the_evaluator():
    docs = [d for t in TASKS for d in make_rows(t, "test", 20)]
    replies = {d["id"]: "move x 2, roll y 15, A, No" for d in docs}
    report = evaluate(docs, replies)
    for task in TASKS:
        scores = [utils.process_results(d, [replies[d["id"]]]) for d in docs if d["task"] == task]
        mean = sum(s["misi_composite"] for s in scores) / len(scores)
        assert mean == pytest.approx(report["tasks"][task]["composite"]), task


def test_residue_ligand_subsets():
    docs = make_rows("residue_ligand_interaction", "test", 30)
    scores = [utils.process_results(d, ["No"]) for d in docs]
    positive = utils.mean_of_present([s["misi_composite_positive"] for s in scores])
    negative = utils.mean_of_present([s["misi_composite_negative"] for s in scores])
    assert (positive, negative) == (0.0, 100.0)
    assert utils.mean_of_present([None, None]) is None
    assert "misi_composite_positive" not in utils.process_results(make_rows("translation", "test", 1)[0], ["move x 1"])


def test_doc_to_text_adds_pre_and_post_prompt():
    doc = make_rows("docking", "test", 1)[0]
    assert utils.doc_to_text(doc) == doc["question"]
    text = utils.doc_to_text(doc, {"pre_prompt": "Look carefully.\n", "post_prompt": "\nAnswer only."})
    assert text == f"Look carefully.\n{doc['question']}\nAnswer only."


def test_doc_to_visual_accepts_pil_images_and_arrow_dicts():
    doc = make_rows("zooming", "test", 1)[0]
    from_bytes = utils.doc_to_visual(doc)
    from_pil = utils.doc_to_visual({**doc, "images": from_bytes})
    assert len(from_bytes) == len(from_pil) == 3
    assert all(isinstance(i, Image.Image) and i.mode == "RGB" and i.size == (8, 8) for i in from_pil)
    with pytest.raises(TypeError):
        utils.doc_to_visual({"images": ["not an image"]})


# ---------------------------------------------------------------- hooks on a real build

def _rows_with_images(folder: Path, task: str) -> list[dict]:
    import pyarrow.parquet as pq

    return [row for path in sorted((folder / "data" / task).glob("test-*.parquet")) for row in pq.read_table(path).to_pylist()]


@pytest.mark.parametrize("task", SAMPLE_TASKS)
def test_hooks_on_the_sample_build(sample_build, task):
    rows = _rows_with_images(sample_build, task)
    assert rows and len(rows) == len(read_records(sample_build, task, "test"))
    for doc in rows:
        images = utils.doc_to_visual(doc)
        assert len(images) == len(doc["image_roles"]) == (4 if task == "translation" else 6)
        size = 96 * TASK_SPECS[task].image_scale  # the name tasks' images are twice the build size
        assert all(isinstance(i, Image.Image) and i.size == (size, size) for i in images)
        assert doc["question"] in utils.doc_to_text(doc, {"pre_prompt": "", "post_prompt": ""})
        assert utils.process_results(doc, [utils.doc_to_target(doc)])["misi_composite"] == 100.0
        assert utils.process_results(doc, ["??"])["misi_composite"] == 0.0
