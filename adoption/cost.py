"""What a run, a sweep or a comparison will cost, estimated before it starts.

Memory and time grow with the organisation (staff and their ties), the
customers and their moments of truth, the weeks and the number of runs. The
coefficients below were measured on the model (peak resident memory above the
imports and time per week, ``benchmarks/scale.py`` sizes) and rounded up: the
estimate is meant to be an upper bound within a factor of about two, enough to
refuse, before any work, what would exhaust the machine (a ``MemoryError``
after minutes, or the kernel killing the process) and to say what it would need.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Iterable

# peak bytes of one run, above the ~160 MB the imports take
BYTES_PER_EMPLOYEE = 200
BYTES_PER_TIE_END = 60  # CSR adjacency and the edge lists it is built from
BYTES_PER_TEAM_PAIR = 12  # org_chart draws every pair within a unit (unit_size² / 2 per unit) at once
BYTES_PER_FILE_BYTE = 60  # reading a network file with networkx: ~46× its size measured (1M edges, 13 MB)
BYTES_PER_CUSTOMER = 8
BYTES_PER_WEEKLY_MOMENT = 4  # the compiled week keeps no week-long arrays of moments
PROCESS_BYTES = 200e6  # a worker process with the model imported
BYTES_PER_RUN_KEPT = 6_000  # a sweep or comparison holds each run's task and row (plus its series)

# seconds
SECONDS_PER_WEEK = 2e-4  # fixed cost of a week (rules, levers, records)
SECONDS_PER_EMPLOYEE_WEEK = 3e-7
SECONDS_PER_TIE_END_WEEK = 2e-8
SECONDS_PER_MOMENT = 1e-7
SECONDS_PER_SETUP_EMPLOYEE = 5e-6
SECONDS_PER_SETUP_PAIR = 1e-7


@dataclass(frozen=True)
class Cost:
    """Estimated peak memory (bytes, all processes together) and wall time (seconds)."""

    runs: int
    memory: float
    seconds: float
    workers: int = 1

    def __str__(self) -> str:
        return (f"{self.runs:,} run{'s' if self.runs != 1 else ''}: about {size(self.memory)} of memory and "
                f"{duration(self.seconds)} on {self.workers} worker{'s' if self.workers != 1 else ''}")


def run_memory(values: dict[str, Any]) -> float:
    """Peak bytes of one run with these parameter values (``Params.to_dict()``), above the imports."""
    employees = values["employees"]
    tie_ends = 0 if values["network"] == "complete" else employees * values["mean_degree"]
    pairs = employees * min(values["unit_size"], employees) / 2 if values["network"] == "org_chart" else 0
    moments = values["customers"] * values["contacts_per_customer"] / 52
    return (employees * BYTES_PER_EMPLOYEE + tie_ends * BYTES_PER_TIE_END + pairs * BYTES_PER_TEAM_PAIR
            + network_file_memory(values["network"])
            + values["customers"] * BYTES_PER_CUSTOMER + moments * BYTES_PER_WEEKLY_MOMENT)


def network_file_memory(network: str) -> float:
    """Bytes to read a network file (0 for a built-in network)."""
    from adoption.params import BUILTIN_NETWORKS

    if network in BUILTIN_NETWORKS:
        return 0.0
    try:
        return os.path.getsize(network) * BYTES_PER_FILE_BYTE
    except (OSError, ValueError):
        return 0.0


def run_seconds(values: dict[str, Any]) -> float:
    """Estimated seconds of one run (setup and every week) on one core."""
    employees = values["employees"]
    tie_ends = 0 if values["network"] == "complete" else employees * values["mean_degree"]
    pairs = employees * min(values["unit_size"], employees) / 2 if values["network"] == "org_chart" else 0
    moments = values["customers"] * values["contacts_per_customer"] / 52
    week = (SECONDS_PER_WEEK + employees * SECONDS_PER_EMPLOYEE_WEEK + tie_ends * SECONDS_PER_TIE_END_WEEK
            + moments * SECONDS_PER_MOMENT)
    return employees * SECONDS_PER_SETUP_EMPLOYEE + pairs * SECONDS_PER_SETUP_PAIR + values["steps"] * week


def estimate(points: Iterable[dict[str, Any]], runs_per_point: int = 1, workers: int = 1,
             sample: int = 1_000) -> Cost:
    """The cost of running every point ``runs_per_point`` times on ``workers`` processes.

    Memory is the largest run on every worker at once plus the bookkeeping of
    all runs; time is the mean run (over up to ``sample`` points) times the
    runs, divided among the workers.
    """
    points = list(points)
    runs = len(points) * runs_per_point
    step = max(1, len(points) // sample)
    seconds = math.fsum(run_seconds(point) for point in points[::step]) * step * runs_per_point
    largest = max((run_memory(point) for point in points), default=0.0)
    workers = max(1, min(workers, runs))
    memory = workers * (largest + (PROCESS_BYTES if workers > 1 else 0)) + runs * BYTES_PER_RUN_KEPT
    return Cost(runs, memory, seconds / workers, workers)


def available_memory() -> float:
    """Bytes this machine can give a new job now (``MemAvailable``; total memory where unknown)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return math.inf


def check(cost: Cost, force: bool = False, what: str = "this") -> None:
    """Refuse, as one clear line, work that would need more memory than the machine has (unless ``force``)."""
    from adoption.params import ParamError

    free = available_memory()
    if cost.memory > free and not force:
        raise ParamError(f"{what} would need about {size(cost.memory)} of memory ({cost}); this machine has "
                         f"{size(free)} available: make it smaller, use fewer --workers, or add --force")


def size(count: float) -> str:
    """Bytes for people: ``1.2 GB``.

    Examples
    --------
    >>> size(3.5e9), size(20e6)
    ('3.5 GB', '20 MB')
    """
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6)):
        if count >= scale:
            return f"{count / scale:.2g} {unit}" if count / scale < 10 else f"{count / scale:,.0f} {unit}"
    return f"{count / 1e3:.0f} kB"


def duration(seconds: float) -> str:
    """Seconds for people: ``40 s``, ``12 min``, ``3.5 h``, ``9 days``."""
    for unit, scale in (("days", 86400), ("h", 3600), ("min", 60)):
        if seconds >= 2 * scale:
            return f"{seconds / scale:,.2g} {unit}" if seconds / scale < 10 else f"{seconds / scale:,.0f} {unit}"
    return f"{seconds:.2g} s"
