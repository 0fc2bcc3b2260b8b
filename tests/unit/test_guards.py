"""The mode guard and the account pin (guards.py): pure checks, and the once-per-process ask."""

from __future__ import annotations

import threading
import time

import pytest

from pulumi_stripe_portal.stripe_api.client import PortalApiError, PortalClient, Settings
from pulumi_stripe_portal.stripe_api.guards import AccountPin, key_mode, mask, mode_refusal

from support.keys import live_key

LIVE = live_key("51SecretPartThatMustNeverShow")
TEST = "sk_test_51SecretPartThatMustNeverShow"
RK_LIVE = live_key("51SecretPartThatMustNeverShow", prefix="rk")


def settings(key: str | None, mode: str | None = None, account_id: str | None = None):
    return Settings(api_key=key, mode=mode, account_id=account_id)


@pytest.mark.parametrize(
    ("key", "mode"),
    [
        (TEST, "test"),
        (LIVE, "live"),
        (RK_LIVE, "live"),
        ("rk_test_abc", "test"),
        ("sk_abc", None),
        (None, None),
        ("pk_live_abc", None),
    ],
)
def test_key_mode_reads_the_prefix(key: str | None, mode: str | None) -> None:
    assert key_mode(key) == mode


def test_mask_keeps_only_the_prefix() -> None:
    assert mask(LIVE) == "sk_live_****"
    assert mask(RK_LIVE) == "rk_live_****"
    assert "Secret" not in mask("weird_SecretPart")


@pytest.mark.parametrize(
    ("key", "mode", "env", "expected"),
    [
        # Test keys without stripe:mode keep working, as before.
        (TEST, None, {}, None),
        ("rk_test_abc", None, {}, None),
        (TEST, "test", {}, None),
        (LIVE, "live", {}, None),
        (None, "live", {}, None),  # preview of a new stack with no key: nothing to refuse
        (
            LIVE,
            None,
            {},
            "refused: the API key sk_live_**** is a live-mode key and stripe:mode is not set; "
            "live writes need an explicit opt-in: pulumi config set stripe:mode live",
        ),
        (
            LIVE,
            "test",
            {},
            "refused: stripe:mode is 'test' but the API key sk_live_**** is a live-mode key; "
            "use a test-mode key for this stack",
        ),
        (
            TEST,
            "live",
            {},
            "refused: stripe:mode is 'live' but the API key sk_test_**** is a test-mode key; "
            "use a live-mode key for this stack",
        ),
        # refresh/destroy configure from the last up's config: the environment still counts.
        (
            TEST,
            None,
            {"STRIPE_MODE": "live"},
            "refused: STRIPE_MODE is 'live' but the API key sk_test_**** is a test-mode key; "
            "use a live-mode key for this stack",
        ),
        (LIVE, "live", {"STRIPE_MODE": "live"}, None),
        (TEST, "prod", {}, "stripe:mode must be test or live, got 'prod'"),
        (TEST, None, {"STRIPE_MODE": "Live"}, "STRIPE_MODE must be test or live, got 'Live'"),
    ],
)
def test_mode_refusals(key, mode, env, expected) -> None:
    assert mode_refusal(settings(key, mode), env) == expected


def test_refusals_never_show_the_key() -> None:
    for key in (LIVE, RK_LIVE, TEST):
        for mode in ("test", "live", None):
            line = mode_refusal(settings(key, mode), {}) or ""
            assert "Secret" not in line and "\n" not in line


def test_settings_read_mode_and_account_from_config_then_environment() -> None:
    config = {"stripe:mode": "live", "stripe:accountId": "acct_123"}
    s = Settings.from_config(config.get, env={"STRIPE_MODE": "test"})
    assert (s.mode, s.account_id) == ("live", "acct_123")
    s = Settings.from_config(
        lambda _k: None, env={"STRIPE_MODE": "test", "STRIPE_ACCOUNT_ID": "acct_9"}
    )
    assert (s.mode, s.account_id) == ("test", "acct_9")
    assert Settings.from_config(lambda _k: None, env={}).mode is None


def test_client_refuses_a_live_key_before_it_exists(monkeypatch) -> None:
    monkeypatch.delenv("STRIPE_MODE", raising=False)
    # Port 9 (discard) on loopback: any request would fail loudly, none is made.
    with pytest.raises(PortalApiError, match=r"^refused: the API key sk_live_\*\*\*\* is a live"):
        PortalClient(Settings(api_key=LIVE, api_base="http://127.0.0.1:9"))


class Fetch:
    """A stand-in for ``GET /v1/account`` that counts its calls (slowly, to race threads)."""

    def __init__(self, answer: str, fail_first: bool = False) -> None:
        self.answer, self.calls, self.fail_first = answer, 0, fail_first

    def __call__(self) -> str:
        self.calls += 1
        time.sleep(0.02)
        if self.fail_first and self.calls == 1:
            raise PortalApiError("Stripe: connection refused")
        return self.answer


def test_pin_asks_once_for_all_threads() -> None:
    fetch = Fetch("acct_right")
    pin = AccountPin("acct_right", fetch, TEST)
    results: list[str | None] = []
    threads = [threading.Thread(target=lambda: results.append(pin.refusal())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [None] * 8
    assert fetch.calls == 1


def test_pin_refusal_names_both_ids_and_masks_the_key() -> None:
    pin = AccountPin("acct_expected", Fetch("acct_other"), LIVE)
    line = pin.refusal()
    assert line == (
        "refused: stripe:accountId is acct_expected but the API key sk_live_**** belongs to "
        "account acct_other; nothing was changed"
    )
    assert pin.refusal() == line


def test_no_pin_never_asks() -> None:
    fetch = Fetch("acct_any")
    assert AccountPin(None, fetch, TEST).refusal() is None
    assert fetch.calls == 0


def test_a_failed_ask_is_asked_again() -> None:
    fetch = Fetch("acct_right", fail_first=True)
    pin = AccountPin("acct_right", fetch, TEST)
    with pytest.raises(PortalApiError):
        pin.refusal()
    assert pin.refusal() is None
    assert fetch.calls == 2
