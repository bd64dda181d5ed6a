"""The real-data check of docs/calibration.md: fit months 1–8 of the medical-innovation adoption curve,
forecast months 9–17, and compare with a Bass curve fitted to the same eight months.

Coleman, Katz & Menzel's physicians (``adoption/data/medical_innovation``, 125
people, 450 ties) adopted tetracycline month by month. The model runs on their
real network with the network Bass rule (a chance ``innovation`` to adopt from
outside each month, plus ``imitation`` times the adopting share of one's
contacts); one model step is one month and nobody has adopted at month 0. The
observations are the census "adopted by month m" for m = 1..8. The aggregate
Bass (1969) curve gets the same eight months and is fitted by least squares
(p, q and the market potential m ≤ 125).

    python docs/calibration_medical.py     # prints the numbers, writes docs/figures/calibration_medical.png

Takes about half a minute on two cores (seeded: the same numbers on one worker or two).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import curve_fit

from adoption import Model, Params
from experiments.calibrate import calibrate
from experiments.forecast import forecast
from experiments.observations import Observations, adoption_waves

FIT_MONTHS, LAST_MONTH = 8, 17
BASE = Params(people="medical_innovation", rule="bass", customers=0, initial_believers=0.0, steps=LAST_MONTH)
PRIORS = ["innovation=0:0.3", "imitation=0:1"]
FIGURE = Path(__file__).parent / "figures" / "calibration_medical.png"


def observed() -> np.ndarray:
    """Adopted by month 0..17 (of 125)."""
    months = pd.to_numeric(Model(BASE).people["adoption_month"], errors="coerce").to_numpy(dtype=float)
    return np.array([int((months <= month).sum()) for month in range(LAST_MONTH + 1)]), months


def bass(t, p, q, m):
    """Cumulative Bass adoption at time t (Bass 1969)."""
    decay = np.exp(-(p + q) * t)
    return m * (1 - decay) / (1 + q / p * decay)


def main(workers: int = 2) -> dict:
    curve, months = observed()
    people = len(months)
    waves = adoption_waves(np.where(months <= FIT_MONTHS, months, np.nan))
    waves = waves[waves["week"] <= FIT_MONTHS].assign(respondents=people)
    with tempfile.TemporaryDirectory() as folder:
        fit = calibrate(Observations(waves), BASE, PRIORS, folder, population=100, generations=6, seed=1,
                        workers=workers, progress=False, figure=False)
        result = forecast(fit, draws=200, horizon=LAST_MONTH, seed=1, workers=workers)
    adopted = result.believers["baseline"] * people  # draws × months 0..17
    later = np.arange(FIT_MONTHS + 1, LAST_MONTH + 1)
    low, median, high = np.quantile(adopted, [0.05, 0.5, 0.95], axis=0)
    inside = (curve[later] >= low[later]) & (curve[later] <= high[later])
    t = np.arange(1, FIT_MONTHS + 1)
    (p, q, m), _ = curve_fit(bass, t, curve[1:FIT_MONTHS + 1], p0=(0.05, 0.3, 110),
                             bounds=([1e-6, 0, curve[FIT_MONTHS]], [1, 5, people]))
    bass_curve = bass(np.arange(LAST_MONTH + 1), p, q, m)
    report = {
        "posterior": fit.summary(),
        "abc_median_abs_error_months_9_17": float(np.abs(median[later] - curve[later]).mean()),
        "bass_abs_error_months_9_17": float(np.abs(bass_curve[later] - curve[later]).mean()),
        "band_90_covers_months": f"{int(inside.sum())} of {len(later)}",
        "abc_median_at_17": float(median[LAST_MONTH]), "abc_band_90_at_17": [float(low[LAST_MONTH]),
                                                                             float(high[LAST_MONTH])],
        "bass_at_17": float(bass_curve[LAST_MONTH]),
        "observed_at_17": int(curve[LAST_MONTH]), "bass_fit": {"p": p, "q": q, "m": m},
    }
    plot(curve, adopted, bass_curve, report)
    return report


def plot(curve, adopted, bass_curve, report) -> None:
    from matplotlib.figure import Figure

    from experiments import palette

    figure = Figure(figsize=(7.5, 4.6))
    ax = figure.subplots()
    months = np.arange(LAST_MONTH + 1)
    q = np.quantile(adopted, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(months, q[0], q[4], color=palette.BELIEVER, alpha=0.15, lw=0, label="model: 90% band")
    ax.fill_between(months, q[1], q[3], color=palette.BELIEVER, alpha=0.3, lw=0, label="model: 50% band")
    ax.plot(months, q[2], color=palette.BELIEVER, lw=2, label="model (network Bass, ABC): median")
    ax.plot(months, bass_curve, color=palette.LEADER, lw=2, ls="--", label="Bass curve fitted to months 1–8")
    ax.plot(months, curve, "o", color=palette.INK, ms=4, label="observed (Coleman, Katz & Menzel)")
    ax.axvline(FIT_MONTHS + 0.5, color=palette.MILESTONE, lw=0.8, ls=":")
    ax.text(FIT_MONTHS + 0.7, 5, "forecast →", fontsize=9, color=palette.MILESTONE)
    ax.set(xlabel="month (1 = November 1953)", ylabel="physicians who prescribe tetracycline (of 125)",
           ylim=(0, 130), title=f"Medical innovation: fit months 1–{FIT_MONTHS}, forecast to {LAST_MONTH}")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    FIGURE.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(FIGURE, dpi=120)


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2), indent=1, default=float))
