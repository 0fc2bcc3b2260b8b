"""The plugin path under latency: an update of N portals from a YAML program with
``--parallel P``, against the do-nothing floor and the bound 1.3 x (floor + N x latency / P).

Paired: each repetition runs the floor's update (the dynamic do-nothing resource, no API),
the plugin's update and, for contrast, our dynamic provider's update at the same latency
and parallelism, back to back. Prints a table: seconds, the ratio to the bound's base, and
the most requests the emulator held at once. Not a test: it asserts nothing.

    python tests/bench/plugin_bench.py                 # N = 100, 0.3 s, --parallel 16
    python tests/bench/plugin_bench.py --n 20 --reps 1 # a quick look
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "engine"))
sys.path.insert(0, str(HERE.parent))

from runner import KEY, Bench  # noqa: E402

from languages import write_yaml  # noqa: E402
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace  # noqa: E402
from support.samples import full  # noqa: E402


def _portals(n: int, variant: int) -> dict[str, dict[str, Any]]:
    declaration = full()
    return {f"portal{i}": {**declaration, "name": f"Portal {i} v{variant}"} for i in range(n)}


def _timed(emu: Emulator, run: Any) -> tuple[float, int]:
    """Wall seconds of ``run()`` and the most requests in flight during it."""
    with emu.server.stats_lock:
        emu.server.peak_in_flight = emu.server.in_flight
    start = time.perf_counter()
    run()
    return time.perf_counter() - start, emu.peak_in_flight


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument("--parallel", type=int, default=16)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    n, latency, parallel = args.n, args.latency, args.parallel
    work = Path(tempfile.mkdtemp(prefix="plugin-bench-"))
    print(f"plugin bench: N={n}, latency {latency} s, --parallel {parallel}; work dir {work}")
    with Emulator(port=0, threads=max(64, 2 * parallel)) as emu:
        bench = Bench(emu, work, log=lambda _line: None)
        floor = bench.workspace("floor", n)
        ours = bench.workspace("ours", n)
        src = write_yaml(work / "yaml-src", "portal-bench-plugin", _portals(n, 0))
        plugin = PulumiWorkspace(
            src,
            work / "plugin",
            stack="bench",
            extra_env={
                "STRIPE_API_BASE": emu.url,
            },
        )
        plugin.stack_init("bench")
        plugin.config_set("stripe-portal:apiKey", KEY, secret=True)
        floor.up()
        emu.set_latency(latency)
        plugin.up("--parallel", str(parallel))
        ours.up("--parallel", str(parallel))
        rows = []
        for rep in range(args.reps):
            variant = str(rep + 1)
            floor.config_set("variant", variant)
            ours.config_set("variant", variant)
            write_yaml(plugin.project_dir, "portal-bench-plugin", _portals(n, rep + 1))
            emu.set_latency(0.0)
            floor_s, _ = _timed(emu, lambda: floor.up())
            emu.set_latency(latency)
            plugin_s, plugin_peak = _timed(emu, lambda: plugin.up("--parallel", str(parallel)))
            ours_s, ours_peak = _timed(emu, lambda: ours.up("--parallel", str(parallel)))
            base = floor_s + n * latency / parallel
            rows.append((rep, floor_s, plugin_s, base, plugin_peak, ours_s, ours_peak))
        emu.set_latency(0.0)
        for ws in (plugin, ours, floor):
            ws.destroy()
    print(
        "| rep | floor s | plugin s | floor + N x latency / P | plugin ratio (<= 1.3) "
        "| plugin peak in flight | dynamic s | dynamic peak in flight |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for rep, floor_s, plugin_s, base, peak, ours_s, ours_peak in rows:
        print(
            f"| {rep} | {floor_s:.2f} | {plugin_s:.2f} | {base:.2f} | {plugin_s / base:.2f}x "
            f"| {peak} | {ours_s:.2f} | {ours_peak} |"
        )
    ratios = [plugin_s / base for _r, _f, plugin_s, base, *_ in rows]
    print(f"median plugin ratio {statistics.median(ratios):.2f}x of the bound's base (<= 1.3x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
