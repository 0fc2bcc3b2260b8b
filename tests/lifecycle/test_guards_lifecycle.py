"""The mode guard, the account pin and prices by lookup key, with the provider driven as the
engine drives it (pickled, configured, called) against the emulator over real HTTP.

Every refusal is counted on the emulator's side: the mode guard makes no request at all, the
pin only ``GET /v1/account``, and a lookup-key failure no write.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import stripe

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle.prices import RESOLVED_KEY
from pulumi_stripe_portal.lifecycle.state import DECLARED_KEY, declaration_of
from pulumi_stripe_portal.stripe_api.client import PortalApiError

from support.driver import KEY, PROVIDER_KEY, Driver
from support.keys import live_key
from support.samples import with_plans as portal

LIVE_KEY = live_key("lifecycle123456")
PRODUCTS = "features.subscription_update.products"


@pytest.fixture(autouse=True)
def _no_guard_settings_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("STRIPE_MODE", "STRIPE_ACCOUNT_ID", "STRIPE_API_KEY", "STRIPE_ACCOUNT"):
        monkeypatch.delenv(var, raising=False)


def routes(emu: Emulator) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in emu.requests]


def listed_keys(emu: Emulator) -> list[list[str]]:
    """The lookup keys of each ``GET /v1/prices`` (the SDK sends ``lookup_keys[0]=...``)."""
    out = []
    for r in emu.requests:
        if r.path == "/v1/prices":
            keys = r.params["lookup_keys"]
            out.append(sorted(keys.values() if isinstance(keys, dict) else keys))
    return out


def config(emu: Emulator, key: str = KEY, **extra: str) -> dict[str, str]:
    return {"stripe:apiKey": key, "stripe:apiBase": emu.url, **extra}


def account_of(emu: Emulator, key: str = KEY, connected: str | None = None) -> str:
    options = {"stripe_account": connected} if connected else {}
    client = stripe.StripeClient(key, base_addresses={"api": emu.url}, max_network_retries=0)
    return client.v1.accounts.retrieve_current(options=options).id


class Catalogue:
    """Products and prices created through Stripe's API, as a user's account would hold."""

    def __init__(self, emu: Emulator, key: str = KEY) -> None:
        self.sdk = stripe.StripeClient(key, base_addresses={"api": emu.url}, max_network_retries=0)

    def product(self, pid: str) -> str:
        self.sdk.v1.products.create(params={"id": pid, "name": pid})
        return pid

    def price(self, product: str, key: str, interval: str | None = "month", **extra: Any) -> str:
        params: dict[str, Any] = {
            "product": product,
            "currency": "usd",
            "unit_amount": 1000,
            "lookup_key": key,
            **extra,
        }
        if interval:
            params["recurring"] = {"interval": interval}
        return self.sdk.v1.prices.create(params=params).id

    def deactivate(self, price_id: str) -> None:
        self.sdk.v1.prices.update(price_id, params={"active": False})


@pytest.fixture
def catalogue(emu: Emulator) -> dict[str, str]:
    """prod_basic (monthly, yearly), prod_pro (monthly); lookup key → price id."""
    c = Catalogue(emu)
    c.product("prod_basic")
    c.product("prod_pro")
    ids = {
        "basic_monthly": c.price("prod_basic", "basic_monthly"),
        "basic_yearly": c.price("prod_basic", "basic_yearly", "year"),
        "pro_monthly": c.price("prod_pro", "pro_monthly"),
    }
    emu.server.clear_counters()
    return ids


# the mode guard ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "mode", "message"),
    [
        (LIVE_KEY, None, "the API key sk_live_**** is a live-mode key and stripe:mode is not set"),
        (LIVE_KEY, "test", "stripe:mode is 'test' but the API key sk_live_**** is a live-mode"),
        (KEY, "live", "stripe:mode is 'live' but the API key sk_test_**** is a test-mode key"),
    ],
)
def test_mode_refusal_comes_before_any_request(emu: Emulator, key, mode, message) -> None:
    extra = {"stripe:mode": mode} if mode else {}
    with pytest.raises(PortalApiError) as caught:
        Driver(config(emu, key, **extra))
    assert message in str(caught.value)
    assert "lifecycle123456" not in str(caught.value)
    assert emu.request_count == 0


def test_environment_mode_is_checked_too(emu: Emulator, monkeypatch) -> None:
    """refresh and destroy configure from the last up's config: STRIPE_MODE still counts."""
    monkeypatch.setenv("STRIPE_MODE", "live")
    with pytest.raises(PortalApiError, match="STRIPE_MODE is 'live' but the API key sk_test_"):
        Driver(config(emu))
    assert emu.request_count == 0


