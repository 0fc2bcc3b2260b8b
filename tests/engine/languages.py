"""Programs in the languages the provider plugin serves, written from one declaration.

A test states what it declares once, in the API's snake_case names (as the Python tests
do); each writer turns it into that language's program with Pulumi's camelCase names, the
way a user would write it, and the engine runs it with that language's host. The names are
converted here, independently of the plugin's own mapping, so a test catches a mapping bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

TOKEN = "stripe-portal:index:PortalConfiguration"


def camel_name(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def camel(declaration: Any, *, under_metadata: bool = False) -> Any:
    """Object keys in camelCase; metadata keys are the user's and stay as they are."""
    if isinstance(declaration, dict):
        if under_metadata:
            return dict(declaration)
        return {
            camel_name(k): camel(v, under_metadata=(k == "metadata"))
            for k, v in declaration.items()
            if v is not None
        }
    if isinstance(declaration, list):
        return [camel(v) for v in declaration]
    return declaration


def write_yaml(
    directory: Path,
    project: str,
    portals: Mapping[str, Mapping[str, Any]],
    outputs: Mapping[str, str] | None = None,
    *,
    raw: Mapping[str, Any] | None = None,
) -> Path:
    """A YAML program: ``portals`` maps resource names to snake_case declarations,
    ``outputs`` maps an output's name to ``resource.property.path`` (camelCase). ``raw``
    gives a resource's properties as they are (for a deliberately wrong program)."""
    directory.mkdir(parents=True, exist_ok=True)
    resources = {
        name: {"type": TOKEN, "properties": camel(dict(decl))} for name, decl in portals.items()
    }
    for name, props in (raw or {}).items():
        resources[name] = {"type": TOKEN, "properties": props}
    doc: dict[str, Any] = {"name": project, "runtime": "yaml", "resources": resources}
    if outputs:
        doc["outputs"] = {key: "${" + path + "}" for key, path in outputs.items()}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    return directory
