"""The lmms-eval task folder: YAML wiring and the utils.py hooks, called directly (no model, no
lmms-eval install): images, prompt, target and per-question scores."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import yaml
from PIL import Image

from misi_bench.evaluation import TASKS, evaluate, read_rows
from misi_bench.evaluation.report import ALL_COLUMNS, AVERAGED_COLUMNS, COLUMNS
from misi_bench.builders.tasks import TASKS as TASK_SPECS
from helpers.evaluation_folder import SAMPLE_TASKS, make_rows

from conftest import SHARED_SIZE

FOLDER = Path(__file__).resolve().parents[2] / "integrations" / "lmms_eval" / "misi_bench"


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
    """A config's task YAML merged over its ``include`` template, as lmms-eval does."""
    return lmms_task_config(f"misi_bench_{task}")


def lmms_task_config(name: str) -> dict:
    own = _read(f"{name}.yaml")
    return {**_read(own.pop("include")), **own} if "include" in own else own


def function(reference: str):
    """What lmms-eval's ``!function utils.NAME`` gives: the attribute NAME of utils.py."""
    assert reference.startswith("!function utils."), reference
    return getattr(utils, reference.split(".", 1)[1])


def lmms_task_name(column: str) -> str:
    """The lmms-eval task of a report column (``residue_ligand_interaction.positive`` ->
    ``misi_bench_residue_ligand_interaction_positive``)."""
    return "misi_bench_" + column.replace(".", "_")


# ---------------------------------------------------------------- YAML

@pytest.mark.parametrize("task", TASKS)
def test_each_task_yaml_is_complete(task):
    config = task_config(task)
    assert config["task"] == f"misi_bench_{task}" and config["dataset_name"] == task
    assert config["test_split"] == "test" and config["output_type"] == "generate_until"
    assert config["dataset_path"] == "!function utils.dataset_path" and isinstance(function(config["dataset_path"]), str)
    assert config["generation_kwargs"]["do_sample"] is False
    hooks = ("doc_to_visual", "doc_to_text", "doc_to_target", "process_results")
    assert {h: config[h] for h in hooks} == {h: f"!function utils.{h}" for h in hooks}
    metrics = {m["metric"]: m for m in config["metric_list"]}
    assert metrics["misi_composite"]["aggregation"] == metrics["misi_exact"]["aggregation"] == "mean"
    for metric in metrics.values():
        aggregation = metric["aggregation"]
        if aggregation.startswith("!function utils."):
            assert callable(getattr(utils, aggregation.split(".", 1)[1]))


@pytest.mark.parametrize("group_file, columns", [("misi_bench.yaml", AVERAGED_COLUMNS), ("misi_bench_all.yaml", ALL_COLUMNS)])
def test_groups_list_one_task_per_report_column(group_file, columns):
    group = _read(group_file)
    assert group["group"] == group_file.removesuffix(".yaml")
    assert group["task"] == [lmms_task_name(c) for c in columns]
    assert {m["metric"] for m in group["aggregate_metric_list"]} == {"misi_composite", "misi_exact"}
    assert all(m["aggregation"] == "mean" and m["weight_by_size"] is False for m in group["aggregate_metric_list"])


def test_every_task_yaml_is_a_config_or_a_subset_column():
    subsets = {lmms_task_name(c.key): c.task for c in COLUMNS if c.subset}
    assert set(subsets.values()) == {"residue_ligand_interaction"}  # the paper's res-lig pos / neg
    tasks = sorted(p.stem for p in FOLDER.glob("misi_bench_*.yaml") if p.name != "misi_bench_all.yaml")
    assert tasks == sorted([f"misi_bench_{t}" for t in TASKS] + list(subsets))
    for name, task in subsets.items():
        config = lmms_task_config(name)
        assert config["task"] == name and config["dataset_name"] == task
        assert callable(function(config["process_docs"]))


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
    assert rows and len(rows) == len(read_rows(sample_build, task, "test"))
    for doc in rows:
        images = utils.doc_to_visual(doc)
        assert len(images) == len(doc["image_roles"]) == (4 if task == "translation" else 6)
        size = SHARED_SIZE * TASK_SPECS[task].image_scale  # the name tasks' images are twice the build size
        assert all(isinstance(i, Image.Image) and i.size == (size, size) for i in images)
        assert doc["question"] in utils.doc_to_text(doc, {"pre_prompt": "", "post_prompt": ""})
        assert utils.process_results(doc, [utils.doc_to_target(doc)])["misi_composite"] == 100.0
        assert utils.process_results(doc, ["??"])["misi_composite"] == 0.0


