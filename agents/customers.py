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

The week runs in one compiled pass over the travellers (:func:`_serve`); the
rule it implements is stated in plain Python in :func:`serve_reference`, and a
test checks that the two agree number for number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adoption.compiled import inline, kernel
from agents.employees import BELIEF  # a customer at or above it has come to expect the value

CHUNK = 1 << 16  # travellers drawn at once: their random numbers (a few hundred kB) stay in the CPU cache
SERVED, PRESSED, CONVINCED = range(3)  # columns of the per-slot tally


@dataclass
class Moments:
    """One week's moments of truth, summarised per employee."""

    count: int  # moments of truth this week
    good: int  # of which the customer was well served
    served: np.ndarray  # per employee: customers met
    pressed: np.ndarray  # per employee: believing customers met ("do it for me now")
    convinced: np.ndarray  # per employee: good moments given as a believer (value-driven acts)


class Customers:
    """Customer belief as a float32 array; the believer count is kept incrementally.

    A week costs O(travellers), never O(customers): only the customers who
    travel that week are drawn, read and written.
    """

    def __init__(self, count: int, moments_per_week: float, openness: float, disappointment: float):
        self.belief = np.zeros(count, dtype=np.float32)
        self.believers = 0
        self.moments_per_week = moments_per_week
        self.openness = openness
        self.disappointment = disappointment
        self._visit_chance = -math.expm1(-moments_per_week)  # P(at least one moment this week)
        self._moments_cdf = _zero_truncated_poisson_cdf(moments_per_week)
        self._update_width = len(self._moments_cdf) + 1  # a traveller has at most this many moments, plus one
        self._scale, self._offset = _belief_update_tables(self._update_width, openness, disappointment)
        # uniforms a traveller uses: one, plus one per moment when it has several
        several = np.diff(self._moments_cdf)  # P(k moments), k = 2, 3, ...
        self._draws_per_traveller = 1 + float(np.dot(np.arange(2, len(several) + 2), several))
        self._gap_dtype = np.float32 if self._visit_chance >= 1e-3 else np.float64  # float32 log: 4x faster
        self._per_log_gap = 1 / math.log1p(-self._visit_chance) if 0 < self._visit_chance < 1 else 0.0
        self._work: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.belief)

    @property
    def believer_share(self) -> float:
        return self.believers / len(self.belief) if len(self.belief) else 0.0

    def visitors(self, rng: np.random.Generator) -> np.ndarray:
        """Sorted, distinct customers with at least one moment this week (drawn as in :meth:`meet`)."""
        chunks, position = [], -1
        while self._visit_chance > 0 and position < len(self.belief) - 1:
            gaps = self._gap_chunk(position, rng) * self._per_log_gap
            gaps[np.isinf(gaps)] = 0  # a uniform of 0 counts as 1 (see _gap_chunk)
            travellers = position + np.cumsum(gaps.astype(np.int64) + 1)
            chunks.append(travellers[travellers < len(self.belief)])
            if len(chunks[-1]) < len(travellers):
                break
            position = int(chunks[-1][-1])
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)

    def _gap_chunk(self, position: int, rng: np.random.Generator) -> np.ndarray:
        """``log(u)`` for the gaps to the next travellers after customer ``position``.

        Travelling is a Bernoulli trial per customer, so the gaps between
        travellers are geometric, drawn by inversion: ``floor(log(u) /
        log(1 - chance)) + 1`` customers on, for a uniform ``u`` in (0, 1]
        (numpy's uniforms lie in [0, 1): a 0 counts as 1), in O(travellers).
        The chunk holds the travellers still to come (plus a margin), at most
        ``CHUNK``. The division is left to the kernel (``_per_log_gap``).
        """
        chance, dtype = self._visit_chance, self._gap_dtype
        expected = (len(self.belief) - 1 - position) * min(chance, 1.0)
        size = min(CHUNK, int(expected + 6 * math.sqrt(expected) + 16))
        gaps = self._buffer(self._gap_dtype.__name__, dtype, size)
        if chance >= 1:  # everyone travels: gaps of one
            gaps[:] = 0
            return gaps
        rng.random(out=gaps, dtype=dtype)
        with np.errstate(divide="ignore"):
            return np.log(gaps, out=gaps)

    def _draw_chunk(self, travellers: int, rng: np.random.Generator) -> np.ndarray:
        """Uniforms for the moments of the next ``travellers`` (plus a margin; at least one traveller's worth)."""
        expected = travellers * self._draws_per_traveller
        size = max(int(expected + 6 * math.sqrt(expected) + 16), self._update_width + 1)
        return rng.random(out=self._buffer("draws", np.float64, size))

    def meet(self, staff: np.ndarray, good_chance: np.ndarray, employees: int,
             rng: np.random.Generator, convincing: np.ndarray | None = None) -> Moments:
        """This week's moments of truth between customers and the ``staff`` who face them.

        ``good_chance[e]`` is the probability that a moment with employee ``e``
        serves the customer well (acting on the value and empowered to resolve).
        Only a good moment with a ``convincing[e]`` employee (one who believes,
        not one who follows a script) moves the customer toward the value;
        a scripted good moment satisfies without convincing. Default: all convince.

        Random numbers are drawn in chunks (the travellers' gaps, then the
        uniforms of their moments) and consumed by :func:`_serve`, which stops
        when a chunk runs out; what is left of a chunk of uniforms when it runs
        short is dropped, so the numbers used depend only on the seed.
        """
        staff_size = len(staff)
        if staff_size == 0:  # nobody faces the customers: no moments of truth
            return Moments(0, 0, np.zeros(employees), np.zeros(employees), np.zeros(employees))
        # a moment's uniform u gives the server slot floor(u * staff) and is good when
        # u * staff < slot + chance: one comparison against a per-slot edge
        edge = np.arange(staff_size) + np.asarray(good_chance, dtype=np.float64)[staff]
        genuine = np.ones(staff_size, dtype=bool) if convincing is None else np.asarray(convincing, bool)[staff]
        tally = np.zeros((staff_size, 3), dtype=np.int64)
        counts = np.zeros(3, dtype=np.int64)  # moments, good moments, change in believing customers
        per_employee = np.zeros((3, employees))  # served, pressed, convinced: the tally, once the week is done
        if self._visit_chance <= 0 or not len(self.belief):
            return Moments(0, 0, *per_employee)
        gaps = self._gap_chunk(-1, rng)
        draws, gap, draw, position = self._draw_chunk(len(gaps), rng), 0, 0, -1
        while True:
            gap, draw, position, done = _serve(self.belief, gaps, self._per_log_gap, gap, draws, draw, position,
                                               self._moments_cdf, edge, genuine, self._scale, self._offset,
                                               self._update_width, tally, counts, staff, per_employee)
            if done:
                break
            if gap == len(gaps):
                gaps, gap = self._gap_chunk(position, rng), 0
            else:  # the uniforms ran short of the next traveller's moments
                draws, draw = self._draw_chunk(len(gaps) - gap, rng), 0
        self.believers += int(counts[2])
        return Moments(int(counts[0]), int(counts[1]), *per_employee)

    def _buffer(self, name: str, dtype, size: int) -> np.ndarray:
        """A reusable work array of ``size`` entries (grown by a quarter when short): fresh arrays of a
        hundred thousand entries cost more in page faults than the arithmetic done on them."""
        array = self._work.get(name)
        if array is None or array.dtype != dtype or len(array) < size:
            self._work[name] = array = np.empty(int(size * 1.25) + 16, dtype=dtype)
        return array[:size]


