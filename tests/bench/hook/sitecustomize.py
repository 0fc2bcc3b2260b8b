"""Bench-only hook, put on PYTHONPATH of the processes the engine starts (never shipped).

With ``BENCH_CPU_LOG`` set, each Python process appends one JSON line at exit: its role
(``provider`` = ``python -m pulumi.dynamic``, ``program`` = the language host's exec script),
its own CPU seconds (getrusage RUSAGE_SELF, all threads) and which heavy modules it loaded.
With ``BENCH_PROFILE`` set to a directory, processes whose role is in ``BENCH_PROFILE_ROLES``
(default ``provider``) are profiled with cProfile in every thread and dump a .prof file.
"""

import os
import sys

_ARGV = list(getattr(sys, "orig_argv", sys.argv))


def _role() -> str:
    if "pulumi.dynamic" in _ARGV:
        return "provider"
    if any("pulumi-language-python-exec" in arg for arg in _ARGV):
        return "program"
    return "other"


def _install() -> None:
    import atexit

    role = _role()
    log = os.environ.get("BENCH_CPU_LOG")
    profile_dir = os.environ.get("BENCH_PROFILE")
    roles = (os.environ.get("BENCH_PROFILE_ROLES") or "provider").split(",")
    profiles = []
    if profile_dir and role in roles:
        import cProfile
        import threading

        def start_in_thread(*_args):
            profiler = cProfile.Profile()
            profiles.append(profiler)
            profiler.enable()

        threading.setprofile(start_in_thread)
        main_profiler = cProfile.Profile()
        profiles.append(main_profiler)
        main_profiler.enable()

    def at_exit() -> None:
        if profiles:
            import pstats

            stats = pstats.Stats(profiles[0])
            for profiler in profiles[1:]:
                try:
                    stats.add(profiler)
                except (TypeError, ValueError):
                    continue  # a thread's profiler that saw no call
            stats.dump_stats(os.path.join(profile_dir, f"{role}-{os.getpid()}.prof"))
        if log:
            import json
            import resource

            usage = resource.getrusage(resource.RUSAGE_SELF)
            record = {
                "role": role,
                "pid": os.getpid(),
                "cpu": usage.ru_utime + usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
                "stripe": "stripe" in sys.modules,
                "pydantic": "pydantic" in sys.modules,
                "ours": "pulumi_stripe_portal" in sys.modules,
            }
            with open(log, "a") as handle:
                handle.write(json.dumps(record) + "\n")

    atexit.register(at_exit)


if os.environ.get("BENCH_CPU_LOG") or os.environ.get("BENCH_PROFILE"):
    _install()
