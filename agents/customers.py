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

from agents.employees import BELIEF  # a customer at or above it has come to expect the value
CHUNK = 1 << 16  # travellers handled at once: their work arrays (a few MB) stay in the CPU cache


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

    A week costs O(visitors), never O(customers): only the customers who travel
    that week are drawn, read and written. The work arrays of a week are kept
    between weeks (``_work``), because fresh arrays of a million entries cost
    more in page faults than the arithmetic done on them.
    """

    def __init__(self, count: int, moments_per_week: float, openness: float, disappointment: float):
        self.belief = np.zeros(count, dtype=np.float32)
        self.believers = 0
        self.moments_per_week = moments_per_week
        self.openness = openness
        self.disappointment = disappointment
        self._visit_chance = -math.expm1(-moments_per_week)  # P(at least one moment this week)
        self._moments_cdf = _zero_truncated_poisson_cdf(moments_per_week)
        self._update_width = len(self._moments_cdf) + 1  # a visitor has at most this many moments, plus one
        self._scale, self._offset = _belief_update_tables(self._update_width, openness, disappointment)
        self._outcome_code = np.array([1, 0, self._update_width], dtype=np.intp)  # poor, scripted, genuine
        self._work: dict[str, np.ndarray] = {}

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
        chunks = [chunk.copy() for chunk in self._visitor_chunks(rng)]
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)

    def _visitor_chunks(self, rng: np.random.Generator):
        """This week's travellers in successive chunks of ``CHUNK`` (sorted, distinct), each a view
        into a work array that the next chunk overwrites."""
        n, chance = len(self.belief), self._visit_chance
        if n == 0 or chance <= 0:
            return
        if chance >= 1:
            for start in range(0, n, CHUNK):
                yield np.arange(start, min(start + CHUNK, n))
            return
        dtype, last = _gap_dtype(chance), -1
        while True:
            expected = (n - 1 - last) * chance  # travellers still to come: a small week draws a small chunk
            size = min(CHUNK, int(expected + 6 * math.sqrt(expected) + 16))
            positions = self._geometric_positions(size, chance, dtype, rng, "visitors")
            positions += last + 1
            end = int(np.searchsorted(positions, n))
            if end < len(positions):  # the week's last travellers
                if end:
                    yield positions[:end]
                return
            yield positions
            last = int(positions[-1])

    def _successes(self, trials: int, chance: float, rng: np.random.Generator, into: str) -> np.ndarray:
        """Sorted indices of the successes among ``trials`` Bernoulli(``chance``) trials, in O(successes).

        The gaps between successes are geometric, drawn by inversion:
        ``floor(log(1 - u) / log(1 - chance)) + 1`` for a uniform ``u``.
        """
        if trials == 0 or chance <= 0:
            return np.zeros(0, dtype=np.int64)
        if chance >= 1:
            return np.arange(trials)
        expected = trials * chance
        batch = int(expected + 6 * math.sqrt(expected) + 16)
        positions = self._geometric_positions(batch, chance, _gap_dtype(chance), rng, into)
        while positions[-1] < trials - 1:  # rare: the batch fell short of the end
            more = self._geometric_positions(batch, chance, _gap_dtype(chance), rng, "more") + positions[-1] + 1
            positions = np.concatenate([positions, more])
        return positions[: np.searchsorted(positions, trials)]

    def _geometric_positions(self, size: int, chance: float, dtype, rng: np.random.Generator,
                             into: str) -> np.ndarray:
        """Positions (0-based) of the first ``size`` successes of Bernoulli(``chance``) trials."""
        uniform = rng.random(out=self._buffer(f"uniform {np.dtype(dtype)}", dtype, size), dtype=dtype)
        np.subtract(1, uniform, out=uniform)
        np.log(uniform, out=uniform)
        np.multiply(uniform, 1 / math.log1p(-chance), out=uniform)
        gaps = self._buffer(into, np.int64, size)
        np.copyto(gaps, uniform, casting="unsafe")  # truncation is floor: the values are ≥ 0
        gaps += 1
        np.cumsum(gaps, out=gaps)
        gaps -= 1
        return gaps

    def meet(self, staff: np.ndarray, good_chance: np.ndarray, employees: int,
             rng: np.random.Generator, convincing: np.ndarray | None = None) -> Moments:
        """This week's moments of truth between customers and the ``staff`` who face them.

        ``good_chance[e]`` is the probability that a moment with employee ``e``
        serves the customer well (acting on the value and empowered to resolve).
        Only a good moment with a ``convincing[e]`` employee (one who believes,
        not one who follows a script) moves the customer toward the value;
        a scripted good moment satisfies without convincing. Default: all convince.

        Each visitor has one moment, plus extra ones with the zero-truncated
        Poisson probabilities; each moment is with a uniformly drawn member of
        ``staff`` and is good with that member's ``good_chance``. One uniform
        per moment decides both: its integer part (times the staff size) is
        the server, its fractional part the outcome.
        """
        staff_size = len(staff)
        if staff_size == 0:  # nobody faces the customers: no moments of truth
            return Moments(0, 0, np.zeros(employees), np.zeros(employees), np.zeros(employees))
        # per front-line slot: a moment is good when the fraction of u * staff is below the server's
        # chance, that is when u * staff < server + chance (one comparison against a per-slot edge);
        # a good moment's outcome is 2 (genuine: a believing server) or 1 (scripted)
        edge = np.arange(staff_size) + np.asarray(good_chance, dtype=np.float64)[staff]
        good_value = np.full(staff_size, 2, dtype=np.intp)
        if convincing is not None:
            good_value -= ~np.asarray(convincing, dtype=bool)[staff]
        # the week in chunks of travellers, so that each chunk's work arrays stay in the CPU cache;
        # each chunk's moments are keyed by (outcome, believing customer, front-line slot), and the
        # keys of the whole week are counted at once
        expected = len(self.belief) * self.moments_per_week
        keys = self._buffer("keys", np.intp, int(expected + 6 * math.sqrt(expected)) + CHUNK)
        total = 0
        for visitors in self._visitor_chunks(rng):
            chunk_keys = self._meet_chunk(visitors, edge, good_value, rng)
            if total + len(chunk_keys) > len(keys):  # rare: more moments than expected
                grown = np.empty(2 * len(keys) + len(chunk_keys), dtype=np.intp)
                grown[:total] = keys[:total]
                self._work["keys"] = keys = grown
            keys[total: total + len(chunk_keys)] = chunk_keys
            total += len(chunk_keys)
        tally = np.bincount(keys[:total], minlength=6 * staff_size)
        tally = tally.reshape(6, staff_size)
        served, pressed, convinced = self._per_employee(
            staff, (tally.sum(axis=0), tally[1::2].sum(axis=0), tally[4:].sum(axis=0)), employees)
        return Moments(total, int(tally[2:].sum()), served, pressed, convinced)

    def _meet_chunk(self, visitors: np.ndarray, edge: np.ndarray, good_value: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
        """The moments of truth of some travellers: their belief is updated; returns one key per
        moment, ``(outcome * 2 + believing customer) * staff + slot`` (a view into a work array)."""
        count, staff_size = len(visitors), len(edge)
        # a visitor has more than one moment with chance 1 - one: those few are drawn like the
        # visitors (geometric gaps), then how many more each has (zero-truncated Poisson tail)
        one, cdf = self._moments_cdf[0], self._moments_cdf
        several = self._successes(count, 1 - one, rng, "several")
        extra = np.searchsorted(cdf, one + (1 - one) * rng.random(len(several)), side="right")
        np.minimum(extra, len(cdf) - 1, out=extra)  # a sum rounded up to 1.0 stays within the table
        owner = np.repeat(several, extra)  # the visitor of each extra moment, listed after the first moments
        total = count + len(owner)
        # one uniform per moment: u * staff, whose integer part is the server and fraction the outcome
        draw = rng.random(out=self._buffer("draw", np.float64, total))
        draw *= staff_size
        server = self._buffer("server", np.intp, total)
        np.copyto(server, draw, casting="unsafe")
        np.minimum(server, staff_size - 1, out=server)  # u * staff can round up to staff
        server_edge = np.take(edge, server, out=self._buffer("edge", np.float64, total), mode="clip")  # "raise" buffers
        good = np.less(draw, server_edge, out=self._buffer("good", bool, total))
        # outcome of each moment: 0 poor, 1 good but scripted, 2 good and genuine
        outcome = np.take(good_value, server, out=self._buffer("outcome", np.intp, total), mode="clip")
        outcome *= good
        # what the visitors believed before this week's moments
        before = np.take(self.belief, visitors, out=self._buffer("before", np.float32, count), mode="clip")
        believed = np.greater_equal(before, BELIEF, out=self._buffer("believed", bool, count))
        # one count per (outcome, believing customer, front-line slot): six rows of slot counts
        row = np.left_shift(outcome, 1, out=self._buffer("code", np.intp, total))
        row[:count] += believed
        row[count:] += believed[owner]
        row *= staff_size
        key = np.add(server, row, out=server)
        # each visitor's update depends on (genuine good moments, poor moments): code = genuine * width + poor
        code = np.take(self._outcome_code, outcome, out=self._buffer("code", np.intp, total), mode="clip")
        if len(several):
            np.add.at(code[:count], owner, code[count:])
        code = code[:count]
        factor = np.take(self._scale, code, out=self._buffer("factor", np.float32, count), mode="clip")
        before *= factor
        before += np.take(self._offset, code, out=factor, mode="clip")
        after = before
        self.belief[visitors] = after
        now = np.greater_equal(after, BELIEF, out=self._buffer("now", bool, count))
        self.believers += int(np.count_nonzero(now)) - int(np.count_nonzero(believed))
        return key

    @staticmethod
    def _per_employee(staff: np.ndarray, per_slot: tuple[np.ndarray, ...], employees: int) -> list[np.ndarray]:
        """Per-slot counts as arrays over all employees (summed if ``staff`` lists someone twice)."""
        if len(staff) > 1 and not (staff[1:] > staff[:-1]).all():  # not strictly increasing: repeats possible
            return [np.bincount(staff, weights=counts, minlength=employees).astype(np.float64) for counts in per_slot]
        out = []
        for counts in per_slot:
            array = np.zeros(employees)
            array[staff] = counts
            out.append(array)
        return out

    def _buffer(self, name: str, dtype, size: int) -> np.ndarray:
        """A reusable work array of ``size`` entries (grown by a quarter when short)."""
        array = self._work.get(name)
        if array is None or array.dtype != dtype or len(array) < size:
            self._work[name] = array = np.empty(int(size * 1.25) + 16, dtype=dtype)
        return array[:size]


def _gap_dtype(chance: float):
    """float32 gaps (numpy's float32 log is four times faster) unless they are long enough to need float64."""
    return np.float32 if chance >= 1e-3 else np.float64


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
