"""The package's names on the wire, as the plugin and the schema generator read them.

They live in the root leaf wire_names.py (the command line writes programs with them too
and may not import the plugin); this module re-exports them under their old address.
"""

from __future__ import annotations

from ..wire_names import PACKAGE, RESOURCE, RESOURCE_TOKEN, camel, token

__all__ = ["PACKAGE", "RESOURCE", "RESOURCE_TOKEN", "camel", "token"]
