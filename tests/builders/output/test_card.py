"""The dataset card of a fresh sample build: Hub metadata derived from the build, the sections a
user needs (paper's release, how to evaluate, tiny, licence, citation), links that resolve, and
an evaluate command that runs as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml
from huggingface_hub import DatasetCard

from misi_bench.builders.output.card import CITATION, STATIC_METADATA
from misi_bench.builders.tasks import ALL_CONFIGS, TASKS

from conftest import build_sample, run_cli

ROOT = Path(__file__).resolve().parents[3]
LMMS_TASKS = ROOT / "integrations" / "lmms_eval" / "misi_bench"
HOSTED_DEPTH = {"github.com": 2, "gitlab.com": 2, "huggingface.co": 2, "arxiv.org": 2}  # owner/name, abs/id


@pytest.fixture(scope="module")
def built(shared_build):
    return shared_build


def card_text(out: Path) -> str:
    return (out / "README.md").read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, f"no section '{title}'"
    return match.group(1)


def rows_in_folder(out: Path) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows for path in (out / "data").rglob("*.parquet"))


def test_hub_metadata_is_derived_from_the_build(built, tmp_path_factory):
    out, _ = built
    data = DatasetCard.load(out / "README.md").data.to_dict()
    rows = rows_in_folder(out)
    assert 0 < rows < 1000 and data["size_categories"] == ["n<1K"]
    assert data["task_categories"] == ["visual-question-answering", "multiple-choice"]  # e.g. interaction_location
    for key, value in STATIC_METADATA.items():
        assert data[key] == value, key
    assert [c["config_name"] for c in data["configs"]] == list(ALL_CONFIGS)
    cloze_only, _ = build_sample(tmp_path_factory, ("translation",), 64, name="cloze-only")
    assert DatasetCard.load(cloze_only / "README.md").data.to_dict()["task_categories"] == ["visual-question-answering"]


def test_licence_link_resolves_to_pdbbind_terms_and_the_mit_code_licence(built):
    out, _ = built
    link = DatasetCard.load(out / "README.md").data.to_dict()["license_link"]
    licence = (out / link).read_text(encoding="utf-8")
    data_part, code_part = licence.split("2. CODE")
    assert "PDBbind's terms of use" in data_part and "MIT" not in data_part.replace("not by the MIT licence", "")
    assert "MIT licence" in code_part and "Permission is hereby granted" in code_part and "PDBbind" not in code_part


def test_no_placeholder_links(built):
    out, _ = built
    text = card_text(out)
    urls = re.findall(r"https?://[^\s)>`\"'}]+", text)
    assert urls, "the card links the paper, PDBbind and the paper's release"
    for url in urls:
        host, _, path = url.split("://", 1)[1].partition("/")
        segments = [p for p in path.split("/") if p]
        assert "." in host and "example" not in host, f"placeholder link {url}"
        # a code or data host's bare front page (https://github.com/) is a placeholder, not a link
        assert len(segments) >= HOSTED_DEPTH.get(host, 0), f"placeholder link {url}"
    assert "https://arxiv.org/abs/2512.10867" in urls
    assert "https://huggingface.co/datasets/zongzhao/MiSI-bench" in urls
    for target in re.findall(r"\]\(([^)]+)\)", text):
        if "://" not in target:
            assert (out / target).is_file(), f"relative link {target} does not resolve"


def test_says_what_the_papers_release_is_and_what_this_layout_gives(built):
    out, _ = built
    part = section(card_text(out), "This folder and the paper's release")
    assert "zongzhao/MiSI-bench" in part and "archives" in part
    for gain in ("load_dataset", "viewer", "rebuild", "misi-bench verify", "score a model"):
        assert gain in part, gain


def test_how_to_evaluate_names_metrics_lmms_eval_and_tiny(built, tmp_path):
    out, _ = built
    part = section(card_text(out), "How to evaluate")
    for metric in ("exact match", "R = 8 Å, 180°", "0.5 when every true bond", "paper's average", "Table 1"):
        assert metric in part, metric
    group = re.search(r"--tasks (\w+)`", part).group(1)
    assert yaml.safe_load((LMMS_TASKS / f"{group}.yaml").read_text())["group"] == group
    assert {f"misi_bench_{task}.yaml" for task in TASKS} <= {p.name for p in LMMS_TASKS.iterdir()}
    assert "MiSI-Bench(tiny)" in part and "closed models" in part and "--split tiny" in part


def test_the_evaluate_command_of_the_card_runs_as_written(built, tmp_path):
    out, manifest = built
    command = re.search(r"`(misi-bench evaluate [^`]+)`", section(card_text(out), "How to evaluate")).group(1)
    replies = tmp_path / "replies.jsonl"
    oracle = run_cli("baseline", "oracle", "--dataset", str(out), "--split", "test", "--out", str(replies))
    assert oracle.returncode == 0, oracle.stderr
    argv = [str(out) if a == "path/to/this/folder" else str(replies) if a == "replies.jsonl" else a
            for a in shlex.split(command)[1:]]
    result = run_cli(*argv)
    assert result.returncode == 0, result.stderr
    table = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
             for line in result.stdout.splitlines() if line.startswith("| ")}
    columns = table[""]
    assert table["model (composite)"][columns.index("transl.")] == "100.00"  # ground truth scores 100
    assert table["model (composite)"][columns.index("inter. loc.")] == "100.00"
    assert table["n"][columns.index("transl.")] == str(manifest["configs"]["translation"]["test"]["rows"])


def test_citation_block_cites_the_paper(built):
    out, _ = built
    block = re.search(r"```bibtex\n(.*?)```", section(card_text(out), "Citation"), flags=re.S).group(1)
    assert block.lstrip().startswith("@") and block.count("{") == block.count("}")
    for field in ("From Macro to Micro: Benchmarking Microscopic Spatial Intelligence on Molecules via "
                  "Vision-Language Models", "Li, ", "Kong", "2512.10867", "2025"):
        assert field in block, field


def test_readme_header_carries_the_same_search_metadata():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    header = yaml.safe_load(readme.split("---\n")[1])
    for key, value in STATIC_METADATA.items():
        assert header.get(key) == value, key
    assert f"## Citation\n\n```bibtex\n{CITATION}\n```" in readme  # the same entry as the card's
    assert "zongzhao/MiSI-bench" in readme and (ROOT / header["license_link"]).is_file()
