"""The provider plugin: the same operations served to every Pulumi language over gRPC.

Runs as ``pulumi-resource-stripe-portal``, started by the engine for YAML, TypeScript and Go
programs. May import: lifecycle, schema, stripe_api and the root's leaves (names, ownership,
wire_names).
"""
