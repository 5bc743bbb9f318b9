#!/usr/bin/env python3
"""Run pytest with a throwaway PostgreSQL cluster next to it.

    .venv/bin/python scripts/run_tests.py [pytest args ...]      (default: tests)

Tests run on pytest-xdist workers (`-n N --dist loadgroup`; N = LAGESBILD_TEST_WORKERS, default the number of cores,
at most 4; 0 or 1 runs in one process, as does passing your own -n, -p no:xdist or --pdb).

If PostgreSQL's server binaries (`initdb`, `pg_ctl`) are on PATH, this starts a private cluster in a
temporary directory on a free loopback port (as the `postgres` user when we run as root, since
PostgreSQL refuses to run as root), waits until it accepts connections, exports
LAGESBILD_TEST_PG_URL for tests/conftest.py, runs `python -m pytest`, and then ALWAYS stops the
cluster and deletes the directory (also on SIGINT/SIGTERM). It exits with pytest's exit code.
Without the binaries the PostgreSQL suite is skipped (and fails the run under CI=true, see
tests/conftest.py). Standard library only.
"""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PG_URL_ENV = "LAGESBILD_TEST_PG_URL"
DIR_PREFIX = "lagesbild-pg-"
OWNER_FILE = "owner.pid"
START_ATTEMPTS = 3
START_TIMEOUT_S = 60
PREFIX = "run_tests:"


def say(message: str) -> None:
    print(f"{PREFIX} {message}", flush=True)


class PgUnavailable(Exception):
    """PostgreSQL cannot be started here; the message says why (the suite is then skipped)."""


class ThrowawayCluster:
    """A private PostgreSQL cluster in a temp dir; `start()` then `stop()` (idempotent)."""

    def __init__(self) -> None:
        self.initdb = shutil.which("initdb")
        self.pg_ctl = shutil.which("pg_ctl")
        missing = [name for name, path in (("initdb", self.initdb), ("pg_ctl", self.pg_ctl)) if not path]
        if missing:
            raise PgUnavailable(f"{' and '.join(missing)} not found on PATH "
                                "(install PostgreSQL's server binaries, e.g. Debian's postgresql-15)")
        bindir = Path(self.pg_ctl).resolve().parent
        self.pg_isready = shutil.which("pg_isready") or (str(bindir / "pg_isready")
                                                          if (bindir / "pg_isready").exists() else None)
        self.run_as: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self.run_as = pwd.getpwnam("postgres")
            except KeyError:
                raise PgUnavailable("running as root, PostgreSQL refuses to run as root, and there is no "
                                    "'postgres' user to run it as") from None
        self.tmp: Path | None = None
        self.data: Path | None = None
        self.port: int | None = None

    # -- helpers --------------------------------------------------------------------------------
    def _as_owner(self) -> dict:
        """subprocess kwargs that run a command as the cluster's owner."""
        if self.run_as is None:
            return {}
        return {"user": self.run_as.pw_uid, "group": self.run_as.pw_gid, "extra_groups": [],
                "env": {**os.environ, "HOME": self.run_as.pw_dir, "USER": "postgres", "LOGNAME": "postgres"}}

    def _run(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(list(args), cwd=self.tmp, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, timeout=timeout, **self._as_owner())
        if check and result.returncode != 0:
            raise PgUnavailable(f"`{' '.join(args)}` failed with exit code {result.returncode}:\n{result.stdout}")
        return result

    @staticmethod
    def _free_port() -> int:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def _log_tail(self, lines: int = 20) -> str:
        log = self.tmp / "postgres.log" if self.tmp else None
        if not log or not log.exists():
            return "(no server log)"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])

    def _accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                pass
        except OSError:
            return False
        if self.pg_isready:
            ready = subprocess.run([self.pg_isready, "-q", "-h", "127.0.0.1", "-p", str(self.port),
                                    "-U", "postgres", "-d", "postgres", "-t", "2"],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return ready.returncode == 0
        return True

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> str:
        reap_stale_clusters(self)
        self.tmp = Path(tempfile.mkdtemp(prefix=DIR_PREFIX))
        (self.tmp / OWNER_FILE).write_text(str(os.getpid()))
        if self.run_as is not None:
            os.chown(self.tmp, self.run_as.pw_uid, self.run_as.pw_gid)
        self.data = self.tmp / "data"
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        last_error = ""
        for _ in range(START_ATTEMPTS):  # a free port can be taken between choosing and binding it
            self.port = self._free_port()
            options = (f"-k {self.tmp} -p {self.port} -h 127.0.0.1 "
                       "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")  # throwaway: speed over safety
            result = self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.tmp / "postgres.log"),
                               "-o", options, "-w", "-t", str(START_TIMEOUT_S), "start",
                               timeout=START_TIMEOUT_S + 30, check=False)
            if result.returncode == 0:
                deadline = time.monotonic() + START_TIMEOUT_S
                while time.monotonic() < deadline:
                    if self._accepts_connections():
                        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
                    time.sleep(0.2)
                last_error = f"server started but did not accept connections within {START_TIMEOUT_S} s"
                self._stop_server()
            else:
                last_error = result.stdout.strip()
        raise PgUnavailable(f"could not start PostgreSQL: {last_error}\n--- server log ---\n{self._log_tail()}")

    def _stop_server(self) -> None:
        if not self.data or not (self.data / "postmaster.pid").exists():
            return
        for mode in ("fast", "immediate"):
            try:
                if self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop",
                             timeout=60, check=False).returncode == 0:
                    return
            except subprocess.TimeoutExpired:
                pass
        _kill_postmaster(self.data)

    def stop(self) -> None:
        """Stop the server and delete the temp dir. Safe to call twice or after a failed start."""
        if self.tmp is None:
            return
        try:
            self._stop_server()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
            say(f"stopped PostgreSQL (if it ran) and removed {self.tmp}")
            self.tmp = self.data = None


