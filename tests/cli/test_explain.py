"""``stripe-portal explain`` without the engine: bad input, live configurations, the price
lookups against the emulator (batched, each thing asked once), and plans in the shape
``pulumi preview --json`` prints (test_explain_e2e.py proves that shape on real previews)
for what the examples do not reach: unknown and secret values, retained deletes, a lookup
key that moved since the preview, and Markdown that a declaration cannot break."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import stripe
from hypothesis import given, settings
from hypothesis import strategies as st

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.explain.explanation import explain_plan
from pulumi_stripe_portal.explain.offers import Offers, amount, interval
from pulumi_stripe_portal.explain.plan import PORTAL_TYPE, UNKNOWN_SENTINEL, PlanError, parse
from pulumi_stripe_portal.explain.render import FORMATS, render
from pulumi_stripe_portal.stripe_api.client import PortalClient, Settings

from support.cli import run_cli
from support.samples import full

KEY = "sk_test_explainKey0123456789ab"
CATALOG = Path(__file__).resolve().parent / "catalog.json"
INTERNAL = ("_owner", "_declared", "__provider", "pulumi_owner", "_lookup_prices")
STACK = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev"


def urn(name: str) -> str:
    return f"urn:pulumi:dev::shop::{PORTAL_TYPE}::{name}"


def state(inputs: dict[str, Any], outputs: dict[str, Any] | None = None, **extra: Any) -> dict:
    """A state as the engine prints it: the provider pickled and secret, the owner hidden;
    the outputs are the declared view and what only Stripe sets (``outputs``)."""
    inputs = {"__provider": "[secret]", "_owner": "shop/dev/portal", "active": True, **inputs}
    out: dict[str, Any] = {"type": PORTAL_TYPE, "inputs": inputs, **extra}
    if outputs is not None:
        stripe_set = {"created": 1, "is_default": False, "livemode": False, "updated": 1}
        out["outputs"] = {**inputs, **stripe_set, **outputs}
    return out


def test_a_state_written_before_outputs_became_the_view_is_read_too() -> None:
    """Older states keep the declared view under a hidden output beside Stripe's object."""
    view = {
        "features": {"invoice_history": {"enabled": True}},
        "_owner": "shop/dev/portal",
        "active": True,
    }
    old = {
        "type": PORTAL_TYPE,
        "inputs": {**view, "name": "Program's", "__provider": "[secret]"},
        "outputs": {"_declared": {**view, "name": "Stripe's"}, "name": "Stripe's", "id": "bpc_1"},
    }
    new = state({**view, "name": "New"})
    [portal] = explain_json(preview(step("update", "portal", old=old, new=new))).values()
    [name] = portal["changes"]
    assert (name["path"], name["before"], name["after"]) == ("name", "Stripe's", "New")


def preview(*steps: dict[str, Any]) -> str:
    stack = {"op": "same", "urn": STACK, "oldState": {}, "newState": {}}
    return json.dumps({"steps": [stack, *steps], "changeSummary": {"same": 1}})


def step(op: str, name: str, old: dict | None = None, new: dict | None = None) -> dict:
    out: dict[str, Any] = {"op": op, "urn": urn(name), "detailedDiff": None}
    if old is not None:
        out["oldState"] = old
    if new is not None:
        out["newState"] = new
    return out


def one_error_line(result: Any) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("stripe-portal: error: "), lines[0]
    for name in INTERNAL:
        assert name not in result.stderr + result.stdout
    return lines[0]


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("", "is empty"),
        ("this is not json", "is not JSON"),
        ("[1, 2]", "is not the output of `pulumi preview --json`"),
        ('{"resources": []}', "is not the output of `pulumi preview --json`"),
        ('{"steps": [{"no": "op"}]}', "without an `op` and a `urn`"),
        ('{"steps": "many"}', "is not the output of `pulumi preview --json`"),
        (
            '{"diagnostics": [{"severity": "error", "message": "check failed:\\n mode"}]}',
            "failed: check failed: mode",
        ),
    ],
)
def test_a_file_that_is_not_a_preview_is_one_line(tmp_path: Path, content: str, says: str):
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    for result in (
        run_cli(None, "explain", str(plan)),
        run_cli(None, "explain", "-", stdin=content),
    ):
        assert says in one_error_line(result)


