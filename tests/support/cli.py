"""``stripe-portal`` run as a user runs it: a fresh process, only the environment it is given."""

from __future__ import annotations

import os
import subprocess
import sys

from pulumi_stripe_portal.emulator import Emulator


def run_cli(
    emu: Emulator | None,
    *args: str,
    key: str | None = None,
    stdin: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``python -m pulumi_stripe_portal ARGS``, with no STRIPE_* variable but these: the key
    (none when None), the emulator's address, and ``env``."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STRIPE_")}
    if key is not None:
        environ["STRIPE_API_KEY"] = key
    if emu is not None:
        environ["STRIPE_API_BASE"] = emu.url
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pulumi_stripe_portal", *args],
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
