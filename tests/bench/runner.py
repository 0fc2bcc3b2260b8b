"""The engine benchmark: each operation, ours and the floor interleaved, on the real engine.

One file-backend workspace per (kind, N) under ``work_dir``; the emulator runs in this
process. Per command we record wall seconds, emulator requests, CPU of the provider and
program processes (their own getrusage at exit, written by ``hook/sitecustomize.py``) and the
CPU of the whole command tree (RUSAGE_CHILDREN of this process around the command: the
pulumi CLI, the language host and every process they waited for).
"""

from __future__ import annotations

import compileall
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "engine"))
sys.path.insert(0, str(HERE.parent))

import pulumi_stripe_portal  # noqa: E402
from pulumi_stripe_portal.emulator import Emulator  # noqa: E402

from harness import PulumiWorkspace  # noqa: E402
from support.samples import full, minimal  # noqa: E402

OPS = ("create", "update", "preview", "refresh", "destroy")
KINDS = ("ours", "floor")
KEY = "sk_test_benchmarkKey4242"


@dataclass
class Sample:
    kind: str
    n: int
    op: str
    rep: int
    latency: float
    wall: float
    calls: int
    reads: int
    writes: int
    provider_cpu: float | None
    program_cpu: float | None
    tree_cpu: float
    stripe_in_provider: bool | None
    stripe_in_program: bool | None
    pydantic_in_provider: bool | None = None


@dataclass
class StateFigure:
    kind: str
    n: int
    per_resource: float  # bytes of one resource entry in the checkpoint
    inputs: float
    outputs: float
    declared: float  # outputs._declared (ours only)
    file_bytes: int  # the whole checkpoint file


DECLARATIONS = {"full": full, "minimal": minimal}
PACKAGE_DIR = Path(pulumi_stripe_portal.__file__).parent


def _project(root: Path, declaration_name: str = "full") -> Path:
    """The bench program with a declaration of the tests beside it: the full-feature one
    (every field set), or the minimal one (one feature), whose state shows what storing
    only the declared view saves."""
    src = root / "src"
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(HERE / "program", src, ignore=shutil.ignore_patterns("__pycache__"))
    declaration = DECLARATIONS[declaration_name]()
    declaration.pop("name", None)
    (src / "declaration.json").write_text(json.dumps(declaration, indent=2))
    return src


