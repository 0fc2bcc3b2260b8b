"""A Dashboard-made default configuration, seeded without the API, as the SDK then sees it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import stripe
from emu_support import FULL_FEATURES, error_of, make_client

from pulumi_stripe_portal.emulator import Emulator, StripeError

EXPAND = ["features.subscription_update.products"]


def _defaults(configs: Any) -> list[Any]:
    return list(configs.list(params={"is_default": True}).data)


def test_seed_without_params_is_a_fresh_dashboard_portal(emu: Emulator, configs: Any) -> None:
    seeded = emu.seed_default()
    assert emu.request_count == 0
    assert seeded["is_default"] is True and seeded["active"] is True
    assert seeded["id"].startswith("bpc_") and seeded["livemode"] is False
    assert seeded["features"]["invoice_history"] == {"enabled": True}
    assert seeded["features"]["subscription_update"]["products"] == []
    assert seeded["name"] is None and seeded["metadata"] == {}
    [listed] = _defaults(configs)
    assert listed.id == seeded["id"]
    got = configs.retrieve(seeded["id"], params={"expand": EXPAND}).to_dict()
    assert got == seeded
    assert emu.request_count == 2  # only the SDK's list and retrieve were counted


def test_seed_with_params_is_stored_like_a_create(emu: Emulator, configs: Any) -> None:
    params = {
        "name": "Dashboard portal",
        "business_profile": {"headline": "Manage your plan"},
        "default_return_url": "https://example.com/account",
        "features": FULL_FEATURES,
        "metadata": {"team": "billing"},
    }
    seeded = emu.seed_default(params)
    assert seeded["business_profile"]["headline"] == "Manage your plan"
    assert seeded["features"]["subscription_update"]["products"] == [
        {
            "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 1},
            "prices": ["price_1"],
            "product": "prod_1",
        }
    ]
    got = configs.retrieve(seeded["id"], params={"expand": EXPAND}).to_dict()
    assert got == seeded
    plain = configs.retrieve(seeded["id"]).to_dict()
    assert plain["features"]["subscription_update"]["products"] is None


def test_a_new_seed_takes_the_flag_from_the_old_default(emu: Emulator, configs: Any) -> None:
    first = emu.seed_default()
    second = emu.seed_default({"features": {"invoice_history": {"enabled": False}}})
    assert [c.id for c in _defaults(configs)] == [second["id"]]
    old = configs.retrieve(first["id"])
    assert old.is_default is False
    assert old.updated > first["updated"]
    configs.update(first["id"], params={"active": False})  # no longer the default


def test_the_seeded_default_cannot_be_deactivated(emu: Emulator, configs: Any) -> None:
    seeded = emu.seed_default()
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(seeded["id"], params={"active": False})
    assert error_of(exc)["param"] == "active"
    assert "default" in error_of(exc)["message"]


def test_created_configurations_do_not_steal_the_default(emu: Emulator, configs: Any) -> None:
    emu.set_first_is_default(True)
    seeded = emu.seed_default()
    made = configs.create(params={"features": FULL_FEATURES})
    assert made.is_default is False
    assert [c.id for c in _defaults(configs)] == [seeded["id"]]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"features": {"nope": {}}}, "features[nope]"),
        ({"name": "missing features"}, "features"),
        ({"features": {}, "default_return_url": "not a url"}, "default_return_url"),
        (
            {"features": {"subscription_update": {"enabled": True, "products": []}}},
            "features[subscription_update][enabled]",
        ),
    ],
)
def test_bad_params_are_refused_like_a_create(
    emu: Emulator, configs: Any, params: dict[str, Any], param: str
) -> None:
    with pytest.raises(StripeError) as exc:
        emu.seed_default(params)
    assert exc.value.status == 400 and exc.value.param == param
    assert configs.list().data == []


def test_account_and_mode_scope_the_seed(emu: Emulator) -> None:
    connected = emu.seed_default(account="acct_1Connected")
    live = emu.seed_default(livemode=True)
    assert live["livemode"] is True and live["login_page"]["url"] is None
    platform = make_client(emu).v1.billing_portal.configurations
    assert platform.list().data == []
    as_connected = platform.list(
        params={"is_default": True}, options={"stripe_account": "acct_1Connected"}
    )
    assert [c.id for c in as_connected.data] == [connected["id"]]
    live_configs = make_client(emu, "sk_live_abc").v1.billing_portal.configurations
    assert [c.id for c in live_configs.list().data] == [live["id"]]
    # seeding one account's default leaves the other's alone
    assert live_configs.retrieve(live["id"]).is_default is True


def test_reset_forgets_seeded_objects(emu: Emulator, configs: Any) -> None:
    emu.seed_default()
    emu.reset()
    assert configs.list().data == []


def test_constructor_seed_applies_once_per_state_file(tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite")
    params = {"features": {"invoice_history": {"enabled": True}}, "name": "from the Dashboard"}
    with Emulator(state_file=state, seed_default=params) as emu:
        assert emu.request_count == 0
        configs = make_client(emu).v1.billing_portal.configurations
        [first] = _defaults(configs)
        assert first.name == "from the Dashboard"
        configs.update(first.id, params={"name": "edited"})
    with Emulator(state_file=state, seed_default=params) as emu:
        configs = make_client(emu).v1.billing_portal.configurations
        every = list(configs.list().data)
        assert [(c.id, c.name, c.is_default) for c in every] == [(first.id, "edited", True)]


def test_constructor_seed_true_means_stripe_defaults() -> None:
    with Emulator(seed_default=True) as emu:
        [cfg] = _defaults(make_client(emu).v1.billing_portal.configurations)
        assert cfg.features.invoice_history.enabled is True


def test_a_refused_constructor_seed_fails_start() -> None:
    emu = Emulator(seed_default={"features": {"bogus": True}})
    with pytest.raises(StripeError, match="unknown parameter"):
        emu.start()
    with pytest.raises(RuntimeError):
        emu.seed_default()
