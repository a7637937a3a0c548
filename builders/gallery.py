"""``misi-bench gallery OUT --out SITE``: a static HTML site of sample questions.

``SITE/index.html`` links one page per task (``SITE/<task>.html``); each page shows a few
questions (``--per-task``, default 3, spread evenly over the chosen split) with their numbered
images, image roles, question text, options, answer and params (the renderer scenes folded
away). Images are written as PNG files under ``SITE/images/<task>/`` next to the pages, so the
site works offline from ``file://``: no network, no JavaScript, one inline stylesheet.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from pathlib import Path

from .evaluation.parsing import TASKS
from .evaluation.runs import RunError, read_manifest

FAMILIES = {
    "translation": "unit movement", "rotation": "unit movement", "zooming": "unit movement",
    "residue_ligand_interaction": "residue / pocket interaction", "pocket_ligand_interaction": "residue / pocket interaction",
    "translation_rotation": "multiple choice", "rotation_rotation": "multiple choice", "interaction_location": "multiple choice",
    "docking": "docking",
}
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
    counts = [pq.ParquetFile(p).metadata.num_rows for p in paths]
    wanted, rows, offset = set(spread(sum(counts), k)), [], 0
    for path, count in zip(paths, counts):
        local = [i - offset for i in wanted if offset <= i < offset + count]
        if local:
            table = pq.read_table(path)
            rows.extend(table.take(sorted(local)).to_pylist())
        offset += count
    return rows


def _question_html(task: str, row: dict, image_dir: Path, site: Path) -> str:
    image_dir.mkdir(parents=True, exist_ok=True)
    figures = []
    answer_role = f"option_{row['answer'].strip().lower()}" if row["question_type"] == "multiple_choice" else None
    for n, (image, role) in enumerate(zip(row["images"], row["image_roles"]), start=1):
        path = image_dir / f"{row['id']}-{n:02d}.png"
        path.write_bytes(image["bytes"])
        rel = path.relative_to(site).as_posix()
        right = ' class="answer"' if role == answer_role else ""
        figures.append(f'<figure{right}><img src="{html.escape(rel)}" alt="image {n}: {html.escape(role)}" '
                       f'width="170" height="170"><figcaption>{n}. {html.escape(role)}</figcaption></figure>')
    params = dict(row["params"] or {})
    scenes = params.pop("scenes", None) or []
    options = ""
    if row["options"] and any(o not in ("A", "B", "C", "D") for o in row["options"]):
        items = "".join(f'<li{" class=right" if chr(65 + i) == row["answer"].strip() else ""}>{html.escape(o)}</li>'
                        for i, o in enumerate(row["options"]))
        options = f'<p>Options:</p><ol class="opts" type="A">{items}</ol>'
    return (f'<section class="q" id="{html.escape(row["id"])}">\n<h2>{html.escape(row["id"])}</h2>\n'
            f'<p class="meta">{html.escape(row["pdb_id"])} · {html.escape(row["split"])} · {html.escape(row["question_type"])}</p>\n'
            f'<div class="imgs">{"".join(figures)}</div>\n'
            f'<details><summary>Question text</summary><pre>{html.escape(row["question"])}</pre></details>\n{options}\n'
            f'<p class="answer-line">Answer: <code>{html.escape(row["answer"])}</code></p>\n'
            f'<details><summary>params</summary><pre>{html.escape(json.dumps(params, indent=1, ensure_ascii=False))}</pre></details>\n'
            f'<details><summary>renderer scenes ({len(scenes)})</summary><pre>{html.escape(chr(10).join(scenes))}</pre></details>\n'
            "</section>")


def write_site(out: Path, site: Path, per_task: int = 3, open_text: bool = False) -> list[Path]:
    """Write the site; returns the pages written (index first)."""
    out, site = Path(out), Path(site)
    manifest = read_manifest(out)
    configs = manifest["configs"]
    tasks = [t for t in TASKS if t in configs] + sorted(set(configs) - set(TASKS))
    if (site / "images").is_dir():
        shutil.rmtree(site / "images")
    site.mkdir(parents=True, exist_ok=True)
    pages, index_rows = [], []
    for task in tasks:
        split = pick_split(configs, task)
        if split is None:
            continue
        rows = sample_rows(out, manifest, task, split, per_task)
        sections = [_question_html(task, row, site / "images" / task, site) for row in rows]
        if open_text:
            sections = [s.replace("<details>", "<details open>") for s in sections]
        nav = '<nav><a href="index.html">← all tasks</a></nav>'
        body = (f"{nav}\n<h1>{html.escape(task)}</h1>\n<p class=\"meta\">{html.escape(FAMILIES.get(task, ''))} · "
                f"{len(rows)} of {configs[task][split]['rows']} {split} questions</p>\n" + "\n".join(sections))
        page = site / f"{task}.html"
        page.write_text(_page(f"MiSI-Bench · {task}", body), encoding="utf-8")
        pages.append(page)
        counts = ", ".join(f"{s} {e['rows']}" for s, e in configs[task].items())
        index_rows.append(f'<tr><td><a href="{task}.html">{html.escape(task)}</a></td><td>{html.escape(FAMILIES.get(task, ""))}</td>'
                          f"<td>{html.escape(counts)}</td></tr>")
    size = manifest.get("parameters", {}).get("image_size", "")
    body = ("<h1>MiSI-Bench gallery</h1>\n"
            f"<p class=\"meta\">Build <code>{html.escape(out.name)}</code>, {size} px images (twice that for the "
            "tasks whose answers are label names); a few questions per task "
            "with their images, question, answer and params.</p>\n"
            "<table><tr><th>task</th><th>family</th><th>questions</th></tr>\n" + "\n".join(index_rows) + "\n</table>")
    index = site / "index.html"
    index.write_text(_page("MiSI-Bench gallery", body), encoding="utf-8")
    return [index, *pages]


def add_gallery_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", type=Path, metavar="OUT", help="a built folder (manifest.json + data/)")
    parser.add_argument("--out", type=Path, required=True, help="folder of the static site (index.html + one page per task)")
    parser.add_argument("--per-task", type=int, default=3, help="questions shown per task (default 3)")
    parser.add_argument("--open", action="store_true", help="show question text and params unfolded")


def run_gallery(args: argparse.Namespace) -> int:
    if args.per_task < 1:
        print("misi-bench: error: --per-task must be at least 1", file=sys.stderr)
        return 2
    try:
        pages = write_site(args.dataset, args.out, args.per_task, args.open)
    except RunError as error:
        print(f"misi-bench: error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {len(pages)} pages to {args.out} (open {Path(args.out) / 'index.html'})")
    return 0
