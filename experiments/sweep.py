"""Running many runs: in this process, on all local cores, or on a Dask cluster.

A sweep is a list of tasks ``(index, parameter values)``. Tasks go to workers in
chunks, so that a 10 ms run is not dominated by the cost of shipping it; each
finished chunk comes back as flat rows (:meth:`adoption.Results.row`) tagged
with the task index. Each run's seed is part of its parameter values, fixed by
the spec before anything runs, so the rows are identical whatever the number of
workers or machines, and whichever order chunks finish in.

A run that raises is recorded with its error (column ``error``) and the sweep
goes on; parameter errors are caught before anything runs.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Task = tuple[int, dict[str, Any]]
Row = dict[str, Any]
Progress = Callable[[int, int], None]  # (runs done, runs in all)


def run_one(values: dict[str, Any], series: Sequence[str] = ()) -> Row:
    """One run as a flat row; with ``series``, those per-week series as list columns.

    A run that raises gives a row with its parameters and the error text, so a
    sweep of thousands of runs is not lost to one odd corner of parameter space.
    """
    from adoption import Model, Params

    try:
        results = Model(Params.from_dict(values)).run()
    except Exception as error:  # recorded, not fatal: the row says what went wrong
        return {**values, "error": f"{type(error).__name__}: {error}"}
    row = results.row()
    for name in series:
        row[name] = [float(value) for value in results.series[name]]
    row["error"] = None
    return row


def run_chunk(tasks: Sequence[Task], series: Sequence[str] = (),
              runner: Callable[..., Row] | None = None) -> list[tuple[int, Row]]:
    """A chunk of tasks run one after another in one worker."""
    runner = runner or run_one
    return [(index, runner(values, series)) for index, values in tasks]


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def chunk_size(runs: int, workers: int) -> int:
    """Runs per task: about eight tasks per worker (load balance) and at most 25 runs
    (a killed sweep loses at most one chunk per worker; the progress bar moves)."""
    return max(1, min(25, math.ceil(runs / (8 * max(workers, 1)))))


def execute(tasks: Sequence[Task], **options) -> Iterator[tuple[int, Row]]:
    """Run tasks and yield ``(index, row)`` as they finish; options as :func:`execute_chunks`."""
    for done in execute_chunks(tasks, **options):
        yield from done


def execute_chunks(tasks: Sequence[Task], *, workers: int | None = None, scheduler: Any = None,
                   series: Sequence[str] = (), chunk: int | None = None,
                   progress: bool | Progress | None = None,
                   runner: Callable[..., Row] | None = None) -> Iterator[list[tuple[int, Row]]]:
    """Run tasks in chunks and yield each finished chunk's ``(index, row)`` pairs (completion order).

    Parameters
    ----------
    tasks : sequence of (int, dict)
        Task index and the full parameter values of the run (seed included).
    workers : int, optional
        Local worker processes; default all cores. ``1`` runs in this process.
    scheduler : str or dask.distributed.Client, optional
        A Dask scheduler address (``tcp://host:8786``) or client: run there instead.
    series : sequence of str
        Per-week series to keep as list columns.
    chunk : int, optional
        Runs per task; default :func:`chunk_size`.
    progress : bool or callable, optional
        ``True`` a tqdm bar, ``False`` nothing, a callable ``(done, total)``;
        default a bar only on a terminal and not under CI.
    runner : callable, optional
        ``runner(values, series) -> row`` instead of a model run (a module-level
        function, so that workers can import it), e.g. a test function.
    """
    tasks = list(tasks)
    workers = checked_workers(workers)
    client = None if scheduler is None else connect(scheduler)
    if client is not None:
        workers = max(1, sum(client.nthreads().values()))  # the cluster's threads, as they are now
    size = chunk or chunk_size(len(tasks), workers)
    chunks = [tasks[start:start + size] for start in range(0, len(tasks), size)]
    report = _reporter(progress, len(tasks))
    series = tuple(series)
    try:
        if client is not None:
            source = _on_dask(chunks, client, series, runner)
        elif workers == 1 or len(chunks) <= 1:
            source = (run_chunk(part, series, runner) for part in chunks)
        else:
            source = _on_pool(chunks, workers, series, runner)
        for done in source:
            report(len(done))
            yield done
    finally:
        report(None)
        if client is not None and client is not scheduler:
            client.close()


def max_workers() -> int:
    """The most local worker processes a sweep may ask for: four per core (at least 8)."""
    return max(8, 4 * default_workers())


def checked_workers(workers: int | None) -> int:
    """The local worker count to use: all cores by default; a count beyond :func:`max_workers` is refused."""
    from adoption.params import ParamError

    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= max_workers():
        raise ParamError(f"--workers {str(workers)[:20]}: must be an integer from 1 to {max_workers()} "
                         f"on this machine ({default_workers()} cores)")
    return workers


def connect(scheduler: Any, timeout: float = 10.0):
    """A Dask client for a scheduler address, checked before any work: a bad address, an unreachable
    scheduler or one without workers is one clear :class:`~adoption.params.ParamError` line."""
    import socket

    from dask.distributed import Client
    from distributed.comm import parse_address, parse_host_port

    from adoption.arguments import shown
    from adoption.params import ParamError

    if isinstance(scheduler, Client):
        return scheduler
    label = f"--scheduler {shown(scheduler)}"
    try:
        scheme, location = parse_address(str(scheduler))
        if scheme != "inproc":  # an in-process cluster (tests) has no host to reach
            host, port = parse_host_port(location)
            if scheme not in ("tcp", "tls") or not host or not 0 < int(port) < 65536:
                raise ValueError(scheme)
    except (ValueError, TypeError):
        raise ParamError(f"{label}: not a Dask scheduler address; e.g. tcp://HOST:8786") from None
    if scheme != "inproc":
        try:
            socket.create_connection((host, int(port)), timeout=timeout).close()
        except OSError as error:
            reason = f"no answer in {timeout:g} s" if isinstance(error, TimeoutError) else error.strerror or "refused"
            raise ParamError(f"{label}: cannot connect ({reason}); is `dask scheduler` running there?") from None
    try:
        client = Client(str(scheduler), timeout=timeout)
    except (OSError, ValueError, TimeoutError) as error:
        raise ParamError(f"{label}: not a Dask scheduler ({type(error).__name__})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise ParamError(f"{label}: the scheduler has no workers; start some with `dask worker {shown(scheduler)}`") \
            from None
    return client


# --- where the chunks run ------------------------------------------------------
def _on_pool(chunks: list, workers: int, series: tuple, runner) -> Iterator[list]:
    context = pool_context()
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context, initializer=worker_start) as pool:
        with warnings.catch_warnings():
            # fork is chosen only when no other Python thread runs; the threads Python still counts
            # are native pools (OpenBLAS, Arrow) that register their own at-fork handlers
            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
            pending = {pool.submit(run_chunk, part, series, runner) for part in chunks}
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()


def pool_context():
    """How to start workers: fork (milliseconds) from a process without threads on Linux, else a
    forkserver with the model preloaded (no inherited threads or locks), else spawn."""
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["adoption.model", "experiments.sweep"])
        return context
    return multiprocessing.get_context("spawn")


def worker_start() -> None:
    """Workers leave Ctrl-C to the parent (which stops handing out chunks and keeps what is stored)
    and die with it, even when it is killed with ``kill -9``. Each steps its runs on one thread: the
    workers already use the cores."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["ADOPTION_THREADS"] = "1"
    die_with_parent()


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """End this process when its parent dies: the kernel's parent-death signal on Linux, a watching
    thread elsewhere.

    A worker forked by a forkserver has the forkserver as its parent, which
    itself exits when the sweep's process goes.
    """
    import signal
    import threading

    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl
            os._exit(1)
        return
    first = os.getppid()

    def watch():
        while os.getppid() == first:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="die-with-parent").start()


