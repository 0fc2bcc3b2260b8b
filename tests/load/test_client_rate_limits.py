"""The client rides out 429s through the real stripe SDK against the emulator: it honours
Retry-After, keeps retrying past max_network_retries within its time budget, keeps one
idempotency key per call, and gives up with one readable line."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.stripe_api.client import PortalApiError, PortalClient, Settings

KEY = "sk_test_rateLimitKey4242"
PARAMS = {"features": {"invoice_history": {"enabled": True}}}


def client(url: str, **settings: float) -> PortalClient:
    return PortalClient(Settings(api_key=KEY, api_base=url, max_network_retries=0, **settings))


def held(emu: Emulator) -> list[str]:
    emu.set_rate_limit(None)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    return [c.id for c in sdk.v1.billing_portal.configurations.list(params={"limit": 100})]


def test_emulator_sends_retry_after_with_its_429s(emu: Emulator) -> None:
    emu.set_rate_limit(1, retry_after=True)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    sdk.v1.billing_portal.configurations.list()
    with pytest.raises(stripe.RateLimitError) as caught:
        sdk.v1.billing_portal.configurations.list()
    assert caught.value.headers["Retry-After"] == "1"
    assert emu.rate_limited == 1
    emu.set_rate_limit(1)
    time.sleep(1.05)
    sdk.v1.billing_portal.configurations.list()
    with pytest.raises(stripe.RateLimitError) as caught:
        sdk.v1.billing_portal.configurations.list()
    assert "Retry-After" not in caught.value.headers


def test_retry_after_is_honoured(emu: Emulator) -> None:
    """Told to wait a second, the client waits that long and succeeds on its next try."""
    emu.set_rate_limit(1, retry_after=True)
    portal = client(emu.url)
    portal.create(PARAMS, None)
    started = time.monotonic()
    portal.create(PARAMS, None)
    assert time.monotonic() - started >= 1.0
    assert emu.rate_limited == 1  # one 429, then the retry after Retry-After got through
    assert len(held(emu)) == 2


def test_rate_limits_are_retried_past_max_network_retries(emu: Emulator) -> None:
    """max_network_retries=0, yet a burst at 2 requests/s all lands: 429s have a time budget."""
    emu.set_rate_limit(2)
    portal = client(emu.url)
    ids = [portal.create(PARAMS, None)[0]["id"] for _ in range(6)]
    assert emu.rate_limited > 0
    assert sorted(held(emu)) == sorted(ids)


def test_the_budget_runs_out_with_one_readable_line(emu: Emulator) -> None:
    emu.set_rate_limit(0)  # nothing is ever admitted
    started = time.monotonic()
    with pytest.raises(PortalApiError) as caught:
        client(emu.url, rate_limit_timeout=1.5).create(PARAMS, None)
    elapsed = time.monotonic() - started
    assert 1.5 <= elapsed < 3.0
    message = str(caught.value)
    assert "\n" not in message and KEY not in message
    assert message.startswith("Stripe: Too many requests hit the API too quickly")
    assert "HTTP 429" in message and "stripe:rateLimitTimeout = 1.5 s" in message
    assert caught.value.http_status == 429
    assert emu.rate_limited >= 2
    assert held(emu) == []


def test_a_retry_after_beyond_the_budget_stops_at_once(emu: Emulator) -> None:
    """Retrying before Retry-After would be ignoring it: give up instead of waiting past the
    budget."""
    emu.set_rate_limit(0, retry_after=True)
    started = time.monotonic()
    with pytest.raises(PortalApiError, match="gave up after 1 rate-limited attempt"):
        client(emu.url, rate_limit_timeout=0.5).create(PARAMS, None)
    assert time.monotonic() - started < 0.5
    assert emu.rate_limited == 1


class _Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        self.upstream = urlsplit(upstream).netloc
        self.keys: list[tuple[int, str | None]] = []
        super().__init__(("127.0.0.1", 0), _Forward)


class _Forward(BaseHTTPRequestHandler):
    """Passes each request to the emulator and notes (status, Idempotency-Key)."""

    protocol_version = "HTTP/1.1"
    server: _Recorder

    def do_GET(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        conn = http.client.HTTPConnection(self.server.upstream, timeout=10)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request(self.command, self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        self.server.keys.append((answer.status, self.headers.get("Idempotency-Key")))
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "server", "date"):
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def recorder(emu: Emulator) -> Iterator[_Recorder]:
    server = _Recorder(emu.url)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_one_idempotency_key_across_the_429_retries(emu: Emulator, recorder: _Recorder) -> None:
    emu.set_rate_limit(1)
    portal = client(f"http://127.0.0.1:{recorder.server_address[1]}")
    portal.create(PARAMS, None)  # fills this second's window
    recorder.keys.clear()
    portal.create(PARAMS, None)
    statuses = [status for status, _ in recorder.keys]
    assert statuses[-1] == 200 and 429 in statuses
    assert len({key for _, key in recorder.keys}) == 1
    assert recorder.keys[0][1]


def test_the_budget_comes_from_stack_config_then_the_environment() -> None:
    def settings(config: dict[str, str], env: dict[str, str] | None = None) -> Settings:
        return Settings.from_config(config.get, env or {})

    assert settings({}).rate_limit_timeout == 60.0
    assert settings({"stripe:rateLimitTimeout": "5"}).rate_limit_timeout == 5.0
    assert settings({}, {"STRIPE_RATE_LIMIT_TIMEOUT": "0"}).rate_limit_timeout == 0.0
    for bad in ("soon", "-1", "inf", "nan"):
        with pytest.raises(PortalApiError, match=r"stripe:rateLimitTimeout must be a number"):
            settings({"stripe:rateLimitTimeout": bad})
