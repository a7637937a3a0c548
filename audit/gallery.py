"""``misi-bench gallery OUT --out SITE``: a static HTML site of sample questions.

``SITE/index.html`` links one page per task (``SITE/<task>.html``); each page shows a few
questions (``--per-task``, default 3, spread evenly over the chosen split) with their numbered
images, image roles, question text, options, answer and params (the renderer scenes folded
away). Images are written as PNG files under ``SITE/images/<task>/`` next to the pages, so the
site works offline from ``file://``: no network, no JavaScript, one inline stylesheet.

The build folder is input we do not trust: every value that reaches HTML is escaped, and file
names are safe slugs of config names and row ids, never the raw text. ``SITE/gallery.json`` lists
the files written; a later run replaces only those (folder_rules.py) and refuses a non-empty
folder that is not a gallery.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import tempfile
from pathlib import Path

from misi_bench.builders.tasks import TASKS
from misi_bench.evaluation.runs import RunError, read_manifest, shard_error
from misi_bench.builders.output.folder_rules import Owner, install, owned_files, resolve_target

MARKER = "gallery.json"
GALLERY_OUTPUT = Owner("gallery", MARKER, "gallery", lambda marker: marker["files"], ("images", "index.html", MARKER))
_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")

FAMILIES = {name: task.answer.family for name, task in TASKS.items()}  # a page's kind of task
SPLIT_PREFERENCE = ("test", "train", "tiny")

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:1.5rem auto;max-width:1180px;
color:#1d1d1f;background:#fafafa;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0 .8rem}h2{font-size:1.15rem;margin:0 0 .6rem}
a{color:#0b57d0}nav{margin-bottom:1rem;font-size:.9rem}
.q{background:#fff;border:1px solid #ddd;border-radius:8px;padding:1rem;margin:0 0 1.4rem}
.imgs{display:flex;flex-wrap:wrap;gap:.5rem;margin:.4rem 0 .8rem}
figure{margin:0;text-align:center;font-size:.75rem;color:#555}
figure img{display:block;width:170px;height:170px;image-rendering:auto;border-radius:4px;background:#000}
figure.answer img{outline:3px solid #1a7f37}
pre{white-space:pre-wrap;font-size:.8rem;background:#f3f3f3;border-radius:6px;padding:.6rem;margin:.3rem 0;max-height:22rem;overflow:auto}
.answer-line{font-size:1rem;margin:.5rem 0}.answer-line code{background:#e6f4ea;padding:.1rem .35rem;border-radius:4px}
ol.opts{margin:.3rem 0}ol.opts li.right{font-weight:600;color:#1a7f37}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left;font-size:.9rem}
.meta{font-size:.8rem;color:#666}
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def slug(text: str) -> str:
    """A file-name-safe form of a config name or row id: unchanged when already safe, else its
    safe characters plus a hash of the whole text (so distinct texts stay distinct)."""
    text = str(text)
    if _SLUG.fullmatch(text):
        return text
    readable = re.sub(r"[^a-z0-9_]+", "-", text.lower()).strip("-_")[:40]
    return f"{readable or 'x'}-{hashlib.sha256(text.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def _text(value) -> str:
    return html.escape(str(value))


def pick_split(configs: dict, task: str) -> str | None:
    return next((s for s in SPLIT_PREFERENCE if configs.get(task, {}).get(s, {}).get("rows")), None)


def spread(n: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n)``."""
    if n <= k:
        return list(range(n))
    return sorted({round(i * (n - 1) / (k - 1)) for i in range(k)}) if k > 1 else [0]


def sample_rows(out: Path, manifest: dict, task: str, split: str, k: int) -> list[dict]:
    import pyarrow.parquet as pq

    paths = [out / shard["path"] for shard in manifest["configs"][task][split]["shards"]]
    outside = [p for p in paths if not p.resolve().is_relative_to(out.resolve())]
    if outside:
        raise RunError(f"shard {outside[0]} lies outside the build folder {out}")
    counts = [_read(path, lambda p: pq.ParquetFile(p).metadata.num_rows) for path in paths]
    wanted, rows, offset = set(spread(sum(counts), k)), [], 0
    for path, count in zip(paths, counts):
        local = [i - offset for i in wanted if offset <= i < offset + count]
        if local:
            rows.extend(_read(path, lambda p: pq.read_table(p).take(sorted(local)).to_pylist()))
        offset += count
    return rows


def _read(path: Path, read):
    """``read(path)`` of one shard; a shard that cannot be read is a one-line RunError."""
    import pyarrow as pa

    try:
        return read(path)
    except (OSError, pa.ArrowException) as error:
        raise shard_error(path, error) from None