def test_unknown_format_missing_file_and_conflicting_arguments(tmp_path: Path) -> None:
    line = one_error_line(run_cli(None, "explain", "--format", "html", "plan.json"))
    assert "invalid choice: 'html'" in line
    assert "No such file" in one_error_line(run_cli(None, "explain", str(tmp_path / "nope")))
    both = run_cli(None, "explain", "plan.json", "--default", key=KEY)
    assert "not both" in one_error_line(both)
    no_key = run_cli(None, "explain", "--default")
    assert "No Stripe API key" in one_error_line(no_key)


def test_a_preview_without_portals_has_nothing_to_explain() -> None:
    plan = preview()
    for fmt in ("markdown", "text"):
        result = run_cli(None, "explain", "--format", fmt, stdin=plan)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "Nothing to explain: the preview has no portal configurations.\n"
    result = run_cli(None, "explain", "--format", "json", stdin=plan)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"portals": []}
    assert "nothing to explain" in result.stderr


def plans_step() -> dict[str, Any]:
    features = {
        "payment_method_update": {"enabled": True},
        "subscription_update": {
            "enabled": True,
            "products": [{"product": "prod_pro", "lookup_keys": ["pro_monthly"]}],
        },
    }
    return step("create", "portal", new=state({"features": features}))


def test_a_rejected_key_is_one_line_and_never_shown(emu: Emulator) -> None:
    bad = "sk_test_thisKeyIsNotAccepted0123"
    with Emulator(api_keys=[KEY]) as strict:
        refused = run_cli(strict, "explain", "-", key=bad, stdin=preview(plans_step()))
        unknown = run_cli(strict, "explain", "--id", "bpc_nope", key=KEY)
    line = one_error_line(refused)
    assert "Invalid API Key" in line
    assert bad not in line and bad[-12:] not in line
    assert one_error_line(unknown) == (
        "stripe-portal: error: no such billing portal configuration: 'bpc_nope'"
    )


# -- live configurations ----------------------------------------------------------------------


def test_a_live_configuration_by_id_and_the_default(emu: Emulator) -> None:
    emu.load_catalog(CATALOG)
    declared = full()
    declared.pop("active")
    products = declared["features"]["subscription_update"]["products"]
    products[:] = [{"product": "prod_pro", "prices": ["price_pro_m", "price_pro_y"]}]
    seeded = emu.seed_default(declared)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    other = sdk.v1.billing_portal.configurations.create(
        params={
            "features": {"invoice_history": {"enabled": False}},
            "metadata": {"pulumi_owner": "shop/prod/portal"},
        }
    )
    emu.server.clear_counters()
    default = run_cli(emu, "explain", "--default", "--format", "text", key=KEY)
    assert default.returncode == 0, default.stderr
    text = default.stdout
    assert text.startswith("What customers get\n")
    assert f"Configuration {seeded['id']} as Stripe holds it now: active, the account's default;"
    assert "not managed by Pulumi" in text
    assert "Customers can switch to Pro: $29.00 a month or $290.00 a year" in text
    assert "A cancellation takes effect at once; customers lose access immediately." in text
    assert emu.route_counts[("GET", "/v1/products/prod_pro")] == 0  # came with its prices
    by_id = run_cli(emu, "explain", "--id", other.id, "--format", "json", key=KEY)
    assert by_id.returncode == 0, by_id.stderr
    [portal] = json.loads(by_id.stdout)["portals"]
    assert (portal["name"], portal["urn"], portal["op"], portal["changes"]) == (
        other.id,
        None,
        "live",
        [],
    )
    sentences = [s["sentence"] for s in portal["customers_get"]]
    assert "Customers cannot see their past invoices in the portal." in sentences
    markdown = run_cli(emu, "explain", "--id", other.id, key=KEY)
    assert "managed by the Pulumi stack shop/prod/portal" in markdown.stdout
    for result in (default, by_id, markdown):
        for name in INTERNAL:
            assert name not in result.stdout


# -- prices: batched, asked once ------------------------------------------------------------