def _on_dask(chunks: list, client: Any, series: tuple, runner) -> Iterator[list]:
    from dask.distributed import as_completed

    futures = client.map(run_chunk, chunks, series=series, runner=runner, pure=False)
    try:
        for future in as_completed(futures):
            yield future.result()
    finally:
        client.cancel(futures)


# --- progress ------------------------------------------------------------------
def interactive() -> bool:
    """A person is watching: stderr is a terminal and this is not CI."""
    return sys.stderr.isatty() and os.environ.get("CI", "").lower() not in ("1", "true", "yes")


def _reporter(progress: bool | Progress | None, total: int) -> Callable[[int | None], None]:
    """A function taking runs just finished (``None`` at the end)."""
    if callable(progress):
        done = 0

        def call(count):
            nonlocal done
            if count is not None:
                done += count
                progress(done, total)
        return call
    if progress is None:
        progress = interactive()
    if not progress:
        return lambda count: None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread in a process that starts workers
    bar = tqdm(total=total, unit="run", smoothing=0.1, dynamic_ncols=True, file=sys.stderr)

    def update(count):
        if count is None:
            bar.close()
        else:
            bar.update(count)
    return update


# --- a whole sweep into its results folder ---------------------------------------
@dataclass
class Report:
    """What a call of :func:`run_sweep` did."""

    folder: Path
    runs: int  # in the sweep
    before: int  # already stored (resume)
    new: int  # computed now
    failed: int  # rows with an error, all told
    seconds: float
    workers: int | None = None  # local processes used (None: a Dask cluster)
    damaged: list[str] = field(default_factory=list)  # damaged files deleted by resume (their runs computed again)

    @property
    def rate(self) -> float:
        """New runs per second of wall time."""
        return self.new / self.seconds if self.seconds > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "runs": self.runs, "before": self.before, "new": self.new,
                "failed": self.failed, "seconds": round(self.seconds, 3), "runs_per_second": round(self.rate, 2),
                "workers": self.workers, "damaged": self.damaged}


