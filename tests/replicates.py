"""Replicate runs for stochastic claims: means over seeds, never-reached milestones counted explicitly,
and effects stated with a margin (the measured effect minus k standard errors must clear a minimum)."""

import numpy as np

from adoption import run

K = 2.0  # standard errors an effect must clear its minimum by (about a one-sided 98% bound)


def milestone_weeks(level: str, seeds, **overrides) -> np.ndarray:
    """First week the believer share reaches ``level`` in each seed's run; never counts as week steps + 1."""
    weeks = []
    for seed in seeds:
        results = run(seed=seed, **overrides)
        week = results.milestones[level]
        weeks.append(results.steps + 1 if week is None else week)
    return np.array(weeks, dtype=float)


def milestone_means(seeds=range(10), **overrides) -> dict[str, float]:
    """Mean first week of each milestone over seeds; a run that never reaches it counts as week steps + 1."""
    values = {}
    for seed in seeds:
        results = run(seed=seed, **overrides)
        for level, week in results.milestones.items():
            values.setdefault(level, []).append(results.steps + 1 if week is None else week)
    return {level: float(np.mean(weeks)) for level, weeks in values.items()}


def final_values(series: str, seeds, week: int = -1, **overrides) -> np.ndarray:
    """``series[week]`` of each seed's run."""
    return np.array([run(seed=seed, **overrides).series[series][week] for seed in seeds], dtype=float)


def assert_effect(gains, minimum: float, what: str, k: float = K) -> None:
    """The mean of paired ``gains`` (one per seed, same seed on both sides) minus ``k`` standard errors
    is at least ``minimum``: an effect of at least that size, not just a sign."""
    gains = np.asarray(gains, dtype=float)
    mean, error = gains.mean(), gains.std(ddof=1) / np.sqrt(len(gains))
    print(f"{what}: {mean:.3f} ± {error:.3f} (minimum {minimum}, {len(gains)} seeds)")
    assert mean - k * error >= minimum, \
        f"{what}: measured {mean:.3f} ± {error:.3f} (SE) over {len(gains)} seeds; need mean − {k} SE ≥ {minimum}"


if __name__ == "__main__":  # re-measure the story test's means: python tests/replicates.py
    for level in ("0.2", "0.5"):
        weeks = milestone_weeks(level, range(40))
        print(f"weeks to {level}: mean {weeks.mean():.1f}, sd {weeks.std(ddof=1):.1f}, "
              f"never {(weeks > 52).sum()} of {len(weeks)}")