def test_lookups_are_batched_and_each_thing_is_asked_once(emu: Emulator) -> None:
    catalog = json.loads(CATALOG.read_text())
    keys = [f"k{i:02d}" for i in range(12)]
    catalog["prices"] += [
        {
            "product": "prod_basic",
            "currency": "eur",
            "unit_amount": 100 + i,
            "recurring": {"interval": "week", "interval_count": 2},
            "lookup_key": key,
        }
        for i, key in enumerate(keys)
    ]
    emu.load_catalog(catalog)
    client = PortalClient(Settings(api_key=KEY, api_base=emu.url, max_network_retries=0))
    offers = Offers(client)
    emu.server.clear_counters()
    offers.fetch(
        None,
        keys=[*keys, *keys[:3]],
        price_ids=["price_pro_m", "price_basic_m", "price_pro_m", "price_missing"],
        product_ids=["prod_basic", "prod_pro", "prod_team", "prod_team"],
    )
    counts = Counter((r.method, r.path) for r in emu.requests)
    assert counts[("GET", "/v1/prices")] == 2  # 12 keys: 10 + 2
    assert counts[("GET", "/v1/prices/price_pro_m")] == 1
    assert counts[("GET", "/v1/prices/price_basic_m")] == 1
    assert counts[("GET", "/v1/prices/price_missing")] == 1  # 404: remembered as missing
    # Basic and Pro came with their prices; only Team is asked for.
    assert counts[("GET", "/v1/products/prod_team")] == 1
    assert sum(counts.values()) == 6
    offers.fetch(None, keys=keys, price_ids=["price_missing"], product_ids=["prod_team"])
    assert sum(emu.route_counts.values()) == 6  # all known: nothing asked again
    assert offers.product_name(None, "prod_team") == "Team"
    assert offers.price(None, "price_missing") is None
    price = offers.by_key(None, "k03")
    assert price is not None and price["unit_amount"] == 103


def test_amounts_and_intervals_in_customers_terms() -> None:
    assert amount(4242, "usd") == "$42.42"
    assert amount(123456, "eur") == "€1,234.56"
    assert amount(4242, "jpy") == "¥4,242"
    assert amount(4242, "chf") == "42.42 CHF"
    assert amount(1234, "kwd") == "1.234 KWD"
    assert interval({"interval": "month", "interval_count": 1}) == "a month"
    assert interval({"interval": "week", "interval_count": 2}) == "every 2 weeks"
    assert interval(None) == "once"


# -- plans the examples do not reach ----------------------------------------------------------


def explain_json(plan: str, emu: Emulator | None = None, key: str | None = None) -> dict:
    result = run_cli(emu, "explain", "--format", "json", key=key, stdin=plan)
    assert result.returncode == 0, result.stderr
    for name in INTERNAL:
        assert name not in result.stdout
    return {p["name"]: p for p in json.loads(result.stdout)["portals"]}


def test_unknown_and_secret_values_are_said_as_such() -> None:
    features = {
        "subscription_cancel": {"enabled": True, "mode": UNKNOWN_SENTINEL},
        "payment_method_update": {"enabled": True},
        "subscription_update": {
            "enabled": True,
            "products": [{"product": UNKNOWN_SENTINEL, "prices": [UNKNOWN_SENTINEL]}],
        },
    }
    new = state({"features": features, "business_profile": {"headline": "[secret]"}})
    [portal] = explain_json(preview(step("create", "portal", new=new))).values()
    said = {s["path"]: s["sentence"] for s in portal["customers_get"]}
    assert said["features.subscription_cancel.mode"] == "It is known only when pulumi up runs."
    assert said["business_profile.headline"] == "It is a secret, which the plan does not show."
    assert said["features.subscription_update.products[#0]"] == (
        "Customers can switch to a product not known until pulumi up runs: a price not known "
        "until pulumi up runs."
    )


def test_retained_delete_and_default_replace() -> None:
    old = state(
        {"features": {"invoice_history": {"enabled": True}}},
        {"is_default": True, "id": "bpc_default1"},
        id="bpc_default1",
    )
    retained = state(
        {"features": {"invoice_history": {"enabled": True}}},
        {"id": "bpc_kept1"},
        id="bpc_kept1",
        retainOnDelete=True,
    )
    new = state({"features": {"invoice_history": {"enabled": True}}, "stripe_account": "acct_1"})
    plan = preview(step("replace", "moved", old=old, new=new), step("delete", "kept", old=retained))
    portals = explain_json(plan)
    moved = portals["moved"]
    [active] = [c for c in moved["changes"] if c["path"] == "active"]
    assert (active["after"], active["customers_see"]) == (True, False)
    assert "left active" in active["sentence"]
    [kept] = portals["kept"]["changes"]  # the marker stays: nothing is written
    assert (kept["path"], kept["after"], kept["customers_see"]) == ("active", True, False)
    assert "retain_on_delete" in kept["sentence"]
    text = run_cli(None, "explain", "--format", "text", stdin=plan).stdout
    assert "A new configuration replaces configuration bpc_default1 (it moves to another" in text


