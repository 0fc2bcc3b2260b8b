"""The emulator as an HTTP/1.1 server for any Stripe client (issues 10 and 17).

What users rely on, through raw sockets: chunked bodies (what stripe-go sends), keep-alive
and pipelining, Stripe's 400 for a JSON or non-UTF-8 body, a 4xx for a body over the limit
and for malformed framing (waitress's own, plain text: the connection is closed and the
server keeps serving), stalled and trickling clients (never a delay for anyone else), 32
keep-alive clients at once, and concurrent SDK clients on a ``--state`` file. The clients of
other languages are in test_emu_clients.py.
"""

from __future__ import annotations

import http.client
import json
import re
import select
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import stripe
from emu_support import BASE, KEY, Answer, make_client

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.emulator.server import MAX_BODY, MAX_HEAD

FORM = "application/x-www-form-urlencoded"
CREATE_BODY = b"features[invoice_history][enabled]=true&name=framed"


# ---- raw HTTP over a socket ------------------------------------------------------------


def request_bytes(
    method: str,
    path: str = BASE,
    body: bytes | None = None,
    *,
    headers: dict[str, str] | None = None,
    chunks: list[bytes] | None = None,
) -> bytes:
    """One request as bytes: Content-Length for ``body``, chunked for ``chunks``."""
    hdrs = {"Host": "localhost", "Authorization": f"Bearer {KEY}"}
    if body is not None or chunks is not None:
        hdrs["Content-Type"] = FORM
    if body is not None:
        hdrs["Content-Length"] = str(len(body))
    if chunks is not None:
        hdrs["Transfer-Encoding"] = "chunked"
    hdrs.update(headers or {})
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
    data = head.encode() + b"\r\n"
    if body is not None:
        data += body
    for chunk in chunks or []:
        data += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    if chunks is not None:
        data += b"0\r\n\r\n"
    return data


