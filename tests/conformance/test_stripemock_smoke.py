"""stripe-mock smoke tests: the pinned mock starts, and it knows the portal-configuration API.

stripe-mock keeps no state (responses are fixtures): these tests prove request *shapes*
against the OpenAPI spec bundled in the pinned stripe-mock, not lifecycles.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe
from stripe.params.billing_portal import _configuration_create_params as create_params_mod
from stripe.params.billing_portal import _configuration_modify_params as modify_params_mod

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stripemock import TEST_API_KEY, StripeMock  # noqa: E402

from support.samples import full  # noqa: E402

CONFIGURATIONS = "/v1/billing_portal/configurations"

# Every writable field of the create call (API version 2026-10-28, stripe 16.1.0), set once.
FULL_CREATE: dict[str, Any] = {k: v for k, v in full().items() if k != "active"}

MINIMAL_FEATURES: dict[str, Any] = {"invoice_history": {"enabled": True}}

# Fields that API version 2026-10-28 has and older specs may lack: probed one by one so a
# failure names the field.
NEWER_FIELDS: dict[str, dict[str, Any]] = {
    "name": {"name": "Portal"},
    "features.subscription_update.trial_update_behavior": {
        "features": {"subscription_update": {"enabled": True, "trial_update_behavior": "end_trial"}}
    },
    "features.subscription_update.schedule_at_period_end": {
        "features": {
            "subscription_update": {
                "enabled": True,
                "schedule_at_period_end": {"conditions": [{"type": "shortening_interval"}]},
            }
        }
    },
    "features.subscription_update.billing_cycle_anchor": {
        "features": {"subscription_update": {"enabled": True, "billing_cycle_anchor": "unchanged"}}
    },
    "features.payment_method_update.payment_method_configuration": {
        "features": {
            "payment_method_update": {"enabled": True, "payment_method_configuration": "pmc_1"}
        }
    },
    "features.subscription_cancel.cancellation_reason.feedback_options": {
        "features": {
            "subscription_cancel": {
                "enabled": True,
                "cancellation_reason": {
                    "enabled": True,
                    "options": ["other"],
                    "feedback_options": ["fo_1"],
                },
            }
        }
    },
    "features.subscription_pause": {
        "features": {"subscription_pause": {"enabled": True, "duration": {"type": "indefinite"}}}
    },
}


@pytest.fixture(scope="module")
def mock() -> Iterator[StripeMock]:
    with StripeMock.start() as running:
        yield running


@pytest.fixture()
def client(mock: StripeMock) -> stripe.StripeClient:
    return stripe.StripeClient(TEST_API_KEY, base_addresses={"api": mock.http_url})


def _raw(
    mock: StripeMock, method: str, path: str, form: dict[str, Any] | None = None
) -> tuple[int, dict[str, Any]]:
    """Send a form-encoded request as Stripe's SDKs do; return (status, JSON body)."""
    data = urllib.parse.urlencode(_flatten(form or {})).encode() if form is not None else None
    req = urllib.request.Request(
        mock.http_url + path,
        data=data,
        method=method,
        headers={"Authorization": f"Bearer {TEST_API_KEY}"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        items: list[tuple[str, str]] = []
        for k, v in value.items():
            items += _flatten(v, f"{prefix}[{k}]" if prefix else str(k))
        return items
    if isinstance(value, list):
        if not value:
            return [(prefix, "")]
        items = []
        for i, v in enumerate(value):
            items += _flatten(v, f"{prefix}[{i}]")
        return items
    if isinstance(value, bool):
        return [(prefix, "true" if value else "false")]
    return [(prefix, str(value))]


def _sdk_leaves(td: type, module: Any, prefix: str = "") -> set[str]:
    """Leaf field paths of one of the stripe SDK's params TypedDicts (lists as `x[]`)."""
    skip = set(stripe.RequestOptions.__annotations__) | {"expand"}
    out: set[str] = set()
    for key, ann in td.__annotations__.items():
        if key in skip:
            continue
        text = ann if isinstance(ann, str) else getattr(ann, "__forward_arg__", repr(ann))
        nested = re.findall(r"Configuration\w*Params\w+", text)
        if nested:
            sep = "[]." if "List[" in text else "."
            out |= _sdk_leaves(getattr(module, nested[0]), module, prefix + key + sep)
        else:
            out.add(prefix + key)
    return out


def _dict_leaves(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict) and not prefix.endswith("metadata"):
        out: set[str] = set()
        for k, v in value.items():
            out |= _dict_leaves(v, f"{prefix}.{k}" if prefix else k)
        return out
    if isinstance(value, list) and value and isinstance(value[0], dict):
        out = set()
        for v in value:
            out |= {f"{prefix}[]." + leaf for leaf in _dict_leaves(v)}
        return out
    return {prefix}


def test_sdk_creates_and_retrieves_a_portal_configuration(client: stripe.StripeClient) -> None:
    created = client.v1.billing_portal.configurations.create(
        params={
            "name": "Smoke portal",
            "features": {
                "invoice_history": {"enabled": True},
                "subscription_update": {"enabled": True, "trial_update_behavior": "end_trial"},
            },
        }
    )
    assert created.object == "billing_portal.configuration"
    assert created.id.startswith("bpc_")
    assert created.name == "Smoke portal"  # stripe-mock reflects posted scalars

    fetched = client.v1.billing_portal.configurations.retrieve(
        created.id, params={"expand": ["features.subscription_update.products"]}
    )
    assert fetched.object == "billing_portal.configuration"
    assert fetched.id == created.id
    assert isinstance(fetched.features.subscription_update.products, list)


def test_unknown_parameter_is_rejected_with_400(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.billing_portal.configurations.create(
            params={"features": MINIMAL_FEATURES, "no_such_param": "x"}  # type: ignore[typeddict-unknown-key]
        )
    assert info.value.http_status == 400
    assert "additional properties are not allowed" in str(info.value.user_message)


def test_enum_values_are_validated(mock: StripeMock) -> None:
    status, body = _raw(
        mock,
        "POST",
        CONFIGURATIONS,
        {"features": {"subscription_update": {"enabled": True, "trial_update_behavior": "bogus"}}},
    )
    assert status == 400, body
    assert "trial_update_behavior" in body["error"]["message"]


def test_full_create_payload_covers_every_sdk_field() -> None:
    sdk = _sdk_leaves(create_params_mod.ConfigurationCreateParams, create_params_mod)
    ours = _dict_leaves(FULL_CREATE)
    assert sdk - ours == set(), "FULL_CREATE misses SDK fields; extend it"
    assert ours - sdk == set(), "FULL_CREATE has fields the SDK does not know"


def test_stripe_mock_accepts_every_create_field(mock: StripeMock) -> None:
    status, body = _raw(mock, "POST", CONFIGURATIONS, FULL_CREATE)
    assert status == 200, f"stripe-mock rejected a field of the 2026-10-28 create call: {body}"
    assert body["object"] == "billing_portal.configuration"


@pytest.mark.parametrize("field", sorted(NEWER_FIELDS))
def test_stripe_mock_knows_recent_field(mock: StripeMock, field: str) -> None:
    form = {"features": dict(MINIMAL_FEATURES)}
    extra = NEWER_FIELDS[field]
    form["features"].update(extra.get("features", {}))
    form.update({k: v for k, v in extra.items() if k != "features"})
    status, body = _raw(mock, "POST", CONFIGURATIONS, form)
    assert status == 200, f"stripe-mock does not know {field}: {body}"


def test_update_accepts_active_and_empty_string_unsets(mock: StripeMock) -> None:
    assert "active" in _sdk_leaves(modify_params_mod.ConfigurationModifyParams, modify_params_mod)
    form = {
        "active": False,
        "name": "",
        "default_return_url": "",
        "metadata": "",
        "features": {
            "customer_update": {"allowed_updates": ""},
            "subscription_update": {"products": "", "schedule_at_period_end": {"conditions": ""}},
        },
    }
    status, body = _raw(mock, "POST", f"{CONFIGURATIONS}/bpc_123", form)
    assert status == 200, body
    assert body["active"] is False


def test_create_rejects_active(mock: StripeMock) -> None:
    status, body = _raw(
        mock, "POST", CONFIGURATIONS, {"features": MINIMAL_FEATURES, "active": False}
    )
    assert status == 400, body


def test_list_filters_and_no_delete_endpoint(mock: StripeMock) -> None:
    status, body = _raw(mock, "GET", f"{CONFIGURATIONS}?active=true&is_default=false&limit=3", None)
    assert status == 200, body
    assert body["object"] == "list"
    status, body = _raw(mock, "DELETE", f"{CONFIGURATIONS}/bpc_123", None)
    assert status == 404, body
    assert "Unrecognized request URL" in body["error"]["message"]


def test_listeners_are_loopback_only(mock: StripeMock) -> None:
    assert mock.http_url.startswith("http://127.0.0.1:")
    assert mock.https_url.startswith("https://127.0.0.1:")
