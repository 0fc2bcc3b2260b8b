"""The Stripe error type shared by the backend and the HTTP layer, shaped like Stripe's JSON."""

from __future__ import annotations

from typing import Any


class StripeError(Exception):
    """An API error: HTTP status plus Stripe's ``{"error": {...}}`` fields (nulls omitted)."""

    def __init__(
        self,
        status: int,
        type_: str,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message
        self.param = param
        self.code = code

    def body(self, request_log_url: str | None = None) -> dict[str, Any]:
        """Stripe leaves out null keys; ``doc_url`` follows the code like Stripe's does."""
        err: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.param is not None:
            err["param"] = self.param
        if self.code is not None:
            err["code"] = self.code
            err["doc_url"] = "https://stripe.com/docs/error-codes/" + self.code.replace("_", "-")
        if request_log_url is not None:
            err["request_log_url"] = request_log_url
        return {"error": err}


def not_found(id_: str, param: str = "id", status: int = 404) -> StripeError:
    return StripeError(
        status,
        "invalid_request_error",
        f"No such billing portal configuration: '{id_}'",
        param=param,
        code="resource_missing",
    )
