"""Products, prices and the portal's reference rules, through the real stripe SDK."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import stripe
from emu_support import BASE, KEY, Raw, error_of, make_client

from pulumi_stripe_portal.emulator import CatalogError, Emulator
from pulumi_stripe_portal.emulator import StripeError as EmulatorError

from support.samples import with_plans

SAMPLE = Path(__file__).parents[2] / "examples" / "multi-stack" / "catalog.json"
UPDATES = "features[subscription_update][products]"


@pytest.fixture
def sdk(client: stripe.StripeClient) -> Any:
    return client.v1


def _price(sdk: Any, product: str, key: str | None = None, **extra: Any) -> Any:
    params: dict[str, Any] = {
        "product": product,
        "currency": "usd",
        "unit_amount": 900,
        "recurring": {"interval": "month"},
        **extra,
    }
    if key is not None:
        params["lookup_key"] = key
    return sdk.prices.create(params=params)


def _portal(products: list[dict[str, Any]]) -> dict[str, Any]:
    """Create params offering ``products`` (the shared declaration less the resource's
    own ``active``, which the create endpoint does not take)."""
    params = with_plans(*products)
    del params["active"]
    return params


# products ------------------------------------------------------------------------------


def test_product_with_a_custom_id(sdk: Any) -> None:
    made = sdk.products.create(params={"id": "prod_basic", "name": "Basic"}).to_dict()
    assert made["id"] == "prod_basic" and made["object"] == "product"
    assert made["active"] is True and made["livemode"] is False
    assert made["name"] == "Basic" and made["metadata"] == {}
    assert sdk.products.retrieve("prod_basic").to_dict() == made


def test_product_without_an_id_gets_one(sdk: Any) -> None:
    made = sdk.products.create(params={"name": "Anon", "active": False})
    assert re.fullmatch(r"prod_[A-Za-z0-9]{14}", made.id)
    assert made.active is False


def test_product_errors(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_x", "name": "X"})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.products.create(params={"id": "prod_x", "name": "Again"})
    assert error_of(exc)["code"] == "resource_already_exists"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.products.create(params={"id": "prod_y"})
    assert error_of(exc)["param"] == "name" and error_of(exc)["code"] == "parameter_missing"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.products.retrieve("prod_nope")
    assert exc.value.http_status == 404
    assert error_of(exc)["message"] == "No such product: 'prod_nope'"
    assert error_of(exc)["code"] == "resource_missing"


# prices --------------------------------------------------------------------------------


def test_price_shape(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    made = _price(sdk, "prod_basic", "basic_monthly", currency="USD").to_dict()
    assert re.fullmatch(r"price_[A-Za-z0-9]{24}", made.pop("id"))
    assert isinstance(made.pop("created"), int)
    assert made == {
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "currency": "usd",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": "basic_monthly",
        "metadata": {},
        "nickname": None,
        "product": "prod_basic",
        "recurring": {
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": 900,
        "unit_amount_decimal": Decimal("900"),  # the SDK parses the decimal string
    }


def test_one_time_price_and_retrieve(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    made = sdk.prices.create(params={"product": "prod_basic", "currency": "eur", "unit_amount": 0})
    assert made.type == "one_time" and made.recurring is None and made.lookup_key is None
    assert sdk.prices.retrieve(made.id).to_dict() == made.to_dict()
    expanded = sdk.prices.retrieve(made.id, params={"expand": ["product"]})
    assert expanded.product.id == "prod_basic" and expanded.product.name == "Basic"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.retrieve("price_nope")
    assert exc.value.http_status == 404
    assert error_of(exc)["message"] == "No such price: 'price_nope'"


def test_price_with_product_data_creates_the_product(sdk: Any) -> None:
    made = sdk.prices.create(
        params={"currency": "usd", "unit_amount": 5, "product_data": {"name": "Inline"}}
    )
    assert sdk.products.retrieve(made.product).name == "Inline"


@pytest.mark.parametrize(
    ("params", "param", "message"),
    [
        ({"product": "prod_nope"}, "product", "No such product: 'prod_nope'"),
        ({"product": None}, "product", "You must specify either `product` or `product_data`"),
        ({"unit_amount": None}, "unit_amount", "Missing required param: unit_amount."),
        ({"unit_amount": -1}, "unit_amount", "greater than or equal to 0"),
        ({"currency": "dollars"}, "currency", "Invalid currency: dollars."),
        (
            {"recurring": {"interval": "month", "interval_count": 37}},
            "recurring[interval_count]",
            "Maximum of three years",
        ),
        ({"recurring": {"interval": "fortnight"}}, "recurring[interval]", "must be one of"),
        ({"recurring": {"interval_count": 2}}, "recurring[interval]", "Missing required param"),
        ({"tiers_mode": "graduated"}, "tiers_mode", "does not emulate"),
        ({"lookup_key": "k" * 201}, "lookup_key", "at most 200 characters"),
    ],
)
def test_price_errors(sdk: Any, params: dict[str, Any], param: str, message: str) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    base: dict[str, Any] = {
        "product": "prod_basic",
        "currency": "usd",
        "unit_amount": 900,
        "recurring": {"interval": "month"},
    }
    base.update(params)
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.create(params={k: v for k, v in base.items() if v is not None})
    assert exc.value.http_status == 400
    assert error_of(exc)["param"] == param
    assert message in error_of(exc)["message"]
    assert sdk.prices.list().data == []


def test_a_lookup_key_belongs_to_one_price(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    old = _price(sdk, "prod_basic", "basic_monthly")
    with pytest.raises(stripe.InvalidRequestError) as exc:
        _price(sdk, "prod_basic", "basic_monthly", unit_amount=1000)
    assert error_of(exc)["param"] == "lookup_key"
    assert error_of(exc)["message"] == f"A price (`{old.id}`) already uses that lookup key."
    new = _price(sdk, "prod_basic", "basic_monthly", unit_amount=1000, transfer_lookup_key=True)
    assert new.lookup_key == "basic_monthly"
    assert sdk.prices.retrieve(old.id).lookup_key is None
    found = sdk.prices.list(params={"lookup_keys": ["basic_monthly"]}).data
    assert [p.id for p in found] == [new.id]


def test_update_moves_and_archives(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    a = _price(sdk, "prod_basic", "basic_monthly")
    b = _price(sdk, "prod_basic")
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.update(b.id, params={"lookup_key": "basic_monthly"})
    assert error_of(exc)["param"] == "lookup_key"
    assert sdk.prices.retrieve(b.id).lookup_key is None
    moved = sdk.prices.update(
        b.id, params={"lookup_key": "basic_monthly", "transfer_lookup_key": True}
    )
    assert moved.lookup_key == "basic_monthly"
    assert sdk.prices.retrieve(a.id).lookup_key is None
    again = sdk.prices.update(b.id, params={"lookup_key": "basic_monthly"})  # its own key
    assert again.lookup_key == "basic_monthly"
    archived = sdk.prices.update(
        a.id, params={"active": False, "nickname": "old", "metadata": {"why": "moved"}}
    )
    assert archived.active is False and archived.nickname == "old"
    assert archived.metadata.to_dict() == {"why": "moved"}
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.update(a.id, params={"unit_amount": 5})
    assert error_of(exc)["code"] == "parameter_unknown"
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.update("price_nope", params={"active": False})
    assert exc.value.http_status == 404


def test_list_filters(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    sdk.products.create(params={"id": "prod_pro", "name": "Pro"})
    bm = _price(sdk, "prod_basic", "basic_monthly")
    by = _price(sdk, "prod_basic", "basic_yearly", recurring={"interval": "year"})
    pm = _price(sdk, "prod_pro", "pro_monthly")
    one = sdk.prices.create(params={"product": "prod_pro", "currency": "eur", "unit_amount": 1})
    sdk.prices.update(by.id, params={"active": False})

    def ids(**params: Any) -> list[str]:
        return [p.id for p in sdk.prices.list(params=params).data]

    assert ids() == [one.id, pm.id, by.id, bm.id]  # newest first
    assert ids(lookup_keys=["pro_monthly", "basic_yearly", "absent"]) == [pm.id, by.id]
    assert ids(product="prod_basic") == [by.id, bm.id]
    assert ids(active=True) == [one.id, pm.id, bm.id]
    assert ids(active=False) == [by.id]
    assert ids(type="one_time") == [one.id]
    assert ids(currency="EUR") == [one.id]
    assert ids(recurring={"interval": "year"}) == [by.id]
    assert ids(product="prod_basic", active=True, lookup_keys=["basic_monthly"]) == [bm.id]
    assert ids(created={"gte": bm.created}) == [one.id, pm.id, by.id, bm.id]
    assert ids(created={"lt": bm.created}) == []
    expanded = sdk.prices.list(params={"product": "prod_pro", "expand": ["data.product"]})
    assert {p.product.id for p in expanded.data} == {"prod_pro"}


def test_at_most_ten_lookup_keys(sdk: Any) -> None:
    ten = [f"k{i}" for i in range(10)]
    assert sdk.prices.list(params={"lookup_keys": ten}).data == []
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.list(params={"lookup_keys": [*ten, "k10"]})
    assert exc.value.http_status == 400
    assert error_of(exc)["param"] == "lookup_keys"


def test_pages_and_cursors(sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    made = [_price(sdk, "prod_basic", f"k{i}").id for i in range(7)]
    first = sdk.prices.list(params={"limit": 3})
    assert first.has_more is True and [p.id for p in first.data] == made[::-1][:3]
    every = [p.id for p in sdk.prices.list(params={"limit": 3}).auto_paging_iter()]
    assert every == made[::-1]
    back = sdk.prices.list(params={"limit": 2, "ending_before": made[0]})
    assert [p.id for p in back.data] == [made[2], made[1]]
    for cursor in ("starting_after", "ending_before"):
        with pytest.raises(stripe.InvalidRequestError) as exc:
            sdk.prices.list(params={cursor: "price_nope"})
        assert error_of(exc)["param"] == cursor
    with pytest.raises(stripe.InvalidRequestError) as exc:
        sdk.prices.list(params={"limit": 101})
    assert error_of(exc)["param"] == "limit"


def test_catalogue_is_scoped_by_account_and_mode(emu: Emulator, sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    price = _price(sdk, "prod_basic", "basic_monthly")
    live = make_client(emu, "sk_live_123").v1
    assert live.prices.list(params={"lookup_keys": ["basic_monthly"]}).data == []
    with pytest.raises(stripe.InvalidRequestError):
        live.prices.retrieve(price.id)
    with pytest.raises(stripe.InvalidRequestError):
        live.products.retrieve("prod_basic")
    connected = {"stripe_account": "acct_1Other"}
    assert sdk.prices.list(options=connected).data == []
    made = sdk.products.create(params={"id": "prod_basic", "name": "Theirs"}, options=connected)
    assert made.name == "Theirs"
    assert sdk.products.retrieve("prod_basic").name == "Basic"


def test_price_creates_are_idempotent(emu: Emulator, sdk: Any) -> None:
    sdk.products.create(params={"id": "prod_basic", "name": "Basic"})
    opts = {"idempotency_key": "one-price"}
    first = _price_with(sdk, opts)
    again = _price_with(sdk, opts)
    assert again.id == first.id
    assert len(sdk.prices.list().data) == 1
    assert emu.route_counts[("POST", "/v1/prices")] == 2


def _price_with(sdk: Any, options: dict[str, str]) -> Any:
    params = {"product": "prod_basic", "currency": "usd", "unit_amount": 1, "lookup_key": "a"}
    return sdk.prices.create(params=params, options=options)


# the portal's reference rules ----------------------------------------------------------


def test_references_are_not_checked_by_default(configs: Any) -> None:
    made = configs.create(params=_portal([{"product": "prod_made_up", "prices": ["price_x"]}]))
    assert made.id.startswith("bpc_")


@pytest.fixture
def catalogue(emu: Emulator, sdk: Any) -> dict[str, str]:
    """The sample catalogue loaded (references now checked), plus two odd prices."""
    emu.load_catalog(SAMPLE)
    prices = {p.lookup_key: p.id for p in sdk.prices.list(params={"limit": 100}).data}
    prices["basic_monthly_2"] = _price(sdk, "prod_basic", "basic_monthly_2").id
    prices["pro_once"] = sdk.prices.create(
        params={"product": "prod_pro", "currency": "usd", "unit_amount": 5}
    ).id
    prices["pro_old"] = _price(sdk, "prod_pro", "pro_old", active=False).id
    return prices


def test_a_valid_portal_passes_the_check(configs: Any, catalogue: dict[str, str]) -> None:
    made = configs.create(
        params={
            **_portal(
                [
                    {
                        "product": "prod_basic",
                        "prices": [catalogue["basic_monthly"], catalogue["basic_yearly"]],
                    },
                    {"product": "prod_pro", "prices": [catalogue["pro_monthly"]]},
                ]
            ),
            "expand": ["features.subscription_update.products"],
        }
    )
    assert [p.product for p in made.features.subscription_update.products] == [
        "prod_basic",
        "prod_pro",
    ]


@pytest.mark.parametrize(
    ("products", "param", "message"),
    [
        (
            [{"product": "prod_nope", "prices": ["@basic_monthly"]}],
            f"{UPDATES}[0][product]",
            "No such product: 'prod_nope'",
        ),
        (
            [
                {"product": "prod_pro", "prices": ["@pro_monthly"]},
                {"product": "prod_basic", "prices": ["@basic_monthly", "price_nope"]},
            ],
            f"{UPDATES}[1][prices][1]",
            "No such price: 'price_nope'",
        ),
        (
            [{"product": "prod_basic", "prices": ["@pro_monthly"]}],
            f"{UPDATES}[0][prices][0]",
            "does not belong to the product `prod_basic`",
        ),
        (
            [{"product": "prod_pro", "prices": ["@pro_old"]}],
            f"{UPDATES}[0][prices][0]",
            "is not active",
        ),
        (
            [{"product": "prod_pro", "prices": ["@pro_once"]}],
            f"{UPDATES}[0][prices][0]",
            "is not a recurring price",
        ),
        (
            [{"product": "prod_basic", "prices": ["@basic_monthly", "@basic_monthly_2"]}],
            f"{UPDATES}[0][prices][1]",
            "same recurring interval",
        ),
    ],
)
def test_bad_references_get_stripes_error(
    emu: Emulator,
    configs: Any,
    catalogue: dict[str, str],
    products: list[dict[str, Any]],
    param: str,
    message: str,
) -> None:
    for p in products:
        p["prices"] = [catalogue[x[1:]] if x.startswith("@") else x for x in p["prices"]]
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.create(params=_portal(products))
    assert exc.value.http_status == 400
    err = error_of(exc)
    assert err["type"] == "invalid_request_error"
    assert err["param"] == param and message in err["message"]
    assert configs.list().data == []
    good = configs.create(
        params=_portal([{"product": "prod_pro", "prices": [catalogue["pro_monthly"]]}])
    )
    with pytest.raises(stripe.InvalidRequestError) as exc:
        configs.update(good.id, params=_portal(products))
    assert error_of(exc)["param"] == param
    kept = configs.retrieve(good.id, params={"expand": ["features.subscription_update.products"]})
    assert kept.features.subscription_update.products[0].prices == [catalogue["pro_monthly"]]
    with pytest.raises(EmulatorError) as seeded:
        emu.seed_default(_portal(products))
    assert seeded.value.param == param


def test_updates_that_do_not_post_products_are_not_rejudged(
    configs: Any, sdk: Any, catalogue: dict[str, str]
) -> None:
    made = configs.create(
        params=_portal([{"product": "prod_pro", "prices": [catalogue["pro_monthly"]]}])
    )
    sdk.prices.update(catalogue["pro_monthly"], params={"active": False})
    assert configs.update(made.id, params={"name": "renamed"}).name == "renamed"


def test_the_raw_error_body_matches_stripes_shape(raw: Raw, catalogue: dict[str, str]) -> None:
    form = [
        ("features[payment_method_update][enabled]", "true"),
        ("features[subscription_update][enabled]", "true"),
        ("features[subscription_update][default_allowed_updates][0]", "price"),
        ("features[subscription_update][products][0][product]", "prod_basic"),
        ("features[subscription_update][products][0][prices][0]", "price_x"),
    ]
    answer = raw("POST", BASE, form)
    assert answer.status == 400
    assert {k: v for k, v in answer.error.items() if k != "request_log_url"} == {
        "type": "invalid_request_error",
        "message": "No such price: 'price_x'",
        "param": f"{UPDATES}[0][prices][0]",
        "code": "resource_missing",
        "doc_url": "https://stripe.com/docs/error-codes/resource-missing",
    }


# catalogue seeds -----------------------------------------------------------------------


def test_the_sample_catalogue(emu: Emulator, sdk: Any) -> None:
    made = emu.load_catalog(SAMPLE)
    assert emu.request_count == 0
    assert made["products"] == ["prod_basic", "prod_pro"] * 2  # test mode, then live mode
    assert len(made["prices"]) == 8
    keys = ["basic_monthly", "basic_yearly", "pro_monthly", "pro_yearly"]
    test_prices = sdk.prices.list(params={"lookup_keys": keys}).data
    assert sorted((p.lookup_key, p.product, p.recurring.interval) for p in test_prices) == [
        ("basic_monthly", "prod_basic", "month"),
        ("basic_yearly", "prod_basic", "year"),
        ("pro_monthly", "prod_pro", "month"),
        ("pro_yearly", "prod_pro", "year"),
    ]
    live = make_client(emu, "sk_live_123").v1
    live_prices = live.prices.list(params={"lookup_keys": keys}).data
    assert {p.lookup_key for p in live_prices} == set(keys)
    assert not {p.id for p in live_prices} & {p.id for p in test_prices}  # ids differ by mode
    assert all(p.livemode for p in live_prices)


def test_loading_is_idempotent(emu: Emulator, sdk: Any) -> None:
    emu.load_catalog(SAMPLE, livemode=False)
    before = sorted(p.id for p in sdk.prices.list(params={"limit": 100}).data)
    assert emu.load_catalog(SAMPLE, livemode=False) == {"products": [], "prices": []}
    assert sorted(p.id for p in sdk.prices.list(params={"limit": 100}).data) == before


def test_a_seed_may_fix_price_ids_and_target_an_account(emu: Emulator, sdk: Any) -> None:
    seed = {
        "products": [{"id": "prod_a", "name": "A"}],
        "prices": [{"id": "price_fixed", "product": "prod_a", "currency": "usd", "unit_amount": 1}],
    }
    emu.load_catalog(seed, account="acct_1Seeded", livemode=False)
    opts = {"stripe_account": "acct_1Seeded"}
    assert sdk.prices.retrieve("price_fixed", options=opts).product == "prod_a"
    with pytest.raises(stripe.InvalidRequestError):
        sdk.prices.retrieve("price_fixed")


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ({"products": [{"name": "no id"}]}, "catalogue products[0]: needs an `id`"),
        (
            {"products": [{"id": "prod_a", "name": "A"}], "prices": [{"product": "prod_a"}]},
            "catalogue prices[0]: needs a `lookup_key` or an `id`",
        ),
        (
            {
                "products": [{"id": "prod_a", "name": "A"}],
                "prices": [
                    {"product": "prod_b", "currency": "usd", "unit_amount": 1, "lookup_key": "k"}
                ],
            },
            "catalogue prices[0] (product): No such product: 'prod_b'",
        ),
        ({"products": [{"id": "prod_a"}]}, "catalogue products[0] (name): Missing required"),
        ({"plans": []}, "catalogue: unknown key(s) plans"),
        ({"prices": {}}, "catalogue: `prices` must be a list"),
    ],
)
def test_a_bad_seed_stores_nothing(
    emu: Emulator, sdk: Any, seed: dict[str, Any], message: str
) -> None:
    with pytest.raises(CatalogError) as exc:
        emu.load_catalog(seed)
    assert str(exc.value).startswith(message)
    with pytest.raises(stripe.InvalidRequestError):
        sdk.products.retrieve("prod_a")
    assert sdk.prices.list().data == []


def test_a_seed_file(emu: Emulator, sdk: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"products": [{"id": "prod_f", "name": "F"}]}))
    emu.load_catalog(str(path))
    assert sdk.products.retrieve("prod_f").name == "F"
    with pytest.raises(CatalogError, match="catalogue .*nope.json"):
        emu.load_catalog(tmp_path / "nope.json")
    path.write_text("{not json")
    with pytest.raises(CatalogError):
        emu.load_catalog(path)


def test_reset_forgets_the_catalogue_and_the_check(emu: Emulator, configs: Any, sdk: Any) -> None:
    emu.load_catalog(SAMPLE)
    emu.reset()
    assert sdk.prices.list().data == []
    made = configs.create(params=_portal([{"product": "prod_basic", "prices": ["price_any"]}]))
    assert made.id.startswith("bpc_")


def test_constructor_catalogue_and_seeded_default() -> None:
    with Emulator(catalog=SAMPLE) as emu:
        v1 = make_client(emu).v1
        [monthly] = v1.prices.list(params={"lookup_keys": ["basic_monthly"]}).data
        seeded = emu.seed_default(_portal([{"product": "prod_basic", "prices": [monthly.id]}]))
        assert seeded["features"]["subscription_update"]["products"][0]["prices"] == [monthly.id]
        with pytest.raises(stripe.InvalidRequestError):
            v1.billing_portal.configurations.create(
                params=_portal([{"product": "prod_basic", "prices": ["price_made_up"]}])
            )
        emu.reset()
        assert v1.prices.list().data == []  # reset forgets seeds, constructor ones too


def test_check_references_without_a_catalogue() -> None:
    with Emulator(check_references=True) as emu:
        configs = make_client(emu, KEY).v1.billing_portal.configurations
        with pytest.raises(stripe.InvalidRequestError) as exc:
            configs.create(params=_portal([{"product": "prod_basic", "prices": ["price_1"]}]))
        assert error_of(exc)["param"] == f"{UPDATES}[0][product]"
        emu.set_check_references(False)
        configs.create(params=_portal([{"product": "prod_basic", "prices": ["price_1"]}]))


def test_lookup_keys_in_every_form_encoding(raw: Raw, catalogue: dict[str, str]) -> None:
    for name in ("lookup_keys[]", "lookup_keys[0]"):
        answer = raw("GET", "/v1/prices", [(name, "pro_monthly")])
        assert answer.status == 200
        assert [p["id"] for p in answer.body["data"]] == [catalogue["pro_monthly"]]
    eleven = [("lookup_keys[]", f"k{i}") for i in range(11)]
    answer = raw("GET", "/v1/prices", eleven)
    assert answer.status == 400 and answer.error["param"] == "lookup_keys"


def test_seeds_refuse_a_malformed_account(emu: Emulator) -> None:
    with pytest.raises(ValueError, match="not an account id"):
        emu.seed_default(account="platform")
    with pytest.raises(ValueError, match="not an account id"):
        emu.load_catalog(SAMPLE, account="team-a")
