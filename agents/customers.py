"""Customers: a vectorised population that meets the front line in moments of truth.

Carlzon's SAS had ~10 million passengers a year, each meeting ~5 employees:
50 million moments of truth. Customers are therefore arrays, never objects,
and a week only touches the customers who actually travel that week.

Each week every customer has a Poisson number of moments of truth with mean
``contacts_per_customer / 52``. Each moment is with a front-line employee drawn
at random. It is *good* when that employee acts on the value and may resolve
the problem (``empowerment``); a good moment moves the customer toward
expecting the value (``customer_openness``), a poor one away from it
(``customer_disappointment``). Customers who believe press the staff who serve
them: the model reads that pressure from :class:`Moments`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

BELIEF = 0.5  # a customer who has come to expect the value


@dataclass
class Moments:
    """One week's moments of truth, summarised per employee."""

    count: int  # moments of truth this week
    good: int  # of which the customer was well served
    served: np.ndarray  # per employee: customers met
    pressed: np.ndarray  # per employee: believing customers met ("do it for me now")


class Customers:
    """Customer belief as a float32 array; the believer count is kept incrementally."""

    def __init__(self, count: int, moments_per_week: float, openness: float, disappointment: float):
        self.belief = np.zeros(count, dtype=np.float32)
        self.believers = 0
        self.moments_per_week = moments_per_week
        self.openness = openness
        self.disappointment = disappointment
        self._visit_chance = -math.expm1(-moments_per_week)  # P(at least one moment this week)
        self._moments_cdf = _zero_truncated_poisson_cdf(moments_per_week)

    def __len__(self) -> int:
        return len(self.belief)

    @property
    def believer_share(self) -> float:
        return self.believers / len(self.belief) if len(self.belief) else 0.0

    def visitors(self, rng: np.random.Generator) -> np.ndarray:
        """Sorted, distinct customers with at least one moment this week.

        Gaps between Bernoulli successes are geometric, so drawing the gaps
        costs O(visitors), not O(customers).
        """
        n, q = len(self.belief), self._visit_chance
        if n == 0 or q <= 0:
            return np.zeros(0, dtype=np.int64)
        if q >= 1:
            return np.arange(n)
        expected = n * q
        batch = int(expected + 6 * math.sqrt(expected) + 16)
        gaps = rng.geometric(q, size=batch)
        positions = np.cumsum(gaps) - 1
        while positions[-1] < n - 1:  # rare: the batch fell short of the end
            more = np.cumsum(rng.geometric(q, size=batch)) + positions[-1]
            positions = np.concatenate([positions, more])
        return positions[: np.searchsorted(positions, n)]

    def meet(self, staff: np.ndarray, good_chance: np.ndarray, employees: int,
             rng: np.random.Generator, convincing: np.ndarray | None = None) -> Moments:
        """This week's moments of truth between customers and the ``staff`` who face them.

        ``good_chance[e]`` is the probability that a moment with employee ``e``
        serves the customer well (acting on the value and empowered to resolve).
        Only a good moment with a ``convincing[e]`` employee (one who believes,
        not one who follows a script) moves the customer toward the value;
        a scripted good moment satisfies without convincing. Default: all convince.
        """
        visitors = self.visitors(rng)
        if len(staff) == 0 or len(visitors) == 0:
            return Moments(0, 0, np.zeros(employees), np.zeros(employees))
        moments = np.searchsorted(self._moments_cdf, rng.random(len(visitors)), side="right") + 1
        total = int(moments.sum())
        server = staff[rng.integers(0, len(staff), size=total)]
        good = rng.random(total) < good_chance[server]
        before = self.belief[visitors]
        believed = before >= BELIEF
        served = np.bincount(server, minlength=employees).astype(np.float64)
        pressed = np.bincount(server, weights=np.repeat(believed, moments), minlength=employees)
        genuine = good if convincing is None else good & convincing[server]
        good_per_visitor = np.add.reduceat(genuine, np.cumsum(moments) - moments, dtype=np.int64)
        after = 1 - (1 - before) * (1 - self.openness) ** good_per_visitor
        poor_per_visitor = moments - np.add.reduceat(good, np.cumsum(moments) - moments, dtype=np.int64) \
            if convincing is not None else moments - good_per_visitor
        after *= (1 - self.disappointment) ** poor_per_visitor
        after = after.astype(np.float32)
        self.belief[visitors] = after
        self.believers += int((after >= BELIEF).sum()) - int(believed.sum())
        return Moments(total, int(good.sum()), served, pressed)


def _zero_truncated_poisson_cdf(mean: float) -> np.ndarray:
    """CDF of the number of moments a visiting customer has, k = 1, 2, ...

    A visitor has at least one moment; the count is Poisson(mean) given ≥ 1,
    so the total over all customers is exactly Poisson.
    """
    if mean <= 0:
        return np.array([1.0])
    top = int(mean + 12 * math.sqrt(mean) + 20)
    k = np.arange(1, top + 1)
    log_pmf = k * math.log(mean) - mean - np.cumsum(np.log(k))
    pmf = np.exp(log_pmf) / -math.expm1(-mean)
    cdf = np.cumsum(pmf)
    cdf[-1] = 1.0
    return cdf
