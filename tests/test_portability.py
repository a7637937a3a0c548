"""Nothing POSIX-only at import time: with ``fcntl`` unimportable (as on Windows) the build code,
the CLI and MiSI-bench.py import, and a build still runs (filelock picks the lock it can use)."""

from __future__ import annotations

import pytest
import json
import subprocess
import sys
from pathlib import Path

from misi_bench.builders.source.pdbbind import sample_corpus_dir

pytestmark = pytest.mark.slow  # builds its own sample (settings the shared session build does not have)

SCRIPT = Path(__file__).resolve().parents[1] / "MiSI-bench.py"

WITHOUT_FCNTL = """
import sys
sys.modules["fcntl"] = None  # `import fcntl` now raises ImportError, as on Windows
import importlib.util, json
from pathlib import Path

from misi_bench.builders.run import build
from misi_bench.builders.commands import main
from misi_bench.builders.source.pdbbind import sample_corpus_dir

spec = importlib.util.spec_from_file_location("misi_bench_script", sys.argv[1])
script = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = script
spec.loader.exec_module(script)

corpus = sample_corpus_dir()
manifest = build.build(build.BuildConfig(source=corpus, out=Path(sys.argv[2]), tasks=("translation",), image_size=64,
                                         split_file=corpus / "splits.json", progress=False))
exit_code = main.main(["validate", sys.argv[2]])
print(json.dumps({"configs": [c.name for c in script.MisiBench.BUILDER_CONFIGS], "validate": exit_code,
                  "rows": manifest["configs"]["translation"]["train"]["rows"],
                  "fcntl_loaded": sys.modules["fcntl"] is not None}))
"""


def test_import_and_build_work_without_fcntl(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-c", WITHOUT_FCNTL, str(SCRIPT), str(out)],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["fcntl_loaded"] is False
    assert len(report["configs"]) == 9 and report["validate"] == 0
    splits = json.loads((sample_corpus_dir() / "splits.json").read_text())
    assert report["rows"] == 4 * len(splits["train"])  # translation: 4 questions per training complex
    assert (out / "manifest.json").is_file() and not (tmp_path / ".out.building").exists()
