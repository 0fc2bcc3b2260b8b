"""Parity with the API's own definition: the stripe SDK's generated types are the referee.

The pydantic models (the provider's one source of truth) must cover every writable field of
``ConfigurationCreateParams`` / ``ConfigurationModifyParams`` and nothing the API lacks, with
the same kinds, the same enum literals and the same required-ness on create; every writable
field must come back in the response class (so outputs can mirror it); and the typed
``*Args`` classes must name exactly the model fields. Each failure lists exactly what
differs, so bumping the stripe SDK shows what changed in the API.
"""

from __future__ import annotations

import dataclasses

import pytest
import stripe
from api_tree import Field, model_classes, model_tree, params_tree, response_tree
from referees import RESULTS
from stripe.params.billing_portal import ConfigurationCreateParams, ConfigurationModifyParams

from pulumi_stripe_portal import args as args_module
from pulumi_stripe_portal.names import RESOURCE_ONLY_FIELDS
from pulumi_stripe_portal.schema.models import PortalConfigurationSpec

CREATE = params_tree(ConfigurationCreateParams)
MODIFY = params_tree(ConfigurationModifyParams)
RESPONSE = response_tree(stripe.billing_portal.Configuration)
MODELS = model_tree(PortalConfigurationSpec)

# The resource's own fields: `active` is writable on update only (ModifyParams has it),
# `stripe_account` is the Connect header, not a parameter.
UPDATE_ONLY = {"active"}
NOT_A_PARAMETER = {"stripe_account", "adopt"}
assert UPDATE_ONLY | NOT_A_PARAMETER == set(RESOURCE_ONLY_FIELDS)

# Documented narrowings: enum values the API type lists but the models refuse on purpose.
# The SDK's own docstring for subscription_cancel.proration_behavior says "Passing
# `always_invoice` will result in an error", so the models reject it at preview.
NARROWED_ENUMS: dict[str, frozenset[str]] = {
    "features.subscription_cancel.proration_behavior": frozenset({"always_invoice"}),
}

# The writable API: every create parameter plus the update-only ones.
API = {**CREATE, **{k: MODIFY[k] for k in UPDATE_ONLY}}
# Our own extension, resolved by the provider before anything reaches Stripe: a product's
# prices may be named by lookup key (prices.py), so `prices` is optional there; a
# cross-field rule in models.py requires `prices`, `lookup_keys` or both.
OUR_EXTENSIONS = {"features.subscription_update.products[].lookup_keys"}
RELAXED_REQUIRED = {"features.subscription_update.products[].prices"}
MODELLED = {k: v for k, v in MODELS.items() if k not in NOT_A_PARAMETER | OUR_EXTENSIONS}


def _listing(title: str, lines: list[str]) -> str:
    return f"{title} ({len(lines)}):\n  " + "\n  ".join(lines)


def test_models_cover_exactly_the_writable_api() -> None:
    RESULTS["fields"] = (len(set(API) & set(MODELLED)), len(API))
    missing = sorted(set(API) - set(MODELLED))
    extra = sorted(set(MODELLED) - set(API))
    problems = []
    if missing:
        problems.append(
            _listing(
                "API fields the models lack",
                [f"{p}: {API[p].describe()}" for p in missing],
            )
        )
    if extra:
        problems.append(
            _listing(
                "model fields the API lacks",
                [f"{p}: {MODELLED[p].describe()}" for p in extra],
            )
        )
    assert not problems, "\n".join(problems)


def test_update_parameters_are_the_create_parameters_plus_active() -> None:
    """Whatever create can set, update can change (or unset): same tree, plus ``active``."""
    only_modify = sorted(set(MODIFY) - set(CREATE))
    only_create = sorted(set(CREATE) - set(MODIFY))
    assert only_modify == sorted(UPDATE_ONLY) and only_create == [], (
        f"ModifyParams-only fields: {only_modify}; CreateParams-only fields: {only_create}"
    )
    differ = [
        f"{p}: create {CREATE[p].describe()} / modify {MODIFY[p].describe()}"
        for p in sorted(set(CREATE) & set(MODIFY))
        if (CREATE[p].kind, CREATE[p].is_list, CREATE[p].enum)
        != (MODIFY[p].kind, MODIFY[p].is_list, MODIFY[p].enum)
    ]
    assert not differ, _listing("create and modify types differ", differ)


def test_kinds_match() -> None:
    differ = [
        f"{p}: API {API[p].describe()} / models {MODELLED[p].describe()}"
        for p in sorted(set(API) & set(MODELLED))
        if (API[p].kind, API[p].is_list) != (MODELLED[p].kind, MODELLED[p].is_list)
    ]
    assert not differ, _listing("value kinds differ", differ)


