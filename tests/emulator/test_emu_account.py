"""``GET /v1/account`` through the real stripe SDK: a stable id per key, settable."""

from __future__ import annotations

import hashlib

import pytest
import stripe
from emu_support import KEY, Raw, error_of, make_client

from pulumi_stripe_portal.emulator import Emulator, derived_account_id


def _expected(key: str) -> str:
    return "acct_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def test_the_id_is_derived_from_the_key(emu: Emulator) -> None:
    account = make_client(emu).v1.accounts.retrieve_current()
    assert account.id == _expected(KEY) == derived_account_id(KEY) == emu.account_id(KEY)
    assert account.object == "account"
    assert account.type == "standard"
    assert account.country == "US" and account.default_currency == "usd"
    assert account.charges_enabled is True and account.payouts_enabled is True
    assert account.controller.type == "account"
    assert emu.route_counts[("GET", "/v1/account")] == 1


def test_the_id_is_stable_across_calls_and_restarts(emu: Emulator) -> None:
    first = make_client(emu).v1.accounts.retrieve_current().to_dict()
    assert make_client(emu).v1.accounts.retrieve_current().to_dict() == first
    with Emulator() as other:
        assert make_client(other).v1.accounts.retrieve_current().to_dict() == first


@pytest.mark.parametrize("other", ["sk_test_456", "sk_live_123", "rk_test_123"])
def test_each_key_is_its_own_account_by_default(emu: Emulator, other: str) -> None:
    mine = make_client(emu).v1.accounts.retrieve_current().id
    theirs = make_client(emu, other).v1.accounts.retrieve_current().id
    assert theirs == _expected(other) != mine


def test_constructor_ids_win_and_survive_reset() -> None:
    ids = {"sk_test_a1": "acct_Team1", "sk_live_a1": "acct_Team1"}
    with Emulator(account_ids=ids) as emu:
        assert make_client(emu, "sk_test_a1").v1.accounts.retrieve_current().id == "acct_Team1"
        assert make_client(emu, "sk_live_a1").v1.accounts.retrieve_current().id == "acct_Team1"
        assert make_client(emu, "sk_test_b2").v1.accounts.retrieve_current().id == _expected(
            "sk_test_b2"
        )
        emu.set_account_id("sk_test_a1", "acct_Moved")
        assert make_client(emu, "sk_test_a1").v1.accounts.retrieve_current().id == "acct_Moved"
        emu.reset()
        assert make_client(emu, "sk_test_a1").v1.accounts.retrieve_current().id == "acct_Team1"


def test_set_account_id_until_reset(emu: Emulator) -> None:
    emu.set_account_id(KEY, "acct_Pinned")
    assert emu.account_id(KEY) == "acct_Pinned"
    assert make_client(emu).v1.accounts.retrieve_current().id == "acct_Pinned"
    emu.set_account_id(KEY, None)
    assert make_client(emu).v1.accounts.retrieve_current().id == _expected(KEY)
    emu.set_account_id(KEY, "acct_Again")
    emu.reset()
    assert make_client(emu).v1.accounts.retrieve_current().id == _expected(KEY)


@pytest.mark.parametrize("bad", ["acct_", "account_1", "acct_a-b", ""])
def test_malformed_ids_are_refused(emu: Emulator, bad: str) -> None:
    with pytest.raises(ValueError, match="not an account id"):
        emu.set_account_id(KEY, bad)
    with pytest.raises(ValueError, match="not an account id"):
        Emulator(account_ids={KEY: bad})


def test_a_connected_account_answers_as_itself(emu: Emulator) -> None:
    account = make_client(emu).v1.accounts.retrieve_current(
        options={"stripe_account": "acct_1Connected"}
    )
    assert account.id == "acct_1Connected"
    assert account.controller.type == "application"
    assert make_client(emu).v1.accounts.retrieve_current().id == _expected(KEY)


def test_unknown_params_and_expansions_are_refused(emu: Emulator, raw: Raw) -> None:
    answer = raw("GET", "/v1/account", [("color", "blue")])
    assert answer.status == 400
    assert answer.error["code"] == "parameter_unknown" and answer.error["param"] == "color"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        make_client(emu).v1.accounts.retrieve_current(params={"expand": ["settings"]})
    assert error_of(exc)["param"] == "expand"


def test_auth_still_applies(emu: Emulator, raw: Raw) -> None:
    answer = raw("GET", "/v1/account", key=None)
    assert answer.status == 401
    answer = raw("GET", "/v1/account", key="sk_test_secretvalue99")
    assert answer.status == 200 and answer.body["id"] == _expected("sk_test_secretvalue99")
    assert raw("POST", "/v1/account").status == 404  # only GET is emulated