def serve_reference(belief: np.ndarray, log_uniforms: np.ndarray, visit_chance: float, draws: np.ndarray,
                    cdf: np.ndarray, good_chance: np.ndarray, genuine: np.ndarray, openness: float,
                    disappointment: float):
    """The moment-of-truth rule, one traveller at a time: the plain statement of :func:`_serve`.

    Each of ``log_uniforms`` leads to the next traveller (a geometric gap:
    customers travel with ``visit_chance``); ``draws`` are the uniforms of
    the travellers' moments, used in order. Updates ``belief`` and returns
    per-slot counts (served, pressed, convinced) and the week's (moments,
    good moments, change in believing customers).
    """
    staff = len(good_chance)
    tally, moments, good_moments, believers = np.zeros((3, staff), dtype=np.int64), 0, 0, 0
    customer, used = -1, 0
    for log_u in log_uniforms:
        # a geometric gap: floor(log(u) / log(1 - chance)) + 1 customers on (a uniform of 0 counts as 1)
        customer += int(float(log_u) * (1 / math.log1p(-visit_chance))) + 1 if np.isfinite(log_u) else 1
        if customer >= len(belief):
            break
        u, used = draws[used], used + 1
        if u < cdf[0]:  # one moment: u itself, rescaled, is that moment's uniform
            uniforms = [u / cdf[0]]
        else:  # several: u says how many (zero-truncated Poisson), each has a uniform of its own
            count = min(int(np.searchsorted(cdf, u, side="right")) + 1, len(cdf))
            uniforms, used = draws[used: used + count], used + count
        believed, genuine_good, poor = bool(belief[customer] >= BELIEF), 0, 0
        for v in uniforms:
            slot = min(int(v * staff), staff - 1)  # the integer part of v * staff: who serves
            good = v * staff < slot + good_chance[slot]  # its fraction below the chance: served well
            convinces = good and genuine[slot]  # only a believing server's good moment convinces
            tally[:, slot] += (1, believed, convinces)
            moments, good_moments = moments + 1, good_moments + good
            genuine_good, poor = genuine_good + convinces, poor + (not good)
        # toward the value by each convincing moment, then away by each poor one
        kept = np.float32(1 - openness) ** genuine_good
        fading = np.float32(1 - disappointment) ** poor
        belief[customer] = (1 - (1 - belief[customer]) * kept) * fading
        believers += int(belief[customer] >= BELIEF) - believed
    return tally, (moments, good_moments, believers)


