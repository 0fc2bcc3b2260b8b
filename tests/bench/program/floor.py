"""The floor: a dynamic resource that does nothing, to price the engine's own work.

The class lives in an importable module, so dill pickles it by reference (as ours is) and
the provider process imports only this module, pulumi and nothing of ours. Outputs echo the
inputs, so the state holds the declaration once, as a provider that stored nothing extra
would.
"""

from __future__ import annotations

import uuid
from typing import Any

import pulumi.dynamic as dyn


def _plain(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if not k.startswith("__")}


class NoopProvider(dyn.ResourceProvider):
    """Create, diff, update, read and delete with no I/O."""

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        return dyn.CreateResult(f"noop_{uuid.uuid4().hex[:24]}", _plain(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dyn.DiffResult:
        changed = _plain(olds) != _plain(news)
        return dyn.DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> dyn.UpdateResult:
        return dyn.UpdateResult(_plain(news))

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        return dyn.ReadResult(id_, _plain(props))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class Noop(dyn.Resource, module="bench", name="Noop"):
    """A resource whose provider does nothing; same inputs as a PortalConfiguration."""

    def __init__(self, name: str, props: dict[str, Any]) -> None:
        super().__init__(NoopProvider(), name, props)
