"""Command-line arguments shared by the ``adoption`` subcommands, and the checks of user-named paths.

Every subcommand module (this package's :mod:`adoption.cli`, :mod:`experiments.commands`,
:mod:`app.commands`) imports from here, and :mod:`adoption.cli` imports them:
no module of the command line imports another one back.

A bad path is found before any work starts and reported as one
:class:`~adoption.params.ParamError` line that names the option and at most
:data:`SHOWN` characters of the value, never the file's contents.
"""

from __future__ import annotations

import argparse
import errno
import os
from pathlib import Path

from adoption.params import ParamError, Params

SHOWN = 80  # characters of a user's value an error message repeats


def shown(value) -> str:
    """``value`` as text, at most about :data:`SHOWN` characters: its start and its end (where a
    path keeps the file's name), so that a message never echoes a 100 KB value.

    Examples
    --------
    >>> shown("/very" * 100 + "/part-1.parquet")
    '/very/very/very/very/very/very…[515 characters]…/very/very/very/part-1.parquet'
    """
    text = str(value)
    return text if len(text) <= SHOWN else f"{text[:30]}…[{len(text):,} characters]…{text[-30:]}"


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """SCENARIO, --set, --steps, --seed, --force: shared by every command that builds parameters."""
    parser.add_argument("scenario", nargs="?", default="default", help="built-in scenario name or a TOML file")
    parser.add_argument("--set", dest="assignments", action="append", default=[], metavar="NAME=VALUE",
                        help="change a parameter (repeatable); see `adoption params`")
    parser.add_argument("--steps", type=int, help="weeks to simulate (same as --set steps=N)")
    parser.add_argument("--seed", type=int, help="root random seed (same as --set seed=S)")
    add_force_argument(parser)


def add_force_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="run even when the estimated memory exceeds this machine's (you know better)")


def params_from_args(args: argparse.Namespace) -> Params:
    """The scenario's parameters with ``--set``, ``--steps`` and ``--seed`` applied, validated."""
    from adoption.params import parse_assignment
    from experiments.scenarios import load

    values = load(args.scenario)
    for text in args.assignments:
        name, value = parse_assignment(text)
        values[name] = value
    for name in ("steps", "seed"):
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    return Params.from_dict(values)


# --- user-named files and folders ------------------------------------------------------------
def read_text(path: str | Path, what: str) -> str:
    """The text of a user's UTF-8 file; a missing, unreadable or binary file is one clear line."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ParamError(f"{what}: file not found: {shown(path)}") from None
    except IsADirectoryError:
        raise ParamError(f"{what}: {shown(path)} is a folder, not a file") from None
    except OSError as error:
        raise ParamError(f"{what}: cannot read {shown(path)}: {os.strerror(error.errno or errno.EIO)}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ParamError(f"{what}: {shown(path)} is not UTF-8 text (byte {error.start}); "
                         f"save it as UTF-8 TOML") from None


def is_file(path: str | Path) -> bool:
    """Whether ``path`` names a file; a name too long or otherwise impossible is simply not one."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):  # ENAMETOOLONG, embedded NUL
        return False


def is_dir(path: str | Path) -> bool:
    """Whether ``path`` names a folder (False for impossible names, as :func:`is_file`)."""
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def writable_folder(path: str | Path, option: str) -> Path:
    """``path`` as a folder this process can create or write into, checked before any work.

    The nearest existing ancestor must be a writable folder (not a file), and
    every name on the way must be a name the file system accepts.
    """
    path = Path(path)
    _check_name(path, option)
    existing = path
    try:
        while not existing.exists():
            existing = existing.parent
        if not existing.is_dir():
            where = "is a file" if existing == path else f"is under a file ({shown(existing)})"
            raise ParamError(f"{option} {shown(path)}: {where}; give a folder")
    except OSError as error:
        raise ParamError(f"{option} {shown(path)}: {os.strerror(error.errno or errno.EINVAL)}") from None
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ParamError(f"{option} {shown(path)}: no permission to write in {shown(existing)}")
    return path


def writable_file(path: str | Path, option: str) -> Path:
    """``path`` as a file this process can write (its folder checked as :func:`writable_folder`)."""
    path = Path(path)
    _check_name(path, option)
    if is_dir(path):
        raise ParamError(f"{option} {shown(path)}: is a folder; give a file name")
    writable_folder(path.parent, option)
    return path


def _check_name(path: Path, option: str) -> None:
    limit = _name_max(path)
    if "\0" in str(path):
        raise ParamError(f"{option} {shown(path)}: a file name cannot hold a NUL character")
    if any(len(part.encode()) > limit for part in path.parts):
        raise ParamError(f"{option} {shown(path)}: a name in it is longer than {limit} bytes")
    if len(os.fsencode(path)) >= 4096:
        raise ParamError(f"{option} {shown(path)}: path longer than 4,096 bytes")


def _name_max(path: Path) -> int:
    try:
        return os.pathconf(path.anchor or ".", "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def listenable(host: str, port: int) -> None:
    """Check that a server can listen on ``host:port`` before saying it serves there: an unknown host,
    an address of another machine, a port in use or a privileged one is one clear line."""
    import socket

    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise ParamError(f"--port {shown(port)}: must be from 1 to 65535")
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError, ValueError):
        raise ParamError(f"--host {shown(host)}: not a host name or address of this machine, e.g. localhost, "
                         f"127.0.0.1 or 0.0.0.0 (every interface)") from None
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ParamError(f"--port {port}: already in use on {shown(host)}; choose another --port") from None
            if error.errno == errno.EACCES:
                raise ParamError(f"--port {port}: needs administrator rights (below 1024); choose one above "
                                 f"1024") from None
            raise ParamError(f"--host {shown(host)}: cannot listen there ({os.strerror(error.errno or errno.EINVAL)}); "
                             f"give an address of this machine") from None
