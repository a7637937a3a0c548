"""The PNG encoder: any pixels come back exactly, through Pillow's decoder and through zlib's own
check of the stream (Adler-32) and of every chunk (CRC), whatever the layout of black rows
that skip the compressor."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from misi_bench.renderers.png import COMPRESS_LEVEL, encode_png


def _chunks(png: bytes) -> dict[bytes, bytes]:
    """Chunk type → data, each chunk's CRC checked."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        data = png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        assert kind not in chunks, f"one {kind} chunk only"
        chunks[kind] = data
        at += 12 + length
    return chunks


def _image(height: int, width: int, inked_rows, seed: int) -> np.ndarray:
    """Random pixels on the ``inked_rows``, black elsewhere (some inked rows keep a black run)."""
    rng = np.random.default_rng(seed)
    rgb = np.zeros((height, width, 3), dtype=np.uint8)
    for row in inked_rows:
        rgb[row] = rng.integers(0, 256, size=(width, 3)) * (rng.random((width, 1)) < 0.3)
        rgb[row, rng.integers(width)] = (1, 0, 0)  # at least one non-zero byte: the row has ink
    return rgb


LAYOUTS = {
    "all black": (37, 41, []),
    "no black row": (37, 41, range(37)),
    "one inked row": (1, 5, [0]),
    "inked at both edges": (64, 30, [0, 1, 62, 63]),
    "alternating": (50, 7, range(0, 50, 2)),
    "bands like a render": (300, 300, [*range(40, 120), *range(121, 200), 260]),
    "black runs of every length up to 2^9 + 1": (1100, 3, np.cumsum(np.arange(1, 47)) - 1),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_pixels_come_back_exactly(layout):
    height, width, inked = LAYOUTS[layout]
    rgb = _image(height, width, inked, seed=len(layout))
    png = encode_png(rgb)
    chunks = _chunks(png)
    assert list(chunks) == [b"IHDR", b"IDAT", b"IEND"]
    assert struct.unpack(">IIBBBBB", chunks[b"IHDR"]) == (width, height, 8, 2, 0, 0, 0)
    scanlines = zlib.decompress(chunks[b"IDAT"])  # checks the Adler-32 carried over black rows
    expected = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, -1)], axis=1)
    assert scanlines == expected.tobytes()
    with Image.open(io.BytesIO(png)) as decoded:
        assert decoded.mode == "RGB"
        assert np.array_equal(np.asarray(decoded), rgb)
    assert encode_png(rgb.copy()) == png  # same pixels, same bytes


def test_as_small_as_one_zlib_call():
    """Black rows written from stored blocks and the flushes around them cost no more than
    compressing every row in one ``zlib.compress`` call at the same level (1 % slack)."""
    inked = _image(300, 256, [*range(100, 140), *range(150, 200)], seed=1)
    idat = _chunks(encode_png(inked))[b"IDAT"]
    whole = zlib.compress(zlib.decompress(idat), COMPRESS_LEVEL)
    assert len(idat) <= 1.01 * len(whole), (len(idat), len(whole))


@pytest.mark.parametrize("shape", [(0, 4, 3), (4, 0, 3), (4, 4), (4, 4, 4)])
def test_not_an_rgb_image_is_refused(shape):
    with pytest.raises(ValueError, match="RGB"):
        encode_png(np.zeros(shape, dtype=np.uint8))
