"""Turn samples into the printed table and the PNG plot (medians over repetitions)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from pathlib import Path
from typing import Any

OPS = ("create", "update", "preview", "refresh", "destroy")
# Writes per portal; the floor of every time bound under latency (N x latency / 4).
WRITES_PER_PORTAL = {"create": 1, "update": 1, "preview": 0, "refresh": 0, "destroy": 1}
TARGET_RATIO = 1.10  # every operation against the floor, without latency
TARGET_STATE = 1.15  # bytes per configuration against the floor


def read_limit(op: str, n: int) -> int:
    """Reads an operation may make in an account holding just the stack's portals."""
    if op in ("refresh", "update"):
        return 1 if n == 1 else 3
    return 0


def _requests(row: dict, op: str, n: int) -> str:
    if row.get("reads") is None:  # results from before reads and writes were told apart
        return f"{row['calls']} calls"
    return f"{row['reads']} / {read_limit(op, n)}, {row['writes']} / {WRITES_PER_PORTAL[op] * n}"


def _target(ratio: float | None, limit: float) -> str:
    return "–" if ratio is None else ("met" if ratio <= limit else "MISSED")


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _pick(samples: list[dict], **match: Any) -> list[dict]:
    return [s for s in samples if all(s[k] == v for k, v in match.items())]