def test_live_mode_opt_in_and_test_keys_without_mode(emu: Emulator) -> None:
    live = Driver(config(emu, LIVE_KEY, **{"stripe:mode": "live"}))
    _, outs = live.create(portal({"product": "prod_a", "prices": ["price_a"]}))
    assert outs["livemode"] is True
    test = Driver(config(emu))  # no stripe:mode: test keys work as before
    _, outs = test.create(portal({"product": "prod_a", "prices": ["price_a"]}))
    assert outs["livemode"] is False
    assert routes(emu).count(("GET", "/v1/account")) == 0  # no pin, no account call


# the account pin ---------------------------------------------------------------------------


def test_pin_asks_once_then_writes(emu: Emulator) -> None:
    mine = account_of(emu)
    emu.server.clear_counters()
    driver = Driver(config(emu, **{"stripe:accountId": mine}))
    config_id, state = driver.create(portal({"product": "prod_a", "prices": ["price_a"]}))
    changed, state = driver.up(
        config_id, state, portal({"product": "prod_a", "prices": ["price_b"]})
    )
    assert changed
    driver.provider.delete(config_id, state)
    assert routes(emu)[0] == ("GET", "/v1/account")
    assert routes(emu).count(("GET", "/v1/account")) == 1  # once per process


def test_pin_mismatch_refuses_every_write_with_only_the_account_call(emu: Emulator) -> None:
    other = account_of(emu)
    emu.server.clear_counters()
    driver = Driver(config(emu, **{"stripe:accountId": "acct_theRightOne"}))
    declaration = portal({"product": "prod_a", "prices": ["price_a"]})
    inputs = Driver({"stripe:apiBase": emu.url}).check(declaration)  # a keyless preview
    expected = (
        f"refused: stripe:accountId is acct_theRightOne but the API key sk_test_**** belongs "
        f"to account {other}; nothing was changed"
    )
    with pytest.raises(PortalApiError) as caught:
        driver.provider.create(inputs)
    assert str(caught.value) == expected
    state = {DECLARED_KEY: declaration, **declaration}
    for call in (
        lambda: driver.provider.update("bpc_x", state, declaration),
        lambda: driver.provider.delete("bpc_x", state),
        lambda: driver.provider.read("bpc_x", state),
        lambda: driver.provider.operations.client.ensure_account(),  # what adoption calls first
    ):
        with pytest.raises(PortalApiError, match="acct_theRightOne"):
            call()
    assert routes(emu) == [("GET", "/v1/account")]


@pytest.mark.parametrize("in_state", [False, True], ids=["new", "unchanged"])
def test_pin_mismatch_fails_preview_when_a_key_is_configured(emu: Emulator, in_state) -> None:
    driver = Driver(config(emu, **{"stripe:accountId": "acct_theRightOne"}))
    declaration = {**portal({"product": "p", "prices": ["x"]}), PROVIDER_KEY: "p"}
    # A declaration the state already holds is checked against the pin all the same.
    olds = copy.deepcopy(declaration) if in_state else {}
    with pytest.raises(PortalApiError, match="belongs to account acct_"):
        driver.provider.check(olds, declaration)
    assert routes(emu) == [("GET", "/v1/account")]


def test_pin_with_connect_is_the_platform_account(emu: Emulator) -> None:
    platform = account_of(emu)
    assert account_of(emu, connected="acct_connected1") == "acct_connected1"
    emu.server.clear_counters()
    driver = Driver(config(emu, **{"stripe:accountId": platform}))
    _, outs = driver.create(
        portal({"product": "prod_a", "prices": ["price_a"]}, stripe_account="acct_connected1")
    )
    assert outs["stripe_account"] == "acct_connected1"
    refused = Driver(config(emu, **{"stripe:accountId": "acct_connected1"}))
    with pytest.raises(PortalApiError, match="stripe:accountId is acct_connected1"):
        refused.create(
            portal({"product": "prod_a", "prices": ["price_a"]}, stripe_account="acct_connected1")
        )


