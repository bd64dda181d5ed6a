"""Rollout strategies: whom to convince first (the ``seeding`` parameter).

Each strategy is a function ``(model, k, rng) -> indices`` returning ``k``
distinct employees; all strategies seed the same number of initial believers
so they compare fairly. Ties are broken at random with the seeding stream.
"""

from __future__ import annotations

import numpy as np

from agents.employees import FRONT_LINE, LEADER, MANAGER


def random(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """Anyone: the announcement lands on a random 5%."""
    return rng.choice(model.network.n, size=k, replace=False)


def leaders(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """The top of the hierarchy first: executives, then managers, then anyone."""
    role = model.organisation.role
    rank = np.where(role == LEADER, 0, np.where(role == MANAGER, 1, 2))
    return by_rank(rank, k, rng)


def frontline(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """The customer-facing staff first, where the moments of truth happen."""
    rank = np.where(model.organisation.role == FRONT_LINE, 0, 1)
    return by_rank(rank, k, rng)


def by_rank(rank: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The ``k`` employees of lowest rank, ties in random order."""
    return np.lexsort((rng.random(len(rank)), rank))[:k]


SEEDINGS = {"random": random, "leaders": leaders, "frontline": frontline}
