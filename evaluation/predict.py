"""Ask an OpenAI-compatible chat-completions server every question of a split.

One request per row (the message of `chat.chat_messages`: the row's PNGs in order as data URLs,
then the question), ``--concurrency`` requests in flight, each reply appended to the
`PredictionsLog` as it arrives. Rows already answered by the same model in that file are not sent
again, so an interrupted run is resumed by running the same command.

Our choices (also in docs/evaluation.md):

* Client: the ``openai`` package's ``AsyncOpenAI``. Its retry loop is the one the issue asks
  for: 408, 409, 429, every 5xx, connection errors and timeouts are retried up to
  ``max_retries`` times, waiting what ``Retry-After`` (or ``retry-after-ms``) asks, up to two
  minutes, else an exponential backoff (0.5 s doubling, at most 8 s, minus up to 25 % jitter).
* A row whose request still fails is written as a failure line with the error and counted; the
  run goes on. 401, 403 and 404 are about the server, key, base URL or model name, not the row:
  the first one stops the run (`ServerRefused`) instead of failing every row the same way.
* A reply with no text (``content`` null) is an answer ``""`` (it scores as unparsable); a body
  that is not a chat completion (not JSON, no choices) fails its row like a network error.
* ``limit`` keeps the first N rows of the selection (tasks in spec order, shard order), so
  re-running with the same limit resumes the same rows.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

import openai
from tqdm import tqdm

from .chat import chat_messages
from .runs import iter_rows, read_manifest
from .predictions_log import PredictionsLog

CONFIGURATION_STATUSES = (401, 403, 404)
MAX_ERROR_CHARS = 500
ROW_COLUMNS = ("id", "task", "question", "images")


class ServerRefused(RuntimeError):
    """The server rejected the key, the base URL or the model (401, 403, 404): no row can pass."""


@dataclass(frozen=True)
class ServerConfig:
    """Where to send the requests and how."""

    base_url: str
    model: str
    api_key: str
    max_tokens: int = 512
    temperature: float = 0.0
    system_prompt: str | None = None
    timeout: float = 120.0
    max_retries: int = 5
    concurrency: int = 4


@dataclass
class RunSummary:
    """Counts of one run; ``answered`` and ``failed`` count this run's requests only."""

    selected: int = 0
    already_answered: int = 0
    answered: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    replies_without_usage: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # the first few, for the closing summary

    @property
    def to_send(self) -> int:
        return self.selected - self.already_answered


def _one_line(error: BaseException) -> str:
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS - 3] + "..."


def select_ids(dataset: Path, tasks: Sequence[str], split: str, limit: int | None) -> list[str]:
    """The ids of the selection, in order, cut to the first ``limit``."""
    manifest = read_manifest(dataset)
    ids = [row["id"] for task in tasks for row in iter_rows(dataset, task, split, manifest, columns=("id",))]
    return ids if limit is None else ids[:limit]


def rows_to_send(dataset: Path, tasks: Sequence[str], split: str, wanted: set[str]) -> Iterator[dict]:
    """The rows (with their images) whose ids are in ``wanted``, read batch by batch."""
    manifest = read_manifest(dataset)
    left = set(wanted)
    for task in tasks:
        for row in iter_rows(dataset, task, split, manifest, columns=ROW_COLUMNS):
            if row["id"] in left:
                left.discard(row["id"])
                yield row
            if not left:
                return


async def _ask(client, server: ServerConfig, row: dict) -> dict:
    """One request; the line to write (an answer or a failure). Raises `ServerRefused`."""
    line = {"id": row["id"], "prediction": None, "model": server.model, "task": row["task"]}
    try:
        response = await client.chat.completions.create(
            model=server.model, messages=chat_messages(row, server.system_prompt),
            max_tokens=server.max_tokens, temperature=server.temperature)
    except openai.APIStatusError as error:
        if error.status_code in CONFIGURATION_STATUSES:
            raise ServerRefused(f"{server.base_url} answered {error.status_code} for model {server.model!r}: "
                                f"{_one_line(error)}") from None
        return {**line, "error": _one_line(error)}
    except Exception as error:  # connection errors, timeouts, a body that is not JSON: this row fails, the run goes on
        return {**line, "error": _one_line(error)}
    try:
        return {**line, **_answer(response)}
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as error:
        return {**line, "error": f"not a chat completion: {_one_line(error)}"}


