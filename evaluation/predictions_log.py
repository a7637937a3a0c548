"""The ``--out`` file of ``misi-bench predict``: one model's answers, appended line by line.

Every line is a JSON object that ``misi-bench evaluate --predictions`` reads as it is:
``{"id", "prediction", "model", "task", ...}`` for an answer (plus ``usage`` and
``finish_reason`` when the server reports them), ``{"id", "prediction": null, "model", "task",
"error"}`` for a request that failed after its retries (evaluate counts it as missing; a later
answer line of the same id replaces it).

Our choices (also in docs/evaluation.md):

* One file holds one model: a file with lines of another model (or without a ``model``) is
  refused, since evaluate scores one reply per id.
* Each line is written with a single ``write`` on a file opened for appending, as soon as its
  reply arrives, so a crash loses only the requests in flight. An unterminated last line that is
  not JSON (a write cut short by a crash) is removed when the file is opened again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping

from .runs import RunError, is_failure, prediction_lines


class PredictionsLog:
    """What earlier runs of the same model answered, and the appending of new lines."""

    def __init__(self, path: Path, model: str):
        self.path = Path(path)
        self.model = model
        self.answered: set[str] = set()
        self.failed_before: set[str] = set()
        if not self.path.parent.is_dir():
            raise RunError(f"folder of --out does not exist: {self.path.parent}")
        if self.path.exists() and not self.path.is_file():
            raise RunError(f"--out {self.path} is not a file")
        try:
            if self.path.exists():
                self._repair_tail()
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as error:
            raise RunError(f"cannot open --out {self.path}: {error.strerror or error}") from None
        try:
            self._load()
        except RunError:
            self.close()
            raise

    def _repair_tail(self) -> None:
        data = self.path.read_bytes()
        if not data or data.endswith(b"\n"):
            return
        tail = data[data.rfind(b"\n") + 1:]
        try:
            json.loads(tail)
        except ValueError:
            os.truncate(self.path, len(data) - len(tail))  # a line cut short by a crash
            return
        with self.path.open("ab") as handle:  # a whole last line without its newline
            handle.write(b"\n")

    def _load(self) -> None:
        for where, item in prediction_lines(self.path):
            if item.get("model") != self.model:
                found = item.get("model")
                raise RunError(f"{where}: this file holds {'a line without a model' if found is None else f'answers of model {found!r}'}; "
                               f"write the answers of {self.model!r} to another --out")
            if is_failure(item):
                self.failed_before.add(item["id"])
            elif item["id"] in self.answered:
                raise RunError(f"{where}: id {item['id']} is answered twice")
            else:
                self.answered.add(item["id"])
        self.failed_before -= self.answered

    def append(self, line: Mapping) -> None:
        """Write one line (one ``write`` call on an append-only descriptor)."""
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        while data:
            data = data[os.write(self._fd, data):]
        if line.get("prediction") is not None:
            self.answered.add(line["id"])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
