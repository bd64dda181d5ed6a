"""Compiled kernels: numba's ``njit`` with an on-disk cache, so the JIT cost is paid once per machine.

The model's week runs in a few numba kernels (the customers' moments of
truth, the literature rules' loops). Each is compiled on its first call and
cached on disk: beside its source file (``__pycache__``) when that is
writable, else in the user's cache directory (numba's own fallback), else —
a read-only install with no writable home — in a per-user folder of the
temporary directory. ``NUMBA_CACHE_DIR`` overrides all three.

``python -m adoption.compiled`` compiles (or loads) every kernel once; the
Makefile runs it after installing, so that no user run pays for compilation.

Kernels run on one thread: a run is fully defined by its parameters and seed
whatever the machine, and sweeps use the cores for whole runs instead.
"""

from __future__ import annotations

import os
import tempfile

import numba


def kernel(function):
    """``numba.njit(cache=True, nogil=True)``, with a writable cache directory whatever the install."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError as error:  # "cannot cache function ...: no locator available" (no writable folder)
        if "no locator available" not in str(error) or numba.config.CACHE_DIR:
            raise
        numba.config.CACHE_DIR = os.path.join(tempfile.gettempdir(), f"adoption-numba-{os.getuid()}")
        os.makedirs(numba.config.CACHE_DIR, exist_ok=True)
        return numba.njit(cache=True, nogil=True)(function)


def inline(function):
    """A helper of kernels, compiled into each kernel that calls it (so cached with it)."""
    return numba.njit(inline="always", nogil=True)(function)


def warm() -> None:
    """Compile or load every kernel by running a tiny model under each rule (seconds on first use)."""
    from adoption import Model
    from adoption.rules import RULES

    for rule in RULES:
        Model(employees=30, customers=300, rule=rule, steps=2, seed=0).run()


if __name__ == "__main__":
    warm()
