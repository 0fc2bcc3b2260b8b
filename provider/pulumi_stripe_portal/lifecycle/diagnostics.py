"""Messages from the provider process to the user's terminal.

A dynamic provider has no resource context, so ``pulumi.log`` only reaches stderr. The
engine starts provider plugins with its own gRPC address as an argument; logging there makes
a warning appear in ``pulumi up``/``destroy`` output like any other diagnostic.
"""

from __future__ import annotations

import re
import sys

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

_ADDRESS = re.compile(r"^(?:[\w.\-]+|\[[0-9a-fA-F:]+\]):\d+$")


def engine_address(argv: list[str] | None = None) -> str | None:
    """The engine's address from the plugin's command line, if it was started by an engine."""
    for arg in (sys.argv if argv is None else argv)[1:]:
        if _ADDRESS.match(arg):
            return arg
    return None


def _send(severity: int, message: str, urn: str = "") -> bool:
    address = engine_address()
    if not address:
        return False
    try:
        with grpc.insecure_channel(address) as channel:
            engine_pb2_grpc.EngineStub(channel).Log(
                engine_pb2.LogRequest(
                    severity=severity,  # type: ignore[arg-type]
                    message=message,
                    urn=urn,
                ),
                timeout=10,
            )
        return True
    except grpc.RpcError:
        return False


def info(message: str, urn: str = "") -> None:
    """A line in the CLI output's diagnostics (stderr when no engine is listening)."""
    if not _send(engine_pb2.INFO, message, urn):
        print(f"info: {message}", file=sys.stderr, flush=True)


def warn(message: str, urn: str = "") -> None:
    """A warning in the CLI output (stderr when no engine is listening)."""
    if not _send(engine_pb2.WARNING, message, urn):
        print(f"warning: {message}", file=sys.stderr, flush=True)


def error(message: str, urn: str = "") -> None:
    """An error line in the CLI output, ahead of the traceback the SDK adds."""
    if not _send(engine_pb2.ERROR, message, urn):
        print(f"error: {message}", file=sys.stderr, flush=True)
