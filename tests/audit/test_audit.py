"""misi-bench audit: chi-square against known values, a real sample build audited end to end
(every number present), and deliberately broken builds that the audit must flag."""

from __future__ import annotations

import argparse
import json
import math
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from misi_bench.audit import audit, ocr, to_markdown
from misi_bench.builders.commands.audit import add_audit_arguments, run_audit
from misi_bench.audit.stats import chi2_sf, chisquare, gamma_q
from misi_bench.builders.source.pdbbind import sample_corpus_dir

from conftest import build_sample

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

TASKS = ("translation", "zooming", "residue_ligand_interaction", "translation_rotation", "docking", "interaction_location")
# OCR pages are the audit's slowest part (tesseract, ~0.6 s each); the legibility tests read back
# the full sample at the default size, so this audit reads only a few questions per task.
OCR_QUESTIONS = 3


# ------------------------------------------------------------------ chi-square

@pytest.mark.parametrize("x, dof, expected", [
    (3.841458820694124, 1, 0.05),           # textbook critical values
    (5.991464547107979, 2, 0.05),
    (6.634896601021214, 1, 0.01),
    (11.070497693516351, 5, 0.05),
    (18.307038053275146, 10, 0.05),
    (10.0, 5, 0.07523524614651217),
    (20.0, 10, 0.029252688076961127),
    (0.0, 3, 1.0),
])
def test_chi2_sf_known_values(x, dof, expected):
    assert chi2_sf(x, dof) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("x", [0.01, 0.5, 1.0, 3.0, 7.5, 20.0, 60.0])
def test_chi2_sf_closed_forms(x):
    # dof 1: erfc(sqrt(x/2)); even dof 2m: exp(-x/2) * sum_{i<m} (x/2)^i / i!
    assert chi2_sf(x, 1) == pytest.approx(math.erfc(math.sqrt(x / 2)), rel=1e-10, abs=1e-300)
    for m in (1, 2, 5, 20):
        closed = math.exp(-x / 2) * sum((x / 2) ** i / math.factorial(i) for i in range(m))
        assert chi2_sf(x, 2 * m) == pytest.approx(closed, rel=1e-10, abs=1e-300)


def test_gamma_q_is_monotone_and_bounded():
    values = [gamma_q(4.5, x) for x in (0.0, 0.5, 2.0, 4.5, 9.0, 30.0, 200.0)]
    assert values[0] == 1.0 and all(a > b for a, b in zip(values, values[1:])) and values[-1] >= 0.0


def test_chisquare_detects_a_skewed_letter_distribution():
    uniform = {"A": 1.0, "B": 1.0, "C": 1.0, "D": 1.0}
    fair = chisquare({"A": 25, "B": 25, "C": 25, "D": 25}, uniform)
    skewed = chisquare({"A": 70, "B": 10, "C": 10, "D": 10}, uniform)
    assert fair["p_value"] == 1.0 and fair["dof"] == 3
    assert skewed["statistic"] == pytest.approx(108.0) and skewed["p_value"] < 1e-20
    assert chisquare({"A": 5, "E": 1}, uniform)["unexpected_values"] == ["E"]


# ------------------------------------------------------------------ a real build

@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    out, _ = build_sample(tmp_path_factory, TASKS, 96, name="audit-build")
    return out, audit(out, sample_corpus_dir(), "sample corpus", thresholds={"max_ocr_questions_per_task": OCR_QUESTIONS})