class Bench:
    """Workspaces, the emulator and the samples of one benchmark session."""

    def __init__(
        self,
        emu: Emulator,
        work_dir: Path,
        *,
        extra_env: dict[str, str] | None = None,
        log: Callable[[str], None] = print,
        declaration: str = "full",
    ) -> None:
        self.emu = emu
        self.work_dir = work_dir
        self.extra_env = extra_env or {}
        self.log = log
        self.samples: list[Sample] = []
        self.states: list[StateFigure] = []
        self.src = _project(work_dir, declaration)
        # Bytecode as an installed wheel has it, for ours and the floor alike: with
        # PYTHONDONTWRITEBYTECODE set (this machine's CI image sets it), a source tree is
        # otherwise compiled again in every process of every command.
        for tree in (PACKAGE_DIR, self.src):
            compileall.compile_dir(str(tree), quiet=1)
        self._spaces: dict[tuple[str, int], PulumiWorkspace] = {}

    # ------------------------------------------------------------------ workspaces
    def _cpu_log(self, kind: str, n: int) -> Path:
        return self.work_dir / f"cpu-{kind}-{n}.jsonl"

    def workspace(self, kind: str, n: int) -> PulumiWorkspace:
        if (kind, n) in self._spaces:
            return self._spaces[(kind, n)]
        env = {
            "STRIPE_API_BASE": self.emu.url,
            "PYTHONPATH": str(HERE / "hook"),
            "BENCH_CPU_LOG": str(self._cpu_log(kind, n)),
            **self.extra_env,
        }
        ws = PulumiWorkspace(
            self.src, self.work_dir / f"{kind}-{n}", stack="bench", extra_env=env, timeout=3600
        )
        ws.stack_init("bench")
        ws.config_set("stripe:apiKey", KEY, secret=True)
        ws.config_set("kind", kind)
        ws.config_set("count", str(n))
        ws.config_set("variant", "0")
        self._spaces[(kind, n)] = ws
        return ws

    # ------------------------------------------------------------------ one command
    def _command(self, ws: PulumiWorkspace, op: str) -> None:
        if op == "create":
            ws.up()
        elif op == "update":
            ws.up()
        elif op == "preview":
            ws.preview(expect_no_changes=True)
        elif op == "refresh":
            ws.refresh()
        elif op == "destroy":
            ws.destroy()

    def run_op(self, kind: str, n: int, op: str, rep: int) -> Sample:
        ws = self.workspace(kind, n)
        if op in ("create", "update"):
            ws.config_set("variant", "1" if op == "update" else "0")
        cpu_log = self._cpu_log(kind, n)
        cpu_log.write_text("")
        calls_before = self.emu.request_count
        tree_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        self._command(ws, op)
        wall = time.perf_counter() - start
        tree_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        seen = self.emu.requests_since(calls_before)
        calls = len(seen)
        reads = sum(r.method == "GET" for r in seen)
        records = [json.loads(line) for line in cpu_log.read_text().splitlines() if line]
        by_role = {r["role"]: r for r in records}  # one of each per command
        provider, program = by_role.get("provider"), by_role.get("program")
        sample = Sample(
            kind=kind,
            n=n,
            op=op,
            rep=rep,
            latency=self.emu.server.faults.latency,
            wall=wall,
            calls=calls,
            reads=reads,
            writes=calls - reads,
            provider_cpu=provider["cpu"] if provider else None,
            program_cpu=program["cpu"] if program else None,
            tree_cpu=(tree_after.ru_utime + tree_after.ru_stime)
            - (tree_before.ru_utime + tree_before.ru_stime),
            stripe_in_provider=provider["stripe"] if provider else None,
            stripe_in_program=program["stripe"] if program else None,
            pydantic_in_provider=provider["pydantic"] if provider else None,
        )
        self.samples.append(sample)
        if op == "create" and rep == 0 and sample.latency == 0:
            self.states.append(self._state(ws, kind, n))
        self.log(
            f"  {kind:<5} N={n:<4} {op:<8} rep {rep}  {wall:7.2f} s  {reads:4d} reads"
            f" {calls - reads:4d} writes"
            + (f"  provider cpu {sample.provider_cpu:.2f} s" if provider else "")
        )
        return sample

    def _state(self, ws: PulumiWorkspace, kind: str, n: int) -> StateFigure:
        ours = [r for r in ws.resources() if r.get("type", "").startswith("pulumi-python:dynamic")]
        count = max(1, len(ours))

        def size(value: Any) -> int:  # compact JSON, as the file backend writes it
            return len(json.dumps(value, separators=(",", ":")))

        checkpoint = ws.state_dir / ".pulumi" / "stacks" / "portal-bench" / "bench.json"
        return StateFigure(
            kind=kind,
            n=n,
            per_resource=sum(size(r) for r in ours) / count,
            inputs=sum(size(r.get("inputs", {})) for r in ours) / count,
            outputs=sum(size(r.get("outputs", {})) for r in ours) / count,
            declared=sum(
                size(r["outputs"]["_declared"]) for r in ours if "_declared" in r.get("outputs", {})
            )
            / count,
            file_bytes=checkpoint.stat().st_size if checkpoint.exists() else 0,
        )

    # ------------------------------------------------------------------ sessions
    def cycle(self, n: int, reps: int, kinds: tuple[str, ...] = KINDS) -> None:
        """``reps`` full lifecycles; within each operation the kinds alternate their order."""
        for rep in range(reps):
            for op in OPS:
                order = kinds if rep % 2 == 0 else tuple(reversed(kinds))
                for kind in order:
                    self.run_op(kind, n, op, rep)
            self.emu.reset()  # destroyed configurations only deactivate: start clean

    def latency_cycle(self, n: int, reps: int, latency: float) -> None:
        """The same lifecycle with ``latency`` seconds before every emulator answer; the
        floor (which calls no API) runs interleaved as the reference of the moment."""
        self.emu.set_latency(latency)
        try:
            for rep in range(reps):
                for op in OPS:
                    for kind in KINDS if rep % 2 == 0 else tuple(reversed(KINDS)):
                        self.run_op(kind, n, op, rep)
                self.emu.reset()
                self.emu.set_latency(latency)
        finally:
            self.emu.set_latency(0.0)

    def dump(self, path: Path, extra: dict[str, Any]) -> None:
        path.write_text(
            json.dumps(
                {
                    "samples": [asdict(s) for s in self.samples],
                    "states": [asdict(s) for s in self.states],
                    **extra,
                },
                indent=1,
            )
        )


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"