def run_sweep(spec, out: str | Path, *, workers: int | None = None, scheduler: Any = None,
              resume: bool = False, progress: bool | Progress | None = None, chunk: int | None = None,
              runner: Callable[..., Row] | None = None, spec_text: str | None = None) -> Report:
    """Run a sweep into ``out``, storing each chunk of rows as it finishes.

    With ``resume``, runs already stored in ``out`` are skipped; the completed
    table (``out/results.parquet``) is then the same as an uninterrupted
    sweep's, whatever the workers or the scheduler.

    Parameters
    ----------
    spec : experiments.spec.Spec
        The sweep.
    out : path
        Results folder (see :mod:`experiments.store`).
    workers, scheduler, progress, chunk, runner
        As :func:`execute_chunks`.
    resume : bool
        Finish a sweep already begun in ``out`` (same spec).
    spec_text : str, optional
        The spec file's text, kept as ``out/spec.toml``.

    Examples
    --------
    >>> import tempfile
    >>> from experiments.spec import Spec
    >>> spec = Spec.from_dict({"base": {"employees": 50, "customers": 200, "steps": 5},
    ...                        "vary": {"initial_believers": [0.05, 0.2]}})
    >>> run_sweep(spec, tempfile.mkdtemp(), workers=1).new
    2
    """
    from adoption.results import OUTPUTS
    from experiments.store import PREFIX, Store

    started = time.perf_counter()
    workers = checked_workers(workers)
    client = None if scheduler is None else connect(scheduler)  # before the folder is made
    try:
        store = Store.create(out, spec, resume=resume, spec_text=spec_text)
        damaged = store.remove_damaged() if resume else []
        done = store.done()
        missing = [index for index in range(spec.runs) if index not in done]
        keep = None if spec.outputs is None else set(spec.outputs)
        dropped = set() if keep is None else set(OUTPUTS) - keep
        for finished in execute_chunks(spec.tasks(missing), workers=workers, scheduler=client, series=spec.series,
                                       chunk=chunk, progress=progress, runner=runner):
            rows = []
            for index, row in finished:
                point, replicate = divmod(index, spec.replicates)
                rows.append({**dict(zip(PREFIX, (index, point, replicate))),
                             **{name: value for name, value in row.items() if name not in dropped}})
            store.append(rows)
    finally:
        if client is not None and client is not scheduler:
            client.close()
    store.compact()
    table = store.table()
    failed = table["error"].drop_null().__len__() if "error" in table.column_names else 0
    return Report(store.folder, spec.runs, len(done), len(missing), int(failed), time.perf_counter() - started,
                  min(workers, max(1, len(missing))) if client is None else None, [str(path) for path in damaged])