def _walk(value, path="$"):
    """Every leaf as (path, value)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    else:
        yield path, value


def test_audit_of_the_sample_has_every_number(audited):
    _, result = audited
    leaves = list(_walk(json.loads(json.dumps(result))))
    assert not [p for p, v in leaves if v is None], "null in the audit"
    assert not [p for p, v in leaves if isinstance(v, float) and not math.isfinite(v)]
    for task in TASKS:
        assert task in result["distributions"] and task in result["labels"] and task in result["shortcuts"]
        tested = [f["chi_square"] for f in result["distributions"][task]["facets"].values() if "chi_square" in f]
        assert tested and all(0.0 <= t["p_value"] <= 1.0 for t in tested)
        shortcut = result["shortcuts"][task]
        assert isinstance(shortcut["chance"]["composite"], float)
        assert all(isinstance(s["composite"], float) for s in shortcut["shortcuts"].values())
        assert 0.0 <= result["labels"][task]["collision_rate"] <= 1.0 and result["labels"][task]["labels"] > 0
    assert result["options"]["translation_rotation"]["under_threshold"] == 0
    assert result["options"]["translation_rotation"]["min_pixel_difference"]["min"] >= 1.0
    assert result["options"]["interaction_location"]["with_duplicate_options"] == 0
    assert result["docking"]["atom_overlapping_questions"] == 0
    assert set(result["zooming"]["levels"]) <= {str(d) for d in range(40, 61)}
    assert all(level["visible_atoms"]["min"] >= 3 for level in result["zooming"]["levels"].values())
    assert {"registration"} <= set(result["shortcuts"]["translation"]["shortcuts"])
    assert {"closest_residue"} <= set(result["shortcuts"]["residue_ligand_interaction"]["shortcuts"])
    assert not [f for f in result["flags"] if "option" in f or "docking" in f or "zooming" in f]
    assert result["checks_skipped"] == {}
    # legibility of the interaction tasks in the build (images 2 x 96 px), every share a fraction
    assert set(result["legibility"]) == {"residue_ligand_interaction", "interaction_location"}
    for entry in result["legibility"].values():
        assert entry["image_size"] == 192
        if ocr.tesseract() is not None:
            assert entry["ocr_questions"] == OCR_QUESTIONS and entry["ocr"]
        assert {"ligand_polar"} < set(entry["clear"]) and all(
            0.0 <= share[key] <= 1.0 for share in entry["clear"].values() for key in ("clear_front", "clear_any_view"))
    assert set(result["legibility"]["residue_ligand_interaction"]["clear"]) == {"ligand_polar", "residue_atoms"}
    assert set(result["legibility"]["interaction_location"]["clear"]) == {"ligand_polar", "residues"}
    assert "## Label legibility" in to_markdown(result)


def test_audit_without_source_says_which_checks_did_not_run(audited, tmp_path):
    out, _ = audited
    parser = argparse.ArgumentParser()
    add_audit_arguments(parser)
    assert run_audit(parser.parse_args([str(out), "--out", str(tmp_path / "report")])) == 0
    result = json.loads((tmp_path / "report" / "audit.json").read_text())
    assert "labels" in result["checks_skipped"] and "labels" not in result
    assert "visible_atoms" not in next(iter(result["zooming"]["levels"].values()))
    assert "registration" in result["shortcuts"]["translation"]["shortcuts"]  # image-only, train-calibrated
    markdown = (tmp_path / "report" / "audit.md").read_text()
    assert "## Shortcut baselines" in markdown and "needs --source DIR or --sample" in markdown


def _rewrite_first_row(out, task, change):
    """Rewrite the first train shard of ``task`` with ``change(rows)`` applied (a broken build)."""
    path = next((out / "data" / task).glob("train-*.parquet"))
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    return rows[0]["id"]


def test_identical_options_and_duplicate_text_options_are_flagged(audited, tmp_path):
    out, _ = audited
    broken = tmp_path / "broken"
    shutil.copytree(out, broken)

    def copy_option(rows):
        roles = rows[0]["image_roles"]
        rows[0]["images"][roles.index("option_b")] = dict(rows[0]["images"][roles.index("option_a")])

    def duplicate_text(rows):
        rows[0]["options"][1] = rows[0]["options"][0]

    image_id = _rewrite_first_row(broken, "translation_rotation", copy_option)
    text_id = _rewrite_first_row(broken, "interaction_location", duplicate_text)
    result = audit(broken)
    options = result["options"]
    assert options["translation_rotation"]["under_threshold"] == 1
    assert options["translation_rotation"]["under_threshold_ids"] == [{"id": image_id, "min_pixel_difference": 0.0}]
    assert options["translation_rotation"]["min_pixel_difference"]["min"] == 0.0
    assert options["interaction_location"]["with_duplicate_options"] == 1
    assert options["interaction_location"]["duplicate_ids"] == [text_id]
    assert any(f.startswith("translation_rotation: 1 question(s)") for f in result["flags"])
    assert any(f.startswith("interaction_location: 1 question(s) with duplicate") for f in result["flags"])


def test_a_skewed_answer_distribution_is_flagged(audited, tmp_path):
    out, _ = audited
    broken = tmp_path / "skewed"
    shutil.copytree(out, broken)
    path = next((broken / "data" / "translation").glob("train-*.parquet"))
    table = pq.read_table(path)
    rows = table.to_pylist()
    for row in rows:
        row["answer"] = "move x 4"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    facets = audit(broken)["distributions"]["translation"]["facets"]
    assert facets["amount"]["chi_square"]["flagged"] and facets["axis"]["chi_square"]["p_value"] < 0.01
