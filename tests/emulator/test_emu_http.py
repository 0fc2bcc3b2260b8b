"""The HTTP layer: auth, unknown URLs and ids, headers, keep-alive, idempotency, Connect."""

from __future__ import annotations

import base64
import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
import stripe
from emu_support import BASE, FULL_FEATURES, Raw, error_of, make_client

from pulumi_stripe_portal.emulator import Emulator

CREATE = [
    ("features[invoice_history][enabled]", "true"),
    ("name", "a"),
]


def test_missing_key_is_401(raw: Raw) -> None:
    ans = raw("GET", BASE, key=None)
    assert ans.status == 401
    assert ans.error["type"] == "invalid_request_error"
    assert ans.error["message"].startswith("You did not provide an API key.")
    assert ans.headers["Request-Id"].startswith("req_")


@pytest.mark.parametrize(
    "key", ["sk_test_abc-def-1234wxyz", "pk_test_1234567890abcd", "nonsense_key_9876"]
)
def test_malformed_key_is_401_and_masked(raw: Raw, key: str) -> None:
    ans = raw("GET", BASE, key=key)
    assert ans.status == 401
    assert ans.error["type"] == "invalid_request_error"
    assert ans.error["message"].startswith("Invalid API Key provided: ")
    assert "****" in ans.error["message"]
    assert key not in json.dumps(ans.body)


def test_malformed_key_through_the_sdk(emu: Emulator) -> None:
    with pytest.raises(stripe.AuthenticationError) as exc:
        make_client(emu, "sk_test_1234567890abcd!").v1.billing_portal.configurations.list()
    assert error_of(exc)["message"] == "Invalid API Key provided: sk_test_****bcd!"
    assert "sk_test_1234567890abcd" not in str(exc.value)


def test_basic_auth_is_accepted(raw: Raw) -> None:
    token = base64.b64encode(b"rk_live_abc:").decode()
    ans = raw("GET", BASE, key=None, headers={"Authorization": f"Basic {token}"})
    assert ans.status == 200 and ans.body["object"] == "list"


def test_api_key_allowlist() -> None:
    with Emulator(api_keys=["sk_test_good"]) as emu:
        assert make_client(emu, "sk_test_good").v1.billing_portal.configurations.list().data == []
        with pytest.raises(stripe.AuthenticationError):
            make_client(emu, "sk_test_other").v1.billing_portal.configurations.list()


def test_unknown_id_is_404_resource_missing(configs: Any) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.retrieve("bpc_x")
    err = error_of(exc)
    assert exc.value.http_status == 404
    assert (err["type"], err["code"], err["param"]) == (
        "invalid_request_error",
        "resource_missing",
        "id",
    )
    assert err["message"] == "No such billing portal configuration: 'bpc_x'"
    assert err["doc_url"] == "https://stripe.com/docs/error-codes/resource-missing"
    assert exc.value.request_id and exc.value.request_id.startswith("req_")
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update("bpc_x", params={"name": "x"})
    assert exc.value.http_status == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [("DELETE", f"{BASE}/bpc_x"), ("DELETE", BASE), ("GET", "/v1/nope"), ("PUT", f"{BASE}/bpc_x")],
)
def test_unrecognized_url_like_stripe(raw: Raw, method: str, path: str) -> None:
    ans = raw(method, path)
    assert ans.status == 404
    assert ans.error == {
        "type": "invalid_request_error",
        "message": f"Unrecognized request URL ({method}: {path}). Please see "
        "https://stripe.com/docs or we can help at https://support.stripe.com/.",
        "request_log_url": ans.error["request_log_url"],
    }
    assert ans.headers["Request-Id"].startswith("req_")


def test_every_answer_has_request_id_json_and_length(raw: Raw) -> None:
    for ans in (raw("GET", BASE), raw("POST", BASE, [("bogus", "1")]), raw("GET", f"{BASE}/bpc_x")):
        assert ans.headers["Request-Id"].startswith("req_")
        assert ans.headers["Content-Type"] == "application/json"
        assert int(ans.headers["Content-Length"]) > 0