class Conn:
    """A raw client connection that reads answers one by one (keep-alive, pipelining)."""

    def __init__(self, emu: Emulator, timeout: float = 10) -> None:
        self.sock = socket.create_connection((emu.host, emu.port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def answer(self) -> Answer:
        status_line = self.file.readline()
        assert status_line.startswith(b"HTTP/1.1 "), f"no HTTP/1.1 answer: {status_line!r}"
        headers = http.client.parse_headers(self.file)
        data = self.file.read(int(headers["Content-Length"]))
        return Answer(int(status_line.split()[1]), headers, json.loads(data) if data else {})

    def closed_by_server(self) -> bool:
        """True when the server closed the connection (EOF or reset), with no further bytes."""
        try:
            return self.file.read(1) == b""
        except ConnectionResetError:
            return True

    def close(self) -> None:
        self.file.close()
        self.sock.close()


@pytest.fixture
def conn(emu: Emulator) -> Iterator[Conn]:
    c = Conn(emu)
    yield c
    c.close()


@pytest.fixture
def fast_emu() -> Iterator[Emulator]:
    """An emulator of its own that closes a connection after 1 s without a byte."""
    with Emulator(idle_timeout=1) as emu:
        yield emu


def assert_still_serving(emu: Emulator) -> None:
    assert make_client(emu).v1.billing_portal.configurations.list().object == "list"


def assert_library_refusal(conn: Conn, statuses: tuple[int, ...]) -> int:
    """waitress's own answer to a request it cannot frame: a status line, then a close."""
    status_line = conn.file.readline()
    assert re.match(rb"HTTP/1\.[01] (\d{3}) ", status_line), status_line
    status = int(status_line.split()[1])
    assert status in statuses, status_line
    headers = http.client.parse_headers(conn.file)
    assert headers["Connection"] == "close"
    conn.file.read(int(headers["Content-Length"]))
    assert conn.closed_by_server()
    return status


def timed_list(emu: Emulator) -> float:
    """Seconds one SDK list takes on a fresh connection."""
    start = time.monotonic()
    assert make_client(emu).v1.billing_portal.configurations.list().object == "list"
    return time.monotonic() - start


def assert_stripe_error(ans: Answer, status: int) -> dict[str, Any]:
    assert ans.status == status, ans.body
    assert ans.headers["Content-Type"] == "application/json"
    assert ans.headers["Request-Id"].startswith("req_")
    assert ans.error["type"] == "invalid_request_error"
    return ans.error


# ---- chunked bodies and keep-alive -----------------------------------------------------


def test_chunks_with_extensions_and_trailers_then_keep_alive(emu: Emulator, conn: Conn) -> None:
    body = request_bytes(
        "POST", chunks=[b"features[invoice_history]", b"[enabled]=true&na", b"me=", b"x"]
    )
    # a chunk extension and a trailer field, both allowed by RFC 9112 and ignored
    body = body.replace(b"\r\n19\r\n", b"\r\n19;ext=1\r\n").replace(
        b"0\r\n\r\n", b"0\r\nX-Trailer: t\r\n\r\n"
    )
    conn.send(body)
    created = conn.answer()
    assert created.status == 200 and created.body["name"] == "x"
    conn.send(request_bytes("GET", f"{BASE}/{created.body['id']}"))
    assert conn.answer().body["name"] == "x"


def test_pipelined_requests_are_answered_in_order(emu: Emulator, conn: Conn) -> None:
    conn.send(
        request_bytes("POST", body=CREATE_BODY)
        + request_bytes("POST", chunks=[CREATE_BODY[:10], CREATE_BODY[10:]])
        + request_bytes("GET", BASE + "?limit=10")
    )
    first, second, listed = conn.answer(), conn.answer(), conn.answer()
    assert first.status == second.status == listed.status == 200
    assert [o["id"] for o in listed.body["data"]] == [second.body["id"], first.body["id"]]


def test_empty_lines_before_a_request_are_ignored(emu: Emulator, conn: Conn) -> None:
    """RFC 9112 section 2.2; old clients send a CRLF after a POST body."""
    conn.send(b"\r\n" + request_bytes("POST", body=CREATE_BODY) + b"\r\n\n" + request_bytes("GET"))
    assert conn.answer().status == 200
    assert len(conn.answer().body["data"]) == 1


def test_transfer_encoding_wins_over_content_length(emu: Emulator, conn: Conn) -> None:
    """RFC 9112 section 6.3: the body is framed by the chunks, so the next request is read
    where it really starts (no smuggled request). waitress keeps the connection open."""
    conn.send(
        request_bytes("POST", chunks=[CREATE_BODY], headers={"Content-Length": "3"})
        + request_bytes("GET")
    )
    created = conn.answer()
    assert created.status == 200 and created.body["name"] == "framed"
    listed = conn.answer()
    assert listed.status == 200 and [o["id"] for o in listed.body["data"]] == [created.body["id"]]
    assert emu.request_count == 2


# ---- Stripe's errors for bodies it does not take -----------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"features": {"invoice_history": {"enabled": true}}}'),
        ("application/json; charset=utf-8", b"{}"),
        ("text/plain", CREATE_BODY),
    ],
)
def test_a_json_or_other_body_gets_stripes_error(
    emu: Emulator, conn: Conn, content_type: str, body: bytes
) -> None:
    conn.send(request_bytes("POST", body=body, headers={"Content-Type": content_type}))
    error = assert_stripe_error(conn.answer(), 400)
    assert error["message"] == (
        f"Invalid request: unsupported Content-Type {content_type}. If error persists and you "
        "need assistance, please contact support@stripe.com."
    )
    conn.send(request_bytes("GET"))  # the connection stays usable, nothing was created
    assert conn.answer().body["data"] == []


@pytest.mark.parametrize(
    ("method", "path", "body", "where"),
    [
        ("POST", BASE, b"name=\xff\xfe&features[invoice_history][enabled]=true", "POST body"),
        ("POST", BASE, b"name=%FF%FE&features[invoice_history][enabled]=true", "POST body"),
        ("POST", BASE, b"features[invoice_history][enabled]=true&metadata[%C3]=x", "POST body"),
        ("GET", BASE + "?limit=%C3%28", None, "query string"),
    ],
)
def test_invalid_utf8_is_a_400(
    emu: Emulator, conn: Conn, method: str, path: str, body: bytes | None, where: str
) -> None:
    conn.send(request_bytes(method, path, body))
    error = assert_stripe_error(conn.answer(), 400)
    assert error["message"] == f"Invalid UTF-8 characters found in {where}."
    assert emu.backend is not None and emu.request_count == 1
    assert_still_serving(emu)


@pytest.mark.parametrize(
    "key",
    [
        "features[invoice_history",
        "features]invoice_history[",
        "features[[invoice_history]][enabled]",
        "features[invoice_history][enabled]]",
        "[enabled]",
        "features[][enabled]",
        "features[invoice_history][enabled][]",
        "metadata[a][b]",
        "metadata[]",
        "features" + "[a]" * 3000,
        "a" + "[" * 5000,
        "]" * 100,
    ],
)
def test_bad_brackets_are_a_400(emu: Emulator, conn: Conn, key: str) -> None:
    body = f"features[invoice_history][enabled]=true&{key}=true".encode()
    conn.send(request_bytes("POST", body=body))
    assert_stripe_error(conn.answer(), 400)
    conn.send(request_bytes("GET"))
    assert conn.answer().body["data"] == []


