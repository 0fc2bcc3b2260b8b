"""The markers the models put on their fields, and the API version they describe.

Plain dataclasses, without pydantic: the generated shape (shape.py) carries the same markers,
so the provider's diff, refresh and destroy read the tree without importing the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

API_VERSION = "2026-10-28.endive"


@dataclass(frozen=True, eq=False)
class StripeDefault:
    """The value Stripe holds when a field is not declared and cannot be unset with ``""``."""

    value: Any


@dataclass(frozen=True, eq=False)
class Unset:
    """What Stripe answers for a field never declared, where that is not the kind's empty
    value (``false``, ``[]``, ``{}`` or null) nor a ``StripeDefault``."""

    value: Any


@dataclass(frozen=True)
class SetLike:
    """Marks a list whose order Stripe ignores; ``key`` names the identity of object items."""

    key: str | None = None


@dataclass(frozen=True)
class Extension:
    """A field of ours that the provider resolves before Stripe sees the request."""


@dataclass(frozen=True)
class ReadOnly:
    """An output Stripe sets and a declaration never does."""

    type: Any
    description: str
