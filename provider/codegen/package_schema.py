"""The Pulumi package schema of the provider plugin, generated from the models.

Every language but Python meets the resource through this file: YAML type-checks programs
against it, and Pulumi's own generators write the TypeScript and Go SDKs from it
(provider/sdk, ``make generate``). Names follow Pulumi's conventions (camelCase properties);
object types are named as the Python classes are and enums after the field that holds
them, so every language says the same names. The plugin serves the file as it is.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pulumi_stripe_portal.schema.models import READ_ONLY, PortalConfigurationSpec, ReadOnly
from pulumi_stripe_portal.stripe_api.settings import CONFIG_KEYS
from pulumi_stripe_portal.wire_names import (
    GO_IMPORT_BASE,
    NPM_PACKAGE,
    RESOURCE_TOKEN,
    camel,
    pascal,
    token,
)
from pulumi_stripe_portal.wire_names import PACKAGE as NAME
from pulumi_stripe_portal.wire_names import enum_name as wire_enum_name

from .python import PACKAGE, Leaf, _output_models, _paths, fields

SCHEMA = PACKAGE / "plugin" / "schema.json"
PYPROJECT = PACKAGE.parent.parent / "pyproject.toml"
# Where the generated Go SDK lives as a module (provider/sdk/go/stripeportal).
TYPE_OF = {bool: "boolean", int: "integer", str: "string", float: "number"}


def _version() -> str:
    return str(tomllib.loads(PYPROJECT.read_text())["project"]["version"])


def enum_name(owner: type[BaseModel], leaf: Leaf, in_list: bool = False) -> str:
    """An enum's type name, by the rule of wire_names.py (``export`` spells it the same)."""
    return wire_enum_name(owner.__name__, leaf.name, in_list)


def type_name(owner: type[BaseModel], leaf: Leaf) -> str | None:
    """The schema type a field refers to (an object or an enum), if any."""
    inner = leaf.item if leaf.kind == "list" and leaf.item else leaf
    if inner.kind == "model" and inner.model:
        return inner.model.__name__
    if inner.kind == "enum":
        return enum_name(owner, inner, in_list=inner is not leaf)
    return None


class _Types:
    """The schema's object and enum types, collected while the properties are written."""

    def __init__(self) -> None:
        self.types: dict[str, dict[str, Any]] = {}

    def enum(self, owner: type[BaseModel], leaf: Leaf, in_list: bool) -> dict[str, str]:
        name = token(enum_name(owner, leaf, in_list))
        self.types[name] = {
            "type": "string",
            "description": leaf.description,
            "enum": [{"value": value, "name": pascal(value)} for value in leaf.choices],
        }
        return {"$ref": f"#/types/{name}"}

    def prop(self, owner: type[BaseModel], leaf: Leaf, in_list: bool = False) -> dict[str, Any]:
        if leaf.kind == "model":
            assert leaf.model
            return {"$ref": f"#/types/{token(leaf.model.__name__)}"}
        if leaf.kind == "list":
            assert leaf.item
            item = self.prop(owner, leaf.item, in_list=True)
            item.pop("description", None)
            return {"type": "array", "items": item}
        if leaf.kind == "map":
            return {"type": "object", "additionalProperties": {"type": "string"}}
        if leaf.kind == "enum":
            return self.enum(owner, leaf, in_list)
        return {"type": {"bool": "boolean", "int": "integer", "str": "string"}[leaf.kind]}

    def properties(self, model: type[BaseModel]) -> tuple[dict[str, Any], list[str]]:
        props, required = {}, []
        for leaf in fields(model):
            props[camel(leaf.name)] = {**self.prop(model, leaf), "description": leaf.description}
            if leaf.required:
                required.append(camel(leaf.name))
        return props, required


def _read_only(spec: ReadOnly) -> dict[str, Any]:
    kind = next(t for t in getattr(spec.type, "__args__", (spec.type,)) if t is not type(None))
    return {"type": TYPE_OF[kind], "description": spec.description}


def schema() -> dict[str, Any]:
    """The whole package schema, as a plain JSON tree."""
    types = _Types()
    paths = _paths()
    for model in _output_models():
        props, required = types.properties(model)
        for name, spec in READ_ONLY.get(paths.get(model, "-"), {}).items():
            props[camel(name)] = _read_only(spec)  # an output only: check refuses it as input
        types.types[token(model.__name__)] = {
            "type": "object",
            "description": (model.__doc__ or "").strip(),
            "properties": props,
            **({"required": required} if required else {}),
        }
    inputs, required_inputs = types.properties(PortalConfigurationSpec)
    outputs = dict(inputs)
    for name, spec in READ_ONLY[""].items():
        outputs[camel(name)] = _read_only(spec)
    always = ["active", "businessProfile", "features", "loginPage", "metadata", "created"]
    always += ["isDefault", "livemode", "updated"]
    config = {
        key.name: {
            "type": key.type,
            "description": f"{key.description} Falls back to the {key.env} environment variable.",
            **({"secret": True} if key.secret else {}),
        }
        for key in CONFIG_KEYS
    }
    return {
        "name": NAME,
        "displayName": "Stripe customer portal",
        "version": _version(),
        "description": "Stripe customer portal configurations as code: exact diffs and unsets, "
        "drift, adoption with ownership.",
        "keywords": ["pulumi", "stripe", "billing", "category/utility"],
        "license": "Apache-2.0",
        "config": {"variables": config},
        "provider": {
            "description": "The provider of stripe-portal resources: where and as whom to "
            "call Stripe.",
            "inputProperties": config,
        },
        "types": dict(sorted(types.types.items())),
        "resources": {
            RESOURCE_TOKEN: {
                "description": (
                    "A Stripe customer portal configuration (`billing_portal.configuration`). "
                    "`adopt` takes over an existing one instead of creating one; destroying it "
                    "deactivates it (Stripe has no delete), and the account's default is left "
                    "active with a warning."
                ),
                "inputProperties": inputs,
                "requiredInputs": required_inputs,
                "properties": outputs,
                "required": sorted(always),
            }
        },
        "language": {
            "nodejs": {
                "packageName": NPM_PACKAGE,
                "packageDescription": "Stripe customer portal configurations as code.",
                "dependencies": {"@pulumi/pulumi": "^3.270.0"},
                "typescriptVersion": "^5.9.3",
                "respectSchemaVersion": True,
            },
            "go": {
                "importBasePath": GO_IMPORT_BASE,
                "generateResourceContainerTypes": False,
                "respectSchemaVersion": True,
            },
        },
    }


def render() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def targets() -> dict[Path, str]:
    return {SCHEMA: render()}
