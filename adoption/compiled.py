"""Compiled kernels: numba's ``njit`` with an on-disk cache, so the JIT cost is paid once per machine.

The model's week runs in a few numba kernels (the customers' moments of
truth, the rules' loops). Each is compiled on its first call and cached on
disk: beside its source file (``__pycache__``) when that is writable, else in
the user's cache directory (numba's own fallback), else — a read-only install
with no writable home — in a per-user folder of the temporary directory.
``NUMBA_CACHE_DIR`` overrides all three.

numba itself is imported on the first call of a kernel, not on import: the
commands and pages that never step a model (``adoption params``, ``--help``,
bad input) do not pay its start-up time or memory.

``python -m adoption.compiled`` compiles (or loads) every kernel once; the
Makefile runs it after installing, so that no user run pays for compilation.

A kernel runs on the thread that calls it, without the GIL: the model spreads
a large week over :func:`threads` threads (the customers' blocks, a large
organisation's staff) with the same numbers whatever their number, while
sweep and calibration workers take one thread each and use the cores for
whole runs instead.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile


class _Compiled:
    """A function compiled by numba on its first call (``options`` for ``numba.njit``)."""

    def __init__(self, function, **options):
        functools.update_wrapper(self, function)
        self.py_func, self._options, self._compiled = function, options, None

    def __call__(self, *args):
        return (self._compiled or self.compile())(*args)

    def compile(self):
        """The numba function (compiled, or loaded from the cache, on the first call); the kernel's helpers
        in its module are swapped for theirs, since numba compiles only calls to numba functions."""
        import numba

        if self._compiled is not None:
            return self._compiled

        helpers = {} if self._options.get("inline") else {
            name: value for name, value in self.py_func.__globals__.items()
            if isinstance(value, _Compiled) and value._options.get("inline")}
        depends = hashlib.sha256("\n".join(_depends_on(self.py_func, set())).encode()).hexdigest()
        self.py_func.__globals__.update({name: helper.compile() for name, helper in helpers.items()})  # numba's own
        compiled = numba.njit(**{**self._options, "cache": False})(self.py_func)
        if self._options.get("cache"):  # numba's on-disk cache, keyed on what the kernel depends on too
            try:
                compiled._cache = _cache_keyed_on(self.py_func, depends)
            except RuntimeError as error:  # "cannot cache function ...: no locator available" (no writable folder)
                if "no locator available" not in str(error) or numba.config.CACHE_DIR:
                    raise
                numba.config.CACHE_DIR = os.path.join(tempfile.gettempdir(), f"adoption-numba-{os.getuid()}")
                os.makedirs(numba.config.CACHE_DIR, exist_ok=True)
                compiled._cache = _cache_keyed_on(self.py_func, depends)
        self._compiled = compiled
        if self.py_func.__globals__.get(self.__name__) is self:  # callers in its module skip this wrapper from now on
            self.py_func.__globals__[self.__name__] = compiled
        return compiled


def _depends_on(function, seen: set) -> list[str]:
    """What a kernel's machine code depends on beyond its own bytecode and file (which numba's cache key
    holds): the code of the helpers it calls and the constants (numbers, text, arrays) it reads, wherever
    they are defined. A helper edited in another file must not leave a stale kernel in the cache."""
    parts = []
    for name in function.__code__.co_names:
        value = function.__globals__.get(name)
        helper = getattr(value, "py_func", None)  # one of our helpers, or numba's once swapped in
        if hasattr(helper, "__code__") and helper not in seen:
            seen.add(helper)
            constants = [c for c in helper.__code__.co_consts if isinstance(c, (int, float, complex, str, bytes))]
            parts += [name, helper.__code__.co_code.hex(), repr(constants), *_depends_on(helper, seen)]
        elif isinstance(value, (bool, int, float, str)):
            parts.append(f"{name}={value!r}")
        elif hasattr(value, "dtype") and hasattr(value, "tobytes"):  # a global array: numba freezes its values
            parts.append(f"{name}={value.dtype}{value.shape}:{hashlib.sha256(value.tobytes()).hexdigest()}")
    return parts


def _cache_keyed_on(function, depends: str):
    """numba's on-disk cache for ``function``, its index key extended with ``depends``."""
    from numba.core.caching import FunctionCache

    class Cache(FunctionCache):
        def _index_key(self, sig, codegen):
            return (*super()._index_key(sig, codegen), depends)
    return Cache(function)


def threads() -> int:
    """Threads a large run's week may use (the customers' blocks, the staff of a large organisation):
    ``ADOPTION_THREADS``, else every core this process may use. The numbers never depend on it."""
    value = os.environ.get("ADOPTION_THREADS", "").strip()
    if value:
        if not (value.isascii() and value.isdecimal()) or int(value) < 1:  # said, not silently replaced
            from adoption.params import ParamError

            raise ParamError(f"ADOPTION_THREADS={value[:40]}: must be a whole number of threads, at least 1 "
                             f"(unset: every core)")
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


KERNELS: list[_Compiled] = []  # every kernel defined, compiled or not (make's warm-up must reach them all)


def kernel(function) -> _Compiled:
    """``numba.njit(cache=True, nogil=True)`` on first call, with a writable cache folder whatever the install."""
    KERNELS.append(_Compiled(function, cache=True, nogil=True))
    return KERNELS[-1]


def inline(function) -> _Compiled:
    """A helper of kernels, compiled into each kernel that calls it (so cached with it)."""
    return _Compiled(function, inline="always", nogil=True)


def warm() -> None:
    """Compile or load every kernel, for every kind of argument it takes, by running tiny models: each rule,
    each network, an organisation from files (weighted ties), the step by step week that levers take and
    a large organisation's week in parts (seconds on first use; a test checks that the built-in scenarios
    then compile nothing)."""
    from unittest import mock

    import adoption.model
    from adoption import Model
    from adoption.params import BUILTIN_NETWORKS
    from adoption.rules import RULES

    tiny = dict(employees=40, customers=300, steps=2, seed=0)
    for rule in RULES:
        Model(**tiny, rule=rule).run()
    for network in BUILTIN_NETWORKS:
        Model(**{**tiny, "employees": 34 if network == "karate" else 40}, network=network).run()
    Model(customers=300, steps=2, seed=0, people="example_org", seeding="cluster").run()
    Model(**tiny, recognition=0.5, communication=0.3, training=0.2, training_weeks=(1,), compliance_rules=0.3,
          turnover=0.2, economics=True).run()
    # a large organisation's staff week, in parts on two threads: here "large" made small
    with mock.patch.object(adoption.model, "PARALLEL_STAFF", 10), mock.patch.dict(os.environ, ADOPTION_THREADS="2"):
        Model(**tiny).run()


if __name__ == "__main__":
    warm()
