"""What the provider does on each engine call: check, diff, create, read, update, delete.

Each method is a short composition of the pure modules (validation, params, state) and one
or two calls through the client. provider.py, the class the program pickles, hands every
engine call to one ``PortalOperations`` per provider process, built on the first call, so
the program never imports any of this (pydantic models, the stripe SDK).
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    UpdateResult,
)

from ..ownership import (
    MARKER,
    OWNER_KEY,
    OwnedElsewhere,
    creation_key,
    ensure_mine,
    owner_of,
)
from ..schema.defaults import held, with_nulls
from ..schema.tree import changed_fields, changed_leaves, contains_unknown, equal, root
from ..stripe_api import guards
from ..stripe_api.reads import ListedReads
from ..stripe_api.settings import PortalApiError, Settings
from . import diagnostics, prices
from .params import create_params, exact_params
from .state import (
    DECLARED_KEY,
    STRIPE_SET,
    declaration_of,
    outputs,
    planned_outputs,
    without_sdk_keys,
)

if TYPE_CHECKING:
    from ..stripe_api.client import PortalClient

DEFAULT_CONFIGURATION_MESSAGE = (
    "You cannot set `active: false` on your default PortalConfiguration."
)


@functools.cache
def _frozen(stage: str) -> None:
    """Every object alive now moved out of the cyclic collector's reach (``gc.freeze``),
    once per ``stage`` of a process: at configure (pulumi, grpc, our modules) and after the
    stripe SDK's import. Nearly all of them are modules that live as long as the process,
    yet every full collection walked them again, and so did the interpreter's collection at
    exit, which the engine waits for (0.05 s of a command; tests/README.md, "the heap")."""
    gc.freeze()


@functools.cache
def _client_class() -> type[PortalClient]:
    """The stripe SDK, imported once a call needs it."""
    from ..stripe_api.client import PortalClient

    _frozen("stripe")
    return PortalClient


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
    """The declaration behind a state's outputs or a set of inputs, hidden inputs
    (``_owner``, resolved prices) included; never ``__provider``."""
    return _whole_numbers(declaration_of(props))


@dataclass(frozen=True)
class Changes:
    """A diff's findings: the top-level properties that differ, those that replace, and
    whether something no property shows changed (the owner, a moved lookup key)."""

    fields: list[str]
    replaces: list[str]
    hidden: bool

    @property
    def any(self) -> bool:
        return bool(self.fields or self.replaces or self.hidden)


class PortalOperations:
    """The provider's behaviour, for one provider process (settings and client included)."""

    def __init__(self) -> None:
        self._settings = Settings.from_config(lambda _key: None)  # until configure()
        self._client_lock = threading.Lock()
        self._new_client()

    def _new_client(self) -> None:
        """No client yet (built on first use, for these settings), and no reads. The reads,
        batched from list pages (reads.py), get the client only from a read, so reads
        waiting for the SDK's import are counted before it pages."""
        self._client: PortalClient | None = None
        self.reads = ListedReads(lambda: self.client)

    def configure(self, config: Callable[[str], str | None], namespace: str = "stripe") -> None:
        """Stack config (``stripe:apiKey`` ...), then the environment; the mode guard."""
        self._settings = Settings.from_config(config, namespace=namespace)
        _frozen("configure")
        self._new_client()
        refusal = guards.mode_refusal(self._settings)  # before any request, refresh included
        if refusal:
            raise self._fail(PortalApiError(refusal))

    @property
    def client(self) -> PortalClient:
        """Built on first use, so check and diff (preview) need no key and no stripe SDK."""
        with self._client_lock:
            if self._client is None:
                self._client = _client_class()(self._settings)
            return self._client

    def _account(self, state: dict[str, Any], declared: dict[str, Any]) -> str | None:
        """Where the configuration lives: the account its state records, else the declared
        or configured one (for a configuration not created yet)."""
        return (
            state.get("stripe_account")
            or declared.get("stripe_account")
            or self._settings.stripe_account
        )

    def _fail(self, exc: PortalApiError) -> PortalApiError:
        diagnostics.error(str(exc))
        return exc

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        recorded = without_sdk_keys(olds)
        if recorded and not self._settings.account_id and recorded == without_sdk_keys(news):
            # The state's inputs are what an earlier check made of this same declaration, and
            # check maps its own results to themselves: the same again, with no models to
            # load (the pin asks Stripe at every check; moved lookup keys differ from olds).
            return CheckResult(recorded, [])
        from .validation import check_declaration  # pydantic: only check validates

        inputs, failures = check_declaration(news)
        if failures or not self._settings.api_key:
            return CheckResult(inputs, [CheckFailure(path, reason) for path, reason in failures])
        if self._settings.account_id or prices.lookup_keys(inputs):
            inputs, failures = self._check_with_stripe(inputs)
        return CheckResult(inputs, [CheckFailure(path, reason) for path, reason in failures])

    def _check_with_stripe(self, inputs: dict[str, Any]) -> tuple[dict[str, Any], list]:
        """With a key, preview asks what only Stripe knows (read-only): the pinned account
        and the lookup keys' prices."""
        try:
            self.client.ensure_account()
            return prices.resolve(inputs, self.client, self._account({}, inputs))
        except PortalApiError as exc:
            raise self._fail(exc) from None

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        found = self.changes(olds, news)
        return DiffResult(
            changes=found.any,
            replaces=found.replaces,
            stables=[],
            delete_before_replace=False,
        )

    def changes(self, olds: dict[str, Any], news: dict[str, Any]) -> Changes:
        """What differs between a state and new inputs: the one diff both faces report
        (the plugin names the properties, the dynamic provider only says whether)."""
        old, new = _declared(olds), _declared(news)
        changed = changed_fields(old, new)
        replaces = []
        if not equal(
            root().fields["stripe_account"], old.get("stripe_account"), new.get("stripe_account")
        ):
            replaces.append("stripe_account")  # a configuration cannot move between accounts
        return Changes(changed, replaces, self._hidden_changes(old, new))

    @staticmethod
    def _hidden_changes(old: dict[str, Any], new: dict[str, Any]) -> bool:
        """Changes no property shows: the owner (the marker in Stripe follows the
        resource) and a lookup key that now names another price."""
        return old.get(OWNER_KEY) != new.get(OWNER_KEY) or prices.moved(old, new)

    def planned(
        self, news: dict[str, Any], olds: dict[str, Any] | None, unknown: Any
    ) -> dict[str, Any]:
        """The outputs a create (no ``olds``) or an update will record, for a preview that
        shows them; no request is made."""
        declared = _declared(news)
        if contains_unknown(declared):
            # Known only once another resource applies: the declaration as it stands (what
            # the engine shows of a provider without previews), Stripe's own fields unknown.
            return {**declared, **dict.fromkeys(STRIPE_SET, unknown)}
        account = self._account(olds or {}, declared)
        return planned_outputs(declared, olds, account, unknown)

    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = _declared(props)
        account = self._account({}, declared)
        try:
            # keys → ids, or no write
            declared = prices.ready(declared, lambda: self.client, account)
            if declared.get("adopt"):
                obj = self._adopt(declared, account)
            else:
                obj = self._create(declared, account)
                if declared.get("active") is False:
                    obj = self.client.update(obj["id"], {"active": False}, account)
        except PortalApiError as exc:
            raise self._fail(exc) from None
        return CreateResult(obj["id"], outputs(obj, declared, account))

    def _create(self, declared: dict[str, Any], account: str | None) -> dict[str, Any]:
        """One POST normally. Its idempotency key is the resource's own, so a create that
        `pulumi up` retries after being killed (a pending create) finds the configuration
        the first attempt made instead of making a second one."""
        owner = declared.get(OWNER_KEY)
        params = create_params(declared, owner)
        if not owner:
            return self.client.create(params, account)[0]
        key = creation_key(owner, account)
        try:
            obj, replayed = self.client.create(params, account, key)
        except PortalApiError as exc:
            if exc.code != "idempotency_error":
                raise
            # The key was used within 24 h with other parameters: a create of this resource
            # was interrupted and the declaration has changed since. Find what it made.
            mine = (
                c
                for c in self.client.list_configurations(account, active=True)
                if owner_of(c) == owner
            )
            found = next(mine, None)
            if found is None:
                return self.client.create(params, account)[0]
            return self._write_exactly(found, declared, account, previous_owner=owner)
        if not replayed:
            return obj
        # Stripe answered an earlier create again: use that configuration while it is still
        # ours and active (not destroyed since), else make a new one.
        now = self.client.retrieve(obj["id"], account)
        if now is None or not now.get("active") or owner_of(now) != owner:
            return self.client.create(params, account)[0]
        return self._write_exactly(now, declared, account, previous_owner=owner)

    def _adopt(self, declared: dict[str, Any], account: str | None) -> dict[str, Any]:
        """Take over an existing configuration: Stripe then holds exactly ``declared``."""
        target = declared["adopt"]
        where = f" in account {account}" if account else ""
        if target == "default":
            found = self.client.default(account)
            if found is None:
                raise PortalApiError(
                    f"adopt='default': the account{where} has no default billing portal "
                    "configuration; nothing was changed"
                )
        else:
            found = self.client.retrieve(target, account)
            if found is None:
                raise PortalApiError(
                    f"adopt={target!r}: no such billing portal configuration{where}; "
                    "nothing was changed"
                )
        if not found.get("active", True) and declared.get("active", True):
            raise PortalApiError(
                f"adopt={target!r}: billing portal configuration {found['id']} is inactive; "
                "declare active=False to adopt it as it is, or reactivate it in the Stripe "
                "Dashboard first; nothing was changed"
            )
        obj = self._write_exactly(found, declared, account)
        changed = [p for p in changed_leaves(held(found), held(obj)) if p != f"metadata.{MARKER}"]
        listed = ", ".join(changed[:8]) + (", ..." if len(changed) > 8 else "")
        diagnostics.info(
            f"adopted billing portal configuration {obj['id']}"
            f"{' (the account default)' if obj.get('is_default') else ''}: "
            f"{len(changed)} field(s) changed to match the declaration"
            f"{f' ({listed})' if changed else ''}; owner {declared.get(OWNER_KEY) or '-'}"
        )
        return obj

    def _write_exactly(
        self,
        found: dict[str, Any],
        declared: dict[str, Any],
        account: str | None,
        previous_owner: str | None = None,
    ) -> dict[str, Any]:
        """One POST (or none) that makes ``found`` hold exactly ``declared``; refuses a
        configuration another stack's marker claims before writing anything."""
        owner = declared.get(OWNER_KEY)
        if owner_of(found) != previous_owner:
            try:
                ensure_mine(found, owner)
            except OwnedElsewhere as exc:
                raise PortalApiError(str(exc)) from None
        params = exact_params(found, declared, owner)
        if not params:
            return found
        obj = self.client.update(found["id"], params, account)
        self.reads.wrote(obj, account)
        return obj

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        declared = _declared(props)
        account = self._account(props, declared)
        try:
            obj = self.reads.get(id_, account)
        except PortalApiError as exc:
            raise self._fail(exc) from None
        if obj is None:
            return ReadResult(None, {})
        outs = outputs(obj, declared, account)
        inputs = declaration_of(outs)
        # Stripe holds what the state records: no new inputs, so the engine keeps the ones
        # it has and the SDK serializes none (0.66 ms a portal). Drift returns them.
        return ReadResult(obj["id"], outs, inputs=None if inputs == declared else inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        old, new = _declared(olds), _declared(news)
        account = self._account(olds, new)
        if (
            old.get("adopt") != new.get("adopt")  # cheap first: most updates change no adopt
            and changed_fields(old, new) == ["adopt"]
            and not self._hidden_changes(old, new)
        ):
            # `adopt` only matters at create: record it, touch nothing in Stripe.
            if DECLARED_KEY in olds:  # a state written before outputs became the view
                return UpdateResult(outputs(with_nulls(olds), new, account))
            outs = {k: v for k, v in olds.items() if k != "adopt" and not k.startswith("__")}
            return UpdateResult({**outs, **({"adopt": new["adopt"]} if new.get("adopt") else {})})
        try:
            new = prices.ready(new, lambda: self.client, account)  # keys → ids, or no write
            found = self.reads.get(id_, account, missing_ok=False)
            assert found is not None
            obj = self._write_exactly(found, new, account, previous_owner=old.get(OWNER_KEY))
        except PortalApiError as exc:
            raise self._fail(exc) from None
        return UpdateResult(outputs(obj, new, account))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        declared = _declared(props)
        account = self._account(props, declared)
        unmark = {"metadata": {MARKER: ""}} if declared.get(OWNER_KEY) else {}
        try:
            self.client.update(id_, {"active": False, **unmark}, account)
        except PortalApiError as exc:
            if exc.http_status == 404:
                return  # already gone
            if exc.http_status == 400 and DEFAULT_CONFIGURATION_MESSAGE in str(exc):
                self._leave_default(id_, unmark, account)
                return
            raise self._fail(exc) from None

    def _leave_default(self, id_: str, unmark: dict[str, Any], account: str | None) -> None:
        """The default cannot be deactivated: drop the marker and say so."""
        try:
            if unmark:
                self.client.update(id_, unmark, account)
        except PortalApiError as exc:
            if exc.http_status != 404:
                raise self._fail(exc) from None
        diagnostics.warn(
            f"billing portal configuration {id_} is the account's default configuration, "
            "which Stripe does not allow to be deactivated; it was left active (without the "
            f"{MARKER} marker) and removed from the stack. Make another configuration the "
            "default in the Stripe Dashboard to retire it."
        )
