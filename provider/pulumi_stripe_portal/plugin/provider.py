"""The plugin's face on ``PortalOperations``: one engine call in, the same operation out.

Every rule, read and write is the operations'; this class only maps names and values
(wire.py), takes the owner from the URN (a Python program sends it as an input instead),
and runs the blocking operations on its own thread pool so that the engine's ``--parallel``
calls are not held to asyncio's default executor (six threads on two cores, notes §8).
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from pulumi.output import Unknown
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    CreateRequest,
    CreateResponse,
    DeleteRequest,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    PropertyDiff,
    PropertyDiffKind,
    Provider,
    ReadRequest,
    ReadResponse,
    UpdateRequest,
    UpdateResponse,
)

from ..lifecycle.operations import PortalOperations
from ..lifecycle.state import held_outputs, in_place_of_old_inputs, view_of
from ..ownership import OWNER_KEY, owner_id
from ..stripe_api.settings import PortalApiError
from ..wire_names import PACKAGE, RESOURCE_TOKEN, camel
from .wire import to_api, to_wire, wire_path

SCHEMA = Path(__file__).with_name("schema.json")
# Blocking calls at once: above what `pulumi up --parallel` usually sends; Stripe's rate
# limits are the client's to handle (429s retried with Retry-After), as on the Python path.
WORKERS = 64
T = TypeVar("T")
# The engine's old inputs for this Diff or Update (the protocol's ``old_inputs``), which the
# SDK's request objects leave out; server.py sets it around the call, in the call's task.
OLD_INPUTS: ContextVar[dict[str, PropertyValue] | None] = ContextVar("old_inputs", default=None)


def _owner(urn: str) -> str:
    """``urn:pulumi:<stack>::<project>::<type>::<name>`` → the ownership marker's value."""
    parts = urn.split("::")
    stack = parts[0].split(":")[-1]
    return owner_id(parts[1], stack, parts[-1])


def _config_value(value: PropertyValue | None) -> str | None:
    """A provider input as the string stack config would give (3.0 → "3")."""
    inner = value.value if value is not None else None
    if isinstance(inner, float) and inner.is_integer():
        return str(int(inner))
    if isinstance(inner, (str, float)) and not isinstance(inner, bool):
        return str(inner)
    return None


class UnknownResourceType(PortalApiError):
    """The engine asked for a type this package does not serve."""


class PortalPlugin(Provider):
    """``stripe-portal``'s resource provider, on the experimental Python provider API."""

    def __init__(self, operations: PortalOperations | None = None) -> None:
        self.operations = operations or PortalOperations()
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="stripe-portal")

    async def _run(self, fn: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(fn, *args))

    @staticmethod
    def _served(type_: str) -> None:
        if type_ != RESOURCE_TOKEN:
            raise UnknownResourceType(
                f"unknown resource type {type_!r}: the {PACKAGE} provider serves "
                f"{RESOURCE_TOKEN} only"
            )

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=SCHEMA.read_text())

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        def config(key: str) -> str | None:
            name = key.split(":", 1)[1]  # the operations ask for stripe-portal:<name>
            found = _config_value(request.args.get(name))
            return found or request.variables.get(f"{PACKAGE}:config:{name}") or None

        await self._run(self.operations.configure, config, PACKAGE)
        # Secrets are the engine's to keep: it strips them on the way in and marks the
        # outputs of a secret input secret again on the way out.
        # Create and Update at preview answer the outputs they will record (planned), so a
        # program reading an undeclared leaf meets Stripe's value there, not a missing one.
        return ConfigureResponse(accept_secrets=False, supports_preview=True)

    async def check(self, request: CheckRequest) -> CheckResponse:
        self._served(request.type)
        news = to_api(request.new_inputs)
        news[OWNER_KEY] = _owner(request.urn)  # who manages it: the resource, from its URN
        result = await self._run(self.operations.check, to_api(request.old_inputs), news)
        return CheckResponse(
            inputs=to_wire(result.inputs),
            failures=[CheckFailure(wire_path(f.property), f.reason) for f in result.failures],
        )

    @staticmethod
    def _view(state: dict[str, PropertyValue], news: dict[str, Any]) -> dict[str, Any]:
        """The state's outputs (what Stripe holds, every leaf) as the declared view the
        operations compare, projected with the old inputs."""
        held, old_inputs = to_api(state), OLD_INPUTS.get()
        declaration = to_api(old_inputs) if old_inputs else in_place_of_old_inputs(held, news)
        return view_of(held, declaration)

    async def diff(self, request: DiffRequest) -> DiffResponse:
        self._served(request.type)
        news = to_api(request.new_inputs)
        olds = self._view(request.old_state, news)
        found = await self._run(self.operations.changes, olds, news)
        detailed = {
            camel(name): PropertyDiff(
                PropertyDiffKind.UPDATE_REPLACE
                if name in found.replaces
                else PropertyDiffKind.UPDATE,
                input_diff=True,
            )
            for name in sorted({*found.fields, *found.replaces})
        }
        return DiffResponse(
            changes=found.any,
            replaces=[camel(name) for name in found.replaces],
            diffs=list(detailed),
            detailed_diff=detailed,
        )

    async def create(self, request: CreateRequest) -> CreateResponse:
        self._served(request.type)
        if request.preview:
            planned = self.operations.planned(to_api(request.properties), None, Unknown())
            return CreateResponse(resource_id="", properties=self._outputs(planned))
        result = await self._run(self.operations.create, to_api(request.properties))
        return CreateResponse(resource_id=result.id, properties=self._outputs(result.outs))

    @staticmethod
    def _outputs(outs: dict[str, Any]) -> dict[str, PropertyValue]:
        """Every leaf as Stripe holds it: other languages read the state as it is."""
        return to_wire(held_outputs(outs))

    async def read(self, request: ReadRequest) -> ReadResponse:
        self._served(request.type)
        # `pulumi import` reads with nothing known: the owner comes from the URN, as at check,
        # so the program that follows previews clean (the marker is written at its first
        # update, like any other field Stripe lacks).
        inputs = to_api(request.inputs)
        props = view_of(to_api(request.properties), inputs) if request.properties else inputs
        props.setdefault(OWNER_KEY, _owner(request.urn))
        result = await self._run(self.operations.read, request.resource_id, props)
        if not result.id:
            return ReadResponse()
        return ReadResponse(
            resource_id=result.id,
            properties=self._outputs(result.outs),
            # No new inputs: the engine's own go back (this SDK sends `{}` for none).
            inputs=request.inputs if result.inputs is None else to_wire(result.inputs),
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        self._served(request.type)
        news = to_api(request.news)
        olds = self._view(request.olds, news)
        if request.preview:
            planned = self.operations.planned(news, olds, Unknown())
            return UpdateResponse(properties=self._outputs(planned))
        result = await self._run(self.operations.update, request.resource_id, olds, news)
        return UpdateResponse(properties=self._outputs(result.outs))

    async def delete(self, request: DeleteRequest) -> None:
        self._served(request.type)
        await self._run(self.operations.delete, request.resource_id, to_api(request.properties))