# prices by lookup key ----------------------------------------------------------------------


def held_products(emu: Emulator, config_id: str) -> list[dict[str, Any]]:
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    obj = sdk.v1.billing_portal.configurations.retrieve(
        config_id, params={"expand": ["features.subscription_update.products"]}
    ).to_dict(recursive=True)
    return obj["features"]["subscription_update"]["products"]


def test_lookup_keys_resolve_to_price_ids(emu: Emulator, catalogue: dict[str, str]) -> None:
    declaration = portal(
        {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
        {"product": "prod_pro", "lookup_keys": ["pro_monthly"]},
    )
    driver = Driver(config(emu))
    config_id, outs = driver.create(declaration)
    assert routes(emu) == [("GET", "/v1/prices"), ("POST", "/v1/billing_portal/configurations")]
    assert listed_keys(emu) == [["basic_monthly", "basic_yearly", "pro_monthly"]]
    assert "lookup_keys" not in repr(emu.requests[1].params)  # Stripe sees price ids only
    assert sorted(held_products(emu, config_id)[0]["prices"]) == sorted(
        [catalogue["basic_monthly"], catalogue["basic_yearly"]]
    )
    # Outputs are the declared view: the keys, with the ids they name beside them.
    assert outs["features"]["subscription_update"]["products"][1] == {
        "product": "prod_pro",
        "lookup_keys": ["pro_monthly"],
    }
    assert outs[RESOLVED_KEY] == catalogue
    view = declaration_of(outs)
    assert view["features"]["subscription_update"]["products"][1] == {
        "product": "prod_pro",
        "lookup_keys": ["pro_monthly"],
    }
    assert view[RESOLVED_KEY] == catalogue
    # No diff, and a refresh changes nothing, hidden inputs included.
    checked = driver.check(declaration)
    assert driver.provider.diff(config_id, outs, checked).changes is False
    result = driver.read(config_id, outs)
    assert result.inputs is None  # no new inputs: the engine keeps its own, which are these
    assert declaration_of(result.outs) == checked
    assert driver.provider.diff(config_id, result.outs, checked).changes is False
    assert routes(emu).count(("GET", "/v1/prices")) == 1  # the check above used the cache


def test_fewest_list_calls_for_many_keys(emu: Emulator) -> None:
    c = Catalogue(emu)
    keys = []
    for i in range(12):
        product = c.product(f"prod_{i:02}")
        keys.append(f"plan_{i:02}")
        c.price(product, keys[-1])
    emu.server.clear_counters()
    driver = Driver(config(emu))
    first = portal(*({"product": f"prod_{i:02}", "lookup_keys": [keys[i]]} for i in range(10)))
    second = portal(*({"product": f"prod_{i:02}", "lookup_keys": [keys[i]]} for i in range(2, 12)))
    driver.create(first)
    driver.create(second)  # keys 2..9 known already: one call, for keys 10 and 11
    assert listed_keys(emu) == [sorted(keys[:10]), keys[10:]]


def test_transferred_lookup_key_is_a_change_and_up_moves_it(
    emu: Emulator, catalogue: dict[str, str]
) -> None:
    declaration = portal({"product": "prod_pro", "lookup_keys": ["pro_monthly"]})
    first = Driver(config(emu))
    inputs = first.check(declaration)  # what the engine records as the inputs
    config_id, state = first.create(declaration)
    new_price = Catalogue(emu).price("prod_pro", "pro_monthly", transfer_lookup_key=True)
    # The next run is a new provider process: it resolves again and sees the move, though
    # the program declares what the state's inputs hold (they carry the resolved ids too).
    driver = Driver(config(emu))
    checked = driver.check(declaration, olds={**inputs, PROVIDER_KEY: "p"})
    assert checked[RESOLVED_KEY] == {"pro_monthly": new_price}
    assert driver.provider.diff(config_id, state, checked).changes is True
    changed, state = driver.up(config_id, state, declaration)
    assert changed
    assert held_products(emu, config_id)[0]["prices"] == [new_price]
    assert state[RESOLVED_KEY]["pro_monthly"] == new_price
    assert declaration_of(state)[RESOLVED_KEY] == {"pro_monthly": new_price}
    assert driver.provider.diff(config_id, state, driver.check(declaration)).changes is False
    refreshed = driver.read(config_id, state)
    assert refreshed.inputs is None  # no new inputs: the engine keeps its own
    assert declaration_of(refreshed.outs) == driver.check(declaration)


def failures_of(driver: Driver, declaration: dict[str, Any]) -> list[tuple[str, str]]:
    result = driver.provider.check({}, {**copy.deepcopy(declaration), PROVIDER_KEY: "p"})
    return [(f.property, f.reason) for f in result.failures]


def test_every_lookup_key_failure_at_check_with_its_path(emu: Emulator, catalogue) -> None:
    c = Catalogue(emu)
    old = c.price("prod_basic", "basic_weekly_old", "week")
    c.deactivate(old)
    fee = c.price("prod_basic", "setup_fee", None)
    pro_monthly_v2 = c.price("prod_pro", "pro_monthly_v2")
    emu.server.clear_counters()
    driver = Driver(config(emu))
    failures = failures_of(
        driver,
        portal(
            {
                "product": "prod_basic",
                "lookup_keys": ["basic_monthly", "pro_yearly", "basic_weekly_old", "setup_fee"],
            },
            {
                "product": "prod_pro",
                "lookup_keys": ["pro_monthly", "pro_monthly_v2", "basic_yearly"],
            },
        ),
    )
    assert failures == [
        (f"{PRODUCTS}[0].lookup_keys[1]", "no active price has lookup key 'pro_yearly'"),
        (
            f"{PRODUCTS}[0].lookup_keys[2]",
            f"lookup key 'basic_weekly_old' names price {old}, which is inactive",
        ),
        (
            f"{PRODUCTS}[0].lookup_keys[3]",
            f"lookup key 'setup_fee' names price {fee}, which is not recurring: the portal "
            "offers recurring prices",
        ),
        (
            f"{PRODUCTS}[1].lookup_keys[1]",
            f"lookup key 'pro_monthly_v2' names price {pro_monthly_v2}, which has the same "
            f"recurring interval (month) as price {catalogue['pro_monthly']}: Stripe allows one "
            "price per interval for each product",
        ),
        (
            f"{PRODUCTS}[1].lookup_keys[2]",
            f"lookup key 'basic_yearly' names price {catalogue['basic_yearly']} of product "
            "prod_basic, not of prod_pro",
        ),
    ]
    assert routes(emu) == [("GET", "/v1/prices")]  # seven keys, one read, no write


def test_without_a_key_check_waits_and_up_refuses_before_any_write(
    emu: Emulator, catalogue, monkeypatch
) -> None:
    declaration = portal({"product": "prod_basic", "lookup_keys": ["pro_yearly"]})
    keyless = Driver({"stripe:apiBase": emu.url})  # preview of a new stack with no key
    inputs = keyless.check(declaration)
    assert RESOLVED_KEY not in inputs and emu.request_count == 0
    with pytest.raises(PortalApiError, match=r"lookup_keys\[0\]: no active price has lookup key"):
        Driver(config(emu)).provider.create(inputs)
    assert routes(emu) == [("GET", "/v1/prices")]


def test_lookup_keys_resolve_in_the_connected_account(emu: Emulator) -> None:
    connected = Catalogue(emu)
    connected.sdk = stripe.StripeClient(
        KEY,
        base_addresses={"api": emu.url},
        max_network_retries=0,
        stripe_account="acct_connected1",
    )
    connected.product("prod_c")
    price = connected.price("prod_c", "c_monthly")
    Catalogue(emu).product("prod_c")
    Catalogue(emu).price("prod_c", "c_monthly")  # the platform's own c_monthly: not this one
    driver = Driver(config(emu))
    _, outs = driver.create(
        portal(
            {"product": "prod_c", "lookup_keys": ["c_monthly"]}, stripe_account="acct_connected1"
        )
    )
    assert outs[RESOLVED_KEY] == {"c_monthly": price}
