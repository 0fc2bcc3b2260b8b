"""Engine smoke-test program: one dynamic resource, a few outputs."""

import pulumi
from smoke_provider import Thing

config = pulumi.Config()
thing = Thing("thing", label=config.get("label") or "hello")

pulumi.export("thing_id", thing.id)
pulumi.export("label", thing.label)
pulumi.export("greeting", thing.greeting)
pulumi.export("env_marker", thing.env_marker)
pulumi.export("stack", pulumi.get_stack())
