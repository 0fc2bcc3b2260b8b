"""The adopting program ``stripe-portal export`` writes, spelt in each Pulumi language.

export.py chooses what to declare (in the API's snake_case names); this module only
writes it down: ``python`` for the Python package's ``PortalConfiguration``, ``yaml``,
``typescript`` and ``go`` for the provider plugin, through its package schema's names
(wire_names.py: camelCase properties, ``stripe-portal:index:PortalConfiguration``) and the
generated SDKs' types. Which field is an object, a list, an enum or a count is read from
the models (schema/tree.py and the model classes), never spelt here. Metadata keys are the
user's and stay as they are in every language.
"""

from __future__ import annotations

import json
import keyword
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ..schema.models import PortalConfigurationSpec
from ..schema.tree import Node, model_node
from ..wire_names import GO_IMPORT_BASE, NPM_PACKAGE, RESOURCE, RESOURCE_TOKEN, camel, pascal
from ..wire_names import enum_name as _enum_name

GO_PULUMI = "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
YAML_PROJECT = "exported-portals"


@dataclass
class Portal:
    """One configuration to adopt: its resource name and its arguments, snake_case, in the
    order the program lists them (``adopt`` and ``stripe_account`` first)."""

    name: str
    properties: dict[str, Any]


@dataclass
class Program:
    """What every language's program says: a title (what the configurations are), a
    summary (lines of prose, the title's first) and the portals."""

    title: str
    summary: list[str]
    portals: list[Portal] = field(default_factory=list)


# --- Shape: what the models say a field is ------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One field of a model: its node in the tree, its model class (an object, or the items
    of a list of objects) and the model it belongs to (which names its enums)."""

    name: str
    node: Node
    owner: type[BaseModel]
    model: type[BaseModel] | None


def fields_of(model: type[BaseModel]) -> dict[str, Field]:
    node = model_node(model)
    return {
        name: Field(name, child, model, (child.item or child).model)
        for name, child in node.fields.items()
    }


def enum_name(owner: type[BaseModel], name: str, in_list: bool) -> str:
    """An enum's type name in the package schema (the one rule, in wire_names.py)."""
    return _enum_name(owner.__name__, name, in_list)


def _is_enum(node: Node) -> bool:
    return node.kind == "scalar" and bool(node.choices)


# --- Python ---------------------------------------------------------------------------------


def literal(value: Any, indent: int = 0) -> str:
    """A Python literal of JSON-like data, exploded one item per line (formatter-stable)."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{literal(k)}: {literal(v, indent + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{literal(v, indent + 1)}," for v in value]
        return "[\n" + "\n".join(items) + f"\n{pad}]"
    if isinstance(value, str):
        text = repr(value)
        if text.startswith("'") and '"' not in value:
            text = '"' + text[1:-1].replace("\\'", "'") + '"'
        return text
    return repr(value)


def variable(name: str) -> str:
    var = name.replace("-", "_")
    return f"{var}_" if keyword.iskeyword(var) else var


def python(program: Program) -> str:
    """A ``__main__.py`` for the Python package (``from pulumi_stripe_portal import ...``).

    The text is already in the shape ``ruff format`` gives it: collections are spelled out
    one item per line with a trailing comma, which the formatter keeps as it is."""
    summary = program.summary
    lines = [f'"""{summary[0]}', *summary[1:], '"""'] if summary else []
    lines += ["", "import pulumi", f"from pulumi_stripe_portal import {RESOURCE}"]
    exports = []
    for portal in program.portals:
        var = variable(portal.name)
        args = [f"    {literal(portal.name)},"]
        args += [f"    {key}={literal(value, 1)}," for key, value in portal.properties.items()]
        lines += ["", f"{var} = {RESOURCE}(", *args, ")"]
        exports.append(f"pulumi.export({literal(var + '_id')}, {var}.id)")
    if exports:
        lines += ["", *exports]
    return "\n".join(lines) + "\n"


# --- The plugin's names -----------------------------------------------------------------------


def wire(value: Any, fields: dict[str, Field]) -> dict[str, Any]:
    """A snake_case declaration in the package schema's camelCase names (metadata keys kept)."""
    return {camel(key): _wire(fields[key], item) for key, item in value.items()}


def _wire(spec: Field, value: Any) -> Any:
    node = spec.node
    if node.kind == "object" and spec.model is not None:
        return wire(value, fields_of(spec.model))
    if node.kind == "list" and spec.model is not None:
        item_fields = fields_of(spec.model)
        return [wire(item, item_fields) for item in value]
    if node.kind in ("list", "map"):
        return type(value)(value)
    return value


