"""Run a Pulumi project with the real engine (``.tools/bin/pulumi``) from pytest, offline.

Typical use::

    ws = PulumiWorkspace(REPO_ROOT / "examples" / "basic", tmp_path,
                         extra_env={"STRIPE_API_BASE": mock.url, "STRIPE_API_KEY": "sk_test_abc"})
    ws.stack_init("test")
    ws.config_set("stripe:apiKey", "sk_test_abc", secret=True)
    ws.up()
    assert ws.stack_output()["id"].startswith("bpc_")
    ws.preview(expect_no_changes=True)
    ws.destroy()

Everything stays under ``work_dir``: the project is **copied** to ``work_dir/project`` (so
``Pulumi.<stack>.yaml`` files written by ``stack init``/``config set`` never land in the
checkout), the state goes to a file backend in ``work_dir/state`` and ``PULUMI_HOME`` is
``work_dir/pulumi-home``. Inherited ``PULUMI_*`` variables are dropped; nothing reaches the
network (no update check, no plugin downloads).

How the Python program is run, and with which Python
------------------------------------------------------
The copied ``Pulumi.yaml`` gets ``runtime: {name: python, options: {toolchain: pip,
virtualenv: <repo>/.venv}}`` (other options such as ``main`` are kept), whatever the original
says, so examples whose Pulumi.yaml names no venv run with the repo venv, which has this
package installed editable. ``PULUMI_PYTHON_CMD`` is also set to the venv's python: the
dynamic-provider launcher ``pulumi-resource-pulumi-python`` uses it when no virtualenv is
passed to it.

The program is run by the engine's Python language host (``pulumi-language-python``, built
by build-engine.sh), which runs the first ``python3`` on PATH: the venv's ``bin`` is put on
PATH right after ``.tools/bin``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = REPO_ROOT / ".tools" / "bin"
BUILD_SCRIPT = REPO_ROOT / "tests" / "engine" / "build-engine.sh"
VENV = Path(os.environ.get("PULUMI_HARNESS_VENV", REPO_ROOT / ".venv"))
VENV_PYTHON = VENV / "bin" / "python"


def _pin(script: Path) -> str:
    """The engine version build-engine.sh pins: written down once, there."""
    found = re.search(r'^PULUMI_VERSION="(v[0-9.]+)"$', script.read_text(), re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no PULUMI_VERSION pin in {script}")
    return found.group(1)


PULUMI_VERSION = _pin(BUILD_SCRIPT)

_IGNORE = shutil.ignore_patterns(
    "__pycache__", "*.pyc", ".venv", "venv", ".pulumi", ".pulumi-state"
)


class CommandResult(NamedTuple):
    """What one ``pulumi`` command did; unpacks as ``(returncode, stdout, stderr)``."""

    returncode: int
    stdout: str
    stderr: str
    args: tuple[str, ...] = ()

    def describe(self) -> str:
        return (
            f"$ {' '.join(self.args)}\nexit code {self.returncode}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )


class PulumiCommandError(AssertionError):
    """A pulumi command failed; the message holds the command line and its whole output."""

    def __init__(self, result: CommandResult, note: str = "") -> None:
        self.result = result
        super().__init__(f"{note + chr(10) if note else ''}{result.describe()}")


def engine_ready() -> bool:
    """True when ``.tools/bin/pulumi`` (and the dynamic-provider launcher) are in place."""
    return os.access(TOOLS_BIN / "pulumi", os.X_OK) and os.access(
        TOOLS_BIN / "pulumi-resource-pulumi-python", os.X_OK
    )


def ensure_engine(timeout: float = 3600) -> None:
    """Run build-engine.sh when ``.tools/bin/pulumi`` is missing (cold build: minutes)."""
    if engine_ready():
        return
    proc = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=timeout
    )
    if proc.returncode != 0 or not engine_ready():
        raise RuntimeError(
            f"{BUILD_SCRIPT} failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )


def language_host_available() -> bool:
    """True when the Go language host ``pulumi-language-python`` can be found."""
    return os.access(TOOLS_BIN / "pulumi-language-python", os.X_OK) or bool(
        shutil.which("pulumi-language-python")
    )


class PulumiWorkspace:
    """One project copy + one file backend + private PULUMI_HOME, driven through the CLI."""

    def __init__(
        self,
        project_dir: str | os.PathLike[str],
        work_dir: str | os.PathLike[str],
        *,
        stack: str = "test",
        extra_env: Mapping[str, str] | None = None,
        passphrase: str = "engine-test-passphrase",
        copy_project: bool = True,
        timeout: float = 600,
    ) -> None:
        self.source_dir = Path(project_dir).resolve()
        self.work_dir = Path(work_dir).resolve()
        self.stack = stack
        self.timeout = timeout
        if not (self.source_dir / "Pulumi.yaml").is_file():
            raise FileNotFoundError(f"no Pulumi.yaml in {self.source_dir}")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        if copy_project:
            self.project_dir = self.work_dir / "project"
            if self.project_dir.exists():
                shutil.rmtree(self.project_dir)
            shutil.copytree(self.source_dir, self.project_dir, ignore=_IGNORE)
            self._pin_runtime_to_venv()
        else:
            self.project_dir = self.source_dir
        self.state_dir = self.work_dir / "state"
        self.home_dir = self.work_dir / "pulumi-home"
        self.state_dir.mkdir(exist_ok=True)
        self.home_dir.mkdir(exist_ok=True)

        if not language_host_available():
            raise RuntimeError("no pulumi-language-python: run tests/engine/build-engine.sh")
        self.env = self._build_env(passphrase, extra_env or {})
        self.last_result: CommandResult | None = None
        self._deployed = False  # an `up` ran since the last successful destroy

    # ----------------------------------------------------------------- environment
    def _pin_runtime_to_venv(self) -> None:
        path = self.project_dir / "Pulumi.yaml"
        doc = yaml.safe_load(path.read_text()) or {}
        runtime = doc.get("runtime", "python")
        name = runtime if isinstance(runtime, str) else runtime.get("name", "python")
        if name != "python":
            return  # YAML, TypeScript, Go: their hosts need no venv (the plugin is on PATH)
        options = {} if isinstance(runtime, str) else dict(runtime.get("options") or {})
        options["toolchain"] = "pip"
        options["virtualenv"] = str(VENV)
        doc["runtime"] = {"name": "python", "options": options}
        path.write_text(yaml.safe_dump(doc, sort_keys=False))

    def _build_env(self, passphrase: str, extra: Mapping[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        path = [str(TOOLS_BIN), str(VENV / "bin"), env.get("PATH", "/usr/bin:/bin")]
        env.update(
            {
                "PATH": os.pathsep.join(path),
                "PULUMI_HOME": str(self.home_dir),
                "PULUMI_BACKEND_URL": self.state_dir.as_uri(),
                "PULUMI_CONFIG_PASSPHRASE": passphrase,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
                "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
                "PULUMI_SKIP_CONFIRMATIONS": "true",
                "PULUMI_PYTHON_CMD": str(VENV_PYTHON),
                "PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
                "NO_COLOR": "1",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.pop("VIRTUAL_ENV", None)
        env.update(extra)
        return env

    # ----------------------------------------------------------------- running
    def run(
        self,
        *args: str,
        check: bool = True,
        stack: bool = True,
        timeout: float | None = None,
        input: str | None = None,
    ) -> CommandResult:
        """Run ``pulumi <args> --non-interactive --cwd <project> [--stack <stack>]``.

        With ``check`` (default) a non-zero exit raises :class:`PulumiCommandError`, an
        AssertionError whose message has the command line, stdout and stderr.
        """
        cmd = [
            str(TOOLS_BIN / "pulumi"),
            *args,
            "--non-interactive",
            "--cwd",
            str(self.project_dir),
        ]
        if stack:
            cmd += ["--stack", self.stack]
        proc = subprocess.run(
            cmd,
            env=self.env,
            cwd=self.work_dir,
            capture_output=True,
            text=True,
            timeout=timeout or self.timeout,
            input=input,
        )
        result = CommandResult(proc.returncode, proc.stdout, proc.stderr, tuple(cmd))
        self.last_result = result
        if check and result.returncode != 0:
            raise PulumiCommandError(result, f"pulumi {args[0] if args else ''} failed")
        return result

    def stack_init(self, name: str | None = None) -> CommandResult:
        if name:
            self.stack = name
        return self.run("stack", "init", self.stack, stack=False)

    def stack_select(self, name: str) -> None:
        self.stack = name

    def config_set(
        self, key: str, value: str, *, secret: bool = False, path: bool = False
    ) -> CommandResult:
        args = ["config", "set", key, "--secret" if secret else "--plaintext"]
        if path:
            args.append("--path")
        # The value goes through stdin so secrets never show up in a process listing.
        return self.run(*args, input=value)

    def config_get(self, key: str) -> str:
        return self.run("config", "get", key).stdout.rstrip("\n")

    def up(self, *extra: str, check: bool = True) -> CommandResult:
        self._deployed = True
        return self.run("up", "--yes", "--skip-preview", *extra, check=check)

    def preview(
        self, *extra: str, expect_no_changes: bool = False, check: bool = True
    ) -> CommandResult:
        args = ["preview", *extra]
        if expect_no_changes:
            args.append("--expect-no-changes")
        return self.run(*args, check=check)

    def refresh(
        self, *extra: str, expect_no_changes: bool = False, check: bool = True
    ) -> CommandResult:
        args = ["refresh", "--yes", "--skip-preview", *extra]
        if expect_no_changes:
            args.append("--expect-no-changes")
        return self.run(*args, check=check)

    def destroy(self, *extra: str, check: bool = True) -> CommandResult:
        result = self.run("destroy", "--yes", "--skip-preview", *extra, check=check)
        if result.returncode == 0:
            self._deployed = False
        return result

    def cleanup(self) -> CommandResult | None:
        """Destroy (without raising) when an ``up`` ran since the last successful destroy.

        For fixture teardown, so a failed test leaves no resources behind (with a real
        account) and no half-finished stack.
        """
        return self.destroy(check=False) if self._deployed else None

    def stack_rm(self) -> CommandResult:
        return self.run("stack", "rm", "--yes", "--force", self.stack, stack=False)

    def stack_output(self, json_output: bool = True, show_secrets: bool = True) -> Any:
        """Stack outputs: a dict (``--json``), or the plain text table."""
        args = ["stack", "output"]
        if json_output:
            args.append("--json")
        if show_secrets:
            args.append("--show-secrets")
        out = self.run(*args).stdout
        return json.loads(out) if json_output else out

    def export_state(self) -> dict[str, Any]:
        """``pulumi stack export`` (secrets stay encrypted), parsed."""
        return json.loads(self.run("stack", "export").stdout)

    def resources(self, type_suffix: str = "") -> list[dict[str, Any]]:
        """Resources of the exported state whose type ends with ``type_suffix``."""
        deployment = self.export_state().get("deployment", {})
        return [
            r for r in deployment.get("resources") or [] if r.get("type", "").endswith(type_suffix)
        ]


PulumiCLI = PulumiWorkspace


def write_project(
    directory: Path, name: str, program: str, files: Mapping[str, str] | None = None
) -> Path:
    """A Python project of one program (and any data files beside it) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (directory / "__main__.py").write_text(program)
    for file_name, text in (files or {}).items():
        (directory / file_name).write_text(text)
    return directory


