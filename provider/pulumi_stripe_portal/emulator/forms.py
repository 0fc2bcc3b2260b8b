"""Decoding of Stripe's form encoding (``a[b][0]=x``, ``a[]=x``) into nested dicts of strings.

Indexed keys stay dict keys here (``{"0": ...}``): only the schema knows whether a level is a
list, so spec.validate turns digit-keyed dicts into lists. A POST body must be form encoded
in UTF-8 (``form_text``), with Stripe's 400s otherwise. Not emulated: ``[]`` before a further
``[key]`` (``a[][b]=x``), which the stripe SDKs never send; JSON bodies.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from .errors import StripeError

_PART = re.compile(r"\[([^\[\]]*)\]")
FORM = "application/x-www-form-urlencoded"


def _split(key: str) -> list[str]:
    base, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    rest = "[" + rest
    parts = _PART.findall(rest)
    if "".join(f"[{p}]" for p in parts) != rest:  # malformed brackets: keep the raw key
        return [key]
    return [base, *parts]


def _path(parts: list[str]) -> str:
    return parts[0] + "".join(f"[{p}]" for p in parts[1:])


def _bad(parts: list[str], message: str) -> StripeError:
    return StripeError(400, "invalid_request_error", message, param=_path(parts))


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Nest ``(key, value)`` pairs; a later duplicate key wins, like Stripe's parser."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = _split(key)
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "" and i > 0:
                if not last or not isinstance(node, list):
                    raise _bad(parts[:i], "Invalid array")
                node.append(value)
                break
            if not isinstance(node, dict):
                raise _bad(parts[:i], "Invalid hash")
            if last:
                if isinstance(node.get(part), dict | list):
                    raise _bad(parts, "Invalid hash")
                node[part] = value
                break
            nxt = parts[i + 1]
            want: type = list if nxt == "" else dict
            child = node.setdefault(part, want())
            if not isinstance(child, want):
                raise _bad(parts[: i + 1], "Invalid array" if want is list else "Invalid hash")
            node = child
    return root


def parse_query(query: str, where: str = "query string") -> dict[str, Any]:
    """Decode a query string or an ``application/x-www-form-urlencoded`` body; percent-escapes
    that are not UTF-8 get Stripe's error for raw non-UTF-8 bytes."""
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        message = f"Invalid UTF-8 characters found in {where}."
        raise StripeError(400, "invalid_request_error", message) from None
    return parse_pairs(pairs)


def form_text(content_type: str, data: bytes) -> str:
    """A POST body as text: only form encoding in UTF-8, with the errors Stripe gives."""
    if not data:
        return ""
    if content_type.split(";", 1)[0].strip().lower() != FORM:
        raise StripeError(
            400,
            "invalid_request_error",
            f"Invalid request: unsupported Content-Type {content_type}. If error persists and "
            "you need assistance, please contact support@stripe.com.",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise StripeError(
            400, "invalid_request_error", "Invalid UTF-8 characters found in POST body."
        ) from None