def _answer(response) -> dict:
    """``prediction``, ``finish_reason`` and ``usage`` of a chat completion; ValueError when it
    has no choice or its text is not a string."""
    if not response.choices:
        raise ValueError("the server returned no choices")
    choice = response.choices[0]
    content = choice.message.content
    if content is not None and not isinstance(content, str):
        raise ValueError(f"message content is a {type(content).__name__}, not text")
    answer = {"prediction": content or "", "finish_reason": choice.finish_reason}
    if response.usage is not None:
        answer["usage"] = {"prompt_tokens": response.usage.prompt_tokens,
                           "completion_tokens": response.usage.completion_tokens}
    return answer


def _count(summary: RunSummary, line: dict) -> None:
    if line["prediction"] is None:
        summary.failed += 1
        if len(summary.errors) < 3:
            summary.errors.append(f"{line['id']}: {line['error']}")
        return
    summary.answered += 1
    usage = line.get("usage")
    if usage is None:
        summary.replies_without_usage += 1
    else:
        summary.prompt_tokens += usage.get("prompt_tokens") or 0
        summary.completion_tokens += usage.get("completion_tokens") or 0


async def _ask_all(rows: Iterator[dict], server: ServerConfig, log: PredictionsLog, summary: RunSummary,
                   on_line: Callable[[dict], None]) -> None:
    """``server.concurrency`` workers take rows from a short queue; the first `ServerRefused`
    (or any other unexpected exception) cancels the rest and propagates."""
    client = openai.AsyncOpenAI(base_url=server.base_url, api_key=server.api_key,
                                timeout=server.timeout, max_retries=server.max_retries)
    queue: asyncio.Queue = asyncio.Queue(maxsize=server.concurrency)

    async def produce() -> None:
        for row in rows:
            await queue.put(row)
        for _ in range(server.concurrency):
            await queue.put(None)

    async def work() -> None:
        while (row := await queue.get()) is not None:
            line = await _ask(client, server, row)
            log.append(line)
            _count(summary, line)
            on_line(line)

    tasks = [asyncio.create_task(produce())] + [asyncio.create_task(work()) for _ in range(server.concurrency)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()  # re-raise the first failure
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await client.close()


def predict(dataset: Path, tasks: Sequence[str], split: str, out: Path, server: ServerConfig,
            limit: int | None = None, progress: bool = True, summary: RunSummary | None = None) -> RunSummary:
    """Answer every selected row not yet answered by ``server.model`` in ``out``.

    ``summary`` (optional) is filled in as the run goes, so a caller interrupted by Ctrl-C still
    has the counts. Raises `RunError` for bad input and `ServerRefused`.
    """
    summary = summary if summary is not None else RunSummary()
    started = time.monotonic()
    log = PredictionsLog(out, server.model)
    selected = select_ids(dataset, tasks, split, limit)
    wanted = {i for i in selected if i not in log.answered}
    summary.selected, summary.already_answered = len(selected), len(selected) - len(wanted)
    bar = tqdm(total=len(wanted), unit="row", desc=f"predict {server.model}", disable=not progress or not wanted)

    def on_line(line: dict) -> None:
        bar.update(1)
        bar.set_postfix(failed=summary.failed, refresh=False)

    try:
        if wanted:
            asyncio.run(_ask_all(rows_to_send(dataset, tasks, split, wanted), server, log, summary, on_line))
    finally:
        bar.close()
        log.close()
        summary.seconds = time.monotonic() - started
    return summary
