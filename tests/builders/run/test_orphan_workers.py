"""Issue #13 item 9: `kill -9` of a `--workers N` build leaves no pool worker (or resource
tracker) behind. A real build runs in its own session; its main process is killed with SIGKILL
while the workers render; every process of the session must be gone within a few seconds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find the session's processes")]

GRACE_SECONDS = 5.0


def session_processes(session: int) -> list[int]:
    """Pids of live (not zombie) processes whose session id is ``session``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_pool_workers_exit_when_the_build_is_killed(tmp_path):
    exe = shutil.which("misi-bench")
    command = [exe] if exe else [sys.executable, "-m", "misi_bench.builders.commands.main"]
    build = subprocess.Popen([*command, "build", "--sample", "--workers", "2", "--image-size", "256", "--quiet",
                              "--out", str(tmp_path / "out")], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    session = build.pid
    try:
        deadline = time.monotonic() + 120
        while len(session_processes(session)) < 3 and time.monotonic() < deadline:  # build + 2 workers
            assert build.poll() is None, "the build ended before its workers started"
            time.sleep(0.2)
        time.sleep(2.0)  # the workers are rendering now
        workers = [pid for pid in session_processes(session) if pid != build.pid]
        assert len(workers) >= 2, workers
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        killed_at = time.monotonic()
        while session_processes(session) and time.monotonic() - killed_at < GRACE_SECONDS:
            time.sleep(0.1)
        survivors = session_processes(session)
        assert not survivors, f"{len(survivors)} process(es) outlived the killed build by {GRACE_SECONDS} s"
    finally:
        for pid in session_processes(session):  # only processes of the build this test started
            os.kill(pid, signal.SIGKILL)
