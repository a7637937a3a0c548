"""Print the lowest versions pyproject.toml admits, one ``name==version`` a line: every runtime
dependency and those of the ``test`` extra. CI installs them together (as pip constraints) to
prove the declared lower bounds. A dependency without a ``>=`` bound is an error: its lowest
version would be untested."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*>=\s*([^,;\s]+)")


def lowest(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = LOWER_BOUND.match(requirement)
        if not match:
            sys.exit(f"lowest_requirements: '{requirement}' has no '>=' lower bound")
        pins.append(f"{match.group(1)}=={match.group(3)}")
    return pins


if __name__ == "__main__":
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]
    print("\n".join(lowest(project["dependencies"] + project["optional-dependencies"]["test"])))
