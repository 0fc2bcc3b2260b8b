"""The generated tree (schema/shape.py, what the provider reads) is the models' tree: every
kind, field, requirement, set, choice, default and type, node for node."""

from __future__ import annotations

from typing import Any

from pulumi_stripe_portal.schema import shape
from pulumi_stripe_portal.schema.models import READ_ONLY, ConfigurationParams
from pulumi_stripe_portal.schema.node import Node
from pulumi_stripe_portal.schema.tree import model_root, root


def facts(node: Node) -> Any:
    """Everything a node says but its model class (markers compared by their values)."""
    return {
        "kind": node.kind,
        "fields": {name: facts(child) for name, child in node.fields.items()},
        "required": node.required,
        "item": facts(node.item) if node.item else None,
        "set_like": node.set_like,
        "choices": node.choices,
        "default": (node.default.value,) if node.default else None,
        "unset": (node.unset.value,) if node.unset else None,
        "type": node.type,
    }


def test_the_generated_tree_is_the_models_tree() -> None:
    assert root() is shape.ROOT
    assert facts(root()) == facts(model_root())


def test_the_generated_names_are_the_models_names() -> None:
    assert shape.WRITABLE_FIELDS == tuple(ConfigurationParams.model_fields)
    assert shape.STRIPE_SET == tuple(READ_ONLY[""])
