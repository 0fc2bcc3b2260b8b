"""The schema walker follows the SDK's types; the emulator's object follows its response class."""

from __future__ import annotations

import string
from typing import Any
from urllib.parse import urlencode

import stripe.billing_portal
from emu_support import FULL_FEATURES
from hypothesis import given, settings
from hypothesis import strategies as st
from stripe._encode import _api_encode

from pulumi_stripe_portal.emulator import Backend, Ctx, spec
from pulumi_stripe_portal.emulator.backend import defaults
from pulumi_stripe_portal.emulator.forms import parse_query


def test_walker_reads_required_keys_enums_and_unsets() -> None:
    assert spec.CREATE.required == {"features"}
    assert "active" in spec.UPDATE.fields and "active" not in spec.CREATE.fields
    assert not {"api_key", "expand", "idempotency_key"} & spec.CREATE.fields.keys()
    feats = spec.CREATE.fields["features"]
    assert isinstance(feats, spec.Hash)
    cancel = feats.fields["subscription_cancel"]
    assert isinstance(cancel, spec.Hash)
    assert cancel.required == {"enabled"}
    assert cancel.fields["mode"] == spec.Scalar("str", ("at_period_end", "immediately"))
    bp = spec.CREATE.fields["business_profile"]
    assert isinstance(bp, spec.Hash)
    assert bp.fields["privacy_policy_url"] == spec.Scalar("str")  # "" refused on create
    ubp = spec.UPDATE.fields["business_profile"]
    assert isinstance(ubp, spec.Hash)
    assert ubp.fields["privacy_policy_url"] == spec.Scalar("str", emptyable=True)
    assert spec.UPDATE.fields["metadata"] == spec.Map(emptyable=True)
    assert spec.LIST.fields["limit"] == spec.Scalar("int")


def _classes(cls: type) -> dict[str, type]:
    nested = {k: v for k, v in vars(cls).items() if isinstance(v, type)}
    inner = getattr(cls, "_inner_class_types", {})
    out = {}
    for field in cls.__annotations__:
        camel = "".join(p.title() for p in field.split("_"))
        if field in inner:
            out[field] = inner[field]
        elif camel in nested:
            out[field] = nested[camel]
    return out


def _compare(cls: type, obj: dict[str, Any], path: str) -> None:
    fields = {f for f in cls.__annotations__ if not f.startswith("_") and f != "OBJECT_NAME"}
    assert set(obj) == fields, path
    for field, sub in _classes(cls).items():
        value = obj[field]
        if isinstance(value, list):
            for item in value:
                _compare(sub, item, f"{path}.{field}[]")
        elif value is not None:
            _compare(sub, value, f"{path}.{field}")


def test_objects_have_exactly_the_response_class_fields() -> None:
    feats = {**FULL_FEATURES, "subscription_update": {**FULL_FEATURES["subscription_update"]}}
    obj = Backend().create(
        Ctx(), {"features": feats, "expand": ["features.subscription_update.products"]}
    )
    _compare(stripe.billing_portal.Configuration, obj, "configuration")
    assert set(defaults()) | {"id", "created", "updated", "is_default", "livemode"} == set(obj)


_KEYS = st.text(
    alphabet=string.ascii_letters + string.digits + " _-.:/&=?%+é",
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(meta=st.dictionaries(_KEYS, st.text(min_size=1, max_size=50), max_size=8))
def test_sdk_form_encoding_round_trips_through_the_parser(meta: dict[str, str]) -> None:
    params = {"features": FULL_FEATURES, "metadata": meta}
    body = urlencode([(k, str(v)) for k, v in _api_encode(params)])
    typed = spec.validate(spec.CREATE, parse_query(body))
    assert typed.get("metadata", {}) == meta
    assert typed["features"]["subscription_update"]["products"] == [
        {"product": "prod_1", "prices": ["price_1"]}
    ]


def test_the_api_version_written_down_is_the_sdks() -> None:
    """spec.API_VERSION is the shape of the answers; the SDK's own constant is private."""
    assert spec.API_VERSION == stripe.api_version


def test_request_options_are_left_out_by_their_public_name() -> None:
    assert set(stripe.RequestOptions.__annotations__) >= {"api_key", "idempotency_key"}
    assert not set(stripe.RequestOptions.__annotations__) & spec.CREATE.fields.keys()
