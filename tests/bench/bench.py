"""Benchmark: ours against a do-nothing dynamic resource on the real engine (prints figures).

For each N, each operation (create, update of every resource, no-op preview, refresh,
destroy) runs for ours and the floor interleaved, ``--reps`` times; the table gives median
wall seconds, the ratio, emulator API calls against the limit, CPU seconds of the provider
and program processes and of the whole command tree, state bytes per configuration and
import times; then the same with emulator latency against the bound N x latency / 4.
Writes results.json, report.md and bench.png to ``--out``. Not a test: it asserts nothing.

    python tests/bench/bench.py                      # N = 1, 10, 100, 300
    python tests/bench/bench.py --quick              # N = 1, 10; latency at N = 10
    python tests/bench/bench.py --sizes 10,100 --reps 5
    python tests/bench/bench.py --profile 100        # cProfile of the provider and program
    python tests/bench/bench.py --micro              # per-call figures, no engine
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
REPO = HERE.parents[1]


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", type=_ints, default=[1, 10, 100, 300], help="values of N")
    parser.add_argument("--reps", type=int, default=3, help="repetitions (median)")
    parser.add_argument("--latency", type=float, default=0.3, help="emulator latency, s")
    parser.add_argument("--latency-sizes", type=_ints, default=[10, 100])
    parser.add_argument("--quick", action="store_true", help="N = 1, 10; latency at N = 10")
    parser.add_argument("--no-latency", action="store_true", help="skip the latency runs")
    parser.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="run the engine with PULUMI_SKIP_CHECKPOINTS=true",
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="instead: cProfile the provider and program at N and print",
    )
    parser.add_argument("--micro", action="store_true", help="instead: per-call figures")
    parser.add_argument(
        "--declaration",
        choices=("full", "minimal"),
        default="full",
        help="what each portal declares: every field, or one feature",
    )
    parser.add_argument("--rounds", type=int, default=20, help="--micro rounds")
    parser.add_argument("--out", type=Path, default=REPO / ".bench", help="output directory")
    parser.add_argument("--keep", action="store_true", help="keep the engine work directory")
    parser.add_argument(
        "--report", type=Path, metavar="RESULTS_JSON", help="instead: re-render a results.json"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [1, 10]
        args.latency_sizes = [10]
    if args.no_latency:
        args.latency_sizes = []
    return args


def run_engine(args: argparse.Namespace) -> None:
    import imports
    from runner import Bench, machine

    from pulumi_stripe_portal.emulator import Emulator

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if args.skip_checkpoints else {}
    print(
        f"benchmark: N={args.sizes}, {args.reps} reps, latency {args.latency} s at "
        f"N={args.latency_sizes}; {args.declaration} declaration; {machine()}; work dir {work}"
    )
    try:
        with Emulator(port=0) as emu:
            bench = Bench(emu, work, extra_env=env, declaration=args.declaration)
            for n in args.sizes:
                print(f"N = {n}")
                bench.cycle(n, args.reps)
            for n in args.latency_sizes:
                print(f"N = {n}, latency {args.latency} s")
                bench.latency_cycle(n, args.reps, args.latency)
            print("import times")
            figures = [asdict(f) for f in imports.measure()]
            bench.dump(
                args.out / "results.json",
                {
                    "imports": figures,
                    "elapsed": time.perf_counter() - started,
                    "machine": machine(),
                    "load": [load_before, os.getloadavg()[0]],
                    "args": {k: str(v) for k, v in vars(args).items()},
                },
            )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    render(args.out / "results.json", args.out)


def render(results: Path, out: Path) -> None:
    """Print the tables of ``results``; write report.md and bench.png to ``out``."""
    import report

    data = json.loads(results.read_text())
    args = data["args"]
    samples, states = data["samples"], data["states"]
    latency = float(args["latency"])
    has_latency = any(s["latency"] for s in samples)
    skip = args.get("skip_checkpoints") == "True"
    load = data.get("load") or [float("nan"), float("nan")]
    lines = [
        f"pulumi-stripe-portal benchmark ({data['machine']}; medians of {args['reps']}; "
        f"file backend, emulator{', PULUMI_SKIP_CHECKPOINTS' if skip else ''}; "
        f"1-min load average {load[0]:.1f} at start, {load[1]:.1f} at end)",
        "",
        "Operations, no API latency (paired ratio: median of ours/floor run back to back;"
        " CPU ratio: the same for the CPU of the whole command tree):",
        *report.operations_table(samples),
        "",
        "Stripe SDK and pydantic loaded (ours):",
        *report.modules_loaded(samples),
        "",
        "State per configuration (pulumi stack export, compact JSON as in the checkpoint):",
        *report.state_table(states),
        "",
        "Import time (best of 5 fresh interpreters, after what the process imports anyway):",
        *report.imports_table(data["imports"]),
    ]
    if has_latency:
        lines += [
            "",
            f"With {latency} s API latency (the floor calls no API: it is the engine's own time"
            " in the same minutes):",
            *report.latency_table(samples, latency),
        ]
    try:
        png = report.plot(samples, out / "bench.png", latency if has_latency else None)
    except (ValueError, OSError) as exc:  # a figure is a nicety: keep the table
        png = f"not written ({exc})"
    lines += [
        "",
        f"plot: {png or 'not written (pip install -e .[bench] for matplotlib)'}",
        f"run time: {data['elapsed']:.0f} s",
    ]
    text = "\n".join(lines)
    (out / "report.md").write_text(text + "\n")
    print()
    print(text)


def run_profile(args: argparse.Namespace) -> None:
    import profiling

    profiling.run(args.profile, args.out)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    if args.micro:
        import micro

        micro.run(args.rounds)
    elif args.report:
        render(args.report, args.report.parent)
    elif args.profile:
        run_profile(args)
    else:
        run_engine(args)


if __name__ == "__main__":
    main()
