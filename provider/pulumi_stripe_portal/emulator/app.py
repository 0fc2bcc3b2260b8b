"""The WSGI application (werkzeug): route, then one backend call, then Stripe-shaped JSON.

Everything about HTTP framing (lengths, chunks, keep-alive, limits, slow clients) belongs to
the server that runs this application (server.py). Here: the route table, Stripe's
form-encoded parameters (forms.py), API keys and ``Stripe-Account`` (auth.py), idempotency
keys, the injected faults (faults.py) and Stripe's error shape. Not emulated: API version
negotiation (any ``Stripe-Version`` is accepted and echoed, answers have the shape of
``spec.API_VERSION``); per-key data (every key of one mode sees the same platform data, test
and live data are separate; only ``GET /v1/account`` tells keys apart, see accounts.py);
``Stripe-Should-Retry`` on anything but a fault asking for it.
"""

from __future__ import annotations

import os
import string
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

import orjson
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .accounts import Ctx
from .auth import authenticate, connected_account
from .backend import LIST_URL, Backend
from .errors import StripeError
from .faults import RequestRecord, Traffic
from .forms import form_text, parse_query
from .spec import API_VERSION

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

Params = dict[str, Any]
Handler = Callable[["Call"], Params]
_ALNUM = string.ascii_letters + string.digits
_TO_ALNUM = bytes(ord(_ALNUM[b % 62]) for b in range(256))  # a byte to a letter or digit


def dumps(body: Params) -> bytes:
    """Stripe's layout (two-space indent) from orjson: the stdlib's indenting encoder is pure
    Python and took a third of a retrieve's time; non-ASCII text is sent as UTF-8."""
    return orjson.dumps(body, option=orjson.OPT_INDENT_2)


def request_id() -> str:
    """``req_`` and 14 letters or digits, like Stripe's: not a secret, so one urandom call
    (backend.random_id draws each character alone, a tenth of a millisecond per answer)."""
    return "req_" + os.urandom(14).translate(_TO_ALNUM).decode()


class DropConnection(Exception):
    """Close the connection without answering (the commit-then-drop fault)."""


@dataclass(frozen=True)
class Call:
    """What a handler gets: the backend, who asks, the id in the URL, the params, the key."""

    backend: Backend
    ctx: Ctx
    id: str
    params: Params
    key: str

    @property
    def connected(self) -> str | None:
        return None if self.ctx.account == "platform" else self.ctx.account


@dataclass(frozen=True)
class Endpoint:
    """One route: its name in the counters, its handler, and whether it writes (writes take
    idempotency keys and may be dropped by the commit-then-drop fault)."""

    route: str
    handler: Handler
    write: bool


def _rule(method: str, path: str, handler: Handler, write: bool = False) -> Rule:
    route = path.replace("<id>", "{id}")
    return Rule(path, methods=[method], endpoint=Endpoint(route, handler, write))


def _account(c: Call) -> Params:
    return c.backend.accounts.retrieve(c.key, c.connected, c.params)


def _create_product(c: Call) -> Params:
    return c.backend.catalog.create_product(c.ctx, c.params)


def _retrieve_product(c: Call) -> Params:
    return c.backend.catalog.retrieve_product(c.ctx, c.id, c.params)


def _create_price(c: Call) -> Params:
    return c.backend.catalog.create_price(c.ctx, c.params)


def _list_prices(c: Call) -> Params:
    return c.backend.catalog.list_prices(c.ctx, c.params)


def _retrieve_price(c: Call) -> Params:
    return c.backend.catalog.retrieve_price(c.ctx, c.id, c.params)


def _update_price(c: Call) -> Params:
    return c.backend.catalog.update_price(c.ctx, c.id, c.params)


ITEM = LIST_URL + "/<id>"
ROUTES = Map(
    [
        _rule("GET", LIST_URL, lambda c: c.backend.list(c.ctx, c.params)),
        _rule("POST", LIST_URL, lambda c: c.backend.create(c.ctx, c.params), write=True),
        _rule("GET", ITEM, lambda c: c.backend.retrieve(c.ctx, c.id, c.params)),
        _rule("POST", ITEM, lambda c: c.backend.update(c.ctx, c.id, c.params), write=True),
        _rule("GET", "/v1/account", _account),
        _rule("POST", "/v1/products", _create_product, write=True),
        _rule("GET", "/v1/products/<id>", _retrieve_product),
        _rule("POST", "/v1/prices", _create_price, write=True),
        _rule("GET", "/v1/prices", _list_prices),
        _rule("GET", "/v1/prices/<id>", _retrieve_price),
        _rule("POST", "/v1/prices/<id>", _update_price, write=True),
    ],
    merge_slashes=False,
)


