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
test checks that the two agree number for number. Large populations are cut
into blocks of ``BLOCK`` customers, each drawing from its own stream, so that
the blocks of a week can run on several threads with the same numbers
whatever the number of threads.
"""

from __future__ import annotations

import functools
import math
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from queue import Empty, SimpleQueue

import numpy as np

from adoption.compiled import inline, kernel, threads
from agents.roles import BELIEF  # a customer at or above it has come to expect the value

# Random numbers come as 64-bit words, one per traveller and one per extra moment: a word's low GAP_BITS
# give the uniform of the gap to the next traveller (as numpy's float32 uniforms: 24 bits), its high
# 40 bits the uniform of a moment (which front-line slot serves, and whether well).
GAP_BITS = 24
MOMENT_BITS = 64 - GAP_BITS
CHUNK = 1 << 17  # words drawn at once: with their logarithms (1.5 MB) they stay in the CPU's cache
BLOCK = 1 << 20  # customers per block: each block has its own stream, so blocks may run on any thread
FIELD = 21  # bits per count in a slot's packed tally: served | pressed << FIELD | convinced << 2 FIELD
FIELD_MAX = (1 << FIELD) - 1  # a count no field may pass between two unpackings


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
        self._moments_cdf, self._scale, self._offset, self._words_per_traveller = _tables(
            moments_per_week, openness, disappointment)
        self._update_width = len(self._moments_cdf) + 1  # a traveller has at most this many moments, plus one
        # the gap to the next traveller is log(m / 2^GAP_BITS) / log(1 - chance) for the word's low bits m
        self._per_log_gap = 1 / math.log1p(-self._visit_chance) if 0 < self._visit_chance < 1 else 0.0
        self._log_offset = -GAP_BITS * math.log(2) * self._per_log_gap
        self._work = threading.local()  # each thread's buffers for a chunk
        self._arrays: dict[str, np.ndarray] = {}  # the week's work arrays
        self._unpacked_midweek = False  # whether a thread unpacked its counts into its tally this week
        self._block_streams: tuple = (None, [])  # the stream the blocks' streams were spawned from, and the blocks

    def __len__(self) -> int:
        return len(self.belief)

    @property
    def believer_share(self) -> float:
        return self.believers / len(self.belief) if len(self.belief) else 0.0

    def _blocks(self, rng: np.random.Generator, keep: bool = True) -> list[tuple[int, int, np.random.Generator]]:
        """(first customer, end, stream) of each block: one block draws from ``rng`` itself; several draw
        from streams spawned from ``rng`` (a fixed number, whatever the machine), kept when ``keep`` so that
        each block's stream goes on from week to week."""
        if len(self.belief) <= BLOCK:
            return [(0, len(self.belief), rng)]
        if not keep or self._block_streams[0] is not rng:
            starts = range(0, len(self.belief), BLOCK)
            blocks = [(start, min(start + BLOCK, len(self.belief)), stream)
                      for start, stream in zip(starts, rng.spawn(len(starts)))]
            if not keep:
                return blocks
            self._block_streams = (rng, blocks)
        return self._block_streams[1]

    def visitors(self, rng: np.random.Generator) -> np.ndarray:
        """Sorted, distinct customers who travel in a week: the gap rule of :meth:`meet`, a word per
        traveller (:meth:`meet` also takes words for second moments, so its travellers differ)."""
        chunks = []
        for start, end, stream in self._blocks(rng, keep=False):  # the week's own streams stay untouched
            position = -1
            while self._visit_chance > 0 and position < end - start - 1:
                words, logs = self._words(end - start - 1 - position, stream)
                steps = np.minimum(logs * self._per_log_gap + self._log_offset, end - start)
                travellers = position + np.cumsum(steps.astype(np.int64) + 1)
                chunks.append(start + travellers[travellers < end - start])
                if len(chunks[-1]) < len(travellers):
                    break
                position = int(chunks[-1][-1]) - start
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)

    def _words(self, customers_left: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Random words for the travellers among the next ``customers_left`` customers (their expected
        number plus a margin, at most ``CHUNK``; at least one traveller's worth), and the float32
        logarithm of each word's low ``GAP_BITS``."""
        expected = customers_left * min(self._visit_chance, 1.0) * self._words_per_traveller
        size = min(CHUNK, max(int(expected + 6 * math.sqrt(expected) + 16), self._update_width + 1))
        words = rng.bit_generator.random_raw(size)
        logs = self._buffer(size)
        if self._visit_chance >= 1:  # everyone travels: gaps of one
            logs[:] = 0
            return words, logs
        _low_bits(words, logs)
        return words, np.log(logs, out=logs)

    def _buffer(self, size: int) -> np.ndarray:
        """The float32 work array for a chunk's logarithms: reused, since fresh arrays of a hundred thousand
        entries cost more in page faults than the arithmetic done on them. One per thread."""
        work = getattr(self._work, "logs", None)
        if work is None or len(work) < size:
            work = self._work.logs = np.empty(max(size, CHUNK), dtype=np.float32)
        return work[:size]

    def meet(self, staff: np.ndarray, good_chance: np.ndarray, employees: int,
             rng: np.random.Generator, convincing: np.ndarray | None = None) -> Moments:
        """This week's moments of truth between customers and the ``staff`` who face them.

        ``good_chance[e]`` is the probability that a moment with employee ``e``
        serves the customer well (acting on the value and empowered to resolve).
        Only a good moment with a ``convincing[e]`` employee (one who believes,
        not one who follows a script) moves the customer toward the value;
        a scripted good moment satisfies without convincing. Default: all convince.

        Each block of customers draws words in chunks, consumed by :func:`_serve`,
        which stops when a chunk runs out; what is left of a chunk then is dropped,
        so the numbers used depend only on the seed. Blocks run on :func:`threads`
        threads; each adds its counts to its thread's tally (integers: the sums do
        not depend on which thread ran which block).
        """
        per_employee = np.zeros((3, employees))  # served, pressed, convinced
        if not len(staff) or self._visit_chance <= 0 or not len(self.belief):
            return Moments(0, 0, *per_employee)
        staff = np.asarray(staff, dtype=np.int64)
        edge = self._work_array("edge", (len(staff),), np.float64)
        _edges(staff, np.asarray(good_chance, dtype=np.float64),
               np.ones(employees, dtype=bool) if convincing is None else np.asarray(convincing, dtype=bool), edge)
        blocks = self._blocks(rng)
        workers = 1 if len(blocks) == 1 else min(len(blocks), threads())
        # per thread and slot: packed counts, and served, pressed, convinced (kept between weeks, cleared when read)
        packed = self._work_array("packed", (workers, len(staff)), np.int64)
        tally = self._work_array("tally", (workers, len(staff), 3), np.int64)
        counts = np.zeros((workers, 3), dtype=np.int64)  # moments, good moments, change in believing customers
        if workers == 1:
            self._serve_blocks(blocks, edge, packed[0], tally[0], counts[0])
        else:
            queue = SimpleQueue()  # blocks go to whichever thread is free (the machine may be busy elsewhere)
            for block in blocks:
                queue.put(block)
            with ThreadPoolExecutor(workers - 1) as pool:  # this thread is the first worker
                others = [pool.submit(self._serve_blocks, _drained(queue), edge, packed[worker], tally[worker],
                                      counts[worker]) for worker in range(1, workers)]
                self._serve_blocks(_drained(queue), edge, packed[0], tally[0], counts[0])
                for other in others:
                    other.result()
        moments, good, believers = (counts[0] if workers == 1 else counts.sum(axis=0)).tolist()
        self.believers += believers
        _to_employees(packed, tally, self._unpacked_midweek, staff, per_employee)
        self._unpacked_midweek = False
        return Moments(moments, good, *per_employee)

    def _work_array(self, name: str, shape: tuple, dtype) -> np.ndarray:
        """A work array kept between weeks (fresh arrays the size of the front line cost page faults every
        week); new ones are zeros."""
        array = self._arrays.get(name)
        if array is None or array.shape != shape:
            array = self._arrays[name] = np.zeros(shape, dtype=dtype)
        return array

    def _serve_blocks(self, blocks: Iterable[tuple], edge: np.ndarray, packed: np.ndarray, tally: np.ndarray,
                      counts: np.ndarray) -> None:
        """One thread's share of a week: its ``blocks``, into its tallies and counts."""
        since_unpacked = 0
        for block in blocks:
            since_unpacked = self._serve_block(block, edge, packed, tally, counts, since_unpacked)

    def _serve_block(self, block: tuple, edge: np.ndarray, packed: np.ndarray, tally: np.ndarray,
                     counts: np.ndarray, since_unpacked: int) -> int:
        """One block's week, chunk by chunk, into a thread's ``packed`` tally (unpacked into ``tally`` before a
        field could overflow: ``since_unpacked`` words ago, returned updated) and ``counts``."""
        start, end, stream = block
        belief, position, done = self.belief[start:end], -1, False
        while not done:
            words, logs = self._words(len(belief) - 1 - position, stream)
            unpack = since_unpacked + len(words) > FIELD_MAX  # each word is at most one moment
            if unpack:  # only ever set here (threads share the flag: none may clear another's)
                self._unpacked_midweek = True
            _, position, done = _serve(belief, words, logs, self._per_log_gap, self._log_offset, position,
                                       self._moments_cdf, edge, self._scale, self._offset, self._update_width,
                                       packed, tally, unpack, counts)
            since_unpacked = len(words) if unpack else since_unpacked + len(words)
        return since_unpacked


def _drained(queue: SimpleQueue) -> Iterator[tuple]:
    """The items of ``queue`` as one thread takes them, until it is empty (other threads take too)."""
    while True:
        try:
            yield queue.get_nowait()
        except Empty:
            return


def serve_reference(belief: np.ndarray, words: np.ndarray, logs: np.ndarray, visit_chance: float,
                    cdf: np.ndarray, good_chance: np.ndarray, genuine: np.ndarray, openness: float,
                    disappointment: float):
    """The moment-of-truth rule, one traveller at a time: the plain statement of :func:`_serve`.

    Each traveller takes the next word: ``logs`` (the float32 log of the word's
    low ``GAP_BITS``, m, where m = 0 counts as 2^GAP_BITS) leads to it by a
    geometric gap (customers travel with ``visit_chance``:
    ``floor(log(m / 2^GAP_BITS) / log(1 - chance)) + 1`` customers on), and the word's high bits
    give a uniform u: below ``cdf[0]`` the traveller has one moment, whose
    uniform is u rescaled; above, u says how many (zero-truncated Poisson) and
    each moment takes the high bits of a word of its own. Updates ``belief``
    and returns per-slot counts (served, pressed, convinced) and the week's
    (moments, good moments, change in believing customers).
    """
    staff = len(good_chance)
    tally, moments, good_moments, believers = np.zeros((3, staff), dtype=np.int64), 0, 0, 0
    per_log_gap = 1 / math.log1p(-visit_chance)
    customer, word = -1, 0
    while word < len(words):
        skip = float(logs[word]) * per_log_gap - GAP_BITS * math.log(2) * per_log_gap
        customer += int(min(skip, len(belief))) + 1
        if customer >= len(belief):
            break
        u = int(words[word]) >> GAP_BITS
        if u * 2.0 ** -MOMENT_BITS < cdf[0]:  # one moment: u itself, rescaled, is that moment's uniform
            uniforms, word = [u * 2.0 ** -MOMENT_BITS / cdf[0]], word + 1
        else:  # several: u says how many, each has a word of its own
            count = min(int(np.searchsorted(cdf, u * 2.0 ** -MOMENT_BITS, side="right")) + 1, len(cdf))
            uniforms = [(int(w) >> GAP_BITS) * 2.0 ** -MOMENT_BITS for w in words[word + 1: word + 1 + count]]
            word += 1 + count
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
def _serve(belief, words, logs, per_log_gap, log_offset, position, cdf, edge, scale, offset, width, packed, tally,
           unpack, counts):
    """The moments of truth of the travellers after customer ``position``, fused in one pass (see
    :func:`serve_reference` for the rule): who travels, how many moments, which slot serves, good or
    poor, the traveller's new belief and the slot's tally (``packed[slot]``: served, pressed and
    convinced in fields of ``FIELD`` bits, first added to ``tally`` when ``unpack``: the caller says
    when a field could overflow). Adds the week's counts to ``counts`` (moments, good
    moments, change in believing customers); returns where it stopped and whether the block is done
    (else its words ran short).

    Most travellers have one moment: they take a short path without a loop. The outcome (good or
    poor) is a coin flip, so it is counted without a branch: a mispredicted branch costs more than
    the arithmetic of a moment."""
    if unpack:
        _unpacked(packed, tally)
    customers, staff, one = belief.size, edge.size, cdf[0]
    per_moment = staff * 2.0 ** -MOMENT_BITS  # a moment's uniform times the staff, from a word's high bits
    per_one = per_moment / one  # the same for a single moment, whose uniform is rescaled by one
    moments = good_moments = believers = 0
    word, done = 0, False
    while word < words.size:
        at = np.uint64(word)  # unsigned indices: no wraparound arithmetic in the loop
        skip = logs[at] * per_log_gap + log_offset
        customer = position + 1 + np.int64(min(skip, customers))
        if customer >= customers:
            done = True
            break
        high = words[at] >> GAP_BITS
        before = belief[np.uint64(customer)]
        believed = np.int64(before >= BELIEF)
        if high * 2.0 ** -MOMENT_BITS < one:  # one moment
            good, convinces = _moment(high * per_one, edge, believed, packed)
            good_moments += good
            code = convinces * width + 1 - good
            several = 0
        else:  # several moments, each with a word of its own
            several, u = 2, high * 2.0 ** -MOMENT_BITS  # how many: the zero-truncated Poisson's cdf, mostly 2
            while several < cdf.size and cdf[several - 1] <= u:
                several += 1
            if word + 1 + several > words.size:
                break
            genuine_good = poor = 0
            for moment in range(several):
                good, convinces = _moment((words[word + 1 + moment] >> GAP_BITS) * per_moment, edge, believed,
                                          packed)
                good_moments += good
                genuine_good += convinces
                poor += 1 - good
            code = genuine_good * width + poor
        moments += max(several, 1)
        after = before * scale[np.uint64(code)] + offset[np.uint64(code)]
        belief[np.uint64(customer)] = after
        believers += np.int64(after >= BELIEF) - believed
        word += 1 + several
        position = customer
    counts[0] += moments
    counts[1] += good_moments
    counts[2] += believers
    return word, position, done


@inline
def _moment(x, edge, believed, packed):
    """One moment of truth, ``x`` = its uniform times the staff: the slot that serves, good or not (without
    a branch), convincing or not (the edge's sign); counted in the slot's packed tally."""
    slot = np.uint64(min(np.int64(x), edge.size - 1))
    limit = edge[slot]
    good = np.int64(x < abs(limit))
    convinces = good & np.int64(limit > 0)
    packed[slot] += 1 + (believed << FIELD) + (convinces << (2 * FIELD))
    return good, convinces


@kernel
def _low_bits(words, out):
    """Each word's low ``GAP_BITS`` m as a float32, m = 0 as 2^GAP_BITS: a uniform of 0 counts as 1, a gap of
    none (a loop the compiler vectorises; numpy's casts are slower)."""
    for at in range(words.size):
        low = np.int32(words[at] & ((1 << GAP_BITS) - 1))
        out[at] = np.float32(low if low else 1 << GAP_BITS)


@kernel
def _edges(staff, good_chance, convincing, edge):
    """A moment's uniform v gives the server slot floor(v * staff) and is good when v * staff < slot + chance:
    one comparison against the slot's edge, whose sign says whether its good moments convince (negative:
    a scripted server's)."""
    for slot in range(staff.size):
        employee = staff[slot]
        edge[slot] = (slot + good_chance[employee]) * (1.0 if convincing[employee] else -1.0)


@kernel
def _to_employees(packed, tally, with_tally, staff, per_employee):
    """The threads' per-slot counts summed into ``per_employee`` (rows served, pressed, convinced; the staff
    are distinct employees): the ``packed`` counts, plus what was unpacked into ``tally`` mid-week if
    ``with_tally``; both cleared for next week."""
    for slot in range(staff.size):
        served = pressed = convinced = 0
        for thread in range(packed.shape[0]):
            value = packed[thread, slot]
            packed[thread, slot] = 0
            served += value & FIELD_MAX
            pressed += (value >> FIELD) & FIELD_MAX
            convinced += value >> (2 * FIELD)
            if with_tally:
                served += tally[thread, slot, 0]
                pressed += tally[thread, slot, 1]
                convinced += tally[thread, slot, 2]
                tally[thread, slot, :] = 0
        employee = staff[slot]
        per_employee[0, employee] = served
        per_employee[1, employee] = pressed
        per_employee[2, employee] = convinced


@inline
def _unpacked(packed, tally):
    """Add each slot's packed counts to ``tally`` (rows: slots; columns served, pressed, convinced), and clear
    them."""
    for slot in range(packed.size):
        value = packed[slot]
        tally[slot, 0] += value & FIELD_MAX
        tally[slot, 1] += (value >> FIELD) & FIELD_MAX
        tally[slot, 2] += value >> (2 * FIELD)
        packed[slot] = 0


@functools.lru_cache(maxsize=64)
def _tables(moments_per_week: float, openness: float, disappointment: float) -> tuple:
    """The tables of a population's week (read-only, shared by populations with the same three parameters:
    a sweep builds thousands): the cdf of a traveller's moments, the belief update, and the words a
    traveller uses on average (one, plus one per moment when it has several)."""
    cdf = _zero_truncated_poisson_cdf(moments_per_week)
    scale, offset = _belief_update_tables(len(cdf) + 1, openness, disappointment)
    several = np.diff(cdf)  # P(k moments), k = 2, 3, ...
    for table in (cdf, scale, offset):
        table.flags.writeable = False
    return cdf, scale, offset, 1 + float(np.dot(np.arange(2, len(several) + 2), several))


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
