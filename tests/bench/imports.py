"""Import time of our package in fresh interpreters, as the program and the provider see it.

``python -X importtime`` prints one line per module (self and cumulative microseconds).
The program process has imported ``pulumi`` before the program runs; the provider process
(``python -m pulumi.dynamic``) has imported pulumi.dynamic, grpc and dill before it unpickles
the provider class. Each context is primed with those, so the figure is what we add.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROGRAM_DIR = Path(__file__).resolve().parent / "program"
LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")

CONTEXTS = {
    "program": "import pulumi",
    "provider": "import pulumi, pulumi.dynamic, dill, grpc, pulumi.runtime",
}
# What each process really runs: the program names the resource class; the provider process
# unpickles the provider class by reference.
TARGETS = {
    "ours (resource)": "from pulumi_stripe_portal import PortalConfiguration",
    "ours (provider class)": (
        "from pulumi_stripe_portal.provider import PortalConfigurationProvider"
    ),
    "floor": "from floor import Noop, NoopProvider",
}
WATCH = (
    "stripe",
    "pydantic",
    "pulumi_stripe_portal.schema.models",
    "pulumi_stripe_portal.emulator",
)


@dataclass
class ImportFigure:
    context: str
    target: str
    total_ms: float
    parts_ms: dict[str, float] = field(default_factory=dict)  # top-level WATCH modules


def _one(python: str, prime: str, target: str) -> tuple[float, dict[str, float]]:
    code = f"{prime}\nimport sys; sys.stderr.write('--mark--\\n')\n{target}"
    env = {**os.environ, "PYTHONPATH": str(PROGRAM_DIR)}
    env.pop("BENCH_CPU_LOG", None)
    proc = subprocess.run(
        [python, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env
    )
    after = proc.stderr.split("--mark--", 1)[-1]
    total = 0
    parts: dict[str, float] = {}
    for match in LINE.finditer(after):
        _self, cumulative, indent, name = match.groups()
        if len(indent) == 1:  # a top-level import of the target statement
            total += int(cumulative)
        if name in WATCH and name not in parts:
            parts[name] = int(cumulative) / 1000
    return total / 1000, parts


def measure(python: str = sys.executable, repeat: int = 5) -> list[ImportFigure]:
    """Best of ``repeat`` fresh interpreters for each context and target (on a shared
    machine other load only ever adds time, so the minimum is the cost)."""
    figures = []
    for context, prime in CONTEXTS.items():
        for target, statement in TARGETS.items():
            if (context, target) in (
                ("program", "ours (provider class)"),
                ("provider", "ours (resource)"),
            ):
                continue
            runs = [_one(python, prime, statement) for _ in range(repeat)]
            best = min(runs, key=lambda r: r[0])
            total, parts = best
            figures.append(ImportFigure(context, target, total, parts))
    return figures
