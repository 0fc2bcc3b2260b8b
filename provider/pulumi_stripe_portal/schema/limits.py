"""The limits the models hold declarations to, and the two checks they run in plain Python.

Without pydantic, so that the cross-field rules (rules.py) and the generated validator
(validator_schema.py) use the very numbers and functions the models attach to their fields.
"""

from __future__ import annotations

from typing import Any

MAX_PRODUCTS = 10
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500
# The metadata key where the provider keeps its ownership marker (ownership.py).
OWNER_MARKER = "pulumi_owner"


def not_bool(value: Any) -> Any:
    """Counts are lax (the engine sends 3.0, config "3") but a boolean is never a count."""
    if isinstance(value, bool):
        raise ValueError(f"must be a whole number, got {value!r}")
    return value


def metadata_limits(value: dict[str, str]) -> dict[str, str]:
    """Stripe's limits on metadata, and the key the provider reserves for its marker."""
    if len(value) > MAX_METADATA_KEYS:
        raise ValueError(f"at most {MAX_METADATA_KEYS} keys are allowed")
    for key, item in value.items():
        if key == OWNER_MARKER:
            raise ValueError(
                f"key {key!r} is reserved: the provider keeps its ownership marker there"
            )
        if not key or len(key) > MAX_METADATA_KEY_LENGTH or "[" in key or "]" in key:
            raise ValueError(
                f"key {key!r} must be 1 to {MAX_METADATA_KEY_LENGTH} characters "
                "without square brackets"
            )
        if len(item) > MAX_METADATA_VALUE_LENGTH:
            raise ValueError(
                f"value of {key!r} must be at most {MAX_METADATA_VALUE_LENGTH} characters"
            )
    return value
