"""``pulumi-resource-stripe-portal``: the plugin's process, as the engine starts it.

The SDK's servicer does the protocol; this module adds what a user meets: one line when the
plugin is started by hand or with a bad engine address, and an error from Stripe (or a
refusal of ours) as its one line, where the SDK would append the stack of our frames.
"""

from __future__ import annotations

import asyncio
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import grpc
from pulumi.provider.experimental.property_value import PropertyValue
from pulumi.provider.experimental.server import ProviderServicer
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2_grpc

from ..lifecycle.diagnostics import engine_address
from ..stripe_api.settings import PortalApiError
from ..wire_names import PACKAGE
from .provider import OLD_INPUTS, PortalPlugin

USAGE = (
    f"pulumi-resource-{PACKAGE}: a Pulumi provider plugin, started by the engine "
    "(`pulumi up` of a program that uses the stripe-portal package), not by hand; "
    "it takes the engine's address (host:port) as its argument"
)
_CALLS = ("CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete")


def _one_line(call: str) -> object:
    """The SDK's handler for ``call``, answering a ``PortalApiError`` with its message only
    (the SDK re-raises it with our stack appended; the original is its ``__context__``), and
    handing Diff and Update the old inputs the engine sends, which the SDK's requests drop."""
    inner = getattr(ProviderServicer, call)

    async def handler(self: ProviderServicer, request: Any, context: object) -> object:
        if call in ("Diff", "Update") and request.HasField("old_inputs"):
            OLD_INPUTS.set(PropertyValue.unmarshal_map(request.old_inputs))  # this task only
        try:
            return await inner(self, request, context)
        except Exception as exc:
            cause = exc if isinstance(exc, PortalApiError) else exc.__context__
            if isinstance(cause, PortalApiError):
                await context.abort(grpc.StatusCode.UNKNOWN, str(cause))  # type: ignore[attr-defined]
            raise

    handler.__name__ = call
    return handler


Servicer = type("Servicer", (ProviderServicer,), {call: _one_line(call) for call in _CALLS})


def _version() -> str:
    try:
        return version("pulumi-stripe-portal")
    except PackageNotFoundError:  # a source tree on the path, not installed
        return "0.0.0"


async def _serve(address: str) -> None:
    server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
    servicer = Servicer(sys.argv[1:], _version(), PortalPlugin(), engine_address=address)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)  # the handshake: the engine reads the port from stdout
    await server.wait_for_termination()


def main() -> int:
    address = engine_address()
    if address is None:
        print(f"error: {USAGE}; got {' '.join(sys.argv[1:]) or 'no arguments'}", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(address))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
