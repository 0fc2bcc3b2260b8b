"""Lifecycle semantics through the real stripe SDK: defaults, merge, unset, expand, list."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import stripe
from emu_support import BASE, FULL_FEATURES, Raw, error_of, make_client

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.schema.defaults import STRIPE_DEFAULTS


def expected_defaults() -> dict[str, Any]:
    """What a create with only invoice history answers: the provider's picture of Stripe's
    defaults (derived from its models) plus the read-only fields. The emulator keeps its own
    picture (it is an independent referee), so this test fails when the two drift apart."""
    tree = copy.deepcopy(STRIPE_DEFAULTS)
    tree["features"]["invoice_history"]["enabled"] = True
    tree["features"]["subscription_update"]["products"] = None  # not expanded
    tree["login_page"]["url"] = None
    return {
        **tree,
        "active": True,
        "application": None,
        "is_default": False,
        "livemode": False,
        "object": "billing_portal.configuration",
    }


def test_create_fills_every_documented_default(configs: Any) -> None:
    cfg = configs.create(params={"features": {"invoice_history": {"enabled": True}}}).to_dict()
    assert re.fullmatch(r"bpc_[A-Za-z0-9]{24}", cfg.pop("id"))
    assert cfg.pop("created") == cfg.pop("updated")
    assert cfg == expected_defaults()


def test_retrieve_returns_what_create_returned(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES, "name": "n"})
    assert configs.retrieve(cfg.id).to_dict() == cfg.to_dict()


@pytest.mark.parametrize("key", ["sk_live_abc", "rk_live_abc"])
def test_livemode_follows_the_key_and_modes_do_not_share_data(emu: Emulator, key: str) -> None:
    live = make_client(emu, key).v1.billing_portal.configurations
    cfg = live.create(params={"features": {"invoice_history": {"enabled": True}}})
    assert cfg.livemode is True
    assert cfg.login_page.url is None
    test = make_client(emu, "sk_test_abc").v1.billing_portal.configurations
    with pytest.raises(stripe.InvalidRequestError):
        test.retrieve(cfg.id)


def test_update_merges_nested_objects(configs: Any) -> None:
    cfg = configs.create(
        params={"features": {"customer_update": {"enabled": True, "allowed_updates": ["email"]}}}
    )
    up = configs.update(cfg.id, params={"features": {"invoice_history": {"enabled": True}}})
    assert up.features.invoice_history.enabled is True
    assert up.features.customer_update.to_dict() == {"enabled": True, "allowed_updates": ["email"]}
    up = configs.update(cfg.id, params={"features": {"customer_update": {"enabled": False}}})
    assert up.features.customer_update.allowed_updates == ["email"]


def test_posting_a_list_replaces_it(configs: Any) -> None:
    feats = {"customer_update": {"enabled": True, "allowed_updates": ["email", "name"]}}
    cfg = configs.create(params={"features": feats})
    up = configs.update(
        cfg.id, params={"features": {"customer_update": {"allowed_updates": ["phone"]}}}
    )
    assert up.features.customer_update.allowed_updates == ["phone"]


def test_empty_string_unsets_strings_and_empties_lists(configs: Any, raw: Raw) -> None:
    cfg = configs.create(
        params={
            "features": {"customer_update": {"enabled": True, "allowed_updates": ["email"]}},
            "name": "n",
            "default_return_url": "https://example.com/back",
            "business_profile": {"headline": "h", "privacy_policy_url": "https://example.com/p"},
        }
    )
    ans = raw(
        "POST",
        f"{BASE}/{cfg.id}",
        [
            ("name", ""),
            ("default_return_url", ""),
            ("business_profile[headline]", ""),
            ("business_profile[privacy_policy_url]", ""),
            ("features[customer_update][allowed_updates]", ""),
        ],
    )
    assert ans.status == 200, ans.body
    assert ans.body["name"] is None
    assert ans.body["default_return_url"] is None
    assert ans.body["business_profile"]["headline"] is None
    assert ans.body["business_profile"]["privacy_policy_url"] is None
    assert ans.body["features"]["customer_update"]["allowed_updates"] == []


def test_metadata_merges_key_by_key_and_empty_string_removes(configs: Any, raw: Raw) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES, "metadata": {"a": "1", "b": "2"}})
    up = configs.update(cfg.id, params={"metadata": {"a": "", "c": "3"}})
    assert up.metadata.to_dict() == {"b": "2", "c": "3"}
    ans = raw("POST", f"{BASE}/{cfg.id}", [("metadata", "")])
    assert ans.body["metadata"] == {}


def test_login_page_url_generated_when_enabled_and_cleared_when_disabled(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES, "login_page": {"enabled": True}})
    assert re.fullmatch(r"https://billing\.stripe\.com/p/login/test_\w+", cfg.login_page.url)
    same = configs.update(cfg.id, params={"name": "x"})
    assert same.login_page.url == cfg.login_page.url
    off = configs.update(cfg.id, params={"login_page": {"enabled": False}})
    assert off.login_page.to_dict() == {"enabled": False, "url": None}


def test_updated_moves_forward_and_created_is_fixed(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})
    last = cfg.updated
    for i in range(3):
        up = configs.update(cfg.id, params={"name": str(i)})
        assert up.updated > last
        assert up.created == cfg.created
        last = up.updated


def test_billing_cycle_anchor_unchanged_reads_back_null(configs: Any) -> None:
    feats = {**FULL_FEATURES, "subscription_update": {**FULL_FEATURES["subscription_update"]}}
    feats["subscription_update"]["billing_cycle_anchor"] = "now"
    cfg = configs.create(params={"features": feats})
    assert cfg.features.subscription_update.billing_cycle_anchor == "now"
    up = configs.update(
        cfg.id, params={"features": {"subscription_update": {"billing_cycle_anchor": "unchanged"}}}
    )
    assert up.features.subscription_update.billing_cycle_anchor is None


def test_products_are_null_unless_expanded(configs: Any) -> None:
    products = [
        {
            "product": "prod_1",
            "prices": ["price_1", "price_2"],
            "adjustable_quantity": {"enabled": True, "maximum": 5},
        }
    ]
    feats = {**FULL_FEATURES, "subscription_update": {"enabled": True, "products": products}}
    expand = {"expand": ["features.subscription_update.products"]}
    stored = [{**products[0], "adjustable_quantity": {"enabled": True, "maximum": 5, "minimum": 1}}]
    cfg = configs.create(params={"features": feats})
    assert cfg.features.subscription_update.products is None
    cfg = configs.create(params={"features": feats, **expand})
    assert cfg.to_dict()["features"]["subscription_update"]["products"] == stored
    assert configs.retrieve(cfg.id).features.subscription_update.products is None
    got = configs.retrieve(cfg.id, params=expand).to_dict()
    assert got["features"]["subscription_update"]["products"] == stored
    up = configs.update(cfg.id, params={"name": "x", **expand}).to_dict()
    assert up["features"]["subscription_update"]["products"] == stored
    listed = configs.list(params={"expand": ["data.features.subscription_update.products"]})
    assert all(c.features.subscription_update.products for c in listed.data)
    assert configs.list().data[0].features.subscription_update.products is None


def test_unknown_expansion_is_refused(configs: Any) -> None:
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params={"features": FULL_FEATURES, "expand": ["features.nope"]})
    assert error_of(exc)["param"] == "expand"


def test_list_is_newest_first_with_cursor_pagination(configs: Any) -> None:
    ids = [configs.create(params={"features": FULL_FEATURES}).id for _ in range(5)]
    newest = list(reversed(ids))
    page = configs.list(params={"limit": 2})
    assert [c.id for c in page.data] == newest[:2] and page.has_more
    assert page.url == BASE and page.object == "list"
    page = configs.list(params={"limit": 2, "starting_after": newest[1]})
    assert [c.id for c in page.data] == newest[2:4] and page.has_more
    page = configs.list(params={"limit": 2, "starting_after": newest[3]})
    assert [c.id for c in page.data] == newest[4:] and not page.has_more
    page = configs.list(params={"limit": 2, "ending_before": newest[4]})
    assert [c.id for c in page.data] == newest[2:4] and page.has_more
    page = configs.list(params={"limit": 3, "ending_before": newest[1]})
    assert [c.id for c in page.data] == newest[:1] and not page.has_more
    assert [c.id for c in configs.list().auto_paging_iter()] == newest


def test_list_default_limit_is_ten_and_bounds_are_enforced(configs: Any) -> None:
    for _ in range(11):
        configs.create(params={"features": FULL_FEATURES})
    page = configs.list()
    assert len(page.data) == 10 and page.has_more
    for bad in (0, 101):
        with pytest.raises(stripe.InvalidRequestError) as exc:
            configs.list(params={"limit": bad})
        assert error_of(exc)["param"] == "limit"


def test_list_filters_active_and_is_default(emu: Emulator, configs: Any) -> None:
    emu.set_first_is_default(True)
    default = configs.create(params={"features": FULL_FEATURES})
    other = configs.create(params={"features": FULL_FEATURES})
    configs.update(other.id, params={"active": False})
    assert [c.id for c in configs.list(params={"active": False}).data] == [other.id]
    assert [c.id for c in configs.list(params={"active": True}).data] == [default.id]
    assert [c.id for c in configs.list(params={"is_default": True}).data] == [default.id]
    assert [c.id for c in configs.list(params={"is_default": False}).data] == [other.id]


def test_query_string_params_on_get(raw: Raw, configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})
    ans = raw(
        "GET",
        BASE,
        [("active", "true"), ("expand[]", "data." + "features.subscription_update.products")],
    )
    assert ans.status == 200
    assert (
        ans.body["data"][0]["features"]["subscription_update"]["products"][0]["product"] == "prod_1"
    )
    ans = raw("GET", f"{BASE}/{cfg.id}", [("expand[]", "features.subscription_update.products")])
    assert ans.body["features"]["subscription_update"]["products"]


def test_bracket_list_syntax_in_form_bodies(raw: Raw) -> None:
    ans = raw(
        "POST",
        BASE,
        [
            ("features[customer_update][enabled]", "true"),
            ("features[customer_update][allowed_updates][]", "email"),
            ("features[customer_update][allowed_updates][]", "name"),
        ],
    )
    assert ans.status == 200, ans.body
    assert ans.body["features"]["customer_update"]["allowed_updates"] == ["email", "name"]


def test_default_configuration_cannot_be_deactivated(emu: Emulator, configs: Any) -> None:
    emu.set_first_is_default(True)
    first = configs.create(params={"features": FULL_FEATURES})
    second = configs.create(params={"features": FULL_FEATURES})
    assert first.is_default and not second.is_default
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(first.id, params={"active": False})
    err = error_of(exc)
    assert exc.value.http_status == 400
    assert err["type"] == "invalid_request_error" and err["param"] == "active"
    assert err["message"] == "You cannot set `active: false` on your default PortalConfiguration."
    assert configs.update(second.id, params={"active": False}).active is False
    assert configs.update(first.id, params={"active": True}).active is True


def test_without_the_switch_no_configuration_is_default(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})
    assert cfg.is_default is False
    assert configs.update(cfg.id, params={"active": False}).active is False


def test_first_is_default_applies_per_account(emu: Emulator) -> None:
    emu.set_first_is_default(True)
    platform = make_client(emu).v1.billing_portal.configurations
    connected = make_client(emu, stripe_account="acct_1").v1.billing_portal.configurations
    assert platform.create(params={"features": FULL_FEATURES}).is_default
    assert connected.create(params={"features": FULL_FEATURES}).is_default
    assert not connected.create(params={"features": FULL_FEATURES}).is_default


def test_application_expansion_is_accepted_and_stays_null(configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES, "expand": ["application"]})
    assert cfg.application is None
    assert cfg.features.subscription_update.products is None