# ---- framing errors: waitress's 4xx, connection closed, server alive -------------------

_BAD_FRAMING = {
    "content-length not a number": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
        (400,),
    ),
    "negative content-length": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        (400,),
    ),
    "two content-lengths": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        (400,),
    ),
    "chunk size not hex": (
        request_bytes("POST", chunks=[]).replace(b"\r\n0\r\n", b"\r\nzz\r\n"),
        (400,),
    ),
    "chunk size 0x": (
        request_bytes("POST", chunks=[b"a=b"]).replace(b"\r\n3\r\n", b"\r\n0x3\r\n"),
        (400,),
    ),
    "chunk without its CRLF": (
        request_bytes("POST", chunks=[b"a=b"]).replace(b"a=b\r\n", b"a=bXY"),
        (400,),
    ),
    # RFC 9112 section 6.1: a coding the server does not know is a 501
    "gzip transfer coding": (
        request_bytes("POST", headers={"Transfer-Encoding": "gzip"}),
        (400, 501),
    ),
    "gzip before chunked": (
        request_bytes("POST", chunks=[CREATE_BODY], headers={"Transfer-Encoding": "gzip, chunked"}),
        (400, 501),
    ),
    "garbage request line": (b"GARBAGE\r\n\r\n", (400,)),
    "header without colon": (
        b"GET " + BASE.encode() + b" HTTP/1.1\r\nBroken header\r\n\r\n",
        (400,),
    ),
    "headers over the limit": (
        b"GET / HTTP/1.1\r\n"
        + b"".join(b"X-%d: %s\r\n" % (i, b"y" * 100) for i in range(700))
        + b"\r\n",
        (431,),
    ),
    "request line over the limit": (b"GET /" + b"a" * MAX_HEAD + b" HTTP/1.1\r\n\r\n", (431,)),
}


@pytest.mark.parametrize("case", sorted(_BAD_FRAMING))
def test_bad_framing_is_a_4xx_and_closes(emu: Emulator, case: str) -> None:
    data, statuses = _BAD_FRAMING[case]
    conn = Conn(emu)
    try:
        try:
            conn.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before it was all sent: the answer is still there to read
        assert_library_refusal(conn, statuses)
    finally:
        conn.close()
    assert emu.request_count == 0  # refused before the application saw it
    assert_still_serving(emu)


def test_an_http_0_9_request_is_answered_in_http_1_and_closed(emu: Emulator) -> None:
    """No version, so no headers and no key: waitress reads it as HTTP/1.0."""
    conn = Conn(emu)
    try:
        conn.send(b"GET " + BASE.encode() + b"\r\n\r\n")
        status_line = conn.file.readline()
        assert status_line.startswith(b"HTTP/1.0 401 "), status_line
        assert conn.file.read().endswith(b"}")  # Stripe's JSON error, then a close
    finally:
        conn.close()
    assert_still_serving(emu)


