"""diff: no API call, set-like lists without order, removals are changes, no replacements."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown

from pulumi_stripe_portal import PortalConfigurationProvider
from pulumi_stripe_portal.lifecycle.state import DECLARED_KEY

from support.samples import full


def state_of(declared: dict[str, Any]) -> dict[str, Any]:
    """Outputs as the provider writes them: the declared view and what only Stripe sets."""
    return {**declared, "created": 1, "updated": 2, "livemode": False, "__provider": "x"}


def old_state_of(declared: dict[str, Any]) -> dict[str, Any]:
    """Outputs as earlier versions wrote them: Stripe's object plus the view beside it."""
    return {"id": "bpc_1", "features": {}, DECLARED_KEY: declared, "__provider": "x"}


def diff(old: dict[str, Any], new: dict[str, Any]):
    # A provider that was never configured has no client: any API call would fail.
    return PortalConfigurationProvider().diff("bpc_1", state_of(old), {**new, "__provider": "x"})


def test_no_change() -> None:
    result = diff(full(), full())
    assert result.changes is False
    assert result.replaces == []


def test_reordering_set_like_lists_is_no_change() -> None:
    new = full()
    f = new["features"]
    f["customer_update"]["allowed_updates"].reverse()
    f["subscription_cancel"]["cancellation_reason"]["options"].reverse()
    f["subscription_update"]["products"].reverse()
    f["subscription_update"]["products"][1]["prices"].reverse()
    f["subscription_update"]["default_allowed_updates"].reverse()
    f["subscription_update"]["schedule_at_period_end"]["conditions"].reverse()
    assert diff(full(), new).changes is False


def test_reordering_pause_options_is_a_change() -> None:
    new = full()
    new["features"]["subscription_pause"]["duration"]["interval_options"].reverse()
    assert diff(full(), new).changes is True


def test_each_kind_of_removal_is_a_change() -> None:
    removals = [
        lambda d: d.pop("name"),
        lambda d: d["metadata"].pop("team"),
        lambda d: d.pop("metadata"),
        lambda d: d["business_profile"].pop("headline"),
        lambda d: d["features"].pop("invoice_history"),
        lambda d: d["features"]["customer_update"].pop("allowed_updates"),
        lambda d: d["features"]["subscription_update"]["products"].pop(),
        lambda d: d["features"]["subscription_cancel"].pop("mode"),
        lambda d: d.pop("login_page"),
    ]
    for remove in removals:
        new = full()
        remove(new)
        result = diff(full(), new)
        assert result.changes is True, new
        assert result.replaces == []


def test_value_change_updates_in_place() -> None:
    new = full()
    new["features"]["subscription_cancel"]["mode"] = "at_period_end"
    new["features"]["subscription_cancel"]["proration_behavior"] = "none"
    new["active"] = False
    result = diff(full(), new)
    assert (result.changes, result.replaces) == (True, [])


def test_unknown_is_a_change() -> None:
    new = full()
    new["features"]["subscription_update"]["products"][0]["prices"] = [Unknown()]
    assert diff(full(), new).changes is True


def test_moving_to_another_connect_account_replaces() -> None:
    new = {**full(), "stripe_account": "acct_2"}
    result = diff({**full(), "stripe_account": "acct_1"}, new)
    assert result.changes is True
    assert result.replaces == ["stripe_account"]


def test_a_state_of_the_earlier_shape_diffs_the_same() -> None:
    provider = PortalConfigurationProvider()
    for new in (full(), {**full(), "name": "other"}, {"features": {}}):
        now = provider.diff("bpc_1", state_of(full()), {**new, "__provider": "x"})
        before = provider.diff("bpc_1", old_state_of(full()), {**new, "__provider": "x"})
        assert (now.changes, now.replaces) == (before.changes, before.replaces)
