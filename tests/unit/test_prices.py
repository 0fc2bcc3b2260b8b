"""Prices by lookup key (prices.py): the pure parts, and how few list calls a run makes."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_stripe_portal.lifecycle import prices
from pulumi_stripe_portal.lifecycle.params import create_params, exact_params
from pulumi_stripe_portal.lifecycle.prices import RESOLVED_KEY
from pulumi_stripe_portal.lifecycle.state import declared_view
from pulumi_stripe_portal.lifecycle.validation import check_declaration
from pulumi_stripe_portal.stripe_api.client import PortalApiError

from support.samples import stripe_holding
from support.samples import with_plans as declaration

PATH = "features.subscription_update.products"


def price(pid: str, product: str, key: str, interval: str | None = "month", **extra: Any):
    recurring = {"interval": interval, "interval_count": 1} if interval else None
    return {
        "id": pid,
        "object": "price",
        "product": product,
        "lookup_key": key,
        "active": True,
        "recurring": recurring,
        **extra,
    }


CATALOGUE = {
    "basic_monthly": price("price_bm", "prod_basic", "basic_monthly"),
    "basic_yearly": price("price_by", "prod_basic", "basic_yearly", "year"),
    "pro_monthly": price("price_pm", "prod_pro", "pro_monthly"),
    "pro_monthly_v2": price("price_pm2", "prod_pro", "pro_monthly_v2"),
    "old_plan": price("price_old", "prod_basic", "old_plan", "week", active=False),
    "setup_fee": price("price_fee", "prod_basic", "setup_fee", None),
}


class Source:
    """Answers list calls from a catalogue and records each call's keys and account."""

    def __init__(self, catalogue: dict[str, dict[str, Any]] | None = None) -> None:
        self.catalogue = catalogue if catalogue is not None else CATALOGUE
        self.calls: list[tuple[list[str], str | None]] = []

    def list_prices(self, lookup_keys: list[str], account: str | None) -> list[dict[str, Any]]:
        assert len(lookup_keys) <= prices.MAX_KEYS_PER_CALL
        self.calls.append((list(lookup_keys), account))
        time.sleep(0.01)
        return [copy.deepcopy(self.catalogue[k]) for k in lookup_keys if k in self.catalogue]


def test_models_accept_lookup_keys_beside_or_instead_of_prices() -> None:
    for product in (
        {"product": "prod_basic", "lookup_keys": ["basic_monthly"]},
        {"product": "prod_basic", "prices": ["price_x"], "lookup_keys": ["basic_monthly"]},
        {"product": "prod_basic", "prices": ["price_x"]},
    ):
        _, failures = check_declaration(declaration(product))
        assert failures == []


def test_a_product_needs_prices_or_lookup_keys() -> None:
    _, failures = check_declaration(declaration({"product": "prod_basic"}))
    assert failures == [(f"{PATH}[0].prices", "required: declare prices, lookup_keys or both")]
    _, failures = check_declaration(declaration({"product": "prod_basic", "lookup_keys": [1]}))
    assert failures == [(f"{PATH}[0].lookup_keys[0]", "input should be a valid string")]


def test_lookup_keys_in_order_without_repeats() -> None:
    decl = declaration(
        {"product": "prod_pro", "lookup_keys": ["b", "a"]},
        {"product": "prod_basic", "lookup_keys": ["a", "c"]},
    )
    assert prices.lookup_keys(decl) == ["b", "a", "c"]
    assert prices.lookup_keys(declaration({"product": "p", "prices": ["x"]})) == []


def test_batches_hold_at_most_ten_keys() -> None:
    keys = [f"k{i}" for i in range(23)]
    assert [len(b) for b in prices.batches(keys)] == [10, 10, 3]
    assert sum(prices.batches(keys), []) == keys
    assert prices.batches([]) == []


