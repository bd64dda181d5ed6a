"""Replicate runs for stochastic claims: means over seeds, with never-reached counted explicitly."""

import numpy as np

from adoption import run


def milestone_means(seeds=range(10), **overrides) -> dict[str, float]:
    """Mean first week of each milestone over seeds; a run that never reaches it counts as week steps + 1."""
    values = {}
    for seed in seeds:
        results = run(seed=seed, **overrides)
        for level, week in results.milestones.items():
            values.setdefault(level, []).append(results.steps + 1 if week is None else week)
    return {level: float(np.mean(weeks)) for level, weeks in values.items()}
