"""A small threaded HTTP server on 127.0.0.1 that serves recorded, real-shaped responses.

Routes map a path to a handler (the upstream fakes in :mod:`tests.connectors.upstreams`);
replies queued for a path are served first, to inject 429s, 5xx and broken payloads. Every
request is recorded so tests can check what a connector sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
        body = json.dumps(data).encode()
        return cls(
            status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
        )


Handler = Callable[[Request], Reply]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.queued: dict[str, deque[Reply]] = {}
        self.requests: list[Request] = []
        self.delay = 0.0  # seconds added to every response (the kill test needs slow pages)
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(self, path: str, handler: Handler) -> None:
        self.routes[path] = handler

    def queue(self, path: str, *replies: Reply) -> None:
        """Serve these replies (in order) to the next requests for ``path``."""
        with self._lock:
            self.queued.setdefault(path, deque()).extend(replies)

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def _reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            waiting = self.queued.get(request.path)
            if waiting:
                return waiting.popleft()
        handler = self.routes.get(request.path)
        if handler is None:
            return Reply.json({"error": "Record not found"}, status=404)
        return handler(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else each response waits ~40 ms for a delayed ACK

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                request = Request(
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={name.lower(): value for name, value in self.headers.items()},
                )
                reply = server._reply(request)
                if server.delay:
                    time.sleep(server.delay)
                body = b"" if reply.status == 304 else reply.body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return _Handler

    @contextmanager
    def running(self) -> Iterator[LocalServer]:
        thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._httpd.shutdown()
            self._httpd.server_close()
            thread.join(timeout=5)
