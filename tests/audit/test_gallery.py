"""misi-bench gallery: a static site of sample questions, checked as files and in a real
headless Chromium (every page loads, every <img> decodes, the screenshot is not blank).

Without Chromium the browser test skips, unless MISI_REQUIRE_BROWSER=1 (set by .ci/run), where
a missing browser fails it."""

from __future__ import annotations

import argparse
import functools
import html.parser
import http.server
import io
import json
import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from misi_bench.builders.commands.publish import add_gallery_arguments, run_gallery
from misi_bench.builders.tasks import TASKS as TASK_SPECS

from conftest import SHARED_SIZE
from helpers.browser import find_browser, run_browser

TASKS = tuple(TASK_SPECS)


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_build):
    out, _ = shared_build
    folder = tmp_path_factory.mktemp("site") / "site"
    parser = argparse.ArgumentParser()
    add_gallery_arguments(parser)
    assert run_gallery(parser.parse_args([str(out), "--out", str(folder), "--per-task", "2"])) == 0
    return folder


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs["src"])
        if tag == "a":
            self.links.append(attrs["href"])


def _refs(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_site_has_a_page_per_task_with_local_images(site):
    pages = sorted(p.name for p in site.glob("*.html"))
    assert pages == sorted(["index.html", *(f"{t}.html" for t in TASKS)])
    assert set(_refs(site / "index.html").links) == {f"{t}.html" for t in TASKS}
    for task in TASKS:
        page = site / f"{task}.html"
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), "no network references"
        assert "<script" not in text
        refs = _refs(page)
        assert len(refs.images) >= 2 * 4 and len(refs.images) == len(set(refs.images))
        for src in refs.images:
            with Image.open(site / src) as image:
                assert image.size == (SHARED_SIZE * TASK_SPECS[task].image_scale,) * 2
        assert text.count('class="q"') == 2 and "Answer: <code>" in text and "params</summary>" in text


CHECK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>check</title></head><body>
{frames}
<script>
window.addEventListener('load', function () {{
  var out = [];
  document.querySelectorAll('iframe').forEach(function (f) {{
    var d = f.contentDocument, imgs = Array.prototype.slice.call(d.images);
    out.push({{page: f.getAttribute('src'), h1: d.querySelector('h1') ? d.querySelector('h1').textContent : '',
      images: imgs.length,
      broken: imgs.filter(function (i) {{ return !(i.complete && i.naturalWidth > 0); }}).map(function (i) {{ return i.getAttribute('src'); }})}});
  }});
  var pre = document.createElement('pre'); pre.id = 'result'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script></body></html>
"""


def _page_report(browser: str, folder: Path, profile: Path) -> list[dict]:
    """Load every page of ``folder`` in iframes of one page served on loopback; per page its
    <h1>, image count and the images whose naturalWidth is 0."""
    pages = sorted(p.name for p in folder.glob("*.html") if not p.name.startswith("_"))
    frames = "\n".join(f'<iframe loading="eager" src="{p}" width="900" height="700"></iframe>' for p in pages)
    (folder / "_check.html").write_text(CHECK_PAGE.format(frames=frames), encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        done = run_browser(browser, profile, "--dump-dom", f"http://127.0.0.1:{server.server_address[1]}/_check.html")
    finally:
        server.shutdown()
        server.server_close()
        (folder / "_check.html").unlink()
    match = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert match, f"no result from the browser: {done.stderr[-2000:]}"
    return json.loads(html.unescape(match.group(1)))


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_gallery_in_headless_chromium(site, tmp_path):
    browser = find_browser()
    report = _page_report(browser, site, tmp_path / "profile")
    assert {r["page"] for r in report} == {"index.html", *(f"{t}.html" for t in TASKS)}
    for page in report:
        assert page["h1"], f"{page['page']} did not load"
        assert not page["broken"], f"{page['page']}: images not decoded: {page['broken']}"
    assert sum(r["images"] for r in report) == sum(len(_refs(site / f"{t}.html").images) for t in TASKS)

    shot = tmp_path / "shot.png"
    done = run_browser(browser, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1000,800",
                (site / "translation_rotation.html").as_uri())
    assert shot.is_file(), done.stderr[-2000:]
    pixels = np.asarray(Image.open(io.BytesIO(shot.read_bytes())).convert("RGB"), dtype=np.int16)
    assert pixels.shape == (800, 1000, 3)
    assert pixels.std() > 20, "blank screenshot"
    dark = (pixels.max(axis=2) < 20).mean()  # the black image backgrounds are on screen
    assert 0.01 < dark < 0.9


def test_the_browser_check_catches_a_missing_image(site, tmp_path):
    browser = find_browser()
    broken = tmp_path / "broken-site"
    shutil.copytree(site, broken)
    victim = _refs(broken / "docking.html").images[0]
    (broken / victim).unlink()
    report = {r["page"]: r for r in _page_report(browser, broken, tmp_path / "profile")}
    assert report["docking.html"]["broken"] == [victim]
    assert not report["translation.html"]["broken"]
