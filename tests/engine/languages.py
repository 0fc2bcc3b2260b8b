"""Programs in the languages the provider plugin serves, written from one declaration.

A test states what it declares once, in the API's snake_case names (as the Python tests
do); each writer turns it into that language's program with Pulumi's camelCase names, the
way a user would write it, and the engine runs it with that language's host. The names are
converted here, independently of the plugin's own mapping, so a test catches a mapping bug.
"""

from __future__ import annotations

import json
import os
import subprocess
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


REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = REPO_ROOT / "provider" / "pulumi_stripe_portal" / "plugin" / "schema.json"
NODE_MODULES = REPO_ROOT / ".tools" / "node" / "program_modules"
GO_SDK = REPO_ROOT / "provider" / "sdk" / "go"
GO_MODULE = "github.com/pulumi-stripe-portal/pulumi-stripe-portal/provider/sdk/go"
TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "target": "ES2022",
        "module": "commonjs",
        "moduleResolution": "node10",
        "types": ["node"],
        "outDir": "bin",
        "skipLibCheck": True,
    },
    "files": ["index.ts"],
}


def _var(name: str) -> str:
    return "r_" + "".join(c if c.isalnum() else "_" for c in name)


def write_typescript(
    directory: Path,
    project: str,
    portals: Mapping[str, Mapping[str, Any]],
    outputs: Mapping[str, str] | None = None,
    *,
    raw: Mapping[str, Any] | None = None,
) -> Path:
    """A TypeScript program using the generated SDK (compiled by node-tools/install.sh);
    its node_modules is one link to .tools/node/program_modules."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {project}\nruntime: nodejs\n")
    package = {"name": project, "private": True, "main": "index.ts"}
    (directory / "package.json").write_text(json.dumps(package))
    (directory / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    link = directory / "node_modules"
    if not link.exists():
        link.symlink_to(NODE_MODULES)
    lines = ['import * as stripeportal from "@pulumi-stripe-portal/stripe-portal";', ""]
    every = {name: camel(dict(decl)) for name, decl in portals.items()} | dict(raw or {})
    for name, props in every.items():
        lines.append(
            f"const {_var(name)} = new stripeportal.PortalConfiguration("
            f"{json.dumps(name)}, {json.dumps(props, indent=4)});"
        )
    for key, path in (outputs or {}).items():
        resource, first, *rest = path.split(".")
        # A nested object type is optional in the SDK (the schema's types serve inputs too),
        # so deeper leaves are read the way a TypeScript user reads them: apply and `?.`.
        inner = f".apply(v => v{''.join(f'?.{p}' for p in rest)})" if rest else ""
        lines.append(f"export const {key} = {_var(resource)}.{first}{inner};")
    (directory / "index.ts").write_text("\n".join(lines) + "\n")
    return directory


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


class _GoLiterals:
    """Go source for a camelCase declaration, typed by the package schema (as a user writes
    it against the generated SDK: ``&stripeportal.FeaturesArgs{...}``, ``pulumi.Bool``)."""

    def __init__(self) -> None:
        self.types = json.loads(SCHEMA.read_text())["types"]

    def value(self, spec: Mapping[str, Any], value: Any, indent: str) -> str:
        ref = spec.get("$ref")
        if ref:
            token = ref.rsplit("/", 1)[-1]
            name = token.rsplit(":", 1)[-1]
            kind = self.types[token]
            if "enum" in kind:
                return f"stripeportal.{name}({json.dumps(value)})"
            return self.object(f"stripeportal.{name}Args", kind["properties"], value, indent)
        kind = spec.get("type")
        if kind == "array":
            items = spec["items"]
            inner = indent + "\t"
            elems = "".join(f"{inner}{self.value(items, v, inner)},\n" for v in value)
            item_ref = items.get("$ref")
            array = (
                f"stripeportal.{item_ref.rsplit(':', 1)[-1]}Array"
                if item_ref
                else {"string": "pulumi.StringArray", "integer": "pulumi.IntArray"}[items["type"]]
            )
            return f"{array}{{\n{elems}{indent}}}"
        if kind == "object":  # a string map: metadata
            inner = indent + "\t"
            elems = "".join(
                f"{inner}{json.dumps(k)}: pulumi.String({json.dumps(v)}),\n"
                for k, v in value.items()
            )
            return f"pulumi.StringMap{{\n{elems}{indent}}}"
        wrap = {"string": "pulumi.String", "boolean": "pulumi.Bool", "integer": "pulumi.Int"}
        return f"{wrap[kind]}({json.dumps(value)})"

    def object(
        self, type_name: str, props: Mapping[str, Any], value: Mapping[str, Any], indent: str
    ) -> str:
        inner = indent + "\t"
        fields = "".join(
            f"{inner}{_pascal(k)}: {self.value(props.get(k, {'type': 'string'}), v, inner)},\n"
            for k, v in value.items()
        )
        return f"&{type_name}{{\n{fields}{indent}}}"


def write_go(
    directory: Path,
    project: str,
    portals: Mapping[str, Mapping[str, Any]],
    outputs: Mapping[str, str] | None = None,
    *,
    raw_go: str | None = None,
) -> Path:
    """A Go program using the generated Go SDK through a ``replace``; ``raw_go`` is a
    resource's Args literal as it is (for a deliberately wrong program)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {project}\nruntime: go\n")
    go_mod = (
        f"module {project}\n\ngo 1.26\n\nrequire (\n\t{GO_MODULE} v0.0.0\n"
        "\tgithub.com/pulumi/pulumi/sdk/v3 v3.274.1\n)\n\n"
        f"replace {GO_MODULE} => {GO_SDK}\n"
    )
    (directory / "go.mod").write_text(go_mod)
    (directory / "go.sum").write_text((GO_SDK / "go.sum").read_text())
    literals = _GoLiterals()
    resource = json.loads(SCHEMA.read_text())["resources"][TOKEN]["inputProperties"]
    body = []
    every = {name: camel(dict(decl)) for name, decl in portals.items()}
    for name, props in every.items():
        args = literals.object("stripeportal.PortalConfigurationArgs", resource, props, "\t\t")
        body.append(
            f"\t\t{_var(name)}, err := stripeportal.NewPortalConfiguration(ctx, "
            f"{json.dumps(name)}, {args})\n\t\tif err != nil {{\n\t\t\treturn err\n\t\t}}\n"
            f"\t\t_ = {_var(name)}\n"
        )
    if raw_go is not None:
        body.append(
            f'\t\tif _, err := stripeportal.NewPortalConfiguration(ctx, "raw", {raw_go}); '
            "err != nil {\n\t\t\treturn err\n\t\t}\n"
        )
    for key, path in (outputs or {}).items():
        resource_name, first, *rest = path.split(".")
        expr = (
            f"{_var(resource_name)}.ID()"
            if first == "id"
            else (
                f"{_var(resource_name)}.{_pascal(first)}"
                + "".join(f".{_pascal(p)}()" for p in rest)
            )
        )
        body.append(f"\t\tctx.Export({json.dumps(key)}, {expr})\n")
    program = (
        "package main\n\nimport (\n"
        f'\t"{GO_MODULE}/stripeportal"\n'
        '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"\n)\n\n'
        "func main() {\n\tpulumi.Run(func(ctx *pulumi.Context) error {\n"
        + "".join(body)
        + "\t\treturn nil\n\t})\n}\n"
    )
    (directory / "main.go").write_text(program)
    # Offline: every module is in the cache already (the engine's build, the SDK's go.sum).
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    subprocess.run(["go", "mod", "tidy"], cwd=directory, env=env, check=True, timeout=300)
    return directory


WRITERS = {"yaml": write_yaml, "typescript": write_typescript, "go": write_go}
