"""The emulator as an HTTP/1.1 server for any Stripe client (issue 10, part 5).

Chunked bodies (what stripe-go sends), keep-alive and pipelining, Stripe's error for a JSON
body, malformed and hostile requests (4xx, the server keeps serving), stalled clients (a
deadline per request, others served meanwhile), concurrent SDK clients on a ``--state`` file,
and stripe-go itself built from the Go module proxy (cached, see stripe-go/build.sh).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import select
import shutil
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
from pulumi_stripe_portal.emulator.framing import MAX_BODY

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GO_BUILD = HERE / "stripe-go" / "build.sh"
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
    """An emulator of its own whose per-request deadline and idle timeout are short."""
    with Emulator() as emu:
        emu.server.request_timeout = 0.5
        emu.server.idle_timeout = 0.5
        yield emu


def assert_still_serving(emu: Emulator) -> None:
    assert make_client(emu).v1.billing_portal.configurations.list().object == "list"


def assert_stripe_error(ans: Answer, status: int) -> dict[str, Any]:
    assert ans.status == status, ans.body
    assert ans.headers["Content-Type"] == "application/json"
    assert ans.headers["Request-Id"].startswith("req_")
    assert ans.error["type"] == "invalid_request_error"
    return ans.error


# ---- chunked bodies and keep-alive -----------------------------------------------------


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("curl")
    assert exe, "curl is not installed (apt-get install curl)"
    cmd = [exe, "-sS", "-u", f"{KEY}:", "-H", "Transfer-Encoding: chunked", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30, check=True)


def test_curl_chunked_create_then_update_on_one_connection(emu: Emulator) -> None:
    created = json.loads(
        curl(
            "-d", "features[invoice_history][enabled]=true", "-d", "name=curl", emu.url + BASE
        ).stdout
    )
    assert created["name"] == "curl" and created["features"]["invoice_history"]["enabled"]
    item = f"{emu.url}{BASE}/{created['id']}"
    # two chunked POSTs in one curl run: the second reuses the connection (0 new connects)
    out = curl(
        *("-w", "%{http_code} %{num_connects}\n", "-d", "name=b"),
        *("-o", "/dev/null", item, "-o", "/dev/null", item),
    )
    assert out.stdout.split("\n")[:2] == ["200 1", "200 0"]
    got = make_client(emu).v1.billing_portal.configurations.retrieve(created["id"])
    assert got.name == "b" and got.features.invoice_history.enabled is True


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


def test_transfer_encoding_wins_over_content_length_and_closes(emu: Emulator) -> None:
    conn = Conn(emu)
    try:
        conn.send(
            request_bytes("POST", chunks=[CREATE_BODY], headers={"Content-Length": "3"})
            + request_bytes("GET")
        )
        ans = conn.answer()
        assert ans.status == 200 and ans.body["name"] == "framed"
        assert ans.headers["Connection"] == "close"
        assert conn.closed_by_server()
    finally:
        conn.close()


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


# ---- framing errors: 4xx, connection closed, server alive ---------------------------------

_BAD_FRAMING = {
    "content-length not a number": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
        400,
    ),
    "negative content-length": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        400,
    ),
    "two content-lengths": (
        b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        400,
    ),
    "chunk size not hex": (
        request_bytes("POST", chunks=[]).replace(b"\r\n0\r\n", b"\r\nzz\r\n"),
        400,
    ),
    "chunk size 0x": (
        request_bytes("POST", chunks=[b"a=b"]).replace(b"\r\n3\r\n", b"\r\n0x3\r\n"),
        400,
    ),
    "chunk without its CRLF": (
        request_bytes("POST", chunks=[b"a=b"]).replace(b"a=b\r\n", b"a=bXY"),
        400,
    ),
    "chunk size line too long": (
        request_bytes("POST", chunks=[]).replace(b"\r\n0\r\n", b"\r\n1;" + b"x" * 2000 + b"\r\n"),
        400,
    ),
    "gzip transfer coding": (request_bytes("POST", headers={"Transfer-Encoding": "gzip"}), 400),
    "garbage request line": (b"GARBAGE\r\n\r\n", 400),
    "HTTP/0.9 request": (b"GET " + BASE.encode() + b"\r\n\r\n", 400),
    "header without colon": (b"GET " + BASE.encode() + b" HTTP/1.1\r\nBroken header\r\n\r\n", 400),
    "too many headers": (
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(200)) + b"\r\n",
        431,
    ),
    "request line too long": (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
}


@pytest.mark.parametrize("case", sorted(_BAD_FRAMING))
def test_bad_framing_is_a_4xx_and_closes(emu: Emulator, case: str) -> None:
    data, status = _BAD_FRAMING[case]
    conn = Conn(emu)
    try:
        conn.send(data)
        ans = conn.answer()
        assert_stripe_error(ans, status)
        assert ans.error["message"].startswith("Invalid request: ")
        assert ans.headers["Connection"] == "close"
        assert conn.closed_by_server()
    finally:
        conn.close()
    assert_still_serving(emu)


def test_unsupported_coding_before_chunked_is_501(emu: Emulator, conn: Conn) -> None:
    conn.send(
        request_bytes("POST", chunks=[CREATE_BODY], headers={"Transfer-Encoding": "gzip, chunked"})
    )
    ans = conn.answer()
    assert ans.status == 501 and "gzip, chunked" in ans.error["message"]
    assert_still_serving(emu)


def test_announced_huge_body_is_413_before_it_is_sent(emu: Emulator) -> None:
    for extra in ({}, {"Expect": "100-continue"}):
        conn = Conn(emu)
        try:
            head = request_bytes("POST", body=b"", headers=extra)
            conn.send(head.replace(b"Content-Length: 0", b"Content-Length: %d" % (50 * MAX_BODY)))
            error = assert_stripe_error(conn.answer(), 413)
            assert error["message"].startswith("Request body too large")
            assert conn.closed_by_server()
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
        error = assert_stripe_error(conn.answer(), 413)
        assert str(MAX_BODY) in error["message"]
    finally:
        conn.close()
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


# ---- stalled clients -------------------------------------------------------------------


@pytest.mark.parametrize(
    "partial",
    [
        b"POST " + BASE.encode(),  # half a request line
        b"\r\n",  # an empty line, then nothing
        request_bytes("POST", body=CREATE_BODY).split(b"\r\n\r\n")[0],  # headers, no end
        request_bytes("POST", body=CREATE_BODY)[:-10],  # most of the body
        request_bytes("POST", chunks=[CREATE_BODY]).removesuffix(b"0\r\n\r\n"),  # no last chunk
    ],
    ids=["request-line", "empty-line", "headers", "body", "chunked"],
)
def test_a_stalled_client_gets_408_and_others_are_served(
    fast_emu: Emulator, partial: bytes
) -> None:
    fast_emu.server.request_timeout = 1.0
    stalled = Conn(fast_emu)
    try:
        stalled.send(partial)
        start = time.monotonic()
        configs = make_client(fast_emu).v1.billing_portal.configurations
        for _ in range(3):  # served while the other connection holds its thread
            configs.create({"features": {"invoice_history": {"enabled": True}}})
        assert select.select([stalled.sock], [], [], 0)[0] == []  # still waiting for it
        error = assert_stripe_error(stalled.answer(), 408)
        assert "not received in full within 1 seconds" in error["message"]
        assert 0.9 < time.monotonic() - start < 4
        assert stalled.closed_by_server()
    finally:
        stalled.close()
    assert len(configs.list().data) == 3


def test_a_trickling_client_is_cut_at_the_deadline(fast_emu: Emulator) -> None:
    """One byte every 0.1 s never trips a per-read timeout; the request deadline stops it."""
    trickle = Conn(fast_emu)
    start = time.monotonic()
    try:
        for byte in request_bytes("POST", body=CREATE_BODY):
            if select.select([trickle.sock], [], [], 0)[0]:
                break  # the server has answered
            trickle.send(bytes([byte]))
            time.sleep(0.1)
        assert_stripe_error(trickle.answer(), 408)
        assert time.monotonic() - start < 1.5
    finally:
        trickle.close()
    assert fast_emu.request_count == 0


def test_idle_keep_alive_connections_are_closed(fast_emu: Emulator) -> None:
    conn = Conn(fast_emu)
    try:
        conn.send(request_bytes("GET"))
        assert conn.answer().status == 200
        start = time.monotonic()
        assert conn.closed_by_server()  # no answer, just a close after idle_timeout
        assert 0.3 < time.monotonic() - start < 3
    finally:
        conn.close()
    assert_still_serving(fast_emu)


def test_many_stalled_clients_do_not_block_the_server(fast_emu: Emulator) -> None:
    fast_emu.server.request_timeout = 5.0
    stalled = [Conn(fast_emu) for _ in range(50)]
    try:
        for c in stalled:
            c.send(b"POST " + BASE.encode() + b" HTTP/1.1\r\nContent-Length: 10\r\n\r\nab")
        start = time.monotonic()
        assert_still_serving(fast_emu)
        assert time.monotonic() - start < 1
    finally:
        for c in stalled:
            c.close()


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


# ---- a Stripe client in another language: stripe-go ------------------------------------


def stripe_go_client() -> Path:
    """Build (or find in the cache) the stripe-go client; cache hit: no download, no go."""
    proc = subprocess.run(
        ["bash", str(GO_BUILD)], capture_output=True, text=True, timeout=900, check=False
    )
    assert proc.returncode == 0, f"{GO_BUILD} failed:\n{proc.stderr}"
    return Path(proc.stdout.strip().splitlines()[-1])


class RecordingProxy:
    """A TCP relay in front of the emulator that keeps what clients send and counts their
    connections: shows that a client really sent chunked bodies over kept-alive connections."""

    def __init__(self, emu: Emulator) -> None:
        self.target = (emu.host, emu.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sent = bytearray()
        self.connections = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            upstream = socket.create_connection(self.target)
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, record: bool) -> None:
        try:
            while data := src.recv(65536):
                if record:
                    with self.lock:
                        self.sent += data
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


def test_stripe_go_creates_updates_retrieves_and_lists(emu: Emulator) -> None:
    binary = stripe_go_client()
    proxy = RecordingProxy(emu)
    env = {**os.environ, "STRIPE_BASE_URL": proxy.url, "STRIPE_API_KEY": KEY}
    try:
        proc = subprocess.run([str(binary)], capture_output=True, text=True, timeout=60, env=env)
    finally:
        proxy.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = [line.split()[1] for line in proc.stdout.splitlines()]
    assert steps == ["create", "replay", "create", "update", "retrieve", "list", "not-found"]
    # what stripe-go wrote is what the Python SDK reads
    listed = make_client(emu).v1.billing_portal.configurations.list().data
    assert sorted(c.name for c in listed) == ["go-first-renamed", "go-second"]
    first = next(c for c in listed if c.name == "go-first-renamed")
    assert first.metadata.to_dict() == {"client": "stripe-go", "step": "updated"}
    assert first.features.invoice_history.enabled is False
    assert first.features.customer_update.allowed_updates == ["email", "address"]
    counts = emu.route_counts
    assert counts[("POST", BASE)] == 3 and counts[("POST", BASE + "/{id}")] == 1
    # stripe-go sent its 4 POST bodies chunked, and its 8 requests over one connection
    assert bytes(proxy.sent).lower().count(b"transfer-encoding: chunked") == 4
    assert emu.request_count == 8 + 1 and proxy.connections == 1  # + the Python list above
