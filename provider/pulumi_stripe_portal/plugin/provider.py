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
from pathlib import Path
from typing import Any, TypeVar

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
from ..ownership import OWNER_KEY, owner_id
from ..stripe_api.settings import PortalApiError
from ..wire_names import PACKAGE, RESOURCE_TOKEN, camel
from .wire import to_api, to_wire, wire_path

SCHEMA = Path(__file__).with_name("schema.json")
# Blocking calls at once: above what `pulumi up --parallel` usually sends; Stripe's rate
# limits are the client's to handle (429s retried with Retry-After), as on the Python path.
WORKERS = 64
T = TypeVar("T")


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
        return ConfigureResponse(accept_secrets=False, supports_preview=False)

    async def check(self, request: CheckRequest) -> CheckResponse:
        self._served(request.type)
        news = to_api(request.new_inputs)
        news[OWNER_KEY] = _owner(request.urn)  # who manages it: the resource, from its URN
        result = await self._run(self.operations.check, to_api(request.old_inputs), news)
        return CheckResponse(
            inputs=to_wire(result.inputs),
            failures=[CheckFailure(wire_path(f.property), f.reason) for f in result.failures],
        )

    async def diff(self, request: DiffRequest) -> DiffResponse:
        self._served(request.type)
        olds, news = to_api(request.old_state), to_api(request.new_inputs)
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
        result = await self._run(self.operations.create, to_api(request.properties))
        return CreateResponse(resource_id=result.id, properties=to_wire(result.outs))

    async def read(self, request: ReadRequest) -> ReadResponse:
        self._served(request.type)
        # `pulumi import` reads with nothing known: the owner comes from the URN, as at check,
        # so the program that follows previews clean (the marker is written at its first
        # update, like any other field Stripe lacks).
        props = to_api(request.properties) or to_api(request.inputs)
        props.setdefault(OWNER_KEY, _owner(request.urn))
        result = await self._run(self.operations.read, request.resource_id, props)
        if not result.id:
            return ReadResponse()
        return ReadResponse(
            resource_id=result.id,
            properties=to_wire(result.outs),
            inputs=to_wire(result.inputs or {}),
        )

    async def update(self, request: UpdateRequest) -> UpdateResponse:
        self._served(request.type)
        olds, news = to_api(request.olds), to_api(request.news)
        result = await self._run(self.operations.update, request.resource_id, olds, news)
        return UpdateResponse(properties=to_wire(result.outs))

    async def delete(self, request: DeleteRequest) -> None:
        self._served(request.type)
        await self._run(self.operations.delete, request.resource_id, to_api(request.properties))