def unrecognized(method: str, path: str) -> StripeError:
    return StripeError(
        404,
        "invalid_request_error",
        f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs "
        "or we can help at https://support.stripe.com/.",
    )


class EmulatorApp:
    """The WSGI callable: one request, one backend call, one JSON answer (or a drop)."""

    def __init__(
        self,
        backend: Backend,
        traffic: Traffic,
        api_keys: frozenset[str] | None = None,
        verbose: bool = False,
        log: IO[str] | None = None,
    ) -> None:
        self.backend = backend
        self.traffic = traffic
        self.api_keys = api_keys
        self.verbose = verbose
        self.log = log
        self.urls = ROUTES.bind("api.stripe.com")

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.handle(request)
        if self.verbose:
            self._log(request, response.status_code)
        return response(environ, start_response)

    def _log(self, request: Request, status: int) -> None:
        """One line per request, like http.server's; never a header (keys stay out)."""
        query = request.environ.get("QUERY_STRING", "")
        uri = request.path + (f"?{query}" if query else "")
        when = time.strftime("%d/%b/%Y %H:%M:%S")
        line = f'{request.remote_addr} - - [{when}] "{request.method} {uri} '
        line += f'{request.environ.get("SERVER_PROTOCOL", "HTTP/1.1")}" {status} -\n'
        (self.log or sys.stderr).write(line)

    def handle(self, request: Request) -> Response:
        """Stripe's answer to ``request``; raises DropConnection when the fault says so."""
        rid = request_id()
        headers = {
            "Request-Id": rid,
            "Stripe-Version": request.headers.get("Stripe-Version") or API_VERSION,
        }
        method, path = request.method, request.path
        try:
            endpoint, args = self.urls.match(path, method)
        except HTTPException:  # unknown path or method: Stripe's 404, after auth below
            endpoint, args = None, {}
        route = endpoint.route if endpoint is not None else path
        parse_error: StripeError | None = None
        try:
            params = parse_query(request.environ.get("QUERY_STRING", ""))
            if method == "POST":
                text = form_text(request.content_type or "", request.get_data(cache=False))
                params.update(parse_query(text, "POST body"))
        except StripeError as e:
            params, parse_error = {}, e
        fault = self.traffic.admit(RequestRecord(method, path, params), route)
        try:  # in flight from admission to answer, the latency included
            if self.traffic.faults.latency:
                time.sleep(self.traffic.faults.latency)
            log_url = None
            try:
                if fault is not None:
                    raise fault
                authorization = request.headers.get("Authorization", "")
                key, livemode = authenticate(authorization, self.api_keys)
                mode = "" if livemode else "test/"
                log_url = f"https://dashboard.stripe.com/{mode}logs/{rid}?t={int(time.time())}"
                account = connected_account(request.headers.get("Stripe-Account"), key)
                if account:
                    headers["Stripe-Account"] = account
                if parse_error is not None:
                    raise parse_error
                if endpoint is None:
                    raise unrecognized(method, path)
                ctx = Ctx(account or "platform", livemode)
                call = Call(self.backend, ctx, args.get("id", ""), params, key)
                body = self._run(endpoint, call, request, rid, headers)
            except StripeError as e:
                return self._error(e, log_url, headers)
            except Exception:  # an emulator bug must still answer, like Stripe's own 500s
                traceback.print_exc()
                return self._error(
                    StripeError(500, "api_error", "An unknown error occurred."), log_url, headers
                )
            if endpoint.write and self.traffic.should_drop():
                raise DropConnection
            return self._json(200, body, headers)
        finally:
            self.traffic.done()

    def _run(
        self, endpoint: Endpoint, call: Call, request: Request, rid: str, headers: dict[str, str]
    ) -> Params:
        """The handler, once per idempotency key for writes (replays say so in headers)."""
        key = request.headers.get("Idempotency-Key")
        if not endpoint.write or not key:
            return endpoint.handler(call)
        headers["Idempotency-Key"] = key
        what = f"{request.method} {request.path}"
        body, original = call.backend.idempotent(
            call.ctx, key, what, call.params, rid, lambda: endpoint.handler(call)
        )
        if original is not None:
            headers["Idempotent-Replayed"] = "true"
            headers["Original-Request"] = original
        return body

    def _error(self, e: StripeError, log_url: str | None, headers: dict[str, str]) -> Response:
        faults = self.traffic.faults
        if e.status == 429 and faults.rate_limit_should_retry:
            headers["Stripe-Should-Retry"] = "true"
        if e.code == "rate_limit" and faults.rate_limit_retry_after:
            headers["Retry-After"] = str(self.traffic.retry_after())
        return self._json(e.status, e.body(log_url), headers)

    @staticmethod
    def _json(status: int, body: Params, headers: dict[str, str]) -> Response:
        data = dumps(body)
        return Response(data, status, headers, mimetype="application/json")
