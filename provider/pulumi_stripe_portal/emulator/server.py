"""Thin HTTP/1.1 layer over the backend: parsing, auth, Connect, idempotency, faults, routing.

Request bodies are framed by framing.py (Content-Length or chunked, size and time limits); a
JSON body gets Stripe's 400. Not emulated: TLS; API version negotiation (any ``Stripe-Version`` is
accepted and echoed, answers have the 2026-10-28.endive shape); per-key data (every key of
one mode sees the same platform data, test and live data are separate; only
``GET /v1/account`` tells keys apart, see accounts.py); unknown
connected accounts (every well-formed ``acct_...`` exists); Stripe's real rate limits (off
unless set); ``Stripe-Should-Retry`` on anything but a fault asking for it.
"""

from __future__ import annotations

import base64
import io
import json
import math
import random
import re
import socket
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from stripe._api_version import _ApiVersion

from .backend import LIST_URL, Backend, Ctx, random_id
from .errors import StripeError
from .forms import parse_query
from .framing import (
    MAX_BODY,
    ClientGone,
    DeadlineSocketReader,
    FramingError,
    form_text,
    read_body,
    too_large,
)

_KEY = re.compile(r"(sk|rk)_(test|live)_[A-Za-z0-9]+")
_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]+")
_ITEM = re.compile(re.escape(LIST_URL) + r"/([^/]+)")
_OBJECT = re.compile(r"/v1/(products|prices)/([^/]+)")


@dataclass
class Faults:
    """Injected failures, all off by default; counts fire before fractions."""

    latency: float = 0.0
    rate_limit: float | None = None  # admitted requests per second, None = unlimited
    rate_limit_should_retry: bool = False
    rate_limit_retry_after: bool = False  # send Retry-After (whole seconds) with 429s
    error_rate: float = 0.0
    error_count: int = 0
    drop_rate: float = 0.0
    drop_count: int = 0
    seed: int = 0


class RequestRecord(NamedTuple):
    """One request as seen, faulted or not: params as decoded from the query and form body."""

    method: str
    path: str
    params: dict[str, Any]


def mask_key(key: str) -> str:
    """Stripe's masking: mode prefix, asterisks, last four characters (if the key is long)."""
    m = re.match(r"[a-z]+_(?:test|live)_", key)
    prefix = m.group(0) if m else ""
    rest = key[len(prefix) :]
    return prefix + "****" + (rest[-4:] if len(rest) > 8 else "")


def _unrecognized(method: str, path: str) -> StripeError:
    return StripeError(
        404,
        "invalid_request_error",
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )


