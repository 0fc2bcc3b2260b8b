"""A trivial dynamic provider for the engine smoke test.

The provider class lives in an importable module (not ``__main__``), so dill pickles it by
reference and the provider process (``pulumi-resource-pulumi-python``) imports it.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import pulumi
import pulumi.dynamic as dyn


class ThingProvider(dyn.ResourceProvider):
    """Creates a "thing" with a random id; ``label`` changes update it in place."""

    def configure(self, req: dyn.ConfigureRequest) -> None:
        # Whole stack config, `namespace:key` keys; read again on every provider start.
        self._greeting = req.config.get("greeting") or ""

    def _outs(self, props: dict[str, Any]) -> dict[str, Any]:
        return {
            "label": props["label"],
            "greeting": getattr(self, "_greeting", ""),
            "env_marker": os.environ.get("SMOKE_ENV_MARKER", ""),
        }

    def create(self, props: dict[str, Any]) -> dyn.CreateResult:
        outs = self._outs(props)
        outs["token"] = secrets.token_hex(8)
        return dyn.CreateResult(id_=f"thing-{secrets.token_hex(6)}", outs=outs)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dyn.DiffResult:
        changed = olds.get("label") != news.get("label")
        return dyn.DiffResult(changes=changed, replaces=[], delete_before_replace=False)

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> dyn.UpdateResult:
        outs = self._outs(news)
        outs["token"] = olds.get("token", "")
        return dyn.UpdateResult(outs=outs)

    def read(self, id_: str, props: dict[str, Any]) -> dyn.ReadResult:
        return dyn.ReadResult(id_=id_, outs=props)

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None


class Thing(dyn.Resource, module="smoke", name="Thing"):
    label: pulumi.Output[str]
    greeting: pulumi.Output[str]
    env_marker: pulumi.Output[str]
    token: pulumi.Output[str]

    def __init__(
        self, name: str, label: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            ThingProvider(),
            name,
            {"label": label, "greeting": None, "env_marker": None, "token": None},
            opts,
        )
