"""A ``pulumi preview --json`` plan, read for its portal configurations.

The engine prints ``{"steps": [...], "changeSummary": {...}}``; each step has ``op``, ``urn``
and ``oldState`` / ``newState`` with ``inputs`` and ``outputs``. Dynamic providers give no
detailed diff, so what a step changes is read from two declarations: the new inputs, and
the declaration as Stripe last held it (the declared view in the old outputs, which a
refresh keeps in step with Stripe, read as the provider reads it: state.py; else the old
inputs). Values the preview does not know yet, and secrets, arrive as placeholders and stay
``Opaque``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..lifecycle.state import declaration_of

PORTAL_TYPE = "pulumi-python:dynamic/stripe:PortalConfiguration"
# What the engine writes for a value a preview does not know yet.
UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SENTINEL = "[secret]"

# The engine's step kinds, as the five this command explains.
_OPS = {
    "create": "create",
    "import": "create",
    "update": "update",
    "refresh": "update",
    "same": "same",
    "read": "same",
    "delete": "delete",
    "discard": "delete",
    "read-discard": "delete",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "import-replacement": "replace",
    "read-replacement": "replace",
    "discard-replaced": "replace",
}


class PlanError(ValueError):
    """Input that is not a preview; the message is one line."""


class Opaque(str):
    """A value the plan does not show: not known until ``pulumi up`` runs, or a secret."""

    @property
    def unknown(self) -> bool:
        return self == UNKNOWN


UNKNOWN = Opaque("[unknown]")
SECRET = Opaque("[secret]")


@dataclass(frozen=True)
class Step:
    """One portal configuration in the plan: what it was and what it will be."""

    op: str  # create, update, replace, delete or same
    urn: str
    name: str
    before: dict[str, Any] | None  # None for a create
    after: dict[str, Any] | None  # None for a delete
    config_id: str | None
    is_default: bool
    retained: bool  # retain_on_delete: a delete leaves Stripe alone
    account: str | None


@dataclass(frozen=True)
class Plan:
    steps: list[Step]
    project: str | None
    stack: str | None
    account: str | None  # the stack's stripe:stripeAccount, when the plan shows it


def _clean(value: Any) -> Any:
    """Placeholders as ``Opaque``, whole floats as ints (the engine's numbers are floats)."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if value == UNKNOWN_SENTINEL:
        return UNKNOWN
    if value == SECRET_SENTINEL:
        return SECRET
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _declaration(values: Any) -> dict[str, Any] | None:
    """A declaration without the engine's own inputs (``__provider`` and the like)."""
    if not isinstance(values, dict):
        return None
    return {k: _clean(v) for k, v in values.items() if not str(k).startswith("__")}


def _is_portal(step: dict[str, Any]) -> bool:
    for key in ("newState", "oldState"):
        state = step.get(key)
        if isinstance(state, dict) and state.get("type") == PORTAL_TYPE:
            return True
    return f"::{PORTAL_TYPE}::" in str(step.get("urn", ""))


def _urn_parts(urn: str) -> tuple[str | None, str | None, str]:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` → stack, project, name."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return None, None, parts[-1]
    return parts[0][len("urn:pulumi:") :], parts[1], parts[-1]


def _step(urn: str, ops: list[str], old: dict[str, Any], new: dict[str, Any]) -> Step:
    kinds = [_OPS.get(op) for op in ops]
    if "replace" in kinds:
        op = "replace"
    else:
        op = next((k for k in kinds if k), "update" if new else "delete")
    outputs = _object(old.get("outputs"))
    before = _declaration(declaration_of(outputs) if outputs else old.get("inputs"))
    after = _declaration(new.get("inputs"))
    if op == "create":
        before = None
    if op == "delete":
        after = None
    account = next(
        (
            a
            for a in (
                (after or {}).get("stripe_account"),
                outputs.get("stripe_account"),
                (before or {}).get("stripe_account"),
            )
            if isinstance(a, str) and a and not isinstance(a, Opaque)
        ),
        None,
    )
    config_id = old.get("id") or outputs.get("id")
    return Step(
        op=op,
        urn=urn,
        name=_urn_parts(urn)[2],
        before=before,
        after=after,
        config_id=str(config_id) if config_id else None,
        is_default=outputs.get("is_default") is True,
        retained=old.get("retainOnDelete") is True,
        account=account,
    )


def parse(text: str, source: str = "the plan") -> Plan:
    """The portal steps of a preview, in the plan's order; PlanError when it is not one."""
    if not text.strip():
        raise PlanError(f"{source} is empty: expected the output of `pulumi preview --json`")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{source} is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}): "
            "expected the output of `pulumi preview --json`"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("steps", []), list):
        raise PlanError(f"{source} is not the output of `pulumi preview --json`")
    if "steps" not in doc:
        errors = [
            d.get("message", "").strip()
            for d in doc.get("diagnostics") or []
            if isinstance(d, dict) and d.get("severity") == "error"
        ]
        if errors:
            first = " ".join(errors[0].split())
            raise PlanError(f"the preview in {source} failed: {first}")
        if "changeSummary" not in doc:
            raise PlanError(f"{source} is not the output of `pulumi preview --json`")
    merged: dict[str, tuple[list[str], dict[str, Any], dict[str, Any]]] = {}
    stack = project = None
    for raw in doc.get("steps") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("urn"), str) or "op" not in raw:
            raise PlanError(f"{source} has a step without an `op` and a `urn`: not a preview")
        if stack is None:
            stack, project, _ = _urn_parts(raw["urn"])
        if not _is_portal(raw):
            continue
        ops, old, new = merged.setdefault(raw["urn"], ([], {}, {}))
        ops.append(str(raw["op"]))
        for state, key in ((old, "oldState"), (new, "newState")):
            if isinstance(raw.get(key), dict) and not state:
                state.update(raw[key])
    config = _object(doc.get("config"))
    account = config.get("stripe:stripeAccount")
    steps = [_step(urn, ops, old, new) for urn, (ops, old, new) in merged.items()]
    return Plan(
        steps=steps,
        project=project,
        stack=stack,
        account=account if isinstance(account, str) and account.startswith("acct_") else None,
    )