def test_enum_literals_match_exactly() -> None:
    differ = []
    for path in sorted(set(API) & set(MODELLED)):
        api, ours = API[path].enum or frozenset(), MODELLED[path].enum or frozenset()
        # Both request types must agree, and the models may leave out only what is listed.
        allowed_gap = NARROWED_ENUMS.get(path, frozenset())
        if api - ours != allowed_gap or ours - api:
            differ.append(
                f"{path}: API {sorted(api)} / models {sorted(ours)}"
                + (f" (documented narrowing: {sorted(allowed_gap)})" if allowed_gap else "")
            )
    stale = [p for p in NARROWED_ENUMS if p not in API or not NARROWED_ENUMS[p] <= API[p].enum]
    assert not differ, _listing("enum literals differ", differ)
    assert not stale, f"NARROWED_ENUMS entries the API no longer needs: {stale}"


def test_required_on_create_matches() -> None:
    differ = [
        f"{p}: API {'required' if CREATE[p].required else 'optional'} / models "
        f"{'required' if MODELLED[p].required else 'optional'}"
        for p in sorted(set(CREATE) & set(MODELLED))
        if CREATE[p].required != MODELLED[p].required and p not in RELAXED_REQUIRED
    ]
    assert not differ, _listing("required-ness on create differs", differ)
    stale = [p for p in RELAXED_REQUIRED if not CREATE[p].required or MODELLED[p].required]
    assert not stale, f"RELAXED_REQUIRED entries no longer relaxed: {stale}"
    assert OUR_EXTENSIONS <= set(MODELS) and not OUR_EXTENSIONS & set(API)


def test_every_writable_field_is_in_the_response() -> None:
    missing = sorted(p for p in MODELLED if p not in RESPONSE)
    assert not missing, _listing(
        "writable fields missing from stripe.billing_portal.Configuration", missing
    )
    kinds = [
        f"{p}: response {RESPONSE[p].describe()} / models {MODELLED[p].describe()}"
        for p in sorted(MODELLED)
        if (RESPONSE[p].kind, RESPONSE[p].is_list) != (MODELLED[p].kind, MODELLED[p].is_list)
    ]
    assert not kinds, _listing("response kinds differ", kinds)


def test_response_read_only_fields_are_the_documented_ones() -> None:
    """What the response has beyond the writable tree is what the outputs add."""
    read_only = sorted(p for p in RESPONSE if p not in MODELLED)
    assert read_only == sorted(
        [
            "application",
            "created",
            "id",
            "is_default",
            "livemode",
            "login_page.url",
            "object",
            "updated",
        ]
    ), _listing("read-only response fields", read_only)


def _args_class(model_name: str) -> type:
    name = "PortalConfigurationArgs" if model_name == "PortalConfigurationSpec" else model_name
    name = name if name.endswith("Args") else f"{name}Args"
    cls = getattr(args_module, name, None)
    if cls is None:
        pytest.fail(f"args.py has no {name} for model {model_name}")
    return cls


def test_args_classes_mirror_the_models() -> None:
    differ = []
    classes = model_classes(PortalConfigurationSpec)
    for name, model in sorted(classes.items()):
        args_cls = _args_class(name)
        fields = {f.name: f for f in dataclasses.fields(args_cls)}
        ours = set(model.model_fields)
        if set(fields) != ours:
            differ.append(
                f"{args_cls.__name__} vs {name}: only in args {sorted(set(fields) - ours)}, "
                f"only in model {sorted(ours - set(fields))}"
            )
            continue
        for key, info in model.model_fields.items():
            arg_required = (
                fields[key].default is dataclasses.MISSING
                and fields[key].default_factory is dataclasses.MISSING
            )
            if arg_required != info.is_required():
                differ.append(
                    f"{args_cls.__name__}.{key}: args "
                    f"{'required' if arg_required else 'optional'} / model "
                    f"{'required' if info.is_required() else 'optional'}"
                )
    expected = {_args_class(n).__name__ for n in classes}
    defined = {
        n
        for n, v in vars(args_module).items()
        if n.endswith("Args") and dataclasses.is_dataclass(v)
    }
    if defined != expected:
        differ.append(f"args classes without a model: {sorted(defined - expected)}")
    assert not differ, _listing("args.py differs from the models", differ)


def test_walkers_see_the_whole_tree() -> None:
    """Guards the referee itself: a walker that silently stopped would make parity vacuous."""
    assert isinstance(API["features"], Field) and API["features"].required
    for tree in (CREATE, MODIFY, RESPONSE, MODELS):
        assert "features.subscription_update.products[].adjustable_quantity.maximum" in tree
        assert "features.subscription_pause.duration.interval_options[].interval" in tree
    assert len(API) >= 50
