"""The ``adoption app`` subcommand."""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the app subcommand to the ``adoption`` command."""
