"""A real headless Chromium for the gallery tests (required when MISI_REQUIRE_BROWSER=1)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    found = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    if found is None:
        if os.environ.get("MISI_REQUIRE_BROWSER") == "1":
            pytest.fail("MISI_REQUIRE_BROWSER=1 but no Chromium on PATH (apt-get install chromium)")
        pytest.skip("no Chromium on PATH")
    return found


def run_browser(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--hide-scrollbars", f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)
