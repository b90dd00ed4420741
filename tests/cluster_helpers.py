"""Test-only helpers for the executors (tests/test_cluster.py, tests/test_executors.py): a Ray
cluster of two nodes on this machine, jobs that misbehave on purpose, and a driver process.

The misbehaving jobs are ``work`` functions handed to an executor in place of
``analysis.service.verify_job``: nothing in the product knows about them.

The driver runs in its own process (``python -m tests.cluster_helpers SCENARIO ...``): a Ray
Client connection leaves gRPC threads behind, and the pytest worker that would hold them goes on
to fork process pools for other tests.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.model import FunctionResult
from analysis.service import Job, verify_job

ROOT = Path(__file__).resolve().parent.parent
RAY = str(Path(sys.executable).with_name("ray"))
OTHER_BUILD = "0.0.0+another-build"


# -- jobs that misbehave --------------------------------------------------------------------------


def die_once(marker: str, job: Job) -> FunctionResult:
    """Kill the worker the first time (``marker`` records it), verify normally afterwards."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return verify_job(job)
    os.close(fd)
    os._exit(13)


def always_die(job: Job) -> FunctionResult:
    os._exit(13)


def overrun(job: Job) -> FunctionResult:
    """A function that never finishes (the executor must kill it at its deadline)."""
    while True:
        time.sleep(60)


def pretend_other_build(site_dir: Path) -> str:
    """A directory whose ``sitecustomize`` makes every Python started with it on PYTHONPATH claim
    another prooflens build (a Ray worker, through the task's ``env_vars``)."""
    site_dir.mkdir(parents=True, exist_ok=True)
    (site_dir / "sitecustomize.py").write_text(
        "import analysis.build\n"
        f"analysis.build.ENGINE_ID = {OTHER_BUILD!r}\n")
    return str(site_dir)


# -- a two-node cluster on this machine -----------------------------------------------------------


def _loopback_pair() -> tuple[str, str]:
    """Two loopback addresses of their own (Ray rewrites 127.0.0.1 and localhost to the machine's
    network address, not these): two clusters at once (pytest -n 2, another engineer's run) do not
    meet on the ports Ray picks for itself (its client servers start at 23000)."""
    a, b = secrets.randbelow(254) + 1, secrets.randbelow(254) + 1
    return f"127.{a}.{b}.2", f"127.{a}.{b}.3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _reachable(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


