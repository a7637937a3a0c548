"""Reading labels back with an OCR engine (Debian's ``tesseract-ocr``), as a before/after yardstick.

The label pixels of a stored image are isolated by re-rendering its scene without labels
(``Scene(labels=False)``, the renderer is deterministic): every pixel that differs belongs to a
label, and keeps its stored brightness; everything else becomes background. The result is
inverted (dark text on white), enlarged ``UPSCALE`` times and read by ``tesseract --psm 11``
(sparse text). A name counts as read back when it is one of the whitespace-separated words of the
output. OCR is a conservative reader (a person reads more), so the figures serve to compare
renderings, not as absolute legibility.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

UPSCALE = 2
# Pages handed to read_words at once: enough to keep one tesseract per core busy, few enough that
# the enlarged pages (up to 4 MB each) stay small in memory.
PAGES_AT_ONCE = 4 * (os.cpu_count() or 1)
TIMEOUT_S = 120
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def tesseract() -> str | None:
    """Path of the ``tesseract`` binary, or None when it is not installed."""
    return shutil.which("tesseract")


def label_pixels(labelled: np.ndarray, unlabelled: np.ndarray) -> Image.Image:
    """The labels alone, as dark text on white ("L" image, ``UPSCALE`` × larger)."""
    differs = (labelled != unlabelled).any(axis=2)
    ink = np.where(differs, labelled.max(axis=2), 0).astype(np.uint8)
    page = Image.fromarray(255 - ink, "L")
    return page.resize((page.width * UPSCALE, page.height * UPSCALE), Image.Resampling.LANCZOS)


def read_words(pages: list[Image.Image]) -> list[set[str]]:
    """The words tesseract reads on each page."""
    binary = tesseract()
    if binary is None:
        raise RuntimeError("tesseract is not installed (Debian: apt-get install tesseract-ocr)")
    # tesseract's OpenMP threads spin against each other on pages this small: one thread reads the
    # same words ~7x faster (one page on 2 cores: 0.64 s against 4.6 s wall). Pages are read by
    # one single-threaded tesseract per core instead, each given its share of the pages as a list
    # file: it loads its model once (~17 % less time than a process per page) and reads every page
    # on its own (its LSTM engine does not adapt between pages: the same words), separating the
    # pages' texts with a form feed.
    if not pages:
        return []
    one_thread = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    per_share = -(-len(pages) // min(os.cpu_count() or 1, len(pages)))  # pages per core, rounded up
    shares = [range(first, min(first + per_share, len(pages))) for first in range(0, len(pages), per_share)]
    with tempfile.TemporaryDirectory(prefix="misi-ocr-") as folder:
        def read(share: range) -> list[set[str]]:
            paths = [Path(folder) / f"page-{number}.png" for number in share]
            for number, path in zip(share, paths):
                pages[number].save(path)
            listing = Path(folder) / f"pages-{share[0]}.txt"
            listing.write_text("".join(f"{path}\n" for path in paths))
            result = subprocess.run([binary, str(listing), "stdout", "--psm", "11"], capture_output=True, text=True,
                                    timeout=TIMEOUT_S * len(share), check=True, env=one_thread)
            texts = result.stdout.split("\f")
            if len(texts) != len(share):
                raise RuntimeError(f"tesseract returned {len(texts)} page texts for {len(share)} pages")
            return [set(text.translate(QUOTES).split()) for text in texts]

        with ThreadPoolExecutor(max_workers=len(shares)) as pool:
            return [found for read_back in pool.map(read, shares) for found in read_back]
