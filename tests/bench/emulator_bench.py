"""Emulator throughput: requests per second for a keep-alive retrieve and for a create.

Starts ``python -m pulumi_stripe_portal.emulator`` (from this checkout, or from ``--source``,
another checkout's root, so two versions are measured the same way), then drives it from
client processes, each with one keep-alive ``http.client`` connection, for ``--seconds``
after a short warm-up. Clients are processes, not threads, so the client side's GIL is not
what is measured. Runs each case ``--repeat`` times and prints the median requests per
second, and the emulator's CPU time per request (user + system, from /proc): on a shared
machine the second moves less with other people's load than the first. With ``--compare``
both emulators are up at once and each case runs on one right after the other (the order
flipped every other round), so each pair sees the same machine: the paired ratio and how
many rounds the newer one won are steadier than two medians taken apart. Not a test: it
asserts nothing (issue 17 quotes its table).

    python tests/bench/emulator_bench.py
    python tests/bench/emulator_bench.py --compare /tmp/emu-before --clients 1,8 --repeat 9
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KEY = "sk_test_bench"
BASE = "/v1/billing_portal/configurations"
HEADERS = {"Authorization": f"Bearer {KEY}"}
FORM = {**HEADERS, "Content-Type": "application/x-www-form-urlencoded"}
CREATE = b"features[invoice_history][enabled]=true&name=bench&metadata[k]=v"


class Server:
    """The emulator's command line in a subprocess, on a free loopback port."""

    def __init__(self, source: Path, threads: int | None) -> None:
        env = {**os.environ, "PYTHONPATH": str(source / "provider")}
        cmd = [sys.executable, "-m", "pulumi_stripe_portal.emulator", "--port", "0"]
        if threads is not None:
            cmd += ["--threads", str(threads)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        m = re.search(r"listening on http://([\d.]+):(\d+)", line)
        if m is None:
            self.proc.kill()
            raise SystemExit(f"emulator did not start: {line!r}")
        self.host, self.port = m.group(1), int(m.group(2))

    def cpu_seconds(self) -> float:
        """User + system CPU time of the emulator process so far (Linux /proc)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def _request(conn: http.client.HTTPConnection, case: str, path: str) -> int:
    if case == "create":
        conn.request("POST", BASE, body=CREATE, headers=FORM)
    else:
        conn.request("GET", path, headers=HEADERS)
    resp = conn.getresponse()
    resp.read()
    return resp.status


def _client(
    host: str, port: int, case: str, path: str, start: float, stop: float, out: mp.Queue
) -> None:
    """One keep-alive connection: warm up until ``start``, then count answers until ``stop``."""
    conn = http.client.HTTPConnection(host, port, timeout=30)
    done = errors = 0
    while time.time() < start:
        _request(conn, case, path)
    while time.time() < stop:
        if _request(conn, case, path) == 200:
            done += 1
        else:
            errors += 1
    conn.close()
    out.put((done, errors))


def measure(server: Server, case: str, clients: int, seconds: float) -> tuple[float, float]:
    """Requests per second over all clients and the emulator's CPU microseconds per request
    (any non-200 answer aborts the run)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=30)
    conn.request("POST", BASE, body=CREATE, headers=FORM)
    path = f"{BASE}/{json.loads(conn.getresponse().read())['id']}"
    conn.close()
    out: mp.Queue = mp.Queue()
    start = time.time() + 1.0 + 0.05 * clients  # processes up, connections warm
    stop = start + seconds
    args = (server.host, server.port, case, path, start, stop, out)
    procs = [mp.Process(target=_client, args=args) for _ in range(clients)]
    for p in procs:
        p.start()
    time.sleep(max(0.0, start - time.time()))
    cpu = server.cpu_seconds()
    time.sleep(max(0.0, stop - time.time()))
    cpu = server.cpu_seconds() - cpu
    results = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    if any(errors for _, errors in results):
        raise SystemExit(f"{case} x{clients}: non-200 answers {results}")
    done = sum(done for done, _ in results)
    return done / seconds, cpu / max(done, 1) * 1e6


