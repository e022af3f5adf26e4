"""Servers that try to hold, flood or misdirect a run: every request ends in time, no body is
read past its cap, redirects stay where the source is, and private addresses are off limits."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from ingest.connectors.errors import FatalError, RetriableError, TooLargeError
from ingest.connectors.guard import BlockedAddressError, public
from ingest.connectors.http import HttpClient, HttpPolicy, _redirect, make_client
from tests.connectors.server import LocalServer, Reply

POLICY = HttpPolicy(timeout=1.0, retries=2, backoff=0.01, deadline=2.0, max_bytes=1_000_000)


@contextmanager
def client(policy: HttpPolicy = POLICY, *, allow_private: bool = True) -> Iterator[HttpClient]:
    made = HttpClient(
        make_client(user_agent="ravine-tests", policy=policy, allow_private=allow_private),
        policy=policy, sleep=lambda _: None,
    )  # fmt: skip
    try:
        yield made
    finally:
        made.close()


@contextmanager
def dripping(*, headers_first: bool) -> Iterator[str]:
    """A server that answers every connection one byte every 0.2 s, for ever: each read
    succeeds well within the timeout, so only a deadline ends the request."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            if headers_first:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n")
            payload = b"HTTP/1.1 200 OK\r\n" if not headers_first else b"x" * 1_000_000
            for byte in payload:
                if stop.wait(0.2):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:  # closed as the test ends
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed"
    finally:
        stop.set()
        listener.close()


@pytest.mark.parametrize("headers_first", [True, False], ids=["slow body", "slow headers"])
def test_a_dripping_server_is_left_at_the_deadline(headers_first: bool) -> None:
    with dripping(headers_first=headers_first) as url, client() as http:
        started = time.monotonic()
        with pytest.raises(RetriableError, match=r"no complete answer within 2 s"):
            http.get(url)
        assert time.monotonic() - started < 4  # once, not once per retry


def test_a_compression_bomb_is_not_inflated_past_the_cap(server: LocalServer) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, 9)  # 200 MB as 200 kB
    server.route("/bomb", lambda _: Reply(200, bomb, {"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with client() as http, pytest.raises(TooLargeError, match=r"more than 1 MB"):
            http.get(f"{server.base_url}/bomb")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000


def test_a_huge_body_is_cut_at_the_cap_and_a_small_one_arrives_whole(server: LocalServer) -> None:
    server.route("/huge", lambda _: Reply(200, b"a" * 5_000_000))
    server.route("/small", lambda _: Reply(200, gzip.compress(b"b" * 500_000),
                                           {"Content-Encoding": "gzip"}))  # fmt: skip
    with client() as http:
        with pytest.raises(TooLargeError, match="the source's max_bytes"):
            http.get(f"{server.base_url}/huge")
        small = http.get(f"{server.base_url}/small")
        assert small.content == b"b" * 500_000 and "content-encoding" not in small.headers


def test_redirects_stay_with_the_source(server: LocalServer) -> None:
    with LocalServer().running() as other:  # another port: another origin
        other.route("/feed", lambda _: Reply(200, b"elsewhere"))
        server.route("/moved", lambda _: Reply(301, b"", {"Location": "/feed"}))
        server.route("/feed", lambda _: Reply(200, b"here"))
        server.route("/away", lambda _: Reply(302, b"", {"Location": f"{other.base_url}/feed"}))
        server.route("/loop", lambda _: Reply(302, b"", {"Location": "/loop"}))
        with client() as http:
            assert http.get(f"{server.base_url}/moved").content == b"here"
            with pytest.raises(FatalError, match="redirects to another host"):
                http.get(f"{server.base_url}/away")
            assert not other.requests
            with pytest.raises(FatalError, match="more than 5 redirects"):
                http.get(f"{server.base_url}/loop")
        allowed = HttpPolicy(redirect_hosts=("127.0.0.1",), max_bytes=1000)
        with client(allowed) as http, pytest.raises(FatalError, match="another host"):
            http.get(f"{server.base_url}/away")  # the host, but another port


def test_https_never_redirects_down_to_http() -> None:
    request = httpx.Request("GET", "https://news.example.com/feed")
    response = httpx.Response(301, headers={"Location": "http://news.example.com/feed"},
                              request=request)  # fmt: skip
    with pytest.raises(FatalError, match="from https to http"):
        _redirect(response, HttpPolicy())
    up = httpx.Response(301, headers={"Location": "https://www.example.com/x"},
                        request=httpx.Request("GET", "http://example.com/x"))  # fmt: skip
    assert _redirect(up, HttpPolicy()) == "https://www.example.com/x"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "224.0.0.1"],
)  # fmt: skip
def test_private_loopback_and_link_local_addresses_are_not_public(address: str) -> None:
    assert not public(address)


def test_public_addresses_are(server: LocalServer) -> None:
    assert public("93.184.216.34") and public("2606:4700::1111")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_sources_may_not_reach_private_addresses_by_default(server: LocalServer, host: str) -> None:
    server.route("/feed", lambda _: Reply(200, b"secret"))
    url = server.base_url.replace("127.0.0.1", host) + "/feed"
    with client(allow_private=False) as http, pytest.raises(BlockedAddressError, match="private"):
        http.get(url)
    assert not server.requests
