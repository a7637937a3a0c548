"""Pixel fingerprints of a fixed set of sample scenes (no tests here).

A fingerprint is the sha256 of an image's *decoded* RGB pixels (shape + bytes), so it stays the
same when only the PNG encoding changes. ``tests/fixtures/render_fingerprints.json`` holds the
fingerprints produced by the renderer before the speed work of issue 18; the renderer must keep
producing exactly those pixels, on every CPU code path.

It also holds, per config, one digest of the decoded pixels of every image of a 64 px build of
the whole sample corpus, in row order (:func:`build_digests`).

    python tests/helpers/render_fingerprints.py            # print this interpreter's fingerprints as JSON
    python tests/helpers/render_fingerprints.py --write    # (re)write the fixture (only for a deliberate change)
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import PIL
from PIL import Image, features

from misi_bench.builders.source.pdbbind import load_complexes, sample_corpus_dir
from misi_bench.renderers import Scene, render_png

FIXTURE = Path(__file__).parents[1] / "fixtures" / "render_fingerprints.json"

# Every code path of the renderer: 2x2 supersampled 512 px and 300 px (odd) images, 1024 px images
# rasterized at their own size (the name tasks), zoom with the eye close to the pocket, rolls off
# the 90 degree grid, docking (ligand alone, fitted to the complex, moved and rolled), the pocket
# alone, one residue + ligand with atom labels, and no labels at all.
SCENES = (
    Scene(),
    Scene(view="left", ops="roll x 30, move z 20"),
    Scene(view="top", ops="move z 55", labels=False),
    Scene(show="ligand", fit="complex", ligand_ops="move x -14, roll x 75"),
    Scene(show="pocket", view="back", ops="roll z 17"),
    Scene(view="right", size=1024),
    Scene(view="bottom", size=300, ops="move x 3, roll y -40"),
)


def rgb_digest(png: bytes) -> str:
    """sha256 of the decoded RGB pixels of ``png`` (shape first, then the bytes)."""
    with Image.open(io.BytesIO(png)) as image:
        pixels = np.ascontiguousarray(np.asarray(image.convert("RGB"), dtype=np.uint8))
    return hashlib.sha256(repr(pixels.shape).encode() + pixels.tobytes()).hexdigest()


def scenes() -> list[tuple[str, Scene]]:
    """(pdb id, scene) for every sample complex: ``SCENES`` plus its first residue at 1024 px."""
    complexes, _ = load_complexes(sample_corpus_dir())
    out = []
    for cx in complexes:
        out += [(cx.pdb_id, scene) for scene in SCENES]
        out.append((cx.pdb_id, Scene(show="residue", residue=cx.pocket.residues[0].key, size=1024, view="left")))
    return out


def fingerprints() -> dict[str, str]:
    """{"<pdb id> <scene JSON>": RGB digest} for every scene of :func:`scenes`."""
    complexes = {cx.pdb_id: cx for cx in load_complexes(sample_corpus_dir())[0]}
    return {f"{pdb_id} {scene.to_json()}": rgb_digest(render_png(complexes[pdb_id], scene)) for pdb_id, scene in scenes()}


BUILD_SIZE = 64


def build_digests(out: Path) -> dict[str, str]:
    """{config: sha256 over the decoded-pixel digests of every image of the build in ``out``, in
    split, shard, row and image order}."""
    import pyarrow.parquet as pq

    result = {}
    for folder in sorted((out / "data").iterdir()):
        digest = hashlib.sha256()
        for shard in sorted(folder.glob("*.parquet")):
            for row in pq.read_table(shard, columns=["images"]).column("images").to_pylist():
                for image in row:
                    digest.update(f"{shard.name} {rgb_digest(image['bytes'])}\n".encode())
        result[folder.name] = digest.hexdigest()
    return result


def sample_build_digests() -> dict[str, str]:
    """:func:`build_digests` of a fresh ``BUILD_SIZE`` px build of every config of the sample corpus."""
    from misi_bench.builders.run.build import BuildConfig, build
    from misi_bench.builders.tasks import ALL_CONFIGS

    corpus = sample_corpus_dir()
    with tempfile.TemporaryDirectory(prefix="misi-fingerprints-") as tmp:
        out = Path(tmp) / "out"
        build(BuildConfig(source=corpus, out=out, tasks=ALL_CONFIGS, image_size=BUILD_SIZE,
                          split_file=corpus / "splits.json", progress=False))
        return build_digests(out)


def versions() -> dict[str, str]:
    """The libraries whose arithmetic or glyph rasterization the pixels depend on."""
    return {"numpy": np.__version__, "pillow": PIL.__version__, "freetype": str(features.version("freetype2"))}


if __name__ == "__main__":
    result = {"versions": versions(), "fingerprints": fingerprints(), "sample_build": sample_build_digests()}
    if "--write" in sys.argv[1:]:
        FIXTURE.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    else:
        print(json.dumps(result, sort_keys=True))
