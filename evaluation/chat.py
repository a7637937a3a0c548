"""A MiSI-Bench row as an OpenAI chat-completions user message.

The images go first, in the order the question numbers them, each as an ``image_url`` part
holding a ``data:image/png;base64,...`` URL of the row's PNG bytes as stored (never decoded or
re-encoded), then the question as one ``text`` part. ``misi-bench predict`` sends this message and
``misi-bench export --format openai`` writes it.
"""

from __future__ import annotations

import base64
from typing import Mapping, Sequence

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_bytes(image: Mapping | bytes) -> bytes:
    """The PNG bytes of one entry of a row's ``images`` column (``{"bytes": ..., "path": ...}``)."""
    data = image.get("bytes") if isinstance(image, Mapping) else image
    if not isinstance(data, (bytes, bytearray)) or not bytes(data[:8]) == PNG_SIGNATURE:
        raise ValueError("an image of the row is not PNG bytes")
    return bytes(data)


def image_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def user_content(question: str, images: Sequence[Mapping | bytes]) -> list[dict]:
    """The content parts of the user message: every image in order, then the question."""
    parts = [{"type": "image_url", "image_url": {"url": image_data_url(png_bytes(image))}} for image in images]
    return [*parts, {"type": "text", "text": question}]


def chat_messages(row: Mapping, system_prompt: str | None = None) -> list[dict]:
    """The messages of one request: an optional system message, then the row as one user turn."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return [*messages, {"role": "user", "content": user_content(row["question"], row["images"])}]
