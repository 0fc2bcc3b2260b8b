"""Shared machinery of the conformance referees: form encoding, raw HTTP, a recording proxy,
request shapes, and the figures behind the one-line coverage summary.

``RESULTS`` is filled by the tests and printed by ``conftest.pytest_terminal_summary``:
- ``fields``: (modelled, total) writable API fields, from test_parity.py;
- ``shapes``: request shape -> HTTP statuses seen through the recording proxy, from
  test_conformance.py;
- ``agreement``: counts of the differential corpus, from test_differential.py.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from stripemock import TEST_API_KEY

CONFIGURATIONS = "/v1/billing_portal/configurations"

RESULTS: dict[str, Any] = {}


# form encoding and raw HTTP ----------------------------------------------------------------


def form_pairs(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding (``a[b][0]=x``) of nested dicts and lists, as the SDK does it.

    An empty list becomes ``a=""`` (the unset spelling); booleans become true/false.
    """
    if isinstance(value, dict):
        pairs: list[tuple[str, str]] = []
        for key, item in value.items():
            pairs += form_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
        return pairs
    if isinstance(value, list):
        if not value:
            return [(prefix, "")]
        pairs = []
        for index, item in enumerate(value):
            pairs += form_pairs(item, f"{prefix}[{index}]")
        return pairs
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, str(value))]


def encode(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs)


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    @property
    def message(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return str(error.get("message", "")) if isinstance(error, dict) else ""


def send(base_url: str, method: str, path: str, body: str = "") -> Answer:
    """One request with exactly ``body`` as the form body (POST) or query (GET)."""
    url = urlsplit(base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    headers = {"Authorization": f"Bearer {TEST_API_KEY}"}
    try:
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request("POST", path, body=body.encode(), headers=headers)
        else:
            conn.request(method, f"{path}?{body}" if body else path, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
    finally:
        conn.close()
    try:
        parsed = json.loads(raw or b"{}")
    except ValueError:
        parsed = {"error": {"message": raw.decode("utf-8", "replace")[:200]}}
    return Answer(resp.status, parsed)


# recording proxy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    """One request that went through the proxy, with the upstream's status."""

    method: str
    path: str
    query: str
    body: str
    headers: dict[str, str]
    status: int

    @property
    def params(self) -> list[tuple[str, str]]:
        pairs = parse_qsl(self.query, keep_blank_values=True)
        if self.method == "POST":
            pairs += parse_qsl(self.body, keep_blank_values=True)
        return pairs

    def param(self, key: str) -> list[str]:
        return [v for k, v in self.params if k == key]


_FORWARDED = (
    "Authorization",
    "Content-Type",
    "Stripe-Version",
    "Stripe-Account",
    "Idempotency-Key",
)


class RecordingProxy:
    """A loopback HTTP proxy in front of stripe-mock that records every exchange."""

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream)
        self.exchanges: list[Exchange] = []
        self.held: dict[str, dict[str, Any]] = {}  # path -> object answered to GET locally
        self.held_reads = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:
                proxy._forward(self)

            do_POST = do_DELETE = do_GET

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> RecordingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def mark(self) -> int:
        """Position to pass to :meth:`since`."""
        with self._lock:
            return len(self.exchanges)

    def since(self, mark: int) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges[mark:])

    def hold(self, path: str, stripe_object: dict[str, Any]) -> None:
        """Answer ``GET path`` with ``stripe_object`` (what Stripe holds), not with
        stripe-mock's stateless fixture; such reads are counted, not recorded as shapes."""
        self.held[path] = stripe_object

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        held = self.held.get(urlsplit(handler.path).path) if handler.command == "GET" else None
        if held is not None:
            data = json.dumps(held).encode()
            with self._lock:
                self.held_reads += 1
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Request-Id", "req_held")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
            return
        headers = {k: handler.headers[k] for k in _FORWARDED if handler.headers.get(k)}
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=15)
        try:
            conn.request(handler.command, handler.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            status, reply_headers = resp.status, resp.getheaders()
        finally:
            conn.close()
        url = urlsplit(handler.path)
        with self._lock:
            self.exchanges.append(
                Exchange(handler.command, url.path, url.query, body.decode(), headers, status)
            )
        handler.send_response(status)
        for key, value in reply_headers:
            if key.lower() not in ("content-length", "transfer-encoding", "connection", "date"):
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)


# request shapes ----------------------------------------------------------------------------

_INDEX = re.compile(r"\[\d+\]")


def shape(exchange: Exchange) -> tuple[str, str, tuple[str, ...]]:
    """(method, route, parameter keys): list indices folded to ``[]``, unsets marked ``=""``.

    Two requests have the same shape when they name the same parameters (values aside, but
    an unset ``""`` is its own shape since that is what stripe-mock must accept).
    """
    route = exchange.path
    if route.startswith(CONFIGURATIONS + "/"):
        route = CONFIGURATIONS + "/{id}"
    keys = set()
    for key, value in exchange.params:
        key = _INDEX.sub("[]", key)
        keys.add(f'{key}=""' if value == "" else key)
    if exchange.headers.get("Stripe-Account"):
        keys.add("header:Stripe-Account")
    return exchange.method, route, tuple(sorted(keys))


def record_shapes(exchanges: list[Exchange]) -> None:
    shapes: dict[tuple[str, str, tuple[str, ...]], list[int]] = RESULTS.setdefault("shapes", {})
    for exchange in exchanges:
        shapes.setdefault(shape(exchange), []).append(exchange.status)


def coverage_line() -> str | None:
    """The one summary line, or None when no conformance test recorded anything."""
    if not RESULTS:
        return None
    parts = []
    fields = RESULTS.get("fields")
    parts.append(
        f"fields modelled {fields[0]}/{fields[1]} of the API" if fields else "fields modelled n/a"
    )
    shapes = RESULTS.get("shapes")
    if shapes:
        ok = sum(all(200 <= s < 300 for s in statuses) for statuses in shapes.values())
        parts.append(f"request shapes accepted by stripe-mock {ok}/{len(shapes)}")
    else:
        parts.append("request shapes accepted by stripe-mock n/a")
    agreement = RESULTS.get("agreement")
    if agreement:
        parts.append(
            f"emulator\u2013stripe-mock agreement {agreement['agree']}/{agreement['judged']} "
            f"on the corpus ({agreement['excluded']} excluded: not checked by stripe-mock; "
            f"{agreement['gaps']} documented gaps)"
        )
    else:
        parts.append("emulator\u2013stripe-mock agreement n/a")
    return "conformance: " + "; ".join(parts)
