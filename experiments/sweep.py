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
from dataclasses import dataclass
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
    workers = default_workers() if workers is None else workers
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        from adoption.params import ParamError

        raise ParamError(f"workers={workers}: must be an integer ≥ 1")
    if scheduler is not None:
        workers = _dask_workers(scheduler)
    size = chunk or chunk_size(len(tasks), workers)
    chunks = [tasks[start:start + size] for start in range(0, len(tasks), size)]
    report = _reporter(progress, len(tasks))
    series = tuple(series)
    try:
        if scheduler is not None:
            source = _on_dask(chunks, scheduler, series, runner)
        elif workers == 1 or len(chunks) <= 1:
            source = (run_chunk(part, series, runner) for part in chunks)
        else:
            source = _on_pool(chunks, workers, series, runner)
        for done in source:
            report(len(done))
            yield done
    finally:
        report(None)


# --- where the chunks run ------------------------------------------------------
def _on_pool(chunks: list, workers: int, series: tuple, runner) -> Iterator[list]:
    context = _context()
    with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=context, initializer=_ignore_interrupt) as pool:
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


def _context():
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


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops handing out chunks and keeps what is stored."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _on_dask(chunks: list, scheduler: Any, series: tuple, runner) -> Iterator[list]:
    from dask.distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(run_chunk, chunks, series=series, runner=runner, pure=False)
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            client.cancel(futures)
    finally:
        if client is not scheduler:
            client.close()


def _dask_workers(scheduler: Any) -> int:
    from dask.distributed import Client

    if isinstance(scheduler, Client):
        return max(1, sum(scheduler.nthreads().values()))
    return 8  # unknown before connecting; only sets the chunk size


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

    @property
    def rate(self) -> float:
        """New runs per second of wall time."""
        return self.new / self.seconds if self.seconds > 0 else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "runs": self.runs, "before": self.before, "new": self.new,
                "failed": self.failed, "seconds": round(self.seconds, 3), "runs_per_second": round(self.rate, 2)}


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
    store = Store.create(out, spec, resume=resume, spec_text=spec_text)
    done = store.done()
    missing = [index for index in range(spec.runs) if index not in done]
    keep = None if spec.outputs is None else set(spec.outputs)
    dropped = set() if keep is None else set(OUTPUTS) - keep
    for finished in execute_chunks(spec.tasks(missing), workers=workers, scheduler=scheduler, series=spec.series,
                                   chunk=chunk, progress=progress, runner=runner):
        rows = []
        for index, row in finished:
            point, replicate = divmod(index, spec.replicates)
            rows.append({**dict(zip(PREFIX, (index, point, replicate))),
                         **{name: value for name, value in row.items() if name not in dropped}})
        store.append(rows)
    store.compact()
    table = store.table()
    failed = table["error"].drop_null().__len__() if "error" in table.column_names else 0
    return Report(store.folder, spec.runs, len(done), len(missing), int(failed), time.perf_counter() - started)