class EmulatorServer(ThreadingHTTPServer):
    """Holds the backend, the fault settings and the request counters."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # listen backlog; the stdlib's 5 turns connect bursts into 1 s waits
    # framing limits (see framing.py); tests shorten the timeouts of a running server
    max_body = MAX_BODY
    idle_timeout = 120.0  # longer than clients' idle pools (Go: 90 s), so they close first
    request_timeout = 30.0  # first byte to last body byte; also the write timeout

    def __init__(
        self,
        address: tuple[str, int],
        backend: Backend,
        faults: Faults,
        api_keys: frozenset[str] | None = None,
        verbose: bool = False,
    ) -> None:
        self.backend = backend
        self.api_keys = api_keys
        self.verbose = verbose
        self.stats_lock = threading.Lock()
        self.requests: list[RequestRecord] = []
        self.route_counts: Counter[tuple[str, str]] = Counter()
        self.rate_limited = 0  # requests answered 429 rate_limit
        self.admitted_at: list[float] = []  # monotonic times admitted under a rate limit
        self.connections: set[socket.socket] = set()
        self.set_faults(faults)
        super().__init__(address, Handler)

    def set_faults(self, faults: Faults) -> None:
        with self.stats_lock:
            self.faults = replace(faults)
            self._errors = random.Random(faults.seed)
            self._drops = random.Random(faults.seed + 1)
            self._window: deque[float] = deque()

    def clear_counters(self) -> None:
        with self.stats_lock:
            self.requests.clear()
            self.route_counts.clear()
            self.rate_limited = 0
            self.admitted_at.clear()

    def retry_after(self) -> int:
        """Whole seconds (Retry-After's unit, rounded up) until the window admits again."""
        with self.stats_lock:
            if not self._window or not self.faults.rate_limit:
                return 1
            return max(1, math.ceil(1.0 - (time.monotonic() - self._window[0])))

    def admit(self, record: RequestRecord, route: str) -> StripeError | None:
        """Count the request and decide the pre-handling faults (rate limit, 500)."""
        with self.stats_lock:
            self.requests.append(record)
            self.route_counts[(record.method, route)] += 1
            f = self.faults
            if f.rate_limit is not None:
                now = time.monotonic()
                while self._window and now - self._window[0] >= 1.0:
                    self._window.popleft()
                if len(self._window) >= f.rate_limit:
                    self.rate_limited += 1
                    return StripeError(
                        429,
                        "invalid_request_error",
                        "Too many requests hit the API too quickly. We recommend an exponential "
                        "backoff of your requests.",
                        code="rate_limit",
                    )
                self._window.append(now)
                self.admitted_at.append(now)
            if f.error_count > 0 or (f.error_rate and self._errors.random() < f.error_rate):
                f.error_count = max(0, f.error_count - 1)
                return StripeError(500, "api_error", "An unknown error occurred (emulated fault).")
        return None

    def should_drop(self) -> bool:
        """Commit-then-drop: decided after a successful write."""
        with self.stats_lock:
            f = self.faults
            if f.drop_count > 0:
                f.drop_count -= 1
                return True
            return bool(f.drop_rate) and self._drops.random() < f.drop_rate

    def close_connections(self) -> None:
        with self.stats_lock:
            conns = list(self.connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Handler(BaseHTTPRequestHandler):
    """One connection; keep-alive, Content-Length on every answer."""

    protocol_version = "HTTP/1.1"
    server: EmulatorServer

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by a reader that enforces the timeouts
        self._reader = DeadlineSocketReader(self.connection, self.server.request_timeout)
        self.rfile = io.BufferedReader(self._reader)
        self._responded = False
        # headers and body go out in two writes: without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.stats_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.stats_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def handle_one_request(self) -> None:
        """Wait up to idle_timeout for a request, then give it request_timeout to arrive."""
        self._reader.idle_timeout = self.server.idle_timeout
        self._reader.deadline = None
        self._responded = False
        self.command, self.requestline, self.request_version = "", "", "HTTP/1.1"
        try:
            started = self.rfile.peek(1)  # type: ignore[attr-defined]  # a BufferedReader
        except OSError:  # idle timeout, reset
            started = b""
        if not started:
            self.close_connection = True
            return
        self._reader.deadline = time.monotonic() + self.server.request_timeout
        try:
            self._skip_empty_lines()
            super().handle_one_request()  # a timeout in the request line or headers closes
        except ConnectionError:  # reset mid-request: nobody to answer, no traceback
            self.close_connection = True
            return
        except TimeoutError:  # in the empty lines (the stdlib catches its own): 408 below
            self.close_connection = True
        if self._reader.expired and not self._responded:
            self._refuse(self._timed_out(), {"Request-Id": random_id("req_", 14)})

    def _skip_empty_lines(self) -> None:
        """RFC 9112 section 2.2: ignore empty lines before a request line (some clients send a
        CRLF after a POST body); the stdlib would close the connection without an answer."""
        for _ in range(16):
            head = self.rfile.peek(2)[:2]  # type: ignore[attr-defined]  # a BufferedReader
            if head == b"\r\n" or head[:1] == b"\n":
                self.rfile.read(len(head) if head == b"\r\n" else 1)
            else:
                return

    def _timed_out(self) -> FramingError:
        secs = f"{self.server.request_timeout:g}"
        return FramingError(
            408,
            "invalid_request_error",
            f"Invalid request: the request was not received in full within {secs} seconds.",
        )

    def parse_request(self) -> bool:
        """Refuse what the stdlib lets through: a header line without a colon (taken as the
        end of the headers) and HTTP/0.9 (answered without a status line)."""
        if not super().parse_request():
            return False
        if self.headers.defects:
            self.send_error(HTTPStatus.BAD_REQUEST, "malformed header line")
            return False
        if self.request_version == "HTTP/0.9":  # no headers, so no API key: say so in 1.1
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 is not supported")
            return False
        return True

    def handle_expect_100(self) -> bool:
        """Refuse an announced oversized body before the client sends it."""
        length = self.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > self.server.max_body:
            self._refuse(too_large(self.server.max_body), {"Request-Id": random_id("req_", 14)})
            return False
        return super().handle_expect_100()

    def send_response(self, code: int, message: str | None = None) -> None:
        self._responded = True
        super().send_response(code, message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own refusals (request line, headers, method) in Stripe's JSON shape."""
        self.log_error("code %d, message %s", code, message)
        if self.request_version == "HTTP/0.9":  # unparsable request line: answer in HTTP/1.1
            self.request_version = "HTTP/1.1"
        text = message or HTTPStatus(code).phrase
        error = StripeError(code, "invalid_request_error", f"Invalid request: {text}.")
        self._refuse(error, {"Request-Id": random_id("req_", 14)})

    def _refuse(self, error: StripeError, headers: dict[str, str]) -> None:
        """Answer a request that cannot be framed, then close (lingering, so the answer is
        not lost to a reset from unread request bytes)."""
        self.close_connection = True
        headers["Connection"] = "close"
        try:
            if self.command == "HEAD":
                self.send_response(error.status)
                self.send_header("Content-Length", "0")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
            else:
                self._send(error.status, error.body(), headers)
            self.connection.shutdown(socket.SHUT_WR)
            self._reader.deadline = time.monotonic() + 1.0
            while self.rfile.read1(65536):
                pass
        except OSError:  # the client is gone or did not stop sending within a second
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    def _send(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
        data = json.dumps(body, indent=2).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, e: StripeError, log_url: str | None, headers: dict[str, str]) -> None:
        if e.status == 429 and self.server.faults.rate_limit_should_retry:
            headers["Stripe-Should-Retry"] = "true"
        if e.code == "rate_limit" and self.server.faults.rate_limit_retry_after:
            headers["Retry-After"] = str(self.server.retry_after())
        self._send(e.status, e.body(log_url), headers)

    def _auth(self) -> tuple[str, bool]:
        """Return (key, livemode) from Bearer or Basic auth; 401 otherwise (key masked)."""
        header = self.headers.get("Authorization", "").strip()
        scheme, _, cred = header.partition(" ")
        key = cred.strip()
        if scheme.lower() == "basic":
            try:
                key = base64.b64decode(key).decode().partition(":")[0]
            except (ValueError, UnicodeDecodeError):
                key = "?"
        elif scheme.lower() != "bearer":
            key = header
        if not key:
            raise StripeError(
                401,
                "invalid_request_error",
                "You did not provide an API key. You need to provide your API key in the "
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
                "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
                "or we can help at https://support.stripe.com/.",
            )
        m = _KEY.fullmatch(key)
        if m is None or (self.server.api_keys is not None and key not in self.server.api_keys):
            raise StripeError(
                401, "invalid_request_error", f"Invalid API Key provided: {mask_key(key)}"
            )
        return key, m.group(2) == "live"

    def _handle(self) -> None:
        rid = random_id("req_", 14)
        headers = {
            "Request-Id": rid,
            "Stripe-Version": self.headers.get("Stripe-Version") or _ApiVersion.CURRENT,
        }
        method = self.command
        url = urlsplit(self.path)
        path = url.path
        try:
            data, must_close = read_body(
                self.rfile,  # type: ignore[arg-type]  # a BufferedReader
                self.headers,
                self.server.max_body,
            )
        except FramingError as e:
            self._refuse(e, headers)
            return
        except TimeoutError:
            self._refuse(self._timed_out(), headers)
            return
        except (ClientGone, OSError):
            self.close_connection = True
            return
        if must_close:  # Transfer-Encoding beside Content-Length: RFC 9112 section 6.3
            headers["Connection"] = "close"
        item = _ITEM.fullmatch(path)
        route = LIST_URL if path == LIST_URL else (LIST_URL + "/{id}" if item else path)
        parse_error: StripeError | None = None
        try:
            params = parse_query(url.query)
            if method == "POST":
                params.update(parse_query(form_text(self.headers, data), "POST body"))
        except StripeError as e:
            params, parse_error = {}, e
        fault = self.server.admit(RequestRecord(method, path, params), route)
        if self.server.faults.latency:
            time.sleep(self.server.faults.latency)
        log_url = None
        try:
            if fault is not None:
                raise fault
            key, livemode = self._auth()
            mode = "" if livemode else "test/"
            log_url = f"https://dashboard.stripe.com/{mode}logs/{rid}?t={int(time.time())}"
            account = self.headers.get("Stripe-Account")
            if account is not None and not _ACCOUNT.fullmatch(account):
                raise StripeError(
                    403,
                    "invalid_request_error",
                    f"The provided key '{mask_key(key)}' does not have access to account "
                    f"'{account}' (or that account does not exist). Application access may "
                    "have been revoked.",
                )
            ctx = Ctx(account or "platform", livemode)
            if account:
                headers["Stripe-Account"] = account
            if parse_error is not None:
                raise parse_error
            body = self._route(ctx, method, path, item, params, rid, headers)
        except StripeError as e:
            self._send_error(e, log_url, headers)
            return
        except Exception:  # an emulator bug must still answer, like Stripe's own 500s
            traceback.print_exc()
            error = StripeError(500, "api_error", "An unknown error occurred.")
            self._send_error(error, log_url, headers)
            return
        if method == "POST" and self.server.should_drop():
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._send(200, body, headers)

    def _route(
        self,
        ctx: Ctx,
        method: str,
        path: str,
        item: re.Match[str] | None,
        params: dict[str, Any],
        rid: str,
        headers: dict[str, str],
    ) -> dict[str, Any]:
        b = self.server.backend
        if path == LIST_URL and method == "GET":
            return b.list(ctx, params)
        if item and method == "GET":
            return b.retrieve(ctx, unquote(item.group(1)), params)
        if path == LIST_URL and method == "POST":
            call = lambda: b.create(ctx, params)  # noqa: E731
        elif item and method == "POST":
            call = lambda: b.update(ctx, unquote(item.group(1)), params)  # noqa: E731
        else:
            call, write = self._other_route(ctx, method, path, params)
            if not write:
                return call()
        key = self.headers.get("Idempotency-Key")
        if not key:
            return call()
        headers["Idempotency-Key"] = key
        body, original = b.idempotent(ctx, key, f"{method} {path}", params, rid, call)
        if original is not None:
            headers["Idempotent-Replayed"] = "true"
            headers["Original-Request"] = original
        return body

    def _other_route(
        self, ctx: Ctx, method: str, path: str, params: dict[str, Any]
    ) -> tuple[Callable[[], dict[str, Any]], bool]:
        """The account, products and prices (accounts.py, catalog.py): (call, is a write)."""
        b, c = self.server.backend, self.server.backend.catalog
        m = _OBJECT.fullmatch(path)
        kind, id_ = (m.group(1), unquote(m.group(2))) if m else (path, "")
        connected = None if ctx.account == "platform" else ctx.account
        routes: dict[tuple[str, str], tuple[Callable[[], dict[str, Any]], bool]] = {
            ("GET", "/v1/account"): (
                lambda: b.accounts.retrieve(self._auth()[0], connected, params),
                False,
            ),
            ("POST", "/v1/products"): (lambda: c.create_product(ctx, params), True),
            ("GET", "products"): (lambda: c.retrieve_product(ctx, id_, params), False),
            ("POST", "/v1/prices"): (lambda: c.create_price(ctx, params), True),
            ("GET", "/v1/prices"): (lambda: c.list_prices(ctx, params), False),
            ("GET", "prices"): (lambda: c.retrieve_price(ctx, id_, params), False),
            ("POST", "prices"): (lambda: c.update_price(ctx, id_, params), True),
        }
        if (method, kind) not in routes:
            raise _unrecognized(method, path)
        return routes[(method, kind)]