def test_a_key_moved_since_the_preview_is_seen_with_a_key(emu: Emulator) -> None:
    """A preview without a key resolved nothing; explain with one asks Stripe now."""
    emu.load_catalog(CATALOG)
    sdk = stripe.StripeClient(KEY, base_addresses={"api": emu.url}, max_network_retries=0)
    sdk.v1.prices.update(
        "price_pro_m_2027", params={"lookup_key": "pro_monthly", "transfer_lookup_key": True}
    )
    features = plans_step()["newState"]["inputs"]["features"]
    old = state({"features": features, "_lookup_prices": {"pro_monthly": "price_pro_m"}}, {})
    new = state({"features": features})  # no key at preview: nothing resolved
    plan = preview(step("update", "portal", old=old, new=new))
    [portal] = explain_json(plan, emu, KEY).values()
    [moved] = portal["changes"]
    assert (
        moved["path"] == "features.subscription_update.products[prod_pro].lookup_keys[pro_monthly]"
    )
    assert moved["sentence"] == (
        "Pro (pro_monthly) is now offered at $42.42 a month (until now: $29.00 a month)."
    )
    assert moved["customers_see"] is True
    [portal] = explain_json(plan).values()  # without a key there is nothing to compare
    assert portal["changes"] == []


def test_markdown_cannot_be_broken_by_a_declaration() -> None:
    headline = "<img src=x onerror=alert(1)> **Free** [click](https://evil.example) `x` $5"
    old = state({"features": {"invoice_history": {"enabled": True}}}, {})
    new = state(
        {
            "features": {"invoice_history": {"enabled": True}},
            "business_profile": {"headline": headline},
        }
    )
    plan = preview(step("update", "portal`s <b>", old=old, new=new))
    result = run_cli(None, "explain", stdin=plan)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert not re.search(r"(?<!\\)<(img|b)", out)  # every < of the declaration is escaped
    assert "\\<img src=x onerror=alert(1)\\> \\*\\*Free\\*\\* \\[click\\]" in out
    assert "\\`x\\` \\$5" in out
    assert "### portal\\`s \\<b\\> (update)" in out


# -- odd plans: an answer or one line, never a traceback ----------------------------------------

ODD = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 3)
    | st.floats(allow_nan=False, allow_infinity=False, width=16)
    | st.sampled_from(["", UNKNOWN_SENTINEL, "[secret]", "prod_pro", "price_x", "immediately"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["product", "prices", "lookup_keys", "enabled", "mode", "type", "x"]),
            inner,
            max_size=3,
        )
    ),
    max_leaves=6,
)
OPS = ["create", "update", "same", "delete", "replace", "create-replacement", "read", "other"]


def _positions(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [at] if at else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _positions(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _positions(item, (*at, index))
    return out


def _keyed() -> dict[str, Any]:
    """The sample with every field set, a plan by lookup key added and resolved."""
    declared = full()
    products = declared["features"]["subscription_update"]["products"]
    products.append({"product": "prod_team", "lookup_keys": ["team_monthly"]})
    declared["_lookup_prices"] = {"team_monthly": "price_team_m"}
    return declared


def _mutated(data: st.DataObject, declared: dict[str, Any]) -> Any:
    for _ in range(data.draw(st.integers(0, 4))):
        where = data.draw(st.sampled_from(_positions(declared)))
        parent: Any = declared
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] = data.draw(ODD)
    return declared


@given(data=st.data())
@settings(max_examples=250, deadline=None)
def test_odd_plans_get_an_answer_or_one_line(data: st.DataObject) -> None:
    """Plans with any value anywhere (wrong types, placeholders, missing parts) are explained
    in every format or refused as not a preview; nothing else escapes."""
    old = state(_mutated(data, _keyed()), {"is_default": data.draw(st.booleans())}, id="bpc_odd")
    old["outputs"]["_declared"] = data.draw(st.sampled_from([old["inputs"], None, "x", {}]))
    new = state(_mutated(data, _keyed()))
    if data.draw(st.booleans()):
        new["inputs"]["_lookup_prices"] = data.draw(ODD)
    raw = step(data.draw(st.sampled_from(OPS)), "odd", old=old, new=new)
    for key in data.draw(st.lists(st.sampled_from(["oldState", "newState", "op"]), max_size=2)):
        raw.pop(key, None)
    try:
        explanation = explain_plan(parse(preview(raw)), Offers())
    except PlanError as exc:
        assert "\n" not in str(exc)
        return
    for fmt in FORMATS:
        out = render(explanation, fmt)
        assert out.endswith("\n")
        for name in INTERNAL:
            assert name not in out
    json.loads(render(explanation, "json"))