# ---------------------------------------------------------------- group score = evaluate's averages

def _lmms_group_score(group_file: str, docs: list[dict], replies: dict[str, str], metric: str) -> float:
    """What lmms-eval computes for a group: each task's docs (after ``process_docs``) scored by
    ``process_results``, averaged per task, then the unweighted mean over the group's tasks."""
    from datasets import Dataset

    means = []
    for name in _read(group_file)["task"]:
        config = lmms_task_config(name)
        task_docs = [d for d in docs if d["task"] == config["dataset_name"]]
        if "process_docs" in config:
            task_docs = function(config["process_docs"])(Dataset.from_list(task_docs)).to_list()
        scores = [utils.process_results(d, [replies[d["id"]]])[metric] for d in task_docs]
        means.append(sum(scores) / len(scores))
    return sum(means) / len(means)


@pytest.mark.parametrize("group_file, average", [("misi_bench.yaml", "average"), ("misi_bench_all.yaml", "average_all")])
def test_group_scores_equal_the_evaluator_averages(group_file, average):
    docs = [d for t in TASKS for d in make_rows(t, "test", 24, seed=3)]
    replies = {d["id"]: (d["answer"] if i % 3 == 0 else "move x 2, roll y 15, B, No") for i, d in enumerate(docs)}
    report = evaluate(docs, replies)
    assert report[average]["tasks"] == list(AVERAGED_COLUMNS if average == "average" else ALL_COLUMNS)
    for metric, key in (("misi_composite", "composite"), ("misi_exact", "exact")):
        assert _lmms_group_score(group_file, docs, replies, metric) == pytest.approx(report[average][key])
    # Not the mean over the nine configs, which weighs residue-ligand once and keeps T5/T6.
    per_config = sum(report["tasks"][t]["composite"] for t in TASKS) / len(TASKS)
    assert report["average"]["composite"] != pytest.approx(per_config)


# ---------------------------------------------------------------- dataset_path from the environment

def test_dataset_path_comes_from_the_environment_and_loads_from_any_directory(sample_build, monkeypatch, tmp_path):
    import datasets

    monkeypatch.setenv("MISI_BENCH_DATASET", str(sample_build))
    monkeypatch.chdir(tmp_path)
    assert _load_utils().dataset_path == str(sample_build)
    monkeypatch.chdir(sample_build.parent)
    monkeypatch.setenv("MISI_BENCH_DATASET", sample_build.name)  # relative: resolved at load
    path = _load_utils().dataset_path
    assert path == str(sample_build.resolve())
    monkeypatch.chdir(tmp_path)
    config = task_config("translation")
    rows = datasets.load_dataset(path, config["dataset_name"], split=config["test_split"], cache_dir=str(tmp_path / "cache"))
    assert len(rows) == len(read_rows(sample_build, "translation", "test")) and len(rows[0]["images"]) == 4
    monkeypatch.setenv("MISI_BENCH_DATASET", "someone/MiSI-Bench")  # not a folder: a Hub id, unchanged
    assert _load_utils().dataset_path == "someone/MiSI-Bench"
    monkeypatch.delenv("MISI_BENCH_DATASET")
    assert _load_utils().dataset_path == "MiSI-bench"