@dataclass
class TwoNodes:
    """``ray start --head`` and a second ``ray start --address``, one CPU each, in their own temp
    dir, with their own token; stopped by signalling the two ``ray start --block`` processes,
    which take down what they started (``ray stop`` would stop every Ray on the machine)."""

    temp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="plray-")))
    gcs_port: int = field(default_factory=free_port)
    client_port: int = field(default_factory=free_port)
    ips: tuple[str, str] = field(default_factory=_loopback_pair)
    env: dict[str, str] = field(default_factory=dict)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"ray://{self.ips[0]}:{self.client_port}"

    def start(self, timeout: float = 180.0) -> None:
        self.env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN": secrets.token_hex(16),
                    "RAY_USAGE_STATS_ENABLED": "0"}
        common = ["--block", "--num-cpus", "1", "--temp-dir", str(self.temp), "--disable-usage-stats",
                  "--dashboard-agent-listen-port", str(free_port())]
        self._spawn("head", [RAY, "start", "--head", "--node-ip-address", self.ips[0], "--port", str(self.gcs_port),
                             "--ray-client-server-port", str(self.client_port), "--include-dashboard", "false",
                             "--dashboard-port", str(free_port()), *common])
        self._until(lambda: _reachable(self.ips[0], self.client_port), timeout, "the head node")
        self._spawn("second", [RAY, "start", "--address", f"{self.ips[0]}:{self.gcs_port}",
                               "--node-ip-address", self.ips[1], *common])
        out = self.driver("wait-nodes", "2", timeout=timeout)
        if out.get("nodes") != 2:
            raise RuntimeError(f"the second node did not join: {out}")

    def _spawn(self, name: str, argv: list[str]) -> None:
        log = (self.temp / f"{name}.log").open("wb")
        self.procs.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                           start_new_session=True))

    def _until(self, ready: Any, timeout: float, what: str) -> None:
        end = time.monotonic() + timeout
        while not ready():
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"{what} exited: see {self.temp}/*.log")
            if time.monotonic() > end:
                raise RuntimeError(f"{what} did not come up in {timeout:.0f} s")
            time.sleep(0.2)

    def driver(self, scenario: str, *args: str, timeout: float = 300.0) -> dict[str, Any]:
        """Run a driver scenario against this cluster; its JSON answer."""
        run = subprocess.run([sys.executable, "-m", "tests.cluster_helpers", scenario, self.address, *args],
                             capture_output=True, text=True, env=self.env, cwd=ROOT, timeout=timeout)
        lines = run.stdout.strip().splitlines()
        if run.returncode != 0 or not lines:
            raise RuntimeError(f"driver {scenario} failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
        return dict(json.loads(lines[-1]))

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


# -- the driver process ---------------------------------------------------------------------------


def _jobs(paths: list[str]) -> list[Job]:
    from analysis.options import Options
    from analysis.service import functions_of, make_job, split_text

    opts = Options()
    jobs = []
    for p in paths:
        split = split_text(Path(p).read_text(), p, opts)
        jobs += [make_job(split, u, opts) for u in functions_of(split)]
    return jobs


def _summary(job: Job, outcome: FunctionResult | str) -> dict[str, Any]:
    if isinstance(outcome, str):
        return {"function": job.function, "status": "unknown", "reason": outcome}
    return {"function": job.function, "status": outcome.status.value,
            "checks": sorted((c.id, c.span.start.line, c.status.value) for c in outcome.checks)}


def _drive(address: str, scenario: str, args: list[str]) -> dict[str, Any]:
    import functools

    import ray

    from analysis.executors import ClusterError, RayExecutor, run_jobs

    if scenario == "wait-nodes":
        for attempt in range(3):  # the Ray Client's known intermittent failure (see RayExecutor)
            try:
                ray.init(address=address, logging_level="WARNING")
                break
            except ConnectionError:
                ray.shutdown()
                if attempt == 2:
                    raise
        end = time.monotonic() + 150
        while len([n for n in ray.nodes() if n["Alive"]]) < int(args[0]) and time.monotonic() < end:
            time.sleep(0.2)
        return {"nodes": len([n for n in ray.nodes() if n["Alive"]])}
    # the helpers above must be importable by the workers, whatever the install mode
    env: dict[str, Any] = {"env_vars": {"PYTHONPATH": str(ROOT)}}
    work: Any = verify_job
    deadline = 60.0
    if scenario == "die-once":
        work = functools.partial(die_once, args.pop(0))
    elif scenario == "always-die":
        work = always_die
    elif scenario == "overrun-then-answer":
        deadline = float(args.pop(0))
    elif scenario == "other-build":
        env["env_vars"]["PYTHONPATH"] = f"{pretend_other_build(Path(args.pop(0)))}:{ROOT}"
    # the first executor to connect owns the connection; the other one reuses it
    executors = [RayExecutor(address, work=work, runtime_env=env)]
    try:
        jobs = _jobs(args)
        if scenario == "always-die":
            jobs = jobs[:1]  # each death costs a worker start: one job shows it
        out: dict[str, Any] = {}
        if scenario == "overrun-then-answer":
            executors.insert(0, RayExecutor(address, work=overrun, runtime_env=env))
            executors[0].policy()  # connected before the clock: the time measured is the overrun's alone
            t0 = time.monotonic()
            out["overrun"] = [_summary(jobs[i], r) for i, r in run_jobs(executors[0], jobs[:1], deadline)]
            out["overrun_s"] = time.monotonic() - t0
        t0 = time.monotonic()
        out["results"] = [_summary(jobs[i], r) for i, r in run_jobs(executors[-1], jobs, deadline)]
        out["seconds"] = time.monotonic() - t0
        return out
    except ClusterError as e:
        return {"error": str(e)}
    finally:
        for ex in reversed(executors):
            ex.close()


if __name__ == "__main__":
    print(json.dumps(_drive(sys.argv[2], sys.argv[1], sys.argv[3:])))