def _properties(portal: Portal) -> dict[str, Any]:
    return wire(portal.properties, fields_of(PortalConfigurationSpec))


def _lower_camel(name: str) -> str:
    """``everything-portal`` → ``everythingPortal``."""
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _unique(name: str, taken: set[str], reserved: frozenset[str] = frozenset()) -> str:
    if name in reserved:
        name += "Portal"
    out, n = name, 2
    while out in taken or out in reserved:
        out, n = f"{name}{n}", n + 1
    taken.add(out)
    return out


# --- YAML -------------------------------------------------------------------------------------


def _escape_yaml(value: Any) -> Any:
    """Pulumi YAML reads every string (keys too) as an interpolation: ``$$`` is one ``$``."""
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, dict):
        return {_escape_yaml(k): _escape_yaml(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape_yaml(v) for v in value]
    return value


def yaml(program: Program, *, project: str = YAML_PROJECT) -> str:
    """A ``Pulumi.yaml`` whose resources are the portals, typed by the plugin's token."""
    import yaml as pyyaml  # type: ignore[import-untyped]  # pulumi's dependency; loaded here only

    resources = {
        portal.name: {"type": RESOURCE_TOKEN, "properties": _escape_yaml(_properties(portal))}
        for portal in program.portals
    }
    document: dict[str, Any] = {"name": project, "runtime": "yaml"}
    document["description"] = program.title
    document["resources"] = resources
    if program.portals:
        document["outputs"] = {
            f"{variable(portal.name)}_id": "${" + portal.name + ".id}" for portal in program.portals
        }
    head = "".join(f"# {line}".rstrip() + "\n" for line in program.summary)
    body = pyyaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return head + body


# --- TypeScript -------------------------------------------------------------------------------

_TS_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _ts(value: Any, indent: int = 0) -> str:
    """A TypeScript literal, exploded one item per line with trailing commas (as prettier
    writes it); enum values are their string literals, which the SDK's enum types accept."""
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{inner}{k if _TS_IDENTIFIER.match(k) else json.dumps(k)}: {_ts(v, indent + 1)},"
            for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "\n".join(f"{inner}{_ts(v, indent + 1)}," for v in value) + f"\n{pad}]"
    return json.dumps(value)


def typescript(program: Program) -> str:
    """An ``index.ts`` on the generated Node.js SDK; each portal's id is a stack output."""
    lines = [f"// {line}".rstrip() for line in program.summary]
    if lines:
        lines.append("")
    lines.append(f'import * as stripeportal from "{NPM_PACKAGE}";')
    taken: set[str] = set()
    for portal in program.portals:
        const = _unique(_lower_camel(portal.name) + "Id", taken)
        lines += [
            "",
            f"export const {const} = new stripeportal.{RESOURCE}({json.dumps(portal.name)}, "
            f"{_ts(_properties(portal))}).id;",
        ]
    return "\n".join(lines) + "\n"


# --- Go ---------------------------------------------------------------------------------------

_GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if "
    "import interface map package range return select struct switch type var".split()
)
# Names in the program's scope, and predeclared ones not worth shadowing.
_GO_TAKEN = _GO_KEYWORDS | {"ctx", "err", "pulumi", "stripeportal", "main", "nil", "true"}
_GO_TAKEN |= {"false", "string", "int", "bool", "error", "len", "new", "make", "append"}


@dataclass
class _Composite:
    """A Go composite literal: ``type{...}``, its entries keyed (fields, map keys) or not."""

    type: str
    entries: list[tuple[str | None, str | _Composite]]


def _go_string(text: str) -> str:
    # JSON's escapes are Go's, but for astral characters, which stay as they are.
    return json.dumps(text, ensure_ascii=False)


def _go_scalar(spec: Field, node: Node, value: Any, in_list: bool) -> str:
    if _is_enum(node):
        enum = enum_name(spec.owner, spec.name, in_list)
        return f"stripeportal.{enum}{pascal(str(value))}"
    if node.type is bool:
        return f"pulumi.Bool({'true' if value else 'false'})"
    if node.type is int:
        return f"pulumi.Int({int(value)})"
    return f"pulumi.String({_go_string(str(value))})"


