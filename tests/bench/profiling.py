"""Where the time goes: cProfile of the provider and program processes, ours at N.

Creates N portals, then runs update, preview and refresh with ``BENCH_PROFILE`` set so
``hook/sitecustomize.py`` profiles every thread of those processes, and prints the
functions with the most cumulative and own time, ours first. Profiling slows the
processes down: read proportions here, seconds in the benchmark.
"""

from __future__ import annotations

import io
import pstats
import shutil
import tempfile
from pathlib import Path

from runner import Bench

from pulumi_stripe_portal.emulator import Emulator

PROFILED_OPS = ("update", "preview", "refresh")


def _top(files: list[Path], sort: str, limit: int = 18) -> str:
    if not files:
        return "  (no profile written)"
    stats = pstats.Stats(*(str(f) for f in files), stream=io.StringIO())
    stats.strip_dirs().sort_stats(sort)
    stream = io.StringIO()
    stats.stream = stream
    stats.print_stats(limit)
    body = stream.getvalue()
    start = body.find("   ncalls")
    return body[start:] if start >= 0 else body


# Own time spent blocked, not computing: the gRPC server loop and thread-pool waits.
WAITS = (
    "get' of '_queue.SimpleQueue",
    "acquire' of '_thread.lock",
    "_serve",
    "poll' of",
    "_blocking",
    "recv_into",
)


def _package(filename: str) -> str:
    """The top-level package a function's file belongs to (or the stdlib / builtins)."""
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins / interpreter"
    parts = Path(filename).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    if "pulumi_stripe_portal" in parts:
        return "pulumi_stripe_portal"
    return "stdlib / other"


def by_package(files: list[Path]) -> str:
    """Own CPU time grouped by package, waits left out: where the process computes."""
    if not files:
        return "  (no profile written)"
    stats = pstats.Stats(*(str(f) for f in files), stream=io.StringIO())
    totals: dict[str, float] = {}
    ours: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, tottime, cumtime, _callers) in stats.stats.items():
        if any(w in name for w in WAITS):
            continue
        package = _package(filename)
        totals[package] = totals.get(package, 0.0) + tottime
        if package == "pulumi_stripe_portal":
            key = f"{Path(filename).name}:{name}"
            ours[key] = max(ours.get(key, 0.0), cumtime)
    total = sum(totals.values()) or 1.0
    lines = [f"  own time, waits excluded: {total:.2f} s"]
    for package, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:10]:
        lines.append(f"  {package:<28} {seconds:6.2f} s  {100 * seconds / total:4.0f} %")
    top = sorted(ours.items(), key=lambda kv: -kv[1])[:8]
    if top:
        lines.append("  our functions by cumulative time (includes waits on Stripe):")
        lines += [f"    {key:<44} {seconds:6.2f} s" for key, seconds in top]
    return "\n".join(lines)


def report(out: Path, n: int) -> None:
    """Print the per-package summary and the top functions of saved profiles."""
    for op in PROFILED_OPS:
        prof_dir = out / f"profile-{op}-{n}"
        for role in ("provider", "program"):
            files = sorted(prof_dir.glob(f"{role}-*.prof"))
            print(f"\n=== {op}, N={n}, {role} process ===")
            print(by_package(files))
            print(f"--- top functions by own time ({op}, {role}) ---")
            print(_top(files, "tottime", limit=12))


def run(n: int, out: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix="portal-profile-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        with Emulator(port=0) as emu:
            bench = Bench(emu, work)
            bench.run_op("ours", n, "create", 0)
            ws = bench.workspace("ours", n)
            for op in PROFILED_OPS:
                prof_dir = out / f"profile-{op}-{n}"
                shutil.rmtree(prof_dir, ignore_errors=True)
                prof_dir.mkdir()
                ws.env["BENCH_PROFILE"] = str(prof_dir)
                ws.env["BENCH_PROFILE_ROLES"] = "provider,program"
                bench.run_op("ours", n, op, 0)
            ws.env.pop("BENCH_PROFILE", None)
            bench.run_op("ours", n, "destroy", 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(out, n)
    print(f"profiles (.prof, for snakeviz or pstats): {out}/profile-*-{n}/")
