"""Issue #13 items 2 and 12: `gallery --out SITE` replaces only files it wrote there, and a
crafted build folder (script in the manifest, quotes and `../` in config names and row ids)
cannot inject HTML or write outside SITE. Checked as files and in a real headless Chromium."""

from __future__ import annotations

import html.parser
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import run_cli
from misi_bench import schema
from helpers.browser import find_browser, run_browser

PAYLOAD = '<img src=x onerror="document.body.setAttribute(\'data-pwned\',\'1\')"><script>document.body.setAttribute(\'data-pwned\',\'1\')</script>'


@pytest.fixture(scope="module")
def built(sample_build) -> Path:
    return sample_build


def gallery(build: Path, site: Path, *extra: str):
    return run_cli("gallery", str(build), "--out", str(site), *extra)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_folder_the_gallery_did_not_write_is_refused_untouched(tmp_path, built):
    site = tmp_path / "site"
    (site / "images").mkdir(parents=True)
    (site / "images" / "logo.png").write_bytes(b"\x89PNG mine")
    (site / "index.html").write_text("<h1>my home page</h1>\n")
    before = tree(site)
    result = gallery(built, site)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_rerun_replaces_only_its_own_files(tmp_path, built):
    site = tmp_path / "site"
    assert gallery(built, site, "--per-task", "3").returncode == 0
    (site / "notes.txt").write_text("keep\n")
    assert gallery(built, site, "--per-task", "1").returncode == 0
    listed = json.loads((site / "gallery.json").read_text())["files"]
    assert not list(schema.validator("gallery").iter_errors(json.loads((site / "gallery.json").read_text())))
    assert sorted(tree(site)) == sorted([*listed, "gallery.json", "notes.txt"])  # the 3-per-task images are gone
    assert (site / "notes.txt").read_text() == "keep\n"
    (site / "images" / "translation" / "mine.png").write_bytes(b"mine")
    before = tree(site)
    result = gallery(built, site)
    assert result.returncode == 2 and "mine.png" in result.stderr
    assert tree(site) == before


def crafted_build(built: Path, folder: Path) -> Path:
    """The build with a hostile manifest and hostile row ids / texts in its test shard."""
    shutil.copytree(built, folder)
    shard = folder / "data" / "translation" / "test-00000-of-00001.parquet"
    table = pq.read_table(shard)
    rows = table.to_pylist()
    for n, row in enumerate(rows):
        row.update(id=f"../../../../pwned-{n}{PAYLOAD}", pdb_id=PAYLOAD, question=PAYLOAD, split=PAYLOAD)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), shard)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["parameters"]["image_size"] = PAYLOAD
    manifest["configs"] = {"translation": manifest["configs"]["translation"]}  # one real config is enough
    test_only = {"test": manifest["configs"]["translation"]["test"]}
    manifest["configs"][f'x"><b>{PAYLOAD}'] = test_only
    manifest["configs"]["../../../escape"] = test_only
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


def test_crafted_build_folder_cannot_inject_html_or_escape_the_site(tmp_path, built):
    crafted = crafted_build(built, tmp_path / "crafted")
    site = tmp_path / "site" / "gallery"
    result = gallery(crafted, site)
    assert result.returncode == 0, result.stderr

    outside = [p for p in tmp_path.rglob("*") if "pwned" in p.name or "escape" in p.name]
    assert outside and all(p.resolve().is_relative_to(site.resolve()) for p in outside)
    assert all(p.resolve().is_relative_to(site.resolve()) for p in site.rglob("*"))
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 4  # index + translation + the two crafted configs, under safe names
    for page in pages:
        tags = _Tags()
        tags.feed(page.read_text(encoding="utf-8"))
        assert "script" not in tags.tags and not tags.handlers, page.name
        assert tags.tags.count("b") == 0, page.name  # the config name's markup stayed text
    assert "&lt;script&gt;" in (site / "index.html").read_text(encoding="utf-8")

    browser = find_browser()
    for page in pages:
        done = run_browser(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
        assert "<body" in done.stdout, done.stderr[-2000:]
        assert 'data-pwned="1"' not in done.stdout and "<script" not in done.stdout, page.name