def _fmt(value: float | None, spec: str = ".2f", missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def medians(samples: list[dict], kind: str, n: int, op: str, latency: float = 0.0) -> dict:
    rows = _pick(samples, kind=kind, n=n, op=op, latency=latency)
    return {
        "reps": len(rows),
        "wall": _median(r["wall"] for r in rows),
        "calls": max((r["calls"] for r in rows), default=None),
        "reads": max((r.get("reads") or 0 for r in rows), default=None) if rows else None,
        "writes": max((r.get("writes") or 0 for r in rows), default=None) if rows else None,
        "provider_cpu": _median(r["provider_cpu"] for r in rows),
        "program_cpu": _median(r["program_cpu"] for r in rows),
        "tree_cpu": _median(r["tree_cpu"] for r in rows),
    }


def paired_ratio(samples: list[dict], n: int, op: str, field: str = "wall") -> float | None:
    """Median over repetitions of ours / floor, each pair run back to back."""
    ours = {s["rep"]: s[field] for s in _pick(samples, kind="ours", n=n, op=op, latency=0.0)}
    floor = {s["rep"]: s[field] for s in _pick(samples, kind="floor", n=n, op=op, latency=0.0)}
    ratios = [ours[r] / floor[r] for r in ours if floor.get(r) and ours[r] is not None]
    return statistics.median(ratios) if ratios else None


def sizes(samples: list[dict], latency: float = 0.0) -> list[int]:
    return sorted({s["n"] for s in samples if s["latency"] == latency})


def operations_table(samples: list[dict]) -> list[str]:
    lines = [
        f"| N | operation | ours s | floor s | ratio | paired ratio | ≤ {TARGET_RATIO}× | "
        "reads / limit, writes / limit | "
        "provider CPU s ours / floor | program CPU s ours / floor | "
        "command-tree CPU s ours / floor | CPU ratio |",
        "| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in sizes(samples):
        for op in OPS:
            ours, floor = medians(samples, "ours", n, op), medians(samples, "floor", n, op)
            if ours["wall"] is None:
                continue
            ratio = ours["wall"] / floor["wall"] if floor["wall"] else None
            paired = paired_ratio(samples, n, op)
            cpu_ratio = paired_ratio(samples, n, op, "tree_cpu")
            lines.append(
                f"| {n} | {op} | {_fmt(ours['wall'])} | {_fmt(floor['wall'])} | "
                f"{_fmt(ratio, '.2f')}× | {_fmt(paired, '.2f')}× | "
                f"{_target(paired, TARGET_RATIO)} | {_requests(ours, op, n)} | "
                f"{_fmt(ours['provider_cpu'])} / {_fmt(floor['provider_cpu'])} | "
                f"{_fmt(ours['program_cpu'], missing='not run')} / "
                f"{_fmt(floor['program_cpu'], missing='not run')} | "
                f"{_fmt(ours['tree_cpu'])} / {_fmt(floor['tree_cpu'])} | "
                f"{_fmt(cpu_ratio, '.2f')}× |"
            )
    return lines


def latency_table(samples: list[dict], latency: float) -> list[str]:
    lines = [
        f"| N | operation | ours s (latency {latency} s) | bound N×{latency}/4 s | ratio | "
        "floor s + bound | ratio | target | ours s, no latency | reads, writes |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for n in sizes(samples, latency):
        for op in OPS:
            slow = medians(samples, "ours", n, op, latency)
            if slow["wall"] is None:
                continue
            fast = medians(samples, "ours", n, op)
            floor = medians(samples, "floor", n, op, latency)["wall"]
            if floor is None:  # results from before the floor ran in the latency session
                floor = medians(samples, "floor", n, op)["wall"]
            bound = WRITES_PER_PORTAL[op] * n * latency / 4
            ratio = slow["wall"] / bound if bound else None
            floor_bound = floor + bound if floor is not None else None
            ratio2 = slow["wall"] / floor_bound if floor_bound else None
            target = _latency_target(op, slow["wall"], bound, floor, latency)
            lines.append(
                f"| {n} | {op} | {_fmt(slow['wall'])} | {_fmt(bound)} | "
                f"{_fmt(ratio, '.2f')}{'×' if ratio else ''} | {_fmt(floor_bound)} | "
                f"{_fmt(ratio2, '.2f')}× | {target} | "
                f"{_fmt(fast['wall'])} | {slow['reads']}, {slow['writes']} |"
            )
    return lines


def _latency_target(
    op: str, wall: float | None, bound: float, floor: float | None, latency: float
) -> str:
    """Refresh within 1.2x of the floor's refresh plus two latencies (its one or two reads);
    update within 10 % of N x latency / 4 (its writes, four at a time)."""
    if wall is None:
        return "–"
    if op == "refresh" and floor is not None:
        limit = 1.2 * (floor + 2 * latency)
    elif op == "update":
        limit = 1.1 * bound
    else:
        return "–"
    return f"{'met' if wall <= limit else 'MISSED'} (≤ {limit:.2f} s)"


def state_table(states: list[dict]) -> list[str]:
    lines = [
        "| N | kind | bytes per resource | of which inputs | outputs | outputs._declared | "
        f"checkpoint file bytes | ratio (≤ {TARGET_STATE}×) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    floors = {s["n"]: s["per_resource"] for s in states if s["kind"] == "floor"}
    for s in sorted(states, key=lambda s: (s["n"], s["kind"] != "ours")):
        ratio = s["per_resource"] / floors[s["n"]] if floors.get(s["n"]) else None
        shown = "" if s["kind"] == "floor" or ratio is None else f"{ratio:.2f}×, "
        lines.append(
            f"| {s['n']} | {s['kind']} | {s['per_resource']:.0f} | {s['inputs']:.0f} | "
            f"{s['outputs']:.0f} | {s['declared']:.0f} | {s['file_bytes']} | "
            f"{shown}{_target(ratio, TARGET_STATE) if s['kind'] == 'ours' else ''} |"
        )
    return lines


def modules_loaded(samples: list[dict]) -> list[str]:
    """Which of our processes loaded the stripe SDK, and whether the provider built the
    models (pydantic), per operation (at N's smallest)."""
    lines = []
    for op in OPS:
        rows = _pick(samples, kind="ours", op=op, latency=0.0)
        if not rows:
            continue
        provider = rows[0]["stripe_in_provider"]
        program = rows[0]["stripe_in_program"]
        models = rows[0].get("pydantic_in_provider")  # absent from older results files
        pydantic = "" if models is None else (", builds the models" if models else ", no models")
        lines.append(
            f"- {op}: provider process {_yes(provider)}{pydantic}, program process {_yes(program)}"
        )
    return lines


def _yes(flag: bool | None) -> str:
    return "not run" if flag is None else ("imports stripe" if flag else "no stripe")


def imports_table(figures: list[dict]) -> list[str]:
    lines = [
        "| process | import | ms | of which stripe | models (pydantic build) | pydantic |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for f in figures:
        parts = f["parts_ms"]
        lines.append(
            f"| {f['context']} | {f['target']} | {f['total_ms']:.1f} | "
            f"{_fmt(parts.get('stripe'), '.1f')} | "
            f"{_fmt(parts.get('pulumi_stripe_portal.schema.models'), '.1f')} | "
            f"{_fmt(parts.get('pydantic'), '.1f')} |"
        )
    return lines


def _axes(ax, title: str, fmt) -> None:
    ax.set_title(title)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(fmt("%g"))
    ax.yaxis.set_major_formatter(fmt("%g"))
    ax.yaxis.set_minor_formatter(fmt("%g"))
    ax.tick_params(axis="y", which="minor", labelsize="x-small")
    ax.set_xlabel("N (resources)")
    ax.set_ylabel("wall seconds (median)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")


def plot(samples: list[dict], path: Path, latency: float | None) -> Path | None:
    """Time against N per operation, ours and the floor (log-log); None without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FormatStrFormatter
    except ImportError:
        return None
    ns = sizes(samples)
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    for ax, op in zip(axes.flat, OPS, strict=False):
        if not ns:
            ax.axis("off")
            continue
        for kind, style in (("ours", "o-"), ("floor", "s--")):
            ys = [medians(samples, kind, n, op)["wall"] for n in ns]
            ax.plot(ns, ys, style, label=kind)
        _axes(ax, op, FormatStrFormatter)
    last = axes.flat[len(OPS)]
    lat_ns = sizes(samples, latency) if latency else []
    if lat_ns:
        for op in ("create", "update", "refresh", "destroy"):
            ys = [medians(samples, "ours", n, op, latency)["wall"] for n in lat_ns]
            last.plot(lat_ns, ys, "o-", label=op)
        last.plot(lat_ns, [n * latency / 4 for n in lat_ns], "k--", label="bound N×lat/4")
        _axes(last, f"ours with {latency} s API latency", FormatStrFormatter)
    else:
        last.axis("off")
    fig.suptitle("pulumi-stripe-portal: ours vs a do-nothing dynamic resource (floor)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
