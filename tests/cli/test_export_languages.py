"""``stripe-portal export --language``: the same adopting program in YAML, TypeScript and Go.

Every field of ``full()`` is seeded in the emulator's default configuration, a second one
is made through the stripe SDK, and the command is run as a user runs it. Each language's
program must declare exactly what the Python program declares, in the package schema's
camelCase names (converted in tests/engine/languages.py, independently of the plugin's
mapping). The engine-marked tests type-check the TypeScript against the generated SDK and
build the Go with ``go vet``/``go build``.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import stripe
import yaml

from pulumi_stripe_portal.cli.render_program import enum_name, fields_of
from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.schema.models import PortalConfigurationSpec

from support.cli import run_cli
from support.samples import full

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from languages import (  # noqa: E402
    GO_MODULE,
    GO_SDK,
    NODE_MODULES,
    REPO_ROOT,
    SCHEMA,
    TOKEN,
    TSCONFIG,
    camel,
)

KEY = "sk_test_cliKey0123456789abcdef"
LANGUAGES = ["python", "yaml", "typescript", "go"]
TSC = REPO_ROOT / ".tools" / "node" / "node_modules" / ".bin" / "tsc"
STAMP = re.compile(r"stripe-portal on \d{4}-\d\d-\d\d \d\d:\d\d UTC")
# The second configuration: its metadata has what Pulumi YAML would read as interpolation.
OTHER = {
    "name": "Pro customers",
    "metadata": {"price": "$5 a ${month}", "cost $": "$$"},
    "features": {"subscription_cancel": {"enabled": False, "mode": "immediately"}},
}


@pytest.fixture(scope="module")
def exported(emulator: Emulator) -> dict[str, str]:
    """The account's configurations exported in every language (one seeding for all)."""
    emulator.reset()
    declared = full()
    declared.pop("active")
    emulator.seed_default(declared)
    client = stripe.StripeClient(KEY, base_addresses={"api": emulator.url}, max_network_retries=0)
    client.v1.billing_portal.configurations.create(params=OTHER)  # type: ignore[arg-type]
    out = {}
    for language in LANGUAGES:
        result = run_cli(emulator, "export", "--language", language, key=KEY)
        assert result.returncode == 0, result.stderr
        out[language] = STAMP.sub("stripe-portal on <stamp>", result.stdout)
    return out


def python_resources(text: str) -> dict[str, dict[str, Any]]:
    """Each ``PortalConfiguration(name, **kwargs)`` of the Python program, as values."""
    found = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "PortalConfiguration":
            name = ast.literal_eval(node.args[0])
            found[name] = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
    return found


def python_exports(text: str) -> list[str]:
    return re.findall(r'^pulumi\.export\("([^"]+)"', text, re.M)


def expected(exported: dict[str, str]) -> dict[str, dict[str, Any]]:
    """What the Python program declares, in the package schema's names."""
    return {name: camel(kwargs) for name, kwargs in python_resources(exported["python"]).items()}


def test_python_is_the_default(exported: dict[str, str], emu: Emulator) -> None:
    emu.seed_default({"name": "Only", "features": {"invoice_history": {"enabled": True}}})
    plain = run_cli(emu, "export", key=KEY)
    chosen = run_cli(emu, "export", "--language", "python", key=KEY)
    assert plain.returncode == chosen.returncode == 0, plain.stderr + chosen.stderr
    assert STAMP.sub("", plain.stdout) == STAMP.sub("", chosen.stdout)
    assert "from pulumi_stripe_portal import PortalConfiguration" in plain.stdout


def test_the_python_program_declares_every_field(exported: dict[str, str]) -> None:
    resources = python_resources(exported["python"])
    assert set(resources) == {"everything-portal", "pro-customers"}
    everything = resources["everything-portal"]
    assert everything["adopt"] == "default"
    declared = full()
    for key in ("name", "default_return_url", "business_profile", "login_page", "metadata"):
        assert everything[key] == declared[key]
    products = everything["features"]["subscription_update"]["products"]
    assert [p["product"] for p in products] == ["prod_basic", "prod_pro"]


