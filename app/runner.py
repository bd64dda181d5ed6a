"""One live run behind the page: the model, its organisation picture and a lock.

No Solara here: the page drives a :class:`LiveRun` from its stepping thread,
and tests can drive it directly. The lock is held only while the model steps
or while a snapshot is copied. The browser draws the live charts from data
(``app.live_charts``); matplotlib draws PNGs only when one is downloaded.
"""

from __future__ import annotations

import functools
import threading
import time

from adoption import Model, Params
from app import charts
from app.organisation import build_view


class LiveRun:
    """A model being watched: step it, copy it, and time its steps."""

    def __init__(self, params: Params):
        self.params = params
        self.model = Model(params)
        self.view = build_view(self.model)
        self.lock = threading.Lock()  # held while stepping or copying
        self.slowest_step = 0.0  # seconds: the longest single step so far (the page must never block ~1 s)

    @functools.cached_property
    def ties_svg(self) -> str:
        """The organisation's ties as SVG, drawn once per run under the live organisation chart."""
        from app.live_charts import ties_svg

        return ties_svg(self.view)

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


PNG_CHARTS = ("organisation", "arc", "conversions", "moments")


def png(run: LiveRun, name: str) -> bytes:
    """One chart of the live page as PNG bytes, drawn by matplotlib when a download asks for it."""
    snapshot = run.snapshot()
    figure = charts.organisation(run.view, snapshot) if name == "organisation" else getattr(charts, name)(snapshot)
    return charts.png(figure)