Figure = tuple[float, float]  # (requests per second, emulator CPU µs per request)


def run_round(
    sources: dict[str, tuple[Path, int | None]],
    cases: list[str],
    clients: list[int],
    seconds: float,
    flip: bool,
) -> dict[str, dict[str, Figure]]:
    """One fresh emulator per source (empty stores), all up at once; each case is measured on
    every source back to back (the order flipped every other round), so a pair sees the same
    machine: {"after": {"retrieve x1": figure, ...}, ...}."""
    names = list(sources)[::-1] if flip else list(sources)
    servers: dict[str, Server] = {}
    try:
        for name in names:
            servers[name] = Server(*sources[name])
        out: dict[str, dict[str, Figure]] = {name: {} for name in names}
        for case in cases:
            for n in clients:
                for name in names:
                    out[name][f"{case} x{n}"] = measure(servers[name], case, n, seconds)
        return out
    finally:
        for server in servers.values():
            server.stop()


def report(runs: dict[str, dict[str, list[Figure]]], repeat: int, seconds: float) -> None:
    """Medians with the slowest and fastest round; with two sources, the paired ratio too."""
    names = list(runs)
    print(
        f"median of {repeat} rounds x {seconds:g} s (slowest-fastest round in brackets);"
        " CPU = the emulator's, per request"
    )
    head = (
        " | ".join(f"{n} req/s" for n in names) + " | " + " | ".join(f"{n} CPU µs" for n in names)
    )
    paired = len(names) == 2
    if paired:
        head += f" | {names[1]}/{names[0]} (paired) | {names[1]} faster in"
    print(f"| case | clients | {head} |")
    print("| --- | --- |" + " --- |" * (2 * len(names) + 2 * paired))
    for case in runs[names[-1]]:
        what, n = case.split(" x")
        figs = {name: runs[name][case] for name in names}
        spans = {name: sorted(r for r, _ in figs[name]) for name in names}
        rates = " | ".join(
            f"{statistics.median(v):.0f} ({v[0]:.0f}-{v[-1]:.0f})" for v in spans.values()
        )
        cpus = " | ".join(f"{statistics.median(c for _, c in figs[name]):.0f}" for name in names)
        row = f"| {what} | {n} | {rates} | {cpus} |"
        if paired:
            ratios = [b[0] / a[0] for a, b in zip(figs[names[0]], figs[names[1]], strict=True)]
            wins = sum(r >= 1 for r in ratios)
            row += f" {statistics.median(ratios):.2f}x | {wins} of {len(ratios)} |"
        print(row)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--source", type=Path, default=REPO, help="checkout whose emulator to run")
    p.add_argument(
        "--compare",
        type=Path,
        metavar="DIR",
        help="another checkout to measure as 'before', each case back to back with --source",
    )
    p.add_argument("--clients", default="1,8", help="client counts, comma-separated")
    p.add_argument("--cases", default="retrieve,create")
    p.add_argument("--seconds", type=float, default=3.0, help="measured seconds per run")
    p.add_argument("--repeat", type=int, default=5, help="rounds (medians are printed)")
    p.add_argument("--threads", type=int, help="pass --threads N to --source's emulator")
    p.add_argument("--json", action="store_true", help="print every round's figures as JSON")
    args = p.parse_args(argv)
    clients = [int(c) for c in args.clients.split(",")]
    cases = args.cases.split(",")
    sources = {"after": (args.source.resolve(), args.threads)}
    if args.compare is not None:
        sources = {"before": (args.compare.resolve(), None), **sources}
    runs: dict[str, dict[str, list[Figure]]] = {name: {} for name in sources}
    for round_no in range(args.repeat):
        figures = run_round(sources, cases, clients, args.seconds, flip=round_no % 2 == 1)
        for name, by_case in figures.items():
            for case, figure in by_case.items():
                runs[name].setdefault(case, []).append(figure)
    for name, (source, _) in sources.items():
        print(f"{name}: {source}")
    report(runs, args.repeat, args.seconds)
    if args.json:
        print(json.dumps(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
