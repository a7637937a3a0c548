"""``misi-bench predict`` against a real HTTP server on 127.0.0.1 (`chat_server.ChatServer`).

The command runs as a subprocess (the installed console script) talking to the stand-in, which
answers the ground truth for some rows and a wrong reply for the others, so the scores that
``misi-bench evaluate`` computes from the file are known independently.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from helpers.chat_server import ChatServer, row_key
from conftest import cli_command, read_rows, run_cli
from misi_bench.evaluation import read_predictions
from misi_bench.evaluation.runs import RunError
from misi_bench.evaluation.predictions_log import PredictionsLog

TASKS = ("translation", "residue_ligand_interaction")


@pytest.fixture(scope="module")
def rows(sample_build) -> list[dict]:
    """The test rows of the sample build, with their images, in task and shard order."""
    found = [row for task in TASKS for row in read_rows(sample_build, task, "test")]
    assert len(found) >= 12
    return found


def key_of(row: dict) -> str:
    return row_key(row["question"], [image["bytes"] for image in row["images"]])


def truth_for_even_rows(rows: list[dict]) -> dict[str, str]:
    """The stand-in's table: the true answer for every other row (the rest get a wrong reply)."""
    return {key_of(row): row["answer"] for row in rows[::2]}


def predict_cli(server: ChatServer, dataset: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_cli("predict", "--dataset", str(dataset), "--split", "test", "--task", ",".join(TASKS),
                   "--base-url", server.base_url, "--model", server.model, "--out", str(out), "--quiet", *extra)


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def evaluate_report(dataset: Path, predictions: Path) -> dict:
    result = run_cli("evaluate", "--dataset", str(dataset), "--split", "test", "--task", ",".join(TASKS),
                     "--predictions", str(predictions))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_row_answered_once_with_its_images_concurrently_and_429s_retried(sample_build, rows, tmp_path):
    keys = [key_of(row) for row in rows]
    assert len(set(keys)) == len(keys), "the stand-in needs distinct (question, images) per row"
    throttled, failing, stalled = frozenset(keys[1::4]), frozenset(keys[2::4]), frozenset(keys[3:4])
    out = tmp_path / "preds.jsonl"
    with ChatServer(truth_for_even_rows(rows), throttle=throttled, fail_once=failing, stall_once=stalled) as server:
        result = predict_cli(server, sample_build, out, "--concurrency", "4", "--timeout", "1")
    assert result.returncode == 0, result.stderr

    # Every row answered exactly once, by the server, with the row's own images in order.
    answered = server.answered()
    assert Counter(r.key for r in answered) == Counter(keys)
    by_key = {key_of(row): row for row in rows}
    for request in answered:
        row = by_key[request.key]
        assert request.images == [image["bytes"] for image in row["images"]]
        assert request.question == row["question"] and request.model == server.model
    assert server.max_in_flight > 1

    # Throttled rows: one 429, then an answer no earlier than Retry-After asked; 500s and timeouts
    # (a request left unanswered past --timeout) retried too.
    for key in throttled | failing | stalled:
        attempts = [r for r in server.received if r.key == key]
        assert [r.status for r in attempts] == [429 if key in throttled else 500 if key in failing else 0, 200]
    for key in throttled:
        first, second = (r.at for r in server.received if r.key == key)
        assert second - first >= server.retry_after - 0.05

    # The file: one line per row, the server's reply, readable by evaluate as it is.
    lines = lines_of(out)
    assert sorted(line["id"] for line in lines) == sorted(row["id"] for row in rows)
    replies = {r.key: r.reply for r in answered}
    assert {line["id"]: line["prediction"] for line in lines} == {row["id"]: replies[key_of(row)] for row in rows}
    assert {line["model"] for line in lines} == {server.model}
    report = evaluate_report(sample_build, out)
    table = run_cli("evaluate", "--dataset", str(sample_build), "--split", "test", "--task", ",".join(TASKS),
                    "--predictions", str(out), "--markdown", "--compare-paper", "--label", server.model)
    assert table.returncode == 0, table.stderr
    labels = [line.split("|")[1].strip() for line in table.stdout.splitlines() if line.startswith("|")]
    assert labels.index(f"{server.model} (composite)") < labels.index("human (paper, tiny) †")
    for task in TASKS:
        task_rows = [i for i, row in enumerate(rows) if row["task"] == task]
        right = sum(1 for i in task_rows if i % 2 == 0)
        assert report["tasks"][task]["n"] == len(task_rows)
        assert report["tasks"][task]["exact"] == pytest.approx(100 * right / len(task_rows))
    assert report["missing_ids"] == []

    # The summary: counts and the tokens the server reported.
    tokens = sum(100 * len(r.images) + len(r.question) for r in answered)
    completion = sum(len(r.reply) for r in answered)
    assert f"answered {len(rows)} of {len(rows)} row(s) sent, 0 failed" in result.stdout
    assert f"{tokens:,} prompt + {completion:,} completion" in result.stdout


def test_resume_sends_nothing_new(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    with ChatServer(truth_for_even_rows(rows)) as server:
        first = predict_cli(server, sample_build, out, "--limit", "5")
        assert first.returncode == 0, first.stderr
        assert len(server.answered()) == 5 and len(lines_of(out)) == 5
        again = predict_cli(server, sample_build, out, "--limit", "5")
        assert again.returncode == 0, again.stderr
        assert len(server.received) == 5  # nothing new sent
        assert "0 of 0 row(s) sent" in again.stdout and "5 of the 5 selected" in again.stdout
        rest = predict_cli(server, sample_build, out)
        assert rest.returncode == 0, rest.stderr
    assert Counter(r.key for r in server.answered()) == Counter(key_of(row) for row in rows)
    assert sorted(line["id"] for line in lines_of(out)) == sorted(row["id"] for row in rows)


def test_a_server_that_dies_mid_run_leaves_a_file_a_rerun_completes(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    table = truth_for_even_rows(rows)
    with ChatServer(table, die_after=5) as dying:
        broken = predict_cli(dying, sample_build, out, "--concurrency", "2", "--max-retries", "1", "--timeout", "5")
    assert broken.returncode == 1, broken.stderr
    lines = lines_of(out)
    answered = {line["id"] for line in lines if line["prediction"] is not None}
    failed = {line["id"] for line in lines if line["prediction"] is None}
    assert len(answered) == 5 and failed and not answered & failed
    assert answered | failed == {row["id"] for row in rows}
    assert all(line["error"] for line in lines if line["id"] in failed)
    assert f"{len(failed)} row(s) failed" in broken.stdout
    assert evaluate_report(sample_build, out)["missing_ids"] == sorted(failed)  # readable as it is

    with ChatServer(table) as fresh:
        rerun = predict_cli(fresh, sample_build, out)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(r.key for r in fresh.answered()) == sorted(key_of(row) for row in rows if row["id"] in failed)
    predictions = read_predictions(out)
    assert set(predictions) == {row["id"] for row in rows} and None not in predictions.values()
    report = evaluate_report(sample_build, out)
    assert report["missing_ids"] == []
    assert sum(t["n"] for t in report["tasks"].values()) == len(rows)


def test_a_reply_that_is_not_json_fails_only_its_row(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    table = truth_for_even_rows(rows)
    broken = frozenset(key_of(row) for row in rows[1:3])
    with ChatServer(table, garbage=broken) as server:
        result = predict_cli(server, sample_build, out, "--limit", "6")
    assert result.returncode == 1, result.stderr
    failed = {line["id"]: line["error"] for line in lines_of(out) if line["prediction"] is None}
    assert set(failed) == {row["id"] for row in rows[1:3]} and all(failed.values())
    assert len(read_predictions(out)) == 6 and "Traceback" not in result.stderr
    with ChatServer(table) as fresh:
        assert predict_cli(fresh, sample_build, out, "--limit", "6").returncode == 0
    assert sorted(r.key for r in fresh.answered()) == sorted(broken)


def test_ctrl_c_loses_at_most_the_requests_in_flight(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    table = truth_for_even_rows(rows)
    with ChatServer(table, delay=0.3) as server:
        process = subprocess.Popen([*cli_command(), "predict", "--dataset", str(sample_build), "--split", "test",
                                    "--task", ",".join(TASKS), "--base-url", server.base_url, "--model", server.model,
                                    "--out", str(out), "--quiet", "--concurrency", "2"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while len(server.answered()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        answered = len(server.answered())  # replies sent before the interrupt; the client may not have written them yet
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    written = read_predictions(out)
    in_flight = 2  # --concurrency
    assert answered - in_flight <= len(written) < len(rows) and None not in written.values()
    with ChatServer(table) as fresh:
        rerun = predict_cli(fresh, sample_build, out)
    assert rerun.returncode == 0, rerun.stderr
    assert len(fresh.answered()) == len(rows) - len(written)
    assert set(read_predictions(out)) == {row["id"] for row in rows}


def test_unknown_model_stops_at_once_with_one_line(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    with ChatServer({}, model="served-model") as server:
        result = run_cli("predict", "--dataset", str(sample_build), "--split", "test", "--base-url", server.base_url,
                         "--model", "other-model", "--out", str(out), "--quiet", "--concurrency", "1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "404" in result.stderr and "other-model" in result.stderr
    assert len(server.received) <= 2  # not one request per row


@pytest.mark.parametrize("arguments, message", [
    (("--base-url", "localhost:8000"), "http:// or https://"),
    (("--concurrency", "0"), "positive integer"),
    (("--api-key-env", "MISI_BENCH_TEST_UNSET_KEY"), "MISI_BENCH_TEST_UNSET_KEY"),
    (("--task", "nonsense"), "nonsense"),
])
def test_bad_arguments_are_one_line_errors(sample_build, tmp_path, arguments, message):
    base = {"--base-url": "http://127.0.0.1:9/v1", "--concurrency": "1", "--task": "all"}
    base.update(dict(zip(arguments[::2], arguments[1::2])))
    flat = [item for pair in base.items() for item in pair]
    result = run_cli("predict", "--dataset", str(sample_build), "--model", "m", "--out", str(tmp_path / "p.jsonl"), *flat)
    assert result.returncode == 2 and message in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "p.jsonl").exists()


def test_a_file_of_another_model_is_refused(sample_build, rows, tmp_path):
    out = tmp_path / "preds.jsonl"
    out.write_text(json.dumps({"id": rows[0]["id"], "prediction": "No", "model": "someone-else"}) + "\n")
    with ChatServer({}) as server:
        result = predict_cli(server, sample_build, out)
    assert result.returncode == 2 and "someone-else" in result.stderr
    assert server.received == []


def test_a_line_cut_short_by_a_crash_is_dropped_and_a_whole_one_kept(tmp_path):
    out = tmp_path / "preds.jsonl"
    whole = json.dumps({"id": "a", "prediction": "move x 1", "model": "m"})
    out.write_text(whole + "\n" + '{"id": "b", "predic')
    log = PredictionsLog(out, "m")
    log.close()
    assert log.answered == {"a"} and out.read_text() == whole + "\n"
    out.write_text(whole)  # complete but without its newline
    log = PredictionsLog(out, "m")
    log.append({"id": "b", "prediction": None, "model": "m", "error": "boom"})
    log.close()
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]
    log = PredictionsLog(out, "m")
    log.close()
    assert log.failed_before == {"b"}
    out.write_text(whole + "\n" + whole + "\n")
    with pytest.raises(RunError, match="answered twice"):
        PredictionsLog(out, "m")


def test_an_out_that_is_a_folder_is_a_one_line_error(sample_build, tmp_path):
    with ChatServer({}) as server:
        result = predict_cli(server, sample_build, tmp_path)
    assert result.returncode == 2 and "is not a file" in result.stderr and result.stderr.count("\n") == 1
    assert server.received == []