def _kill_postmaster(data: Path) -> None:
    try:
        pid = int((data / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError, IndexError):
        pass


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale_clusters(cluster: ThrowawayCluster) -> None:
    """Stop and delete clusters of earlier runs that were killed hard (SIGKILL) before cleaning up.

    Only touches directories this script created (prefix + owner.pid of a process that is gone)."""
    for old in Path(tempfile.gettempdir()).glob(f"{DIR_PREFIX}*"):
        try:
            owner = int((old / OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if _pid_alive(owner):
            continue
        data = old / "data"
        if (data / "postmaster.pid").exists():
            subprocess.run([cluster.pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=60, **cluster._as_owner())
            _kill_postmaster(data)
        shutil.rmtree(old, ignore_errors=True)
        say(f"removed a stale cluster left by an earlier run: {old}")


class Interrupted(Exception):
    pass


def run_pytest(args: list[str], env: dict) -> int:
    """Run pytest in our process group (so Ctrl-C and --pdb behave as usual) and return its exit code.

    On SIGINT/SIGTERM to this script: a terminal's Ctrl-C already reached pytest; if pytest is still
    running 2 s later (the signal was sent to this script alone) it gets SIGINT, so its fixtures tear
    down (the e2e Streamlit server stops); then SIGTERM after 60 s and SIGKILL after 10 s more."""
    received: list[tuple[int, float]] = []

    def on_signal(signum, _frame):
        received.append((signum, time.monotonic()))
        say(f"got {signal.Signals(signum).name}: letting pytest wind down, then stopping PostgreSQL")

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        child = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=PROJECT_ROOT, env=env)
        escalation = [(2, signal.SIGINT), (62, signal.SIGTERM), (72, signal.SIGKILL)]
        while True:
            try:
                return child.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
            if received and escalation:
                after, sig = escalation[0]
                if time.monotonic() - received[0][1] >= after:
                    escalation.pop(0)
                    say(f"pytest still running: sending {sig.name}")
                    child.send_signal(sig)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


MAX_WORKERS = 4


def worker_args(args: list[str]) -> list[str]:
    """The xdist options to add to `args`: none when the caller chose (-n, -p no:xdist, --pdb) or asked for 0."""
    chosen = any(a in ("-n", "--numprocesses", "--pdb") or a.startswith(("-n", "--numprocesses="))
                 for a in args) or "no:xdist" in args
    setting = os.environ.get("LAGESBILD_TEST_WORKERS", "").strip()
    workers = int(setting) if setting.isdigit() else min(os.cpu_count() or 1, MAX_WORKERS)
    if chosen or workers < 2:
        return []
    return ["-n", str(workers), "--dist", "loadgroup"]


def main(argv: list[str]) -> int:
    args = [*(argv or ["tests"])]
    args += worker_args(args)
    env = dict(os.environ)
    cluster: ThrowawayCluster | None = None
    stop_requested: list[int] = []

    def during_setup(signum, _frame):  # Ctrl-C while initdb runs: still clean up
        stop_requested.append(signum)
        raise Interrupted(signal.Signals(signum).name)

    previous = {s: signal.signal(s, during_setup) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            cluster = ThrowawayCluster()
            started = time.monotonic()
            url = cluster.start()
            env[PG_URL_ENV] = url
            owner = "user postgres" if cluster.run_as else f"user {pwd.getpwuid(os.geteuid()).pw_name}"
            say(f"started throwaway PostgreSQL on 127.0.0.1:{cluster.port} in {cluster.tmp} as {owner} "
                f"({time.monotonic() - started:.1f} s); {PG_URL_ENV}={url}")
        except PgUnavailable as exc:
            env.pop(PG_URL_ENV, None)
            say(f"PostgreSQL tests will be SKIPPED: {exc}")
            if os.environ.get("CI", "").lower() == "true":
                say("CI=true: a skipped PostgreSQL suite fails the run (tests/conftest.py)")
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        say(f"running: python -m pytest {' '.join(args)}")
        code = run_pytest(args, env)
        if code < 0:  # killed by a signal
            code = 128 - code
        if code == 5:
            say("pytest collected no tests (exit code 5): that is a failure")
        return code
    except Interrupted as exc:
        say(f"interrupted by {exc} during setup")
        return 128 + stop_requested[0]
    finally:
        # no interruption of the cleanup itself
        old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            if cluster is not None:
                cluster.stop()
        finally:
            for s, handler in old.items():
                signal.signal(s, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