@pytest.mark.parametrize(
    ("product", "failure"),
    [
        (
            {"product": "prod_basic", "lookup_keys": ["basic_monthly", "pro_yearly"]},
            (f"{PATH}[0].lookup_keys[1]", "no active price has lookup key 'pro_yearly'"),
        ),
        (
            {"product": "prod_basic", "lookup_keys": ["old_plan"]},
            (
                f"{PATH}[0].lookup_keys[0]",
                "lookup key 'old_plan' names price price_old, which is inactive",
            ),
        ),
        (
            {"product": "prod_basic", "lookup_keys": ["pro_monthly"]},
            (
                f"{PATH}[0].lookup_keys[0]",
                "lookup key 'pro_monthly' names price price_pm of product prod_pro, "
                "not of prod_basic",
            ),
        ),
        (
            {"product": "prod_basic", "lookup_keys": ["setup_fee"]},
            (
                f"{PATH}[0].lookup_keys[0]",
                "lookup key 'setup_fee' names price price_fee, which is not recurring: "
                "the portal offers recurring prices",
            ),
        ),
        (
            {"product": "prod_pro", "lookup_keys": ["pro_monthly", "pro_monthly_v2"]},
            (
                f"{PATH}[0].lookup_keys[1]",
                "lookup key 'pro_monthly_v2' names price price_pm2, which has the same "
                "recurring interval (month) as price price_pm: Stripe allows one price per "
                "interval for each product",
            ),
        ),
    ],
)
def test_each_check_failure_has_its_path(product: dict[str, Any], failure) -> None:
    decl = declaration({"product": "prod_pro", "lookup_keys": ["pro_monthly"]}, product)
    failure = (failure[0].replace("[0]", "[1]", 1), failure[1])
    source = Source()
    out, failures = prices.resolve(decl, source, None)
    assert failures == [failure]
    assert RESOLVED_KEY not in out  # nothing half-resolved reaches create/update


def test_expanded_product_and_interval_counts() -> None:
    quarterly = price("price_q", {"id": "prod_pro", "object": "product"}, "pro_q")
    quarterly["recurring"]["interval_count"] = 3
    found = {"pro_monthly": CATALOGUE["pro_monthly"], "pro_q": quarterly}
    decl = declaration({"product": "prod_pro", "lookup_keys": ["pro_monthly", "pro_q"]})
    assert prices.validate(decl, found) == []  # every month and every 3 months differ


