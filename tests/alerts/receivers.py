"""Real receivers for alert deliveries, on 127.0.0.1: a webhook endpoint and an SMTP server.

:class:`WebhookReceiver` is the connectors' :class:`~tests.connectors.server.LocalServer`
taught to take POSTs: replies queued for its hook path are served first (a status, headers
such as Retry-After, a delay before answering), then it answers 200 "ok" as Slack does. Every
POST is recorded with its JSON body. :class:`SmtpServer` is aiosmtpd's threaded server,
recording each message; it can require AUTH, refuse the next messages with a given reply, defer
a recipient once and refuse one always.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.connectors.server import LocalServer, Reply, Request

HOOK_PATH = "/services/T0RAVINE/B0ALERTS/s3cr3t-hook-token"  # Slack keeps its secret here


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return cast(int, sock.getsockname()[1])


@dataclass(frozen=True)
class Answer(Reply):
    """A queued reply that waits ``delay`` seconds first (to outlast a client's timeout)."""

    delay: float = 0.0

    @classmethod
    def of(cls, code: int, *, retry_after: str | None = None, delay: float = 0.0) -> Answer:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return cls(code, f"status {code}".encode(), headers, delay)


@dataclass(frozen=True)
class Post:
    """One POST as received, and the status it was answered with."""

    path: str
    headers: dict[str, str]  # lower-case names
    body: Any  # the decoded JSON (None when the body was not JSON)
    status: int

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300


class WebhookReceiver(LocalServer):
    def __init__(self) -> None:
        self.posts: list[Post] = []
        super().__init__()
        self.route(HOOK_PATH, lambda _request: Reply(200, b"ok"))
        self.url = f"{self.base_url}{HOOK_PATH}"

    def script(self, *answers: Reply) -> None:
        """Answer the next POSTs to the hook with these, in order (then 200 again)."""
        self.queue(HOOK_PATH, *answers)

    @property
    def accepted(self) -> list[Post]:
        return [post for post in self.posts if post.accepted]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        base = super()._handler_class()
        receiver = self

        class _Handler(base):  # type: ignore[valid-type, misc]
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                headers = {name.lower(): value for name, value in self.headers.items()}
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    data = json.loads(raw)
                except ValueError:
                    data = None
                request = Request(parts.path, parse_qs(parts.query), headers)
                reply = receiver._reply(request)
                with receiver._lock:
                    receiver.posts.append(Post(parts.path, headers, data, reply.status))
                time.sleep(getattr(reply, "delay", 0.0) + receiver.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (a timeout test)

        return cast(type[BaseHTTPRequestHandler], _Handler)


@dataclass(frozen=True)
class Received:
    """One message the SMTP server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    login: str | None  # the AUTH user, when the client logged in


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1 and a free port. ``credentials`` (user, password) make it refuse
    MAIL FROM until AUTH; ``fail_next(n, reply)`` answers the next n messages' DATA with
    ``reply`` (e.g. "451 4.3.0 try later") instead of storing them."""

    credentials: tuple[str, str] | None = None
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted)
    data_attempts: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    _failures: list[str] = field(default_factory=list)
    _deferred: set[str] = field(default_factory=set)
    _unknown: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def require_auth(self, user: str, password: str) -> None:
        self.credentials = (user, password)

    def fail_next(self, count: int, reply: str = "451 4.3.0 Try again later") -> None:
        with self._lock:
            self._failures.extend([reply] * count)

    def defer_once(self, *recipients: str) -> None:
        """Answer RCPT TO for these addresses with a 450 the next time, then accept them."""
        with self._lock:
            self._deferred.update(recipients)

    def refuse(self, *recipients: str) -> None:
        """Answer RCPT TO for these addresses with a 550 (no such mailbox), always."""
        with self._lock:
            self._unknown.update(recipients)

    def url(self, scheme: str = "smtp", *, userinfo: str = "", query: str = "") -> str:
        at = f"{userinfo}@" if userinfo else ""
        return f"{scheme}://{at}{self.host}:{self.port}{f'?{query}' if query else ''}"

    # aiosmtpd's hooks (run on the server's own thread and event loop)

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = data.login.decode(), data.password.decode()
        ok = self.credentials is None or (user, password) == self.credentials
        with self._lock:
            self.logins.append((user, ok))
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    async def handle_MAIL(  # noqa: N802 (aiosmtpd's hook names)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.credentials is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        with self._lock:
            if address in self._unknown:
                return "550 5.1.1 No such mailbox"
            if address in self._deferred:
                self._deferred.discard(address)
                return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        with self._lock:
            self.data_attempts += 1
            if self._failures:
                return self._failures.pop(0)
            content = cast(bytes, envelope.original_content or envelope.content)
            message = email.message_from_bytes(content, policy=email.policy.default)
            auth = session.auth_data
            self.received.append(
                Received(
                    mail_from=cast(str, envelope.mail_from),
                    rcpt_tos=list(envelope.rcpt_tos),
                    message=message,
                    login=auth.login.decode() if isinstance(auth, LoginPassword) else None,
                )
            )
        return "250 2.0.0 Message accepted for delivery"

    @contextmanager
    def running(self) -> Iterator[SmtpServer]:
        controller = _Controller(
            self,
            hostname=self.host,
            port=0,
            server_hostname="ravine-test-smtp",  # not socket.getfqdn(), which may wait on DNS
            authenticator=self.authenticate,
            auth_require_tls=False,  # AUTH over plain SMTP: the tests have no certificates
        )
        controller.start()
        self.port = controller.port
        try:
            yield self
        finally:
            controller.stop()


class _Controller(Controller):
    """aiosmtpd's Controller on port 0: it learns the port the system picked before it makes
    its first connection to itself (which it would otherwise make to port 0)."""

    def _trigger_server(self) -> None:
        assert isinstance(self.server, asyncio.Server)
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]