def test_keep_alive_serves_many_requests_on_one_connection(emu: Emulator) -> None:
    parts = urlsplit(emu.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        for _ in range(5):
            conn.request("GET", BASE, headers={"Authorization": "Bearer sk_test_1"})
            resp = conn.getresponse()
            assert resp.status == 200 and json.loads(resp.read())["object"] == "list"
            assert resp.getheader("Connection") != "close"
    finally:
        conn.close()


def test_idempotent_replay_returns_the_first_answer(raw: Raw, configs: Any) -> None:
    first = raw("POST", BASE, CREATE, headers={"Idempotency-Key": "k1"})
    again = raw("POST", BASE, list(reversed(CREATE)), headers={"Idempotency-Key": "k1"})
    assert (first.status, again.status) == (200, 200)
    assert again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Original-Request"] == first.headers["Request-Id"]
    assert "Idempotent-Replayed" not in first.headers
    assert len(configs.list().data) == 1


def test_idempotency_key_with_other_params_or_endpoint_is_refused(raw: Raw) -> None:
    first = raw("POST", BASE, CREATE, headers={"Idempotency-Key": "k2"})
    other = raw("POST", BASE, [*CREATE, ("name", "b")], headers={"Idempotency-Key": "k2"})
    assert other.status == 400 and other.error["type"] == "idempotency_error"
    assert other.error["message"].startswith(
        "Keys for idempotent requests can only be used with the same parameters they were first"
    )
    path = f"{BASE}/{first.body['id']}"
    elsewhere = raw("POST", path, CREATE, headers={"Idempotency-Key": "k2"})
    assert elsewhere.status == 400 and elsewhere.error["type"] == "idempotency_error"


def test_failed_requests_do_not_consume_the_key(raw: Raw) -> None:
    bad = raw(
        "POST",
        BASE,
        [("features[invoice_history][enabled]", "maybe")],
        headers={"Idempotency-Key": "k3"},
    )
    assert bad.status == 400
    good = raw("POST", BASE, CREATE, headers={"Idempotency-Key": "k3"})
    assert good.status == 200 and "Idempotent-Replayed" not in good.headers


def test_idempotency_keys_are_scoped_per_account(raw: Raw) -> None:
    a = raw("POST", BASE, CREATE, headers={"Idempotency-Key": "k4"})
    b = raw("POST", BASE, CREATE, headers={"Idempotency-Key": "k4", "Stripe-Account": "acct_2"})
    assert a.status == b.status == 200 and a.body["id"] != b.body["id"]


def test_sdk_sends_keys_and_replays_on_same_key(configs: Any) -> None:
    opts = {"idempotency_key": "sdk-1"}
    a = configs.create(params={"features": FULL_FEATURES}, options=opts)
    b = configs.create(params={"features": FULL_FEATURES}, options=opts)
    assert a.id == b.id
    assert b.last_response.headers["Idempotent-Replayed"] == "true"
    with pytest.raises(stripe.IdempotencyError):
        configs.create(params={"features": FULL_FEATURES, "name": "other"}, options=opts)


def test_connect_accounts_are_isolated(emu: Emulator) -> None:
    acct1 = make_client(emu, stripe_account="acct_1").v1.billing_portal.configurations
    acct2 = make_client(emu, stripe_account="acct_2").v1.billing_portal.configurations
    platform = make_client(emu).v1.billing_portal.configurations
    cfg = acct1.create(params={"features": FULL_FEATURES})
    assert acct1.retrieve(cfg.id).id == cfg.id
    for other in (acct2, platform):
        with pytest.raises(stripe.InvalidRequestError) as exc:
            other.retrieve(cfg.id)
        assert exc.value.http_status == 404
        with pytest.raises(stripe.InvalidRequestError):
            other.update(cfg.id, params={"name": "stolen"})
        assert other.list().data == []


def test_malformed_stripe_account_is_refused(raw: Raw) -> None:
    ans = raw("GET", BASE, headers={"Stripe-Account": "bogus"})
    assert ans.status == 403 and ans.error["type"] == "invalid_request_error"