def test_resolve_records_the_ids_beside_the_keys() -> None:
    decl = declaration(
        {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
        {"product": "prod_pro", "prices": ["price_legacy"], "lookup_keys": ["pro_monthly"]},
    )
    source = Source()
    out, failures = prices.resolve(decl, source, "acct_1")
    assert failures == []
    assert out[RESOLVED_KEY] == {
        "basic_monthly": "price_bm",
        "basic_yearly": "price_by",
        "pro_monthly": "price_pm",
    }
    assert source.calls == [(["basic_monthly", "basic_yearly", "pro_monthly"], "acct_1")]
    # The declaration itself keeps its keys.
    assert out["features"] == decl["features"]


def test_resolution_asks_as_few_times_as_the_keys_allow() -> None:
    catalogue = {f"k{i:02}": price(f"price_{i}", f"prod_{i}", f"k{i:02}") for i in range(25)}
    source = Source(catalogue)
    decl = declaration(*({"product": f"prod_{i}", "lookup_keys": [f"k{i:02}"]} for i in range(25)))
    _, failures = prices.resolve(decl, source, None)
    assert failures == []
    assert [len(keys) for keys, _ in source.calls] == [10, 10, 5]
    # Another declaration with known keys, in the same process: no call at all.
    again = declaration({"product": "prod_3", "lookup_keys": ["k03"]})
    prices.resolve(again, source, None)
    assert len(source.calls) == 3
    # An unknown key is remembered too; another account is asked separately.
    prices.resolve(declaration({"product": "prod_3", "lookup_keys": ["nope"]}), source, None)
    prices.resolve(declaration({"product": "prod_3", "lookup_keys": ["nope"]}), source, None)
    prices.resolve(again, source, "acct_2")
    assert source.calls[3:] == [(["nope"], None), (["k03"], "acct_2")]


def test_parallel_checks_ask_once() -> None:
    source = Source()
    decl = declaration({"product": "prod_basic", "lookup_keys": ["basic_monthly"]})
    threads = [threading.Thread(target=prices.resolve, args=(decl, source, None)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(source.calls) == 1


def test_unknown_values_wait_for_up() -> None:
    source = Source()
    decl = declaration({"product": "prod_basic", "lookup_keys": [Unknown()]})
    assert prices.resolve(decl, source, None) == (decl, [])
    decl = declaration({"product": "prod_basic", "lookup_keys": ["basic_monthly"]})
    assert prices.resolve(decl, source, Unknown()) == (decl, [])
    assert source.calls == []


def test_ready_resolves_only_what_check_could_not() -> None:
    source = Source()
    decl = declaration({"product": "prod_basic", "lookup_keys": ["basic_monthly"]})
    resolved, _ = prices.resolve(decl, source, None)
    assert prices.ready(resolved, Source, None) is resolved  # check already did it
    fresh = Source()
    assert prices.ready(decl, lambda: fresh, None)[RESOLVED_KEY] == {"basic_monthly": "price_bm"}
    assert len(fresh.calls) == 1
    bad = declaration({"product": "prod_basic", "lookup_keys": ["pro_yearly"]})
    with pytest.raises(PortalApiError, match=r"lookup_keys\[0\]: no active price has lookup"):
        prices.ready(bad, Source, None)


def resolved_declaration() -> dict[str, Any]:
    decl = declaration(
        {"product": "prod_basic", "lookup_keys": ["basic_monthly", "basic_yearly"]},
        {"product": "prod_pro", "prices": ["price_legacy"], "lookup_keys": ["pro_monthly"]},
    )
    checked, failures = check_declaration(decl)
    assert failures == []
    return prices.resolve(checked, Source(), None)[0]


def test_stripe_receives_price_ids_never_lookup_keys() -> None:
    decl = resolved_declaration()
    params = create_params(decl)
    assert params["features"]["subscription_update"]["products"] == [
        {"product": "prod_basic", "prices": ["price_bm", "price_by"]},
        {"product": "prod_pro", "prices": ["price_legacy", "price_pm"]},
    ]
    assert "lookup_keys" not in repr(params) and RESOLVED_KEY not in params


QUANTITY = {"adjustable_quantity": {"enabled": False, "minimum": 1}}  # Stripe's item default


def test_a_moved_key_is_a_change_and_an_update_of_products() -> None:
    old = resolved_declaration()
    new = copy.deepcopy(old)
    new[RESOLVED_KEY]["pro_monthly"] = "price_pm_new"
    assert prices.moved(old, new) is True
    assert prices.moved(old, old) is False
    assert prices.moved(old, {k: v for k, v in new.items() if k != RESOLVED_KEY}) is False
    params = exact_params(stripe_holding(old), new, None)
    assert params == {
        "features": {
            "subscription_update": {
                "products": [
                    {"product": "prod_basic", "prices": ["price_bm", "price_by"], **QUANTITY},
                    {"product": "prod_pro", "prices": ["price_legacy", "price_pm_new"], **QUANTITY},
                ]
            }
        }
    }


def stripe_object(products: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": "bpc_1",
        "active": True,
        "features": {
            "payment_method_update": {"enabled": True, "payment_method_configuration": None},
            "subscription_update": {
                "enabled": True,
                "default_allowed_updates": ["price"],
                "products": products,
                "proration_behavior": "none",
            },
        },
        "metadata": {},
        "login_page": {"enabled": False, "url": None},
    }


def test_the_declared_view_shows_the_keys_so_refresh_changes_nothing() -> None:
    decl = resolved_declaration()
    held = stripe_object(
        [
            {"product": "prod_basic", "prices": ["price_bm", "price_by"]},
            {"product": "prod_pro", "prices": ["price_legacy", "price_pm"]},
        ]
    )
    view = declared_view(held, decl)
    assert view == decl  # hidden resolution included: refresh after up changes nothing


def test_a_key_price_removed_outside_pulumi_shows_as_drift() -> None:
    decl = resolved_declaration()
    held = stripe_object(
        [
            {"product": "prod_basic", "prices": ["price_bm"]},
            {"product": "prod_pro", "prices": ["price_legacy", "price_pm"]},
        ]
    )
    view = declared_view(held, decl)
    products = view["features"]["subscription_update"]["products"]
    assert products[0] == {"product": "prod_basic", "lookup_keys": ["basic_monthly"]}
    assert products[1] == decl["features"]["subscription_update"]["products"][1]
