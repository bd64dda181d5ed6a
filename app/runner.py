"""One live run behind the page: the model, its organisation picture and a lock.

No Solara here: the page drives a :class:`LiveRun` from its threads (one steps
the model, one draws), and tests can drive it directly. The lock is held only
while the model steps or while a snapshot is copied, never while drawing, so a
step of the model never waits on a plot. The charts are drawn in a separate
process (matplotlib holds Python's interpreter lock for most of a redraw, which
would otherwise slow the stepping thread and the web server down).
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from adoption import Model, Params
from app import charts
from app.organisation import build_view


class LiveRun:
    """A model being watched: step it, copy it, and time its steps."""

    def __init__(self, params: Params):
        self.params = params
        self.model = Model(params)
        self.view = build_view(self.model)
        self.lock = threading.Lock()  # held while stepping or copying, never while drawing
        self.drawing = threading.Lock()  # held by the one background drawing of this run
        self.slowest_step = 0.0  # seconds: the longest single step so far (the page must never block ~1 s)

    @property
    def week(self) -> int:
        return int(self.model.steps)

    @property
    def finished(self) -> bool:
        return not self.model.running or self.model.steps >= self.params.steps

    def step(self) -> charts.Snapshot | None:
        """Advance one week (if the run is not over) and return the new snapshot."""
        with self.lock:
            if self.finished:
                return None
            start = time.perf_counter()
            self.model.step()
            self.slowest_step = max(self.slowest_step, time.perf_counter() - start)
            return charts.take_snapshot(self.model)

    def snapshot(self) -> charts.Snapshot:
        with self.lock:
            return charts.take_snapshot(self.model)


DRAW_TIMEOUT = 60  # seconds: a drawing process that takes longer is replaced by drawing here
_drawer: ProcessPoolExecutor | None = None
_drawer_lock = threading.Lock()


def _drawing_process() -> ProcessPoolExecutor:
    global _drawer
    with _drawer_lock:
        if _drawer is None:
            # spawn, not fork: the server process has threads
            _drawer = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            _drawer.submit(int)  # start it now: the first redraw should not wait for imports
        return _drawer


def warm_up() -> None:
    """Start the drawing process in the background (called when a page opens)."""
    _drawing_process()


def draw(run: LiveRun, snapshot: charts.Snapshot) -> dict[str, bytes]:
    """Every chart of the live page as PNG bytes, drawn in the drawing process (here if it fails)."""
    global _drawer
    try:
        return _drawing_process().submit(draw_view, run.view, snapshot).result(timeout=DRAW_TIMEOUT)
    except Exception:  # a broken or stuck drawing process must not take the page down
        with _drawer_lock:
            broken, _drawer = _drawer, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        return draw_view(run.view, snapshot)


def draw_view(view, snapshot: charts.Snapshot) -> dict[str, bytes]:
    """Every chart of the live page as PNG bytes (the slow part: never under the run's lock)."""
    return {
        "organisation": charts.png(charts.organisation(view, snapshot)),
        "arc": charts.png(charts.arc(snapshot)),
        "conversions": charts.png(charts.conversions(snapshot)),
        "moments": charts.png(charts.moments(snapshot)),
    }
