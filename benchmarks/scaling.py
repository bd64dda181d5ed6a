"""How cost grows with size: a table and a log-log plot of time and memory, each point a fresh process.

Usage::

    python benchmarks/scaling.py [--repeat R] [--out docs/figures/scaling.png]

Two sweeps, 52 weeks each: customers from 1 to 30 million at the SAS staff of
20,000, and employees from 2,000 to 1 million at 1 million customers. The
fitted log-log slope says how cost grows: 1 is linear. Memory is shown above
the fixed cost of a Python process that has imported the model and loaded its
compiled kernels. Time is processor time by default (``--clock wall`` for
wall time): on a shared machine wall time mostly measures the other users.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import in_fresh_process  # noqa: E402

CUSTOMER_SWEEP = [1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 30_000_000]
EMPLOYEE_SWEEP = [2_000, 5_000, 20_000, 50_000, 200_000, 500_000, 1_000_000]
SAS_STAFF, STAFF_SWEEP_CUSTOMERS, WEEKS = 20_000, 1_000_000, 52


def measure(employees: int, customers: int, repeat: int, clock: str = "cpu") -> dict:
    runs = [in_fresh_process(f"size:{employees}:{customers}:{WEEKS}") for _ in range(repeat)]
    suffix = "_cpu_s" if clock == "cpu" else "_s"
    return dict(employees=employees, customers=customers,
                setup_s=statistics.median(r["setup" + suffix] for r in runs),
                run_s=statistics.median(r["run" + suffix] for r in runs),
                peak_rss_mb=statistics.median(r["peak_rss_mb"] for r in runs))


def slope(sizes, values) -> float:
    """Least-squares slope of log(value) against log(size)."""
    return float(np.polyfit(np.log(sizes), np.log(values), 1)[0])


def plot(by_customers, by_employees, baseline_mb: float, out: Path, clock: str = "cpu") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(11, 8), constrained_layout=True)
    sweeps = ((by_customers, "customers", f"customers (at {SAS_STAFF:,} staff)"),
              (by_employees, "employees", f"employees (at {STAFF_SWEEP_CUSTOMERS:,} customers)"))
    for column, (rows, key, label) in enumerate(sweeps):
        sizes = np.array([r[key] for r in rows], dtype=float)
        seconds = "processor seconds" if clock == "cpu" else "seconds"
        for row, (measure_key, unit, colour) in enumerate((("total_s", f"{seconds} for 52 weeks (setup + run)",
                                                            "#1f77b4"),
                                                           ("memory_mb", "peak memory above the process, MB",
                                                            "#d62728"))):
            values = np.array([r[measure_key] for r in rows])
            axis = axes[row][column]
            axis.loglog(sizes, values, "o-", color=colour, label="measured")
            # a line of slope 1 through the largest point: linear growth
            axis.loglog(sizes, values[-1] * sizes / sizes[-1], "--", color="grey", label="linear (slope 1)")
            axis.set_xlabel(label)
            axis.set_ylabel(unit)
            axis.set_title(f"{'Time' if row == 0 else 'Memory'} vs {key}: "
                           f"slope {slope(sizes[-3:], values[-3:]):.2f} over the largest three")
            axis.grid(True, which="both", alpha=0.3)
            axis.legend(frameon=False)
    fig.suptitle("Cost grows linearly with customers and with staff (log-log; each point a fresh process)")
    fig.text(0.5, -0.03, f"At small sizes the other population's fixed cost dominates; the slope is fitted where "
             f"the swept one dominates. Memory is peak resident set size minus {baseline_mb:.0f} MB,\nthe Python "
             "process with the model imported and its kernels loaded. Median of the repeats, on a shared 2-core "
             f"machine ({'processor' if clock == 'cpu' else 'wall'} time).", ha="center",
             fontsize=9)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes per point (median reported)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "figures" / "scaling.png")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="processor time (default) or wall")
    args = parser.parse_args(argv)
    load = os.getloadavg()
    baseline = statistics.median(in_fresh_process("baseline")["peak_rss_mb"] for _ in range(args.repeat))
    by_customers = [measure(SAS_STAFF, c, args.repeat, args.clock) for c in CUSTOMER_SWEEP]
    by_employees = [measure(e, STAFF_SWEEP_CUSTOMERS, args.repeat, args.clock) for e in EMPLOYEE_SWEEP]
    for row in by_customers + by_employees:
        row["total_s"] = row["setup_s"] + row["run_s"]
        row["memory_mb"] = max(row["peak_rss_mb"] - baseline, 1.0)
    print(f"{args.clock} time; load average before: {' '.join(f'{x:.1f}' for x in load)}, after: "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"{'employees':>10} {'customers':>11} {'setup s':>8} {'run s':>7} {'peak MB':>8} {'above base':>10}")
    for row in by_customers + by_employees:
        print(f"{row['employees']:>10,} {row['customers']:>11,} {row['setup_s']:>8.2f} {row['run_s']:>7.2f} "
              f"{row['peak_rss_mb']:>8.0f} {row['memory_mb']:>10.0f}")
    for name, rows, key in (("customers", by_customers, "customers"), ("employees", by_employees, "employees")):
        sizes = [r[key] for r in rows]
        print(f"log-log slope vs {name} over the largest three: time "
              f"{slope(sizes[-3:], [r['total_s'] for r in rows][-3:]):.2f}, "
              f"memory {slope(sizes[-3:], [r['memory_mb'] for r in rows][-3:]):.2f}")
    print(f"baseline process: {baseline:.0f} MB")
    plot(by_customers, by_employees, baseline, args.out, args.clock)
    print(f"plot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
