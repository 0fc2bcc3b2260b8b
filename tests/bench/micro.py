"""Per-call micro figures: the provider driven in-process (pickled, configured) over HTTP to
the emulator, full-feature declaration. No engine: what each provider method costs alone."""

from __future__ import annotations

import base64
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from support.driver import KEY, Driver  # noqa: E402
from support.samples import full  # noqa: E402


def run(rounds: int = 20) -> None:
    """Print API calls, median and p90 milliseconds per provider method."""
    timings: dict[str, list[float]] = {}
    calls: dict[str, list[int]] = {}
    with Emulator(port=0) as emu:
        driver = Driver({"stripe:apiKey": KEY, "stripe:apiBase": emu.url})

        def measure(name: str, fn):
            before = emu.request_count
            start = time.perf_counter()
            result = fn()
            timings.setdefault(name, []).append(time.perf_counter() - start)
            calls.setdefault(name, []).append(emu.request_count - before)
            return result

        provider = driver.provider
        inputs = driver.check(full())
        changed = full()
        changed["features"]["subscription_cancel"].update(
            mode="at_period_end", proration_behavior="none"
        )
        new_inputs = driver.check(changed)
        state_bytes = 0
        for _ in range(rounds):
            measure("check", lambda: provider.check({}, full()))
            created = measure("create", lambda: provider.create(inputs))
            cid, state = created.id, created.outs
            state_bytes = len(json.dumps(state, sort_keys=True))
            measure("diff (no change)", lambda c=cid, s=state: provider.diff(c, s, inputs))
            state = measure(
                "update (one field)", lambda c=cid, s=state: provider.update(c, s, new_inputs)
            ).outs
            measure("read (refresh)", lambda c=cid, s=state: provider.read(c, s))
            measure("delete", lambda c=cid, s=state: provider.delete(c, s))

    print(f"micro: {rounds} rounds, provider methods in-process, full declaration, emulator")
    print(f"{'operation':<20} {'API calls':>9} {'median ms':>10} {'p90 ms':>8}")
    for name, samples in timings.items():
        ms = sorted(s * 1000 for s in samples)
        p90 = ms[int(0.9 * (len(ms) - 1))]
        print(f"{name:<20} {max(calls[name]):>9} {statistics.median(ms):>10.2f} {p90:>8.2f}")
    pickled = base64.b64decode(driver.pickled)
    print(f"state outputs per resource: {state_bytes} bytes (JSON)")
    print(f"pickled provider (__provider): {len(pickled)} bytes")
