"""The binary naming game with a committed minority (Xie et al. 2011)."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, voices

# an employee's vocabulary: B (the old way), AB (undecided, knows both), A (the value)
OLD, UNDECIDED, VALUE = 0, 1, 2


class NamingGame(Rule):
    """Speakers voice an opinion, listeners adopt it on agreement; a committed minority never wavers.

    Each employee holds A (the value), B (the old way) or both (AB, undecided);
    the rule keeps these vocabularies itself and reports conviction 1 for A,
    0 otherwise (only A counts as believing). In one exchange a
    speaker voices A or B (an AB speaker picks one at random) to a colleague. If
    the listener already holds that word both agree and keep only it;
    otherwise the listener adds it to their vocabulary (B → AB, A → AB). The
    committed employees (a ``committed`` share of the initial believers) hold A
    and never change. Xie et al. (2011) found that when the committed share of
    the population exceeds p_c ≈ 0.098 the whole population comes to A in a
    time growing only as ln N; below it the old way holds for a time
    exponential in N.

    A week is N exchanges (N employees: the paper's unit of time), one after
    another as in the paper: a speaker picked at random talks to a colleague
    picked at random (:func:`_play_week`, compiled; :func:`play_week_reference`
    states it in plain Python). Before the exchanges, leaders and customers are
    outside voices saying A (and doubt a voice saying B) that an employee may
    hear instead of a colleague, as a listener
    (:func:`adoption.rules.outside.voices`).

    References
    ----------
    Baronchelli, A., Dall'Asta, L., Barrat, A. & Loreto, V. (2007). Nonequilibrium
    phase transition in negotiation dynamics. Phys. Rev. E 76, 051102.
    Xie, J., Sreenivasan, S., Korniss, G., Zhang, W., Lim, C. & Szymanski, B. K. (2011).
    Social consensus through the influence of committed minorities. Phys. Rev. E 84, 011130.
    """

    name = "naming_game"
    parameters = ("committed",)

    def setup(self, model, rng: np.random.Generator) -> None:
        self.vocabulary = np.where(model.state.believes, VALUE, OLD).astype(np.int8)

    def forget(self, leavers: np.ndarray) -> None:
        self.vocabulary[leavers] = OLD  # a hire arrives knowing the old way (or believing: see update)

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        network, n = model.network, model.network.n
        holds = self.vocabulary
        pro, con = voices(pressure, n)
        _play_week(holds, model.state.believes, rng.random(n), rng.random(n), network.indptr, network.indices,
                   network.complete, pro, con, model.state.committed)
        return (holds == VALUE).astype(np.float64)

    @staticmethod
    def _listen(holds: np.ndarray, listeners: np.ndarray, word: int, committed: np.ndarray) -> None:
        """Listener-only exchange with an outside voice saying ``word``."""
        heard = holds[listeners]
        holds[listeners] = np.where((heard == word) | (heard == UNDECIDED), word, UNDECIDED)
        holds[committed] = VALUE


def play_week_reference(holds, believes, outside_draws, draws, colleagues: list, pro, con, committed) -> None:
    """The week of :func:`_play_week` in plain Python: belief changed by others since last week (training,
    believing hires) resets the vocabulary to A if now believing, else B; the committed hold A. Then the
    outside voices, as listeners; then N exchanges, each decided by one uniform: its integer part times N
    is the speaker, the fraction picks the colleague who listens, and what is left of it the word of an
    undecided speaker."""
    n = len(holds)
    changed = believes != (holds == VALUE)
    holds[changed] = np.where(believes[changed], VALUE, OLD)
    holds[committed] = VALUE
    voice = outside_draws * (1 + pro + con)  # colleagues weigh 1 together
    NamingGame._listen(holds, np.flatnonzero(voice < pro), VALUE, committed)
    NamingGame._listen(holds, np.flatnonzero((voice >= pro) & (voice < pro + con)), OLD, committed)
    for draw in draws:
        speaker = min(int(draw * n), n - 1)
        if not colleagues[speaker]:
            continue  # nobody to talk to
        pick = (draw * n - speaker) * len(colleagues[speaker])
        listener = colleagues[speaker][min(int(pick), len(colleagues[speaker]) - 1)]
        coin = pick - min(int(pick), len(colleagues[speaker]) - 1)
        word = holds[speaker] if holds[speaker] != UNDECIDED else (VALUE if coin < 0.5 else OLD)
        if holds[listener] in (word, UNDECIDED):  # agreement: both keep only that word
            holds[[speaker, listener]] = word
        else:  # the listener learns it
            holds[listener] = UNDECIDED
        holds[committed] = VALUE


def _exchanges() -> tuple[np.ndarray, np.ndarray]:
    """The outcome of every exchange, as two tables of the new word of speaker and listener indexed by
    (speaker's, listener's word, coin): the kernel looks them up instead of branching. A fourth word,
    COMMITTED, stands for a committed employee: heard and spoken as A, never changed."""
    speaker_after, listener_after = np.empty(32, dtype=np.int8), np.empty(32, dtype=np.int8)
    for speaker in range(4):
        for listener in range(4):
            for heads in range(2):  # an undecided speaker's coin: 1 says A
                word = VALUE if speaker == COMMITTED else speaker if speaker != UNDECIDED else (VALUE if heads else OLD)
                heard = VALUE if listener == COMMITTED else listener
                agree = heard in (word, UNDECIDED)  # both keep only the word; else the listener learns it
                at = (speaker * 4 + listener) * 2 + heads
                speaker_after[at] = speaker if speaker == COMMITTED or not agree else word
                listener_after[at] = listener if listener == COMMITTED else word if agree else UNDECIDED
    return speaker_after, listener_after


COMMITTED = 3  # in the kernel only: a committed employee's word
SPEAKER_AFTER, LISTENER_AFTER = _exchanges()


@kernel
def _play_week(holds, believes, outside_draws, draws, indptr, indices, complete, pro, con, committed):
    """One naming-game week in place (see :func:`play_week_reference`); on the complete network (no stored
    ties) the colleague is any other employee.

    Committed employees hold the word COMMITTED during the week and each exchange is two lookups in
    tables of outcomes (no branches to mispredict); positions are unsigned (no negative-index checks)."""
    n = holds.size
    speaker_after, listener_after = SPEAKER_AFTER, LISTENER_AFTER
    for who in range(n):
        word = holds[who]
        if believes[who] != (word == VALUE):  # belief changed by others since last week
            word = VALUE if believes[who] else OLD
        value, doubt = pro[who], against(con, who)
        voice = outside_draws[who] * (1 + value + doubt)
        said = VALUE if voice < value else OLD
        if voice < value + doubt:
            word = said if word == said or word == UNDECIDED else UNDECIDED
        holds[who] = COMMITTED if committed[who] else word
    # who talks to whom (and an undecided speaker's coin) depends on the draws alone: all pairs are found
    # first, in a loop whose random reads of the network do not wait for one another, then played in order
    speakers = np.empty(draws.size, dtype=np.uint32)
    heads = np.empty(draws.size, dtype=np.int32)  # 2 × listener + 1 if an undecided speaker says A; -1: nobody
    for exchange in range(draws.size):
        spot = draws[exchange] * n
        speaker = min(np.int64(spot), n - 1)
        speakers[exchange] = speaker
        heads[exchange] = -1
        if complete:
            if n < 2:
                continue
            pick = (spot - speaker) * (n - 1)
            other = min(np.int64(pick), n - 2)
            heads[exchange] = 2 * (other + (other >= speaker)) + (pick - other < 0.5)
        else:
            first = indptr[np.uint64(speaker)]
            degree = indptr[np.uint64(speaker + 1)] - first
            if degree == 0:
                continue
            pick = (spot - speaker) * degree
            slot = min(np.int64(pick), degree - 1)
            heads[exchange] = 2 * indices[np.uint64(first + slot)] + (pick - slot < 0.5)
    for exchange in range(draws.size):
        head = heads[exchange]
        if head < 0:
            continue
        speaker, listener = speakers[exchange], np.uint32(head >> 1)
        at = (holds[speaker] * 4 + holds[listener]) * 2 + (head & 1)
        holds[speaker] = speaker_after[at]
        holds[listener] = listener_after[at]
    for who in range(n):
        if holds[who] == COMMITTED:
            holds[who] = VALUE
