"""Built-in scenarios: TOML files of parameters, each opening with a comment that says what it shows."""

from __future__ import annotations

import copy
import functools
import tomllib
from pathlib import Path

from adoption.arguments import is_file, read_text, shown
from adoption.params import ParamError

FOLDER = Path(__file__).parent / "scenarios"


def available() -> dict[str, str]:
    """Built-in scenario names with the first line of their opening comment."""
    return {path.stem: _description(path) for path in sorted(FOLDER.glob("*.toml"))}


def load(scenario: str) -> dict:
    """A scenario's parameters by built-in name or TOML path (relative ``network``, ``people`` and
    ``ties`` files are resolved against the scenario's folder)."""
    path = FOLDER / f"{scenario}.toml" if scenario in _built_in() else Path(scenario)
    if not is_file(path):
        raise ParamError(f"scenario: no built-in scenario or file named {shown(scenario)!r}; "
                         f"built-in: {', '.join(available())}")
    stamp = path.stat()
    values = copy.deepcopy(_parsed(path, stamp.st_mtime_ns, stamp.st_size))  # the caller may change its copy
    for name in ("network", "people", "ties"):  # files named relative to the scenario
        value = values.get(name)
        if isinstance(value, str) and value and is_file(path.parent / value):
            values[name] = str(path.parent / value)
    return values


@functools.lru_cache(maxsize=64)
def _parsed(path: Path, modified_ns: int, size: int) -> dict:
    """A scenario file's values, parsed once per version of the file (a sweep or a benchmark loads one
    scenario per run; parsing costs more than the rest of loading it)."""
    try:
        return tomllib.loads(read_text(path, "scenario"))
    except tomllib.TOMLDecodeError as error:
        raise ParamError(f"scenario: {shown(path)} is not valid TOML: {error}") from None


@functools.cache
def _built_in() -> frozenset[str]:
    """The built-in scenario names (the folder ships with the package; a sweep loads one per run)."""
    return frozenset(path.stem for path in FOLDER.glob("*.toml"))


def _description(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""
