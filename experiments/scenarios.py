"""Built-in scenarios: TOML files of parameters, each opening with a comment that says what it shows."""

from __future__ import annotations

import tomllib
from pathlib import Path

from adoption.params import ParamError

FOLDER = Path(__file__).parent / "scenarios"


def available() -> dict[str, str]:
    """Built-in scenario names with the first line of their opening comment."""
    return {path.stem: _description(path) for path in sorted(FOLDER.glob("*.toml"))}


def load(scenario: str) -> dict:
    """A scenario's parameters by built-in name or TOML path (a relative ``network`` file is
    resolved against the scenario's folder)."""
    path = FOLDER / f"{scenario}.toml"
    if not path.is_file():
        path = Path(scenario)
        if not path.is_file():
            raise ParamError(f"scenario: no built-in scenario or file named {scenario!r}; "
                             f"built-in: {', '.join(available())}")
    try:
        values = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise ParamError(f"scenario: {path} is not valid TOML: {error}") from None
    network = values.get("network")
    if isinstance(network, str) and (path.parent / network).is_file():
        values["network"] = str(path.parent / network)
    return values


def _description(path: Path) -> str:
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            return line.lstrip("# ").strip()
    return ""
