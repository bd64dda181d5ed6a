"""Command-line subcommands of the experiment layer (sweeps, results, analysis, comparison)."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the experiment subcommands to the ``adoption`` command."""