def test_announced_huge_body_is_413_and_the_server_keeps_serving(emu: Emulator) -> None:
    too_big = b"Content-Length: %d" % (50 * MAX_BODY)
    conn = Conn(emu)  # refused as soon as the headers are in
    try:
        conn.send(request_bytes("POST", body=b"").replace(b"Content-Length: 0", too_big))
        assert_library_refusal(conn, (413,))
    finally:
        conn.close()
    # with Expect: 100-continue waitress says "continue" first, then refuses at the limit
    conn = Conn(emu)
    try:
        head = request_bytes("POST", body=b"", headers={"Expect": "100-continue"})
        conn.send(head.replace(b"Content-Length: 0", too_big))
        assert conn.file.readline() == b"HTTP/1.1 100 Continue\r\n"
        assert conn.file.readline() == b"\r\n"
        try:
            for _ in range(MAX_BODY // 65536 + 4):
                conn.send(b"a" * 65536)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading at the limit
        assert_library_refusal(conn, (413,))
    finally:
        conn.close()
    assert emu.request_count == 0  # refused at the door: never reached the API
    assert_still_serving(emu)


def test_huge_chunked_body_is_413(emu: Emulator) -> None:
    conn = Conn(emu)
    piece = b"a" * 65536
    try:
        conn.send(request_bytes("POST", chunks=[]).removesuffix(b"0\r\n\r\n"))
        try:
            for _ in range(MAX_BODY // len(piece) + 4):
                conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading at the limit
        assert_library_refusal(conn, (413,))
    finally:
        conn.close()
    assert emu.request_count == 0
    assert_still_serving(emu)


def test_a_body_at_the_limit_is_read_and_validated(emu: Emulator, conn: Conn) -> None:
    prefix = b"features[invoice_history][enabled]=true&metadata[k]="
    conn.send(request_bytes("POST", body=prefix + b"n" * (MAX_BODY - len(prefix))))
    ans = conn.answer()
    assert ans.status == 400 and ans.error["param"] == "metadata[k]"  # Stripe's 500-char rule
    conn.send(request_bytes("GET"))
    assert conn.answer().status == 200


def test_client_gone_mid_body_changes_nothing(emu: Emulator) -> None:
    for data in (
        request_bytes("POST", body=CREATE_BODY)[:-5],
        request_bytes("POST", chunks=[CREATE_BODY]).removesuffix(b"\r\n0\r\n\r\n"),
    ):
        with socket.create_connection((emu.host, emu.port)) as sock:
            sock.sendall(data)
    time.sleep(0.2)
    assert make_client(emu).v1.billing_portal.configurations.list().data == []
    assert emu.request_count == 1  # only the list


def test_client_reset_mid_request_leaves_no_traceback(
    emu: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    for data in (b"POST " + BASE.encode(), request_bytes("POST", body=CREATE_BODY)[:-5]):
        sock = socket.create_connection((emu.host, emu.port))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(data)
        time.sleep(0.1)
        sock.close()  # linger 0: a reset, not a FIN
    time.sleep(0.2)
    assert_still_serving(emu)
    assert "Traceback" not in capsys.readouterr().err


# ---- stalled, trickling and many clients ----------------------------------------------

_PARTIAL = {
    "request-line": b"POST " + BASE.encode(),  # half a request line
    "empty-line": b"\r\n",  # an empty line, then nothing
    "headers": request_bytes("POST", body=CREATE_BODY).split(b"\r\n\r\n")[0],  # no end
    "body": request_bytes("POST", body=CREATE_BODY)[:-10],  # most of the body
    "chunked": request_bytes("POST", chunks=[CREATE_BODY]).removesuffix(b"0\r\n\r\n"),
}


@pytest.mark.parametrize("kind", sorted(_PARTIAL))
def test_stalled_clients_never_delay_another_and_are_closed_when_idle(
    fast_emu: Emulator, kind: str
) -> None:
    stalled = [Conn(fast_emu) for _ in range(3)]
    try:
        for c in stalled:
            c.send(_PARTIAL[kind])
        start = time.monotonic()
        configs = make_client(fast_emu).v1.billing_portal.configurations
        for _ in range(3):  # each answered at once while three connections hang
            begun = time.monotonic()
            configs.create({"features": {"invoice_history": {"enabled": True}}})
            assert time.monotonic() - begun < 1.0
        assert all(select.select([c.sock], [], [], 0)[0] == [] for c in stalled)  # unanswered
        for c in stalled:  # closed without an answer once silent for idle_timeout (1 s)
            assert c.closed_by_server()
        assert time.monotonic() - start < 5
    finally:
        for c in stalled:
            c.close()
    # A new connection: the one above has been idle past idle_timeout while the stalled
    # ones were waited out, so the server may close it just as a list is sent on it.
    assert len(make_client(fast_emu).v1.billing_portal.configurations.list().data) == 3
    assert fast_emu.request_count == 4  # the stalled requests never reached the API


def _trickle(emu: Emulator, out: list[int]) -> None:
    """A create sent one byte every 20 ms for 2 s, then the rest: answered once complete."""
    conn = Conn(emu, timeout=30)
    try:
        data = request_bytes("POST", body=CREATE_BODY)
        for byte in data[:100]:
            conn.send(bytes([byte]))
            time.sleep(0.02)
        conn.send(data[100:])
        out.append(conn.answer().status)
    finally:
        conn.close()


def test_trickling_clients_never_delay_another(emu: Emulator) -> None:
    """A client sending one byte at a time holds a connection, never a worker thread."""
    statuses: list[int] = []
    tricklers = [threading.Thread(target=_trickle, args=(emu, statuses)) for _ in range(3)]
    for t in tricklers:
        t.start()
    try:
        slowest = max(timed_list(emu) for _ in range(10))
    finally:
        for t in tricklers:
            t.join(timeout=30)
    assert slowest < 1.0
    assert statuses == [200, 200, 200]
    assert len(make_client(emu).v1.billing_portal.configurations.list().data) == 3


def test_idle_keep_alive_connections_are_closed(fast_emu: Emulator) -> None:
    conn = Conn(fast_emu)
    try:
        conn.send(request_bytes("GET"))
        assert conn.answer().status == 200
        start = time.monotonic()
        assert conn.closed_by_server()  # no answer, just a close after idle_timeout
        assert 0.5 < time.monotonic() - start < 4
    finally:
        conn.close()
    assert_still_serving(fast_emu)


def test_many_stalled_clients_do_not_block_the_server(fast_emu: Emulator) -> None:
    stalled = [Conn(fast_emu) for _ in range(50)]
    try:
        for c in stalled:
            c.send(b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: 10\r\n\r\nab")
        assert timed_list(fast_emu) < 1
    finally:
        for c in stalled:
            c.close()


def test_32_keep_alive_clients_at_once_are_all_answered(emu: Emulator) -> None:
    """32 connections held open at once, each asking 10 times: every answer arrives, on
    the connection it was asked on."""
    barrier = threading.Barrier(32)

    def client(n: int) -> list[int]:
        conn = http.client.HTTPConnection(emu.host, emu.port, timeout=30)
        headers = {"Authorization": f"Bearer {KEY}", "Content-Type": FORM}
        conn.connect()
        first = conn.sock
        barrier.wait(timeout=30)  # all 32 connected before anyone asks
        statuses = []
        for i in range(10):
            body = f"features[invoice_history][enabled]=true&metadata[n]={n}&metadata[i]={i}"
            if i % 2:
                conn.request("POST", BASE, body=body, headers=headers)
            else:
                conn.request("GET", BASE, headers=headers)
            resp = conn.getresponse()
            json.loads(resp.read())
            statuses.append(resp.status)
            assert conn.sock is first  # kept alive: never reconnected
        conn.close()
        return statuses

    with ThreadPoolExecutor(32) as pool:
        results = list(pool.map(client, range(32)))
    assert results == [[200] * 10] * 32
    listed = make_client(emu).v1.billing_portal.configurations.list({"limit": 100})
    assert len(list(listed.auto_paging_iter())) == 32 * 5


# ---- concurrent clients on a --state file ----------------------------------------------


class CliEmulator:
    """``python -m pulumi_stripe_portal.emulator --state FILE`` in a subprocess."""

    def __init__(self, state: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pulumi_stripe_portal.emulator", "--state", str(state)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        assert m, f"no 'listening on' line: {line!r} {self.proc.stderr.read() if not line else ''}"
        self.url = m.group(1)

    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(KEY, base_addresses={"api": self.url}, max_network_retries=0)

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=10)
        return err


THREADS, PER_THREAD = 12, 5


def _worker(client: stripe.StripeClient, n: int) -> list[str]:
    """Create PER_THREAD configurations, update each twice, list in between; one create
    shares an idempotency key with every other thread's (so exactly one object is made)."""
    configs = client.v1.billing_portal.configurations
    ids = []
    for i in range(PER_THREAD):
        c = configs.create(
            {
                "features": {"invoice_history": {"enabled": True}},
                "metadata": {"thread": str(n), "i": str(i)},
            }
        )
        ids.append(c.id)
        configs.update(c.id, {"name": f"t{n}-{i}", "metadata": {"step": "1"}})
        configs.list({"limit": 3})
        configs.update(c.id, {"metadata": {"step": "2"}, "active": i % 2 == 0})
    shared = configs.create(
        {"features": {"invoice_history": {"enabled": True}}, "name": "shared"},
        {"idempotency_key": "shared-by-all-threads"},
    )
    return [*ids, shared.id]


def _check_state(client: stripe.StripeClient, made: list[list[str]]) -> None:
    configs = client.v1.billing_portal.configurations
    listed = list(configs.list({"limit": 100}).auto_paging_iter())
    ids = [c.id for c in listed]
    assert len(ids) == len(set(ids)) == THREADS * PER_THREAD + 1
    shared = {m[-1] for m in made}
    assert len(shared) == 1 and shared <= set(ids)
    for n, created in enumerate(made):
        for i, id_ in enumerate(created[:-1]):
            got = configs.retrieve(id_)
            assert got.name == f"t{n}-{i}"
            assert got.metadata.to_dict() == {"thread": str(n), "i": str(i), "step": "2"}
            assert got.active is (i % 2 == 0)


def test_concurrent_sdk_clients_keep_the_state_file_consistent(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite"
    emu = CliEmulator(state)
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            made = list(pool.map(lambda n: _worker(emu.client(), n), range(THREADS)))
        _check_state(emu.client(), made)
    finally:
        err = emu.stop()
    assert "Traceback" not in err
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    again = CliEmulator(state)  # what was committed is what a restart reads
    try:
        _check_state(again.client(), made)
    finally:
        again.stop()
