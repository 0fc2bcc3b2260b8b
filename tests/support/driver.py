"""Drives a provider the way the engine does: pickled, unpickled, configured, then called.

Only the transport is skipped (gRPC and property serialization); ``tests/engine`` covers
that with the real engine.
"""

from __future__ import annotations

import copy
from typing import Any

import dill
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_stripe_portal import PortalConfigurationProvider

PROVIDER_KEY = "__provider"
KEY = "sk_test_lifecycle123456"


class Driver:
    """One provider process with the stack config ``config``."""

    def __init__(self, config: dict[str, str]) -> None:
        self.pickled = serialize_provider(PortalConfigurationProvider())
        import base64

        self.provider: PortalConfigurationProvider = dill.loads(base64.b64decode(self.pickled))
        self.provider.configure(ConfigureRequest(Config(raw_config=config, project_name="demo")))

    def check(self, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
        result = self.provider.check(olds or {}, {**copy.deepcopy(news), PROVIDER_KEY: "p"})
        assert result.failures == [], [(f.property, f.reason) for f in result.failures]
        inputs = dict(result.inputs)
        inputs.pop(PROVIDER_KEY, None)
        return inputs

    def create(self, declaration: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        inputs = self.check(declaration)
        result = self.provider.create(inputs)
        return result.id, result.outs

    def diff(self, config_id: str, state: dict[str, Any], declaration: dict[str, Any]):
        return self.provider.diff(config_id, state, self.check(declaration))

    def up(self, config_id: str, state: dict[str, Any], declaration: dict[str, Any]):
        """diff, then update when diff says so; returns (changed, new state)."""
        inputs = self.check(declaration)
        result = self.provider.diff(config_id, state, inputs)
        if not result.changes:
            return False, state
        return True, self.provider.update(config_id, state, inputs).outs

    def read(self, config_id: str, state: dict[str, Any]):
        return self.provider.read(config_id, state)