def _question_html(task: str, row: dict, image_dir: Path, site: Path) -> str:
    image_dir.mkdir(parents=True, exist_ok=True)
    figures = []
    answer = str(row["answer"]).strip()
    answer_role = f"option_{answer.lower()}" if row["question_type"] == "multiple_choice" else None
    for n, (image, role) in enumerate(zip(row["images"], row["image_roles"]), start=1):
        path = image_dir / f"{slug(row['id'])}-{n:02d}.png"
        path.write_bytes(image["bytes"])
        rel = path.relative_to(site).as_posix()
        right = ' class="answer"' if role == answer_role else ""
        figures.append(f'<figure{right}><img src="{html.escape(rel)}" alt="image {n}: {_text(role)}" '
                       f'width="170" height="170"><figcaption>{n}. {_text(role)}</figcaption></figure>')
    params = dict(row["params"] or {})
    scenes = params.pop("scenes", None) or []
    options = ""
    if row["options"] and any(o not in ("A", "B", "C", "D") for o in row["options"]):
        items = "".join(f'<li{" class=right" if chr(65 + i) == answer else ""}>{_text(o)}</li>'
                        for i, o in enumerate(row["options"]))
        options = f'<p>Options:</p><ol class="opts" type="A">{items}</ol>'
    return (f'<section class="q" id="{_text(row["id"])}">\n<h2>{_text(row["id"])}</h2>\n'
            f'<p class="meta">{_text(row["pdb_id"])} · {_text(row["split"])} · {_text(row["question_type"])}</p>\n'
            f'<div class="imgs">{"".join(figures)}</div>\n'
            f'<details><summary>Question text</summary><pre>{_text(row["question"])}</pre></details>\n{options}\n'
            f'<p class="answer-line">Answer: <code>{_text(row["answer"])}</code></p>\n'
            f'<details><summary>params</summary><pre>{_text(json.dumps(params, indent=1, ensure_ascii=False, default=str))}</pre></details>\n'
            f'<details><summary>renderer scenes ({len(scenes)})</summary><pre>{_text(chr(10).join(map(str, scenes)))}</pre></details>\n'
            "</section>")


def write_site(out: Path, site: Path, per_task: int = 3, open_text: bool = False) -> list[Path]:
    """Write the site (refused, before any work, when SITE holds files it did not write);
    returns the pages written (index first)."""
    out = Path(out)
    site = resolve_target(site)
    manifest = read_manifest(out)
    owned_files(site, GALLERY_OUTPUT)
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=site.parent, prefix=f".{site.name}.gallery-"))
    try:
        names = _write_pages(out, manifest, staging, per_task, open_text)
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        (staging / MARKER).write_text(json.dumps({"generator": "misi-bench gallery", "files": files}, indent=1) + "\n",
                                      encoding="utf-8")
        install(staging, site, GALLERY_OUTPUT)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [site / name for name in names]


def _write_pages(out: Path, manifest: dict, site: Path, per_task: int, open_text: bool) -> list[str]:
    """Write index and task pages into ``site``; returns their file names (index first)."""
    configs = manifest["configs"]
    tasks = [t for t in TASKS if t in configs] + sorted(set(configs) - set(TASKS))
    pages, index_rows = [], []
    for task in tasks:
        split = pick_split(configs, task)
        if split is None:
            continue
        rows = sample_rows(out, manifest, task, split, per_task)
        sections = [_question_html(task, row, site / "images" / slug(task), site) for row in rows]
        if open_text:
            sections = [s.replace("<details>", "<details open>") for s in sections]
        nav = '<nav><a href="index.html">← all tasks</a></nav>'
        body = (f"{nav}\n<h1>{_text(task)}</h1>\n<p class=\"meta\">{_text(FAMILIES.get(task, ''))} · "
                f"{len(rows)} of {_text(configs[task][split]['rows'])} {_text(split)} questions</p>\n" + "\n".join(sections))
        page = f"{slug(task)}.html"
        (site / page).write_text(_page(f"MiSI-Bench · {task}", body), encoding="utf-8")
        pages.append(page)
        counts = ", ".join(f"{s} {e['rows']}" for s, e in configs[task].items())
        index_rows.append(f'<tr><td><a href="{html.escape(page)}">{_text(task)}</a></td><td>{_text(FAMILIES.get(task, ""))}</td>'
                          f"<td>{_text(counts)}</td></tr>")
    size = manifest.get("parameters", {}).get("image_size", "")
    body = ("<h1>MiSI-Bench gallery</h1>\n"
            f"<p class=\"meta\">Build <code>{_text(out.name)}</code>, {_text(size)} px images (twice that for the "
            "tasks whose answers are label names); a few questions per task "
            "with their images, question, answer and params.</p>\n"
            "<table><tr><th>task</th><th>family</th><th>questions</th></tr>\n" + "\n".join(index_rows) + "\n</table>")
    (site / "index.html").write_text(_page("MiSI-Bench gallery", body), encoding="utf-8")
    return ["index.html", *pages]
