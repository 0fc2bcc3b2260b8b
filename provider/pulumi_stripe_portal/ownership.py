"""The ownership marker: metadata ``pulumi_owner`` = ``<project>/<stack>/<resource name>``.

Stripe has no notion of who manages a configuration. The marker is how a stack recognises
its own configuration (adoption, a create retried after a crash) and refuses one that
another stack manages, so two stacks sharing a test-mode account cannot silently overwrite
each other's portal. It lives in Stripe's metadata but never in the resource's ``metadata``
output, its diffs or its drift: it is the provider's, not the user's.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .names import OWNER_MARKER as MARKER

OWNER_KEY = "_owner"  # the hidden input that carries it from the program to the provider


def owner_id(project: str, stack: str, resource_name: str) -> str:
    return f"{project}/{stack}/{resource_name}"


def creation_key(owner: str, account: str | None) -> str:
    """The idempotency key of a resource's create: the same on every retry of it."""
    digest = hashlib.sha256(f"{owner}\n{account or ''}".encode()).hexdigest()[:40]
    return f"pulumi-stripe-portal-create-{digest}"


def owner_of(stripe_object: dict[str, Any]) -> str | None:
    """The marker a Stripe object carries, if any."""
    metadata = stripe_object.get("metadata") or {}
    value = metadata.get(MARKER) if isinstance(metadata, dict) else None
    return value or None


def without_marker(metadata: Any) -> Any:
    """User metadata: Stripe's metadata less the marker."""
    if not isinstance(metadata, dict):
        return metadata
    return {k: v for k, v in metadata.items() if k != MARKER}


class OwnedElsewhere(Exception):
    """The configuration carries another stack's marker; nothing was written."""


def ensure_mine(stripe_object: dict[str, Any], owner: str | None) -> None:
    """Refuse a configuration that another owner's marker claims (before any write)."""
    theirs = owner_of(stripe_object)
    if owner and theirs and theirs != owner:
        raise OwnedElsewhere(
            f"billing portal configuration {stripe_object.get('id')} is managed by "
            f"{theirs!r} (metadata {MARKER}), not by this resource ({owner!r}); nothing was "
            f"changed. Destroy it there first, or remove the {MARKER} metadata key in the "
            "Stripe Dashboard if that stack no longer exists."
        )
