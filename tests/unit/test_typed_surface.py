"""The typed surface is generated from the models and holds: fresh files, a description for
every field, and a type checker that refuses a wrong enum in a user's program."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from pydantic import BaseModel

from codegen import python as codegen
from pulumi_stripe_portal.schema import models
from pulumi_stripe_portal.schema.defaults import STRIPE_DEFAULTS

REPO = Path(__file__).resolve().parents[2]


def test_generated_files_are_fresh() -> None:
    stale = [str(path.relative_to(REPO)) for path in codegen.stale()]
    assert not stale, f"stale generated files (run `make generate`): {stale}"


def test_every_field_has_a_description() -> None:
    missing = [
        f"{model.__name__}.{name}"
        for model in codegen.models_in_order()
        for name, info in model.model_fields.items()
        if not (info.description or "").strip()
    ]
    assert not missing, f"fields without a description in models.py: {missing}"
    assert all((m.__doc__ or "").strip() for m in codegen.models_in_order())


def test_the_reference_lists_every_input_and_output() -> None:
    reference = (REPO / "provider" / "README.md").read_text()
    paths: list[str] = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for leaf in codegen.fields(model):
            where = f"{prefix}{leaf.name}"
            inner = leaf.item if leaf.kind == "list" and leaf.item and leaf.item.model else None
            paths.append(f"{where}[]" if inner else where)
            if leaf.model:
                walk(leaf.model, f"{where}.")
            elif inner and inner.model:
                walk(inner.model, f"{where}[].")

    walk(models.PortalConfigurationSpec, "")
    paths += [f"{p}.{n}" if p else n for p, extra in models.READ_ONLY.items() for n in extra]
    absent = [p for p in paths if f"| `{p}` |" not in reference]
    assert not absent, f"missing from provider/README.md's reference: {absent}"


def test_stripe_defaults_come_from_the_models() -> None:
    """Every writable field has a default Stripe holds, derived from the models alone."""
    assert set(STRIPE_DEFAULTS) == set(models.ConfigurationParams.model_fields)
    features = STRIPE_DEFAULTS["features"]
    assert set(features) == set(models.Features.model_fields)
    assert features["subscription_cancel"]["mode"] == "at_period_end"
    assert features["subscription_pause"]["duration"] == models.DEFAULT_PAUSE_DURATION


GOOD = """
import pulumi
from pulumi_stripe_portal import PortalConfiguration, SubscriptionCancelArgs

portal = PortalConfiguration(
    "ok",
    features={"subscription_cancel": {"enabled": True, "mode": "immediately"}},
)
cancel = SubscriptionCancelArgs(enabled=True, mode="immediately")
other = PortalConfiguration("ok2", features={"subscription_cancel": cancel})
url: pulumi.Output[str | None] = portal.login_page.apply(lambda page: page.url)
mode = portal.features.apply(lambda f: f.subscription_cancel.mode)
"""

BAD = """
from pulumi_stripe_portal import PortalConfiguration, SubscriptionCancelArgs

portal = PortalConfiguration(
    "bad",
    features={"subscription_cancel": {"enabled": True, "mode": "soon"}},
)
args = SubscriptionCancelArgs(enabled=True, mode="soon")
"""


def test_the_type_checker_refuses_a_wrong_enum(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad.py").write_text(textwrap.dedent(BAD))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "good.py",
            "bad.py",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 1, done.stdout + done.stderr
    assert not [e for e in errors if e.startswith("good.py")], done.stdout
    assert any(e.startswith("bad.py:6:") and 'Argument "features"' in e for e in errors), errors
    assert any(
        e.startswith("bad.py:8:") and 'Argument "mode"' in e and "soon" in e for e in errors
    ), errors