def assert_ok(result: CommandResult, note: str = "") -> CommandResult:
    """Raise :class:`PulumiCommandError` (with the whole output) unless the command exited 0."""
    if result.returncode != 0:
        raise PulumiCommandError(result, note)
    return result


def portal_states(ws: PulumiWorkspace) -> list[dict[str, Any]]:
    """Inputs and outputs of every portal in the state (what refresh must leave alone),
    secrets decrypted: the engine encrypts them anew, with a new nonce, at every write."""
    state = json.loads(ws.run("stack", "export", "--show-secrets").stdout)
    return [
        {"id": r["id"], "inputs": r.get("inputs"), "outputs": r.get("outputs")}
        for r in state["deployment"]["resources"]
        if r["type"].endswith("PortalConfiguration")
    ]


def strict_diff(a: Any, b: Any, path: str = "") -> Any:
    """Paths where ``a`` and ``b`` differ, a missing key and a null told apart."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                yield f"{path}.{key}: {a.get(key, '<missing>')!r} -> {b.get(key, '<missing>')!r}"
            else:
                yield from strict_diff(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from strict_diff(x, y, f"{path}[{index}]")
    elif a != b:
        yield f"{path}: {a!r} -> {b!r}"


def assert_refresh_changes_nothing(ws: PulumiWorkspace) -> None:
    before = portal_states(ws)
    ws.refresh(expect_no_changes=True)
    after = portal_states(ws)
    # Hidden inputs (_owner, adopt, resolved prices) included.
    assert after == before, list(strict_diff(before, after))


def kill_strays(root: Path) -> list[int]:
    """SIGKILL every process working under ``root``: after ``kill -9`` of ``pulumi up`` the
    language host, the program and the dynamic-provider process (not in the killed group)
    live on, and would share the CPU with every later test and benchmark."""
    killed = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
        except OSError:  # gone, or not ours to look at
            continue
        if cwd == str(root) or cwd.startswith(f"{root}/"):
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except OSError:
                pass
    return killed
