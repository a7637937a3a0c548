"""A small OpenAI-compatible chat-completions server on 127.0.0.1 for the ``predict`` tests.

It records every request it receives (question text, decoded image bytes, time, status it
answered), tracks how many requests are in flight at once, answers from a table keyed by
`row_key` (the question and the exact PNG bytes, in order), throttles chosen rows once with 429 +
``Retry-After``, fails them once with 500, stalls them once past the client's timeout or always answers them
with a body that is not JSON, and can die after a number of answers (the listener
closes and every later request is dropped without a response).
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Mapping

DATA_URL_PREFIX = "data:image/png;base64,"


def row_key(question: str, images: Iterable[bytes]) -> str:
    digest = hashlib.sha256(question.encode("utf-8"))
    for image in images:
        digest.update(hashlib.sha256(image).digest())
    return digest.hexdigest()


@dataclass
class Received:
    key: str | None
    question: str | None
    images: list[bytes]
    model: str
    at: float
    status: int = 0
    reply: str | None = None


@dataclass
class ChatServer:
    """Run with ``with ChatServer(...) as server:``; ``server.base_url`` ends in ``/v1``."""

    answers: Mapping[str, str]  # row_key -> reply text; other keys get UNKNOWN_REPLY
    model: str = "stand-in-vl"
    throttle: frozenset = frozenset()  # keys answered 429 + Retry-After on their first request
    fail_once: frozenset = frozenset()  # keys answered 500 on their first request
    stall_once: frozenset = frozenset()  # keys whose first request gets no answer for `stall` seconds
    stall: float = 3.0
    garbage: frozenset = frozenset()  # keys always answered 200 with a body that is not JSON
    retry_after: int = 1
    delay: float = 0.05  # seconds each answer takes (so requests overlap)
    die_after: int | None = None  # answers before the server dies
    received: list[Received] = field(default_factory=list)
    max_in_flight: int = 0

    UNKNOWN_REPLY = "I cannot tell."

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._answered = 0
        self.dead = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> "ChatServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.kill()

    def kill(self) -> None:
        """Stop listening; requests still arriving on open connections are dropped."""
        with self._lock:
            if self.dead:
                return
            self.dead = True
        threading.Thread(target=self._close, daemon=True).start()

    def _close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def answered(self) -> list[Received]:
        return [r for r in self.received if r.status == 200]

    # ------------------------------------------------------------ request handling

    def _respond(self, body: dict) -> tuple[Received, int, dict, dict]:
        """The record of one parsed request body, and the (status, headers, JSON body) to send.
        The record's status is set once the response is sent."""
        content = body["messages"][-1]["content"]
        images = [base64.b64decode(part["image_url"]["url"][len(DATA_URL_PREFIX):], validate=True)
                  for part in content if part["type"] == "image_url" and part["image_url"]["url"].startswith(DATA_URL_PREFIX)]
        texts = [part["text"] for part in content if part["type"] == "text"]
        question = texts[0] if len(texts) == 1 else None
        key = row_key(question, images) if question is not None else None
        with self._lock:
            record = Received(key, question, images, body.get("model"), time.monotonic())
            seen_before = any(r.key == key for r in self.received)
            self.received.append(record)
        if body.get("model") != self.model:
            return record, 404, {}, {"error": {"message": f"The model `{body.get('model')}` does not exist.", "type": "NotFoundError"}}
        if key in self.throttle and not seen_before:
            return record, 429, {"Retry-After": str(self.retry_after)}, {"error": {"message": "slow down", "type": "rate_limit"}}
        if key in self.fail_once and not seen_before:
            return record, 500, {}, {"error": {"message": "internal error", "type": "server_error"}}
        if key in self.garbage:
            return record, 200, {}, None
        if key in self.stall_once and not seen_before:
            time.sleep(self.stall)  # the client times out first; this request is never answered
            return record, 0, {}, {}
        time.sleep(self.delay)
        reply = self.answers.get(key, self.UNKNOWN_REPLY)
        record.reply = reply
        prompt_tokens = 100 * len(images) + len(question or "")
        return record, 200, {}, {
            "id": f"chatcmpl-{len(self.received)}", "object": "chat.completion", "created": 0, "model": self.model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(reply), "total_tokens": prompt_tokens + len(reply)},
        }

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep pytest output clean
                pass

            def do_POST(self) -> None:
                if server.dead:
                    self.close_connection = True
                    return  # dropped without a response
                with server._lock:
                    server._in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server._in_flight)
                try:
                    length = int(self.headers.get("Content-Length", 0))
                    body = json.loads(self.rfile.read(length))
                    if self.path != "/v1/chat/completions":
                        record, status, headers, payload = None, 404, {}, {"error": {"message": f"no route {self.path}"}}
                    else:
                        record, status, headers, payload = server._respond(body)
                finally:
                    with server._lock:
                        server._in_flight -= 1
                dying = False
                if status == 200:  # claim an answer slot atomically, so a dying server never answers more than die_after
                    with server._lock:
                        allowed = not server.dead and (server.die_after is None or server._answered < server.die_after)
                        if allowed:
                            server._answered += 1
                            dying = server.die_after is not None and server._answered >= server.die_after
                    status = status if allowed else 0
                elif server.dead:
                    status = 0
                if status == 0:
                    self.close_connection = True
                    return
                data = b"<html>proxy error</html>" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
                if record is not None:
                    record.status = status
                if dying:
                    server.kill()

        return Handler