@kernel
def _serve(belief, gaps, per_log_gap, gap, draws, draw, position, cdf, edge, genuine, scale, offset, width, tally,
           counts, employee_of, per_employee):
    """The moments of truth of the travellers after customer ``position``, fused in one pass (see
    :func:`serve_reference` for the rule): who travels, how many moments, which slot serves, good or
    poor, the traveller's new belief and the slot's tallies (``tally[slot]`` = served, pressed,
    convinced). Consumes ``gaps`` (log-uniforms) from index ``gap`` and ``draws`` from ``draw``;
    returns where it stopped and whether the week is done. When it is, adds the tallies to
    ``per_employee`` (rows served, pressed, convinced; columns employees: ``employee_of[slot]``).

    Most travellers have one moment: they take a short path without a loop. The outcome (good or
    poor) is a coin flip, so it is counted without a branch: a mispredicted branch costs more than
    the arithmetic of a moment."""
    customers, staff, one = belief.size, edge.size, cdf[0]
    per_one = staff / one  # a single moment's uniform is u / one, for u < one
    moments = good_moments = believers = 0
    done = False
    while gap < gaps.size:
        skip = gaps[gap] * per_log_gap
        if skip == np.inf:  # log(0): a uniform of 0 counts as 1
            skip = 0.0
        customer = position + 1 + np.int64(min(skip, customers))
        if customer >= customers:
            done = True
            break
        if draw >= draws.size:
            break
        u = draws[draw]
        before = belief[customer]
        believed = np.int64(before >= BELIEF)
        if u < one:  # one moment
            good, convinces = _moment(u * per_one, edge, genuine, believed, tally)
            good_moments += good
            code = convinces * width + 1 - good
            several = 0
        else:  # several moments, each with a uniform of its own
            several = min(np.searchsorted(cdf, u, side="right") + 1, cdf.size)
            if draw + 1 + several > draws.size:
                break
            genuine_good = poor = 0
            for moment in range(several):
                good, convinces = _moment(draws[draw + 1 + moment] * staff, edge, genuine, believed, tally)
                good_moments += good
                genuine_good += convinces
                poor += 1 - good
            code = genuine_good * width + poor
        moments += max(several, 1)
        after = before * scale[code] + offset[code]
        belief[customer] = after
        believers += np.int64(after >= BELIEF) - believed
        draw += 1 + several
        position = customer
        gap += 1
    counts[0] += moments
    counts[1] += good_moments
    counts[2] += believers
    if done:
        for slot in range(staff):
            for column in range(3):
                per_employee[column, employee_of[slot]] += tally[slot, column]
    return gap, draw, position, done


@inline
def _moment(x, edge, genuine, believed, tally):
    """One moment of truth, ``x`` = its uniform times the staff: the slot that serves, good or not (without
    a branch), convincing or not; counted in the slot's tally."""
    slot = min(np.int64(x), edge.size - 1)
    good = np.int64(x < edge[slot])
    convinces = good & genuine[slot]
    tally[slot, SERVED] += 1
    tally[slot, PRESSED] += believed
    tally[slot, CONVINCED] += convinces
    return good, convinces


def _belief_update_tables(width: int, openness: float, disappointment: float) -> tuple[np.ndarray, np.ndarray]:
    """``after = before * scale[code] + offset[code]`` for a visitor with ``g`` genuine good moments
    and ``p`` poor ones, ``code = g * width + p``.

    Genuine good moments act first, then poor ones: ``1 - (1 - before)(1 - openness)^g``
    times ``(1 - disappointment)^p``; scripted good moments change nothing.
    """
    genuine, poor = np.divmod(np.arange(width * width), width)
    kept = (1 - openness) ** genuine
    fading = (1 - disappointment) ** poor
    return (kept * fading).astype(np.float32), ((1 - kept) * fading).astype(np.float32)


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
