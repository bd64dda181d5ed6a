"""The ``adoption app`` subcommand: serve the web page on this machine, print its address."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 8765


def register(subparsers) -> None:
    """Add the app subcommand to the ``adoption`` command."""
    app = subparsers.add_parser("app", help="serve the web app (open the printed address in a browser)")
    app.add_argument("scenario", nargs="?", default="default", help="built-in scenario name or a TOML file")
    app.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    app.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})")
    app.set_defaults(handler=cmd_app)


def server_command(host: str, port: int) -> list[str]:
    """Solara in production mode: no file watching, no browser, no version check over the network."""
    return [sys.executable, "-m", "app.serve", "run", "app.page", "--production", "--no-open", "--no-check-version",
            "--host", host, "--port", str(port), "--log-level", "warning", "--theme-loader", "plain"]


def server_environment(scenario: str) -> dict[str, str]:
    return {**os.environ, "ADOPTION_APP_SCENARIO": scenario,
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",  # no internet at run time
            "SOLARA_CHECK_VERSION": "False"}


def cmd_app(args) -> int:
    from adoption.arguments import listenable
    from experiments.scenarios import load

    load(args.scenario)  # a bad scenario fails here with one clear line
    listenable(args.host, args.port)  # a port in use or a foreign host too, before "serving at"
    print(f"adoption app: serving scenario {args.scenario} at http://{args.host}:{args.port}/ "
          f"(open it in a browser; Ctrl+C stops)", flush=True)
    server = subprocess.Popen(server_command(args.host, args.port), env=server_environment(args.scenario),
                              start_new_session=True, preexec_fn=_die_with_parent)
    return _serve_until_stopped(server)


STOP_GRACE = 5.0  # seconds the server has to shut down after SIGTERM before it is killed


def _serve_until_stopped(server: subprocess.Popen) -> int:
    """Wait for the server; on SIGTERM, SIGINT or SIGHUP end it and everything it started (its process group)."""
    asked: list[float] = []

    def stop(*_):
        asked.append(time.monotonic())
        _signal_group(server, signal.SIGTERM)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, stop)
    while server.poll() is None:
        time.sleep(0.1)
        if asked and time.monotonic() - asked[0] > STOP_GRACE:
            _signal_group(server, signal.SIGKILL)
    _signal_group(server, signal.SIGKILL)  # whatever the server left behind in its group
    return 0 if asked else server.returncode


def _signal_group(server: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(server.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def _die_with_parent() -> None:
    """In the server process: end it if `adoption app` itself is killed (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
