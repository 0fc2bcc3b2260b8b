"""A Stripe refusal at ``pulumi up`` through the real engine: the user reads the one-line
error first, and the traceback the dynamic-provider SDK prints under it stops at the provider
method (provider.py): no frames of operations.py, client.py or the stripe SDK, and no key.
The test prints the terminal output it checks (run with ``-s`` to see it)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace, write_project  # noqa: E402

pytestmark = pytest.mark.engine

KEY = "sk_test_errorsEngineKey4242"
REFUSAL = "error: Stripe: No such product: 'prod_gone'"
FRAME = re.compile(r'File "([^"]+)", line \d+, in (\w+)')


def project(tmp_path: Path, emu: Emulator) -> PulumiWorkspace:
    """One portal offering a product Stripe does not have: check passes, create is refused."""
    src = write_project(
        tmp_path / "src",
        "refused-portal",
        "from pulumi_stripe_portal import PortalConfiguration\n"
        "PortalConfiguration('portal', features={\n"
        "    'payment_method_update': {'enabled': True},\n"
        "    'subscription_update': {'enabled': True, 'default_allowed_updates': ['price'],\n"
        "        'products': [{'product': 'prod_gone', 'prices': ['price_gone']}]}})\n",
    )
    ws = PulumiWorkspace(src, tmp_path / "ws", stack="dev", extra_env={"STRIPE_API_BASE": emu.url})
    ws.stack_init("dev")
    ws.config_set("stripe:apiKey", KEY, secret=True)
    return ws


def our_frames(text: str) -> list[tuple[str, str]]:
    """(file name, function) of every traceback frame in this package."""
    return [
        (Path(path).name, function)
        for path, function in FRAME.findall(text)
        if "pulumi_stripe_portal" in Path(path).parts
    ]


def test_stripe_refusal_at_up_reads_first_and_its_traceback_stops_at_the_provider(
    tmp_path: Path, emu: Emulator
) -> None:
    emu.set_check_references(True)  # the catalogue is empty: every product is unknown
    ws = project(tmp_path, emu)
    result = ws.up(check=False)
    text = result.stdout + result.stderr
    print(f"\n===== a Stripe refusal at up: $ pulumi up (exit {result.returncode})\n{text}")
    assert result.returncode != 0
    assert REFUSAL in text
    assert text.index(REFUSAL) < text.index("Traceback (most recent call last)")
    assert our_frames(text) == [("provider.py", "create")]
    assert "stripe/" not in text and "_http_client" not in text
    assert KEY not in text and "errorsEngineKey" not in text
    assert ws.resources("PortalConfiguration") == []
