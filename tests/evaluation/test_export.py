"""``misi-bench export``: LLaMA-Factory sharegpt and OpenAI chat JSONL from a real sample build."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from conftest import SHARED_SIZE, read_rows, run_cli
from misi_bench.evaluation.export import MARKER
from misi_bench.builders.tasks import TASKS as TASK_SPECS

TASKS = ("translation", "residue_ligand_interaction")


@pytest.fixture(scope="module")
def train_rows(sample_build) -> list[dict]:
    return [row for task in TASKS for row in read_rows(sample_build, task, "train")]


def export_cli(dataset: Path, out: Path, *extra: str):
    return run_cli("export", str(dataset), "--split", "train", "--out", str(out), *extra)


def test_sharegpt_layout_records_tokens_images_and_answers(sample_build, train_rows, tmp_path):
    out = tmp_path / "ft"
    result = export_cli(sample_build, out, "--format", "sharegpt", "--task", ",".join(TASKS))
    assert result.returncode == 0, result.stderr

    info = json.loads((out / "dataset_info.json").read_text())
    assert info == {"misi_bench_train": {
        "file_name": "misi_bench_train.json", "formatting": "sharegpt",
        "columns": {"messages": "messages", "images": "images"},
        "tags": {"role_tag": "role", "content_tag": "content", "user_tag": "user", "assistant_tag": "assistant"}}}
    records = json.loads((out / "misi_bench_train.json").read_text())
    assert len(records) == len(train_rows)

    for record, row in zip(records, train_rows):
        user, assistant = record["messages"]
        assert (user["role"], assistant["role"]) == ("user", "assistant")
        assert user["content"].count("<image>") == len(record["images"]) == len(row["images"])
        assert user["content"] == "<image>" * len(row["images"]) + row["question"]
        assert assistant["content"] == row["answer"]
        for path, image in zip(record["images"], row["images"]):
            data = (out / path).read_bytes()
            assert data == image["bytes"]  # written as built, not re-encoded
            with Image.open(io.BytesIO(data)) as decoded:
                decoded.load()
                size = SHARED_SIZE * TASK_SPECS[row["task"]].image_scale  # the name tasks render at twice the build size
                assert decoded.size == (size, size)

    # Each distinct render written once, named by its content hash.
    distinct = {hashlib.sha256(image["bytes"]).hexdigest() for row in train_rows for image in row["images"]}
    files = sorted(p for p in (out / "images").rglob("*.png"))
    assert sorted(p.stem for p in files) == sorted(distinct)
    assert len(distinct) < sum(len(row["images"]) for row in train_rows)  # shared views do occur
    assert f"{len(distinct)} distinct image file(s) for {sum(len(r['images']) for r in train_rows)}" in result.stdout

    # The records file is plain JSON that `datasets` reads with the two columns.
    from datasets import load_dataset

    loaded = load_dataset("json", data_files=str(out / "misi_bench_train.json"), split="train")
    assert set(loaded.column_names) == {"messages", "images"} and len(loaded) == len(train_rows)


def test_openai_format_inlines_every_image(sample_build, train_rows, tmp_path):
    out = tmp_path / "ft"
    result = export_cli(sample_build, out, "--format", "openai", "--task", "translation")
    assert result.returncode == 0, result.stderr
    rows = [r for r in train_rows if r["task"] == "translation"]
    lines = [json.loads(line) for line in (out / "misi_bench_train.jsonl").read_text().splitlines()]
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        user, assistant = line["messages"]
        urls = [part["image_url"]["url"] for part in user["content"] if part["type"] == "image_url"]
        assert [base64.b64decode(u.split(",", 1)[1]) for u in urls] == [i["bytes"] for i in row["images"]]
        assert user["content"][-1] == {"type": "text", "text": row["question"]}
        assert assistant == {"role": "assistant", "content": row["answer"]}


def test_an_earlier_export_is_replaced_and_foreign_files_are_never_touched(sample_build, tmp_path):
    out = tmp_path / "ft"
    assert export_cli(sample_build, out).returncode == 0
    first = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    again = export_cli(sample_build, out, "--task", "translation")
    assert again.returncode == 0, again.stderr
    written = json.loads((out / MARKER).read_text())["files"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted([*written, MARKER])
    assert len(written) < len(first)  # fewer tasks, fewer images: old ones gone with the old export
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging folder left

    mine = out / "notes.txt"
    mine.write_text("my notes")
    refused = export_cli(sample_build, out)
    assert refused.returncode == 2 and "notes.txt" in refused.stderr and refused.stderr.count("\n") == 1
    assert mine.read_text() == "my notes"

    other = tmp_path / "llama-factory-data"
    other.mkdir()
    (other / "dataset_info.json").write_text('{"mine": {}}')
    refused = export_cli(sample_build, other)
    assert refused.returncode == 2 and "not an earlier misi-bench export" in refused.stderr
    assert (other / "dataset_info.json").read_text() == '{"mine": {}}' and len(list(other.iterdir())) == 1


def test_empty_folder_is_used_and_bad_input_is_one_line(sample_build, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    inode = empty.stat().st_ino
    result = run_cli("export", str(sample_build), "--task", "translation", "--out", ".", cwd=empty)
    assert result.returncode == 0, result.stderr
    assert (empty / "dataset_info.json").is_file() and empty.stat().st_ino == inode  # filled, not replaced
    for args, message in [((str(tmp_path / "nothing"), "--out", str(tmp_path / "x")), "no manifest.json"),
                          ((str(sample_build), "--task", "folding", "--out", str(tmp_path / "x")), "not in this build: folding"),
                          ((str(sample_build), "--out", str(tmp_path / "missing" / "x")), "does not exist")]:
        result = run_cli("export", *args)
        assert result.returncode == 2 and message in result.stderr and result.stderr.count("\n") == 1
        assert not (tmp_path / "x").exists()