def test_yaml_declares_what_the_python_program_declares(exported: dict[str, str]) -> None:
    document = yaml.safe_load(exported["yaml"])
    assert document["name"] == "exported-portals" and document["runtime"] == "yaml"
    assert list(document) == ["name", "runtime", "description", "resources", "outputs"]
    assert exported["yaml"].startswith("# Stripe customer portal configurations (test mode)")
    resources = document["resources"]
    assert {r["type"] for r in resources.values()} == {TOKEN}

    def unescape(value: Any) -> Any:  # Pulumi YAML reads `$$` as one `$`
        if isinstance(value, str):
            return value.replace("$$", "$")
        if isinstance(value, dict):
            return {unescape(k): unescape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [unescape(v) for v in value]
        return value

    want = expected(exported)
    assert {name: unescape(r["properties"]) for name, r in resources.items()} == want
    assert resources["pro-customers"]["properties"]["metadata"] == {
        "price": "$$5 a $${month}",
        "cost $$": "$$$$",
    }
    assert list(resources["everything-portal"]["properties"]) == list(want["everything-portal"])
    # The same stack outputs as the Python program's.
    outputs = document["outputs"]
    assert list(outputs) == python_exports(exported["python"])
    assert outputs == {
        "everything_portal_id": "${everything-portal.id}",
        "pro_customers_id": "${pro-customers.id}",
    }


def _ts_objects(text: str) -> dict[str, tuple[str, Any]]:
    """Each ``export const X = new stripeportal.PortalConfiguration(name, {...}).id;`` of
    the TypeScript program: name → (X, the object literal as JSON)."""
    found = {}
    pattern = r"^export const (\w+) = new stripeportal\.PortalConfiguration\("
    pattern += r'("[^"]*"), (\{.*?^\})\)\.id;$'
    for const, name, body in re.findall(pattern, text, re.M | re.S):
        quoted = re.sub(r"^(\s*)([A-Za-z_$][\w$]*): ", r'\1"\2": ', body, flags=re.M)
        found[json.loads(name)] = (const, json.loads(re.sub(r",(\s*[}\]])", r"\1", quoted)))
    return found


def test_typescript_declares_what_the_python_program_declares(exported: dict[str, str]) -> None:
    text = exported["typescript"]
    assert 'import * as stripeportal from "@pulumi-stripe-portal/stripe-portal";' in text
    objects = _ts_objects(text)
    assert {name: body for name, (_, body) in objects.items()} == expected(exported)
    assert {name: const for name, (const, _) in objects.items()} == {
        "everything-portal": "everythingPortalId",
        "pro-customers": "proCustomersId",
    }
    # Enum values are their string literals; metadata keys that are no identifier are quoted.
    assert 'mode: "immediately",' in text and '"cost $": "$$",' in text


def _schema_types() -> dict[str, Any]:
    return {k.rsplit(":", 1)[-1]: v for k, v in json.loads(SCHEMA.read_text())["types"].items()}


def test_the_go_program_uses_the_generated_sdk_s_names(exported: dict[str, str]) -> None:
    text = exported["go"]
    assert text.startswith("// Stripe customer portal configurations (test mode), exported by\n")
    assert "\npackage main\n" in text and "pulumi.Run(func(ctx *pulumi.Context) error {" in text
    assert '\tstripeportal "' + GO_MODULE + '/stripeportal"\n' in text
    for name in ("everything-portal", "pro-customers"):
        assert f'stripeportal.NewPortalConfiguration(ctx, "{name}", ' in text
    exports = re.findall(r'ctx\.Export\("([^"]+)"', text)
    assert exports == python_exports(exported["python"])
    types = _schema_types()
    objects = {n for n, t in types.items() if t["type"] == "object"}
    members = {n + e["name"] for n, t in types.items() for e in t.get("enum", [])}
    used_args = set(re.findall(r"&stripeportal\.(\w+)Args\{", text)) - {"PortalConfiguration"}
    assert used_args == objects  # every object type of the schema is used
    used_arrays = set(re.findall(r"stripeportal\.(\w+)Array\{", text))
    assert used_arrays == {
        "CustomerUpdateAllowedUpdate",
        "CancellationReasonOption",
        "SubscriptionUpdateDefaultAllowedUpdate",
        "IntervalOption",
        "Product",
        "Condition",
    }
    constants = set(re.findall(r"stripeportal\.(\w+)\b(?![({])", text)) - {"NewPortalConfiguration"}
    assert constants and constants <= members
    # Every value the Python program declares is spelt somewhere in the Go program.
    assert 'pulumi.String("Everything portal")' in text and "pulumi.Int(20)" in text
    assert re.search(r'\n\t+"price": +pulumi\.String\("\$5 a \$\{month\}"\),\n', text)
    assert "stripeportal.SubscriptionCancelModeImmediately" in text
    assert "Active:" not in text  # both are active


@pytest.mark.skipif(shutil.which("gofmt") is None, reason="gofmt is not on PATH")
def test_the_go_program_is_gofmt_clean(exported: dict[str, str], tmp_path: Path) -> None:
    source = tmp_path / "main.go"
    source.write_text(exported["go"])
    result = subprocess.run(["gofmt", "-l", str(source)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # it parses
    assert result.stdout == "", subprocess.run(
        ["gofmt", "-d", str(source)], capture_output=True, text=True
    ).stdout


def test_every_enum_the_models_hold_is_named_as_the_package_schema_names_it() -> None:
    types = _schema_types()
    seen = []

    def walk(model: type) -> None:
        for spec in fields_of(model).values():  # type: ignore[arg-type]
            node = spec.node
            inner, in_list = (
                (node.item, True) if node.kind == "list" and node.item else (node, False)
            )
            if inner.kind == "scalar" and inner.choices:
                name = enum_name(spec.owner, spec.name, in_list)
                assert [e["value"] for e in types[name]["enum"]] == list(inner.choices), name
                seen.append(name)
            if spec.model is not None:
                assert types[spec.model.__name__]["type"] == "object"
                walk(spec.model)

    walk(PortalConfigurationSpec)
    assert set(seen) == {n for n, t in types.items() if "enum" in t}


def test_an_unknown_language_is_a_one_line_usage_error(emu: Emulator) -> None:
    result = run_cli(emu, "export", "--language", "rust", key=KEY)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()  # argparse's quoting of the choices varies
    assert line.startswith("stripe-portal: error: argument --language: invalid choice: 'rust'")
    assert re.sub(r"['\s]", "", line).endswith("(choosefrompython,yaml,typescript,go)")


def test_the_help_names_the_languages() -> None:
    result = run_cli(None, "export", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--language {python,yaml,typescript,go}" in text
    assert "yaml (Pulumi.yaml)" in text
    overview = " ".join(run_cli(None, "--help").stdout.split())
    assert "(Python, YAML, TypeScript or Go)" in overview


# --- The generated SDKs: the programs compile against them (the engine session's tools) ----


@pytest.mark.engine
def test_the_typescript_program_type_checks_against_the_generated_sdk(
    exported: dict[str, str], tmp_path: Path
) -> None:
    if not TSC.exists() or not (NODE_MODULES / "@pulumi-stripe-portal").exists():
        pytest.skip("the node tools are not installed (tests/engine/node-tools/install.sh)")
    (tmp_path / "index.ts").write_text(exported["typescript"])
    (tmp_path / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    (tmp_path / "node_modules").symlink_to(NODE_MODULES)
    result = subprocess.run(
        [str(TSC), "-p", ".", "--noEmit"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # A wrong enum value is refused: the check does see the SDK's types.
    (tmp_path / "index.ts").write_text(exported["typescript"].replace('"immediately"', '"soon"'))
    wrong = subprocess.run(
        [str(TSC), "-p", ".", "--noEmit"], cwd=tmp_path, capture_output=True, text=True
    )
    assert wrong.returncode != 0 and "SubscriptionCancelMode" in wrong.stdout


@pytest.mark.engine
def test_the_go_program_builds_against_the_generated_sdk(
    exported: dict[str, str], tmp_path: Path
) -> None:
    if shutil.which("go") is None or not (GO_SDK / "go.mod").exists():
        pytest.skip("no Go toolchain or no generated Go SDK")
    (tmp_path / "main.go").write_text(exported["go"])
    (tmp_path / "go.mod").write_text(
        f"module exported\n\ngo 1.26\n\nrequire (\n\t{GO_MODULE} v0.0.0\n"
        "\tgithub.com/pulumi/pulumi/sdk/v3 v3.274.1\n)\n\n"
        f"replace {GO_MODULE} => {GO_SDK}\n"
    )
    (tmp_path / "go.sum").write_text((GO_SDK / "go.sum").read_text())
    # Offline: every module is in the cache already (the engine's build, the SDK's go.sum).
    env = {**os.environ, "GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    for command in (["go", "mod", "tidy"], ["go", "vet", "."], ["go", "build", "-o", "prog", "."]):
        result = subprocess.run(
            command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, f"{' '.join(command)}: {result.stdout}{result.stderr}"
