"""Odd but possible answers from Stripe never crash read, refresh or diff.

The emulator only answers what this API version holds, so a stand-in HTTP server sits
between the provider and the emulator: it forwards every request and rewrites the JSON
answers the way a newer API version or a partly filled object would look (extra fields,
enum values the models do not know, blocks missing or null). The provider talks to it
through the real stripe SDK over HTTP, and is driven as the engine drives it: pickled,
configured, outputs round-tripped through a protobuf Struct, then read (refresh), diff and
update (the next ``pulumi up``).
"""

from __future__ import annotations

import asyncio
import copy
import http.client
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from pulumi.runtime import rpc

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.state import declaration_of

from support.driver import KEY, PROVIDER_KEY, Driver
from support.samples import full

Rewrite = Callable[[dict[str, Any]], None]
FORWARDED = ("Authorization", "Stripe-Version", "Idempotency-Key", "Stripe-Account", "Content-Type")


class StandIn(ThreadingHTTPServer):
    """Forwards to the emulator; ``rewrite`` edits each configuration a GET answers with."""

    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = urlsplit(upstream)
        self.rewrite: Rewrite | None = None
        self.rewrite_writes = False  # also rewrite the answers to create and update
        self.posts: list[dict[str, str]] = []
        self.gets = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: StandIn

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_GET(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.command == "POST":
            self.server.posts.append(dict(parse_qsl(body.decode(), keep_blank_values=True)))
        else:
            self.server.gets += 1
        up = http.client.HTTPConnection(self.server.upstream.hostname, self.server.upstream.port)
        headers = {k: self.headers[k] for k in FORWARDED if self.headers.get(k)}
        up.request(self.command, self.path, body=body or None, headers=headers)
        answer = up.getresponse()
        data = answer.read()
        # Only reads are rewritten: an update's answer is what Stripe holds after the write.
        rewrites = self.command == "GET" or self.server.rewrite_writes
        if answer.status == 200 and rewrites and self.server.rewrite is not None:
            obj = json.loads(data)
            if obj.get("object") == "billing_portal.configuration":
                self.server.rewrite(obj)
                data = json.dumps(obj).encode()
        self.send_response(answer.status)
        for name in ("Request-Id", "Stripe-Version", "Content-Type"):
            if answer.getheader(name):
                self.send_header(name, answer.getheader(name))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        up.close()

    do_POST = do_GET


@pytest.fixture
def standin(emu: Emulator) -> Iterator[StandIn]:
    server = StandIn(emu.url)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def engine(props: dict[str, Any]) -> dict[str, Any]:
    """What the engine stores and sends back: a protobuf Struct round trip."""
    loop = asyncio.new_event_loop()
    try:
        struct = loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()
    return rpc.deserialize_properties(struct)


def at(tree: Any, *path: str | int) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def absent(tree: Any, *path: str | int) -> bool:
    """Whether nothing is held at ``path`` (a missing key, index or a null)."""
    try:
        return at(tree, *path) is None
    except (KeyError, IndexError, TypeError):
        return True


def setter(value: Any, *path: str | int) -> Rewrite:
    def rewrite(obj: dict[str, Any]) -> None:
        at(obj, *path[:-1])[path[-1]] = copy.deepcopy(value)

    return rewrite


def dropper(*path: str | int) -> Rewrite:
    def rewrite(obj: dict[str, Any]) -> None:
        at(obj, *path[:-1]).pop(path[-1], None)

    return rewrite


def appender(value: Any, *path: str | int) -> Rewrite:
    def rewrite(obj: dict[str, Any]) -> None:
        at(obj, *path).append(copy.deepcopy(value))

    return rewrite


def declaration_without(*path: str) -> dict[str, Any]:
    decl = full()
    at(decl, *path[:-1]).pop(path[-1])
    return decl


class Cycle:
    """create (through the stand-in, answers untouched), then the odd refresh and up."""

    def __init__(self, standin: StandIn, declaration: dict[str, Any]) -> None:
        self.standin = standin
        self.declaration = declaration
        self.driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": standin.url})
        self.id, outs = self.driver.create(declaration)
        self.state = engine({**outs, PROVIDER_KEY: "p"})

    def refresh(self) -> dict[str, Any]:
        result = self.driver.read(self.id, self.state)
        assert result.id == self.id
        self.state = engine({**result.outs, PROVIDER_KEY: "p"})
        if result.inputs is not None:  # new inputs (a change): the engine stores these too
            assert engine({**result.inputs, PROVIDER_KEY: "p"})
        return self.state

    def diff(self) -> bool:
        result = self.driver.diff(self.id, self.state, self.declaration)
        return bool(result.changes)

    def update(self) -> dict[str, str]:
        inputs = self.driver.check(self.declaration)
        before = len(self.standin.posts)
        outs = self.driver.provider.update(self.id, self.state, inputs).outs
        self.state = engine({**outs, PROVIDER_KEY: "p"})
        posts = self.standin.posts[before:]
        assert posts, "update sent nothing"
        return {k: v for post in posts for k, v in post.items()}


# A newer API version: fields this one does not know, at every depth. --------------------

NEWER_VERSION = [
    ("top level", setter({"mode": "hosted", "locale": "auto"}, "appearance"), ("appearance",)),
    (
        "new feature block",
        setter({"enabled": True, "window_days": 14}, "features", "subscription_refund"),
        ("features", "subscription_refund"),
    ),
    (
        "field in a block",
        setter("email", "features", "subscription_cancel", "notify"),
        ("features", "subscription_cancel", "notify"),
    ),
    (
        "field in a product",
        setter(["eur"], "features", "subscription_update", "products", 0, "currencies"),
        ("features", "subscription_update", "products", 0, "currencies"),
    ),
    (
        "field in business_profile",
        setter("Acme Inc.", "business_profile", "legal_name"),
        ("business_profile", "legal_name"),
    ),
]


@pytest.mark.parametrize(
    ("rewrite", "shown_at"), [c[1:] for c in NEWER_VERSION], ids=[c[0] for c in NEWER_VERSION]
)
def test_fields_of_a_newer_api_version_cost_no_state_and_cause_no_diff(
    standin: StandIn, rewrite: Rewrite, shown_at: tuple[str | int, ...]
) -> None:
    cycle = Cycle(standin, full())
    standin.rewrite = rewrite
    state = cycle.refresh()
    assert absent(state, *shown_at)  # outputs hold what is declared, not the whole object
    # Nothing we manage changed: no diff, so `pulumi up` sends nothing.
    posts = len(standin.posts)
    assert cycle.diff() is False
    assert len(standin.posts) == posts
    refreshed = cycle.driver.read(cycle.id, state)
    assert refreshed.inputs is None  # nothing declared moved: the engine keeps its inputs
    assert declaration_of(refreshed.outs) == cycle.driver.check(full())


# Enum values the models do not know. ------------------------------------------------------

SU = ("features", "subscription_update")
CANCEL = ("features", "subscription_cancel")

UNKNOWN_ENUMS = [
    (
        "declared enum",
        full(),
        setter("at_trial_end", *CANCEL, "mode"),
        (*CANCEL, "mode"),
        {"features[subscription_cancel][mode]": "immediately"},
    ),
    (
        "undeclared enum off its default",
        declaration_without(*SU, "trial_update_behavior"),
        setter("pause_trial", *SU, "trial_update_behavior"),
        (*SU, "trial_update_behavior"),
        {"features[subscription_update][trial_update_behavior]": "end_trial"},
    ),
    (
        "item of an enum list",
        full(),
        appender("preferred_locales", "features", "customer_update", "allowed_updates"),
        ("features", "customer_update", "allowed_updates", 3),
        {"features[customer_update][allowed_updates][0]": "email"},
    ),
    (
        "key of an object set",
        full(),
        appender({"type": "lengthening_interval"}, *SU, "schedule_at_period_end", "conditions"),
        (*SU, "schedule_at_period_end", "conditions", 2, "type"),
        {"features[subscription_update][schedule_at_period_end][conditions][0][type]": None},
    ),
    (
        "enum that selects a shape",
        full(),
        setter(
            {"type": "until_next_invoice", "interval_options": None},
            "features",
            "subscription_pause",
            "duration",
        ),
        ("features", "subscription_pause", "duration", "type"),
        {"features[subscription_pause][duration][type]": "interval_options"},
    ),
]


@pytest.mark.parametrize(
    ("declaration", "rewrite", "shown_at", "sent"),
    [c[1:] for c in UNKNOWN_ENUMS],
    ids=[c[0] for c in UNKNOWN_ENUMS],
)
def test_unknown_enum_value_is_shown_then_up_restores_the_declaration(
    standin: StandIn,
    declaration: dict[str, Any],
    rewrite: Rewrite,
    shown_at: tuple[str | int, ...],
    sent: dict[str, str | None],
) -> None:
    cycle = Cycle(standin, declaration)
    standin.rewrite = rewrite
    odd = at(cycle.refresh(), *shown_at)
    assert odd not in (None, "", []), "the value Stripe holds is not in the outputs"
    assert cycle.diff() is True  # the unknown value shows as a diff against the declaration
    params = cycle.update()
    for name, value in sent.items():
        assert name in params, (name, params)
        if value is not None:
            assert params[name] == value, (name, params)
    assert odd not in params.values()  # the unknown value is never sent back
    standin.rewrite = None  # Stripe now holds what was sent
    cycle.refresh()
    assert cycle.diff() is False


# Blocks missing or null. ------------------------------------------------------------------

MISSING = [
    ("features null", setter(None, "features")),
    ("features missing", dropper("features")),
    ("feature block null", setter(None, *SU)),
    ("feature block missing", dropper("features", "subscription_pause")),
    ("business_profile null", setter(None, "business_profile")),
    ("login_page missing", dropper("login_page")),
    ("metadata null", setter(None, "metadata")),
    ("products null (not expanded)", setter(None, *SU, "products")),
    ("products as bare ids", setter(["prod_basic", "prod_pro"], *SU, "products")),
    ("nested block null", setter(None, *CANCEL, "cancellation_reason")),
    ("duration null", setter(None, "features", "subscription_pause", "duration")),
    ("list item null", setter([None], *SU, "schedule_at_period_end", "conditions")),
    (
        "pause option null",
        setter([None], "features", "subscription_pause", "duration", "interval_options"),
    ),
    ("billing_cycle_anchor null", setter(None, *SU, "billing_cycle_anchor")),
    ("name missing", dropper("name")),
]


@pytest.mark.parametrize("rewrite", [c[1] for c in MISSING], ids=[c[0] for c in MISSING])
def test_missing_or_null_blocks_never_crash_and_up_puts_them_back(
    standin: StandIn, rewrite: Rewrite
) -> None:
    cycle = Cycle(standin, full())
    standin.rewrite = rewrite
    assert cycle.refresh()["created"]  # a refresh that reads the odd answer, not a crash
    # Stripe lacks something the program declares: a diff, and up sends it again.
    assert cycle.diff() is True
    cycle.update()
    standin.rewrite = None
    cycle.refresh()
    assert cycle.diff() is False


def test_a_newer_api_version_in_every_answer_create_included(standin: StandIn) -> None:
    """Every answer, create's too, from a newer version: extra fields everywhere."""

    def newer(obj: dict[str, Any]) -> None:
        for rewrite, _ in [c[1:] for c in NEWER_VERSION]:
            rewrite(obj)

    standin.rewrite, standin.rewrite_writes = newer, True
    cycle = Cycle(standin, full())
    for _, _, shown_at in NEWER_VERSION:
        assert absent(cycle.state, *shown_at), shown_at
    assert cycle.diff() is False
    cycle.refresh()
    assert cycle.diff() is False