def _go_object(model: type[BaseModel], value: dict[str, Any]) -> _Composite:
    fields = fields_of(model)
    entries: list[tuple[str | None, str | _Composite]] = [
        (pascal(camel(key)), _go_value(fields[key], item)) for key, item in value.items()
    ]
    return _Composite(f"&stripeportal.{model.__name__}Args", entries)


def _go_value(spec: Field, value: Any) -> str | _Composite:
    node = spec.node
    if node.kind == "object" and spec.model is not None:
        return _go_object(spec.model, value)
    if node.kind == "map":
        pairs = [(_go_string(k), f"pulumi.String({_go_string(v)})") for k, v in value.items()]
        return _Composite("pulumi.StringMap", list(pairs))
    if node.kind == "list":
        item = node.item or Node("scalar", type=str)
        if spec.model is not None:
            objects = [(None, _go_object(spec.model, v)) for v in value]
            return _Composite(f"stripeportal.{spec.model.__name__}Array", list(objects))
        if _is_enum(item):
            array = f"stripeportal.{enum_name(spec.owner, spec.name, True)}Array"
        else:
            array = "pulumi.IntArray" if item.type is int else "pulumi.StringArray"
        return _Composite(array, [(None, _go_scalar(spec, item, v, True)) for v in value])
    return _go_scalar(spec, node, value, False)


def _single_line(value: str | _Composite) -> bool:
    return isinstance(value, str) or not value.entries


def _go_expr(value: str | _Composite, indent: int) -> str:
    """The literal as gofmt prints it: tabs, and the values of a run of one-line keyed
    entries aligned in a column (gofmt's rule: a multi-line entry, or a key much longer
    or shorter than those before it, starts a new run)."""
    if isinstance(value, str):
        return value
    if not value.entries:
        return value.type + "{}"
    inner = "\t" * (indent + 1)
    lines: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max(len(key) for key, _ in run) + 1
        lines.extend(f"{inner}{(key + ':').ljust(width)} {text}," for key, text in run)
        run.clear()

    size, lnsum, count = 0, 0.0, 0
    for index, (key, entry) in enumerate(value.entries):
        prev_size = size
        single = _single_line(entry)
        size = (len(key.encode()) if key is not None else len(_go_expr(entry, 0))) if single else 0
        use_ff = True
        if index > 0 and prev_size > 0 and size > 0:
            if count == 0 or (prev_size <= 40 and size <= 40):
                use_ff = False
            else:
                ratio = size / math.exp(lnsum / count)
                use_ff = 2.5 * ratio <= 1 or 2.5 <= ratio
        if use_ff and run:
            flush()
        text = _go_expr(entry, indent + 1)
        if key is None:
            lines.append(f"{inner}{text},")
        elif single:
            run.append((key, text))
        else:
            lines.append(f"{inner}{key}: {text},")
        if size > 0:
            lnsum += math.log(size)
            count += 1
    if run:
        flush()
    return value.type + "{\n" + "\n".join(lines) + "\n" + "\t" * indent + "}"


def go(program: Program) -> str:
    """A ``main.go`` on the generated Go SDK, as gofmt prints it."""
    lines = [f"// {line}".rstrip() for line in program.summary]
    lines += ["package main", "", "import ("]
    if program.portals:
        lines.append(f'\tstripeportal "{GO_IMPORT_BASE}"')
    lines += [f'\t"{GO_PULUMI}"', ")", "", "func main() {"]
    lines.append("\tpulumi.Run(func(ctx *pulumi.Context) error {")
    taken: set[str] = set()
    exports = []
    top = fields_of(PortalConfigurationSpec)
    for portal in program.portals:
        var = _unique(_lower_camel(portal.name), taken, _GO_TAKEN)
        args = _go_object(PortalConfigurationSpec, portal.properties)
        args.type = f"&stripeportal.{RESOURCE}Args"
        assert all(key in top for key in portal.properties)
        lines += [
            f"\t\t{var}, err := stripeportal.New{RESOURCE}(ctx, {_go_string(portal.name)}, "
            f"{_go_expr(args, 2)})",
            "\t\tif err != nil {",
            "\t\t\treturn err",
            "\t\t}",
        ]
        exports.append(f"\t\tctx.Export({_go_string(variable(portal.name) + '_id')}, {var}.ID())")
    lines += [*exports, "\t\treturn nil", "\t})", "}"]
    return "\n".join(lines) + "\n"


LANGUAGES: dict[str, Callable[[Program], str]] = {
    "python": python,
    "yaml": yaml,
    "typescript": typescript,
    "go": go,
}
