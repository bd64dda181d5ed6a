"""Figures and step costs for docs/rules.md: the Bass fit and the naming-game tipping curve.

Run from the repository root::

    python docs/rule_figures.py            # writes docs/figures/bass_fit.png and naming_game_tipping.png
    python docs/rule_figures.py --costs    # prints each rule's cost per step (µs) at 1,000 and 100,000 employees

Every run is seeded: the same command draws the same figures.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from adoption import Model, run  # noqa: E402
from adoption.rules import RULES  # noqa: E402

FIGURES = Path(__file__).parent / "figures"
P, Q = 0.03, 0.38


def bass_closed_form(t):
    decay = np.exp(-(P + Q) * np.asarray(t, dtype=float))
    return (1 - decay) / (1 + Q / P * decay)


def bass_fit(path: Path) -> dict[str, float]:
    """Mean of 12 agent runs on the complete network against Bass's F(t) and F(t − ½)."""
    weeks = np.arange(31)
    curves = np.array([run(employees=2000, network="complete", rule="bass", innovation=P, imitation=Q, customers=0,
                           leader_influence=0, initial_believers=0.0, steps=30, seed=seed).series["believers"]
                       for seed in range(12)])
    mean = curves.mean(axis=0)
    fine = np.linspace(0, 30, 301)
    errors = dict(closed_form=float(np.abs(mean - bass_closed_form(weeks)).max()),
                  half_week_lag=float(np.abs(mean - bass_closed_form(np.maximum(weeks - 0.5, 0))).max()))
    fig, ax = plt.subplots(figsize=(6.4, 4))
    for curve in curves:
        ax.plot(weeks, curve, color="#9ab", lw=0.6, alpha=0.6)
    ax.plot(weeks, mean, "o", color="#1f5f8b", ms=4, label="agent rule, mean of 12 runs (2000 employees)")
    ax.plot(fine, bass_closed_form(fine), color="#c0392b", lw=1.6, label="Bass closed form F(t)")
    ax.plot(fine, bass_closed_form(np.maximum(fine - 0.5, 0)), "--", color="#c0392b", lw=1.2,
            label="F(t − ½): weekly updates lag half a week")
    ax.set(title=f"Bass diffusion on the complete network (p = {P}, q = {Q})", xlabel="week",
           ylabel="share of employees who believe", ylim=(0, 1.02))
    ax.legend(loc="lower right", fontsize=8)
    ax.text(0.02, 0.97, f"max |mean − F(t)| = {errors['closed_form']:.3f}\n"
                        f"max |mean − F(t − ½)| = {errors['half_week_lag']:.3f}",
            transform=ax.transAxes, va="top", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return errors


def consensus_week(committed: float, seed: int, employees: int, horizon: int) -> int | None:
    model = Model(employees=employees, network="complete", rule="naming_game", initial_believers=committed,
                  customers=0, leader_influence=0, steps=horizon, seed=seed)
    return model.run_until(lambda m: m.state.believes.all())


def naming_game_tipping(path: Path, employees: int = 2000, horizon: int = 400, seeds=range(8)) -> dict:
    """Share of runs reaching consensus within the horizon, and the mean consensus week, by committed share."""
    shares = np.round(np.arange(0.06, 0.205, 0.01), 3)
    shares = np.unique(np.concatenate([shares, [0.094, 0.096, 0.098, 0.102]]))
    reached, mean_week = [], []
    for committed in shares:
        weeks = [consensus_week(committed, seed, employees, horizon) for seed in seeds]
        done = [w for w in weeks if w is not None]
        reached.append(len(done) / len(weeks))
        mean_week.append(np.mean(done) if len(done) == len(weeks) else np.nan)
    reached, mean_week = np.array(reached), np.array(mean_week)
    tipping = float(shares[np.argmax(reached >= 0.5)])
    fig, ax = plt.subplots(figsize=(6.4, 4))
    ax.plot(shares, reached, "o-", color="#1f5f8b", label=f"runs reaching consensus within {horizon} weeks")
    ax.axvline(0.0979, color="#c0392b", ls="--", lw=1.2, label="Xie et al. (2011): p_c ≈ 0.098")
    ax.set(title=f"Naming game on the complete network ({employees} employees, {len(seeds)} runs per point)",
           xlabel="committed minority (share of employees)", ylabel="share of runs reaching consensus",
           ylim=(-0.03, 1.03))
    times = ax.twinx()
    times.plot(shares, mean_week, "s:", color="#7f8c8d", ms=4, label="mean weeks to consensus")
    times.set_ylabel("weeks to consensus (all runs reached it)")
    lines = ax.get_legend_handles_labels(), times.get_legend_handles_labels()
    ax.legend(lines[0][0] + lines[1][0], lines[0][1] + lines[1][1], loc="center right", fontsize=8)
    ax.title.set_fontsize(10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return dict(tipping=tipping, shares=shares.tolist(), reached=reached.tolist(), mean_week=mean_week.tolist())


def step_costs(sizes=(1_000, 100_000), repeats=20) -> dict[str, dict[int, float]]:
    """Microseconds per call of each rule's update (erdos_renyi, mean degree 8, no customers), best of repeats."""
    costs = {}
    for name in RULES:
        costs[name] = {}
        for n in sizes:
            model = Model(employees=n, network="erdos_renyi", rule=name, customers=0, initial_believers=0.05, seed=0)
            pressure, rng = model.pressure(), np.random.default_rng(0)
            best = np.inf
            for _ in range(repeats):
                start = time.perf_counter()
                model.rule.update(model, pressure, rng)
                best = min(best, time.perf_counter() - start)
            costs[name][n] = best * 1e6
    return costs


def main(argv: list[str]) -> int:
    if "--costs" in argv:
        print("| rule | µs per step, 1,000 employees | µs per step, 100,000 employees |\n| --- | ---: | ---: |")
        for name, by_size in step_costs().items():
            print(f"| `{name}` | " + " | ".join(f"{cost:,.0f}" for cost in by_size.values()) + " |")
        return 0
    FIGURES.mkdir(exist_ok=True)
    print("bass fit:", bass_fit(FIGURES / "bass_fit.png"))
    tipping = naming_game_tipping(FIGURES / "naming_game_tipping.png")
    print("naming game:", tipping)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
