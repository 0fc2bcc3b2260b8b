"""The dynamic provider: the engine's check, diff, create, read, update and delete calls.

Each method is a short composition of the pure modules (validation, params, state) and one
or two calls through the client. The instance holds nothing when the program pickles it, so
it pickles by reference and no key can be frozen into the state; the key arrives in
``configure`` inside the provider process.
"""

from __future__ import annotations

import threading
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from . import diagnostics
from .client import PortalApiError, PortalClient, Settings
from .params import create_params, update_params
from .state import DECLARED_KEY, outputs
from .tree import changed_fields, equal, root
from .validation import check_declaration

DEFAULT_CONFIGURATION_MESSAGE = (
    "You cannot set `active: false` on your default PortalConfiguration."
)


def _whole_numbers(value: Any) -> Any:
    """The engine carries numbers as floats (protobuf Struct); Stripe wants integers."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    return value


def _declared(props: dict[str, Any]) -> dict[str, Any]:
    """The declaration behind a state: ``_declared`` when present, else the inputs."""
    declared = props.get(DECLARED_KEY)
    if not isinstance(declared, dict):
        declared = {k: v for k, v in props.items() if not k.startswith("_")}
    return _whole_numbers(declared)


class PortalConfigurationProvider(ResourceProvider):
    """Manages one ``billing_portal.configuration`` per resource."""

    def __init__(self) -> None:
        super().__init__()

    # Nothing is stored on the instance before configure() runs in the provider process.
    def __getstate__(self) -> dict[str, Any]:
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def configure(self, req: ConfigureRequest) -> None:
        self._settings = Settings.from_config(req.config.get)
        self._client: PortalClient | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> PortalClient:
        """Built on first use, so check and diff (preview) need no key."""
        if getattr(self, "_settings", None) is None:
            self._settings = Settings.from_config(lambda _key: None)
            self._client_lock = threading.Lock()
            self._client = None
        with self._client_lock:
            if self._client is None:
                self._client = PortalClient(self._settings)
            return self._client

    def _account(self, state: dict[str, Any], declared: dict[str, Any]) -> str | None:
        """Where the configuration lives: the account its state records, else the declared
        or configured one (for a configuration not created yet)."""
        return state.get("stripe_account") or self.client.account_for(
            declared.get("stripe_account")
        )

    def _fail(self, exc: PortalApiError) -> PortalApiError:
        diagnostics.error(str(exc))
        return exc

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = check_declaration(news)
        return CheckResult(inputs, [CheckFailure(path, reason) for path, reason in failures])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old, new = _declared(olds), _declared(news)
        changed = changed_fields(old, new)
        replaces = []
        if not equal(
            root().fields["stripe_account"], old.get("stripe_account"), new.get("stripe_account")
        ):
            replaces.append("stripe_account")  # a configuration cannot move between accounts
        return DiffResult(
            changes=bool(changed or replaces),
            replaces=replaces,
            stables=[],
            delete_before_replace=False,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = _declared(props)
        account = self._account({}, declared)
        try:
            obj = self.client.create(create_params(declared), account)
            if declared.get("active") is False:
                obj = self.client.update(obj["id"], {"active": False}, account)
        except PortalApiError as exc:
            raise self._fail(exc) from None
        return CreateResult(obj["id"], outputs(obj, declared, account))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        declared = _declared(props)
        account = self._account(props, declared)
        try:
            obj = self.client.retrieve(id_, account)
        except PortalApiError as exc:
            raise self._fail(exc) from None
        if obj is None:
            return ReadResult(None, {})
        outs = outputs(obj, declared, account)
        return ReadResult(obj["id"], outs, inputs=outs[DECLARED_KEY])

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        old, new = _declared(olds), _declared(news)
        account = self._account(olds, new)
        params = update_params(old, new)
        try:
            if params:
                obj = self.client.update(id_, params, account)
            else:
                obj = self.client.retrieve(id_, account)
                if obj is None:
                    raise PortalApiError(f"Stripe: No such billing portal configuration: {id_!r}")
        except PortalApiError as exc:
            raise self._fail(exc) from None
        return UpdateResult(outputs(obj, new, account))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        declared = _declared(props)
        account = self._account(props, declared)
        try:
            self.client.update(id_, {"active": False}, account)
        except PortalApiError as exc:
            if exc.http_status == 404:
                return  # already gone
            if exc.http_status == 400 and DEFAULT_CONFIGURATION_MESSAGE in str(exc):
                diagnostics.warn(
                    f"billing portal configuration {id_} is the account's default "
                    "configuration, which Stripe does not allow to be deactivated; it was "
                    "left active and removed from the stack. Make another configuration "
                    "the default in the Stripe Dashboard to retire it."
                )
                return
            raise self._fail(exc) from None
