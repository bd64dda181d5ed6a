"""The binary naming game with a committed minority (Xie et al. 2011)."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import voices

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
        network, n, believes, committed = model.network, model.network.n, model.state.believes, model.state.committed
        holds = self.vocabulary
        # belief changed by others since last week (training, believing hires): A if now believing, else B
        changed = believes != (holds == VALUE)
        holds[changed] = np.where(believes[changed], VALUE, OLD)
        holds[committed] = VALUE
        pro, con = voices(pressure, n)
        _play_week(holds, rng.random(n), rng.random(n), network.indptr, network.indices, network.complete,
                   pro, con, committed)
        return (holds == VALUE).astype(np.float64)

    @staticmethod
    def _listen(holds: np.ndarray, listeners: np.ndarray, word: int, committed: np.ndarray) -> None:
        """Listener-only exchange with an outside voice saying ``word``."""
        heard = holds[listeners]
        holds[listeners] = np.where((heard == word) | (heard == UNDECIDED), word, UNDECIDED)
        holds[committed] = VALUE


def play_week_reference(holds, outside_draws, draws, colleagues: list, pro, con, committed) -> None:
    """The week of :func:`_play_week` in plain Python: first the outside voices, as listeners; then N
    exchanges, each decided by one uniform: its integer part times N is the speaker, the fraction picks
    the colleague who listens, and what is left of it the word of an undecided speaker."""
    n = len(holds)
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


@kernel
def _play_week(holds, outside_draws, draws, indptr, indices, complete, pro, con, committed):
    """One naming-game week in place (see :func:`play_week_reference`); on the complete network (no stored
    ties) the colleague is any other employee."""
    n = holds.size
    for who in range(n):
        if committed[who]:
            continue
        voice = outside_draws[who] * (1 + pro[who] + con[who])
        if voice < pro[who]:
            word = VALUE
        elif voice < pro[who] + con[who]:
            word = OLD
        else:
            continue
        holds[who] = word if holds[who] == word or holds[who] == UNDECIDED else UNDECIDED
    # who talks to whom (and an undecided speaker's coin) depends on the draws alone: all pairs are found
    # first, in a loop whose random reads of the network do not wait for one another, then played in order
    speakers = np.empty(draws.size, dtype=np.int64)
    listeners = np.full(draws.size, -1, dtype=np.int64)  # -1: the speaker has nobody to talk to
    coins = np.empty(draws.size)
    for exchange in range(draws.size):
        spot = draws[exchange] * n
        speakers[exchange] = speaker = min(np.int64(spot), n - 1)
        if complete:
            if n < 2:
                continue
            pick = (spot - speaker) * (n - 1)
            other = min(np.int64(pick), n - 2)
            listeners[exchange] = other + (other >= speaker)
            coins[exchange] = pick - other
        else:
            degree = indptr[speaker + 1] - indptr[speaker]
            if degree == 0:
                continue
            pick = (spot - speaker) * degree
            slot = min(np.int64(pick), degree - 1)
            listeners[exchange] = indices[indptr[speaker] + slot]
            coins[exchange] = pick - slot
    for exchange in range(draws.size):
        speaker, listener = speakers[exchange], listeners[exchange]
        if listener < 0:
            continue
        word = holds[speaker]
        if word == UNDECIDED:
            word = VALUE if coins[exchange] < 0.5 else OLD
        heard = holds[listener]
        if heard == word or heard == UNDECIDED:
            if not committed[speaker]:
                holds[speaker] = word
            if not committed[listener]:
                holds[listener] = word
        elif not committed[listener]:
            holds[listener] = UNDECIDED
