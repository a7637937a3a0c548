"""``misi-bench predict`` throughput against a stand-in server with a fixed answer latency.

A build of the sample corpus (the first one-command task, T1, and the docking task, 512 px: 4 and
7 images per question, the sizes a real run sends) is answered by the test suite's OpenAI-compatible stand-in
(`tests/helpers/chat_server.py`) on 127.0.0.1, which takes ``--latency`` seconds per answer. The client
runs as its own process (``misi-bench predict --quiet``), once per concurrency level, each into a
fresh file. The yardstick in the same run is the sequential run (concurrency 1): with the
server's latency fixed, N requests in flight should approach N times its rows/s. A run with
latency 0 measures the client's own cost per row (reading the shard, base64 of the PNGs, JSON,
HTTP), which bounds how fast any server can be fed.

Prints rows/s per concurrency level, the speed-up over concurrency 1 beside the ideal N, and
the cost per row with no latency (client and stand-in share this machine's cores, so this is an
upper bound of the client's own cost). ``wall time`` is the one ``predict`` reports (from opening
the file to the last reply; interpreter start-up excluded).

    python benchmarks/predict_concurrency.py [--latency 0.2] [--levels 1,4,8] [--image-size 512]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' helpers package

from helpers.chat_server import ChatServer  # noqa: E402

from misi_bench.builders.tasks import TASKS as REGISTRY  # noqa: E402
from misi_bench.builders.tasks.answers import CommandAnswer, DockingAnswer  # noqa: E402

TASKS = tuple(next(name for name, task in REGISTRY.items() if isinstance(task.answer, kind))
              for kind in (CommandAnswer, DockingAnswer))


def build(out: Path, image_size: int) -> None:
    subprocess.run([sys.executable, "-m", "misi_bench.builders.commands.main", "build", "--sample", "--out", str(out),
                    "--tasks", ",".join(TASKS), "--splits", "train,test", "--image-size", str(image_size), "--quiet"],
                   check=True, capture_output=True)


def run_predict(dataset: Path, server: ChatServer, out: Path, concurrency: int) -> tuple[int, float]:
    """(rows answered, wall seconds as predict reports them)."""
    result = subprocess.run([sys.executable, "-m", "misi_bench.builders.commands.main", "predict", "--dataset", str(dataset),
                             "--split", "train", "--task", ",".join(TASKS), "--base-url", server.base_url,
                             "--model", server.model, "--out", str(out), "--concurrency", str(concurrency), "--quiet"],
                            capture_output=True, text=True, check=True)
    answered = int(re.search(r"answered (\d+) of", result.stdout).group(1))
    seconds = float(re.search(r"wall time ([\d.]+) s", result.stdout).group(1))
    return answered, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the server takes per answer")
    parser.add_argument("--levels", default="1,4,8", help="concurrency levels (the first is the yardstick)")
    parser.add_argument("--image-size", type=int, default=512)
    args = parser.parse_args()
    levels = [int(level) for level in args.levels.split(",")]

    with tempfile.TemporaryDirectory(prefix="misi-predict-bench-") as scratch:
        dataset = Path(scratch) / "build"
        build(dataset, args.image_size)

        rates = {}
        for level in levels:
            with ChatServer({}, delay=args.latency) as server:
                rows, seconds = run_predict(dataset, server, Path(scratch) / f"c{level}.jsonl", level)
            rates[level] = rows / seconds
            print(f"concurrency {level:>2}: {rows} rows in {seconds:.2f} s = {rates[level]:.1f} rows/s "
                  f"(x{rates[level] / rates[levels[0]]:.2f} of concurrency {levels[0]}; ideal x{level / levels[0]:.0f})")

        with ChatServer({}, delay=0.0) as server:
            rows, seconds = run_predict(dataset, server, Path(scratch) / "free.jsonl", max(levels))
        print(f"latency 0, concurrency {max(levels)}: {rows} rows in {seconds:.2f} s = {1000 * seconds / rows:.1f} ms per row "
              "(client and stand-in server together)")


if __name__ == "__main__":
    main()
