"""The binary naming game with a committed minority (Xie et al. 2011)."""

from __future__ import annotations

import numpy as np

from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import outside_voices

# an employee's vocabulary: B (the old way), AB (undecided, knows both), A (the value)
OLD, UNDECIDED, VALUE = 0, 1, 2
MAX_ROUNDS = 50  # rounds of disjoint pairs per week (about 3 gather N exchanges on most networks)


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

    A week is at least N exchanges (N employees: the paper's unit of time), run
    as rounds of disjoint speaker–listener pairs so that the rounds vectorise:
    every employee speaks to a random colleague and pairs that share a person
    are dropped for that round. Before the rounds, leaders and customers are
    outside voices saying A (and doubt a voice saying B) that an employee may
    hear instead of a colleague, as a listener
    (:func:`adoption.rules.outside.outside_voices`).

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
        for_value, against = outside_voices(pressure, rng)
        self._listen(holds, np.flatnonzero(for_value), VALUE, committed)
        self._listen(holds, np.flatnonzero(against), OLD, committed)
        exchanges = 0
        for _ in range(MAX_ROUNDS):  # bounded: a network with few ties never gathers N exchanges
            if exchanges >= n:
                break
            speakers = rng.permutation(n)
            listeners = network.random_neighbour(speakers, rng)
            speakers, listeners = disjoint_pairs(speakers, listeners, n)
            exchanges += len(speakers)
            said = holds[speakers]
            torn = said == UNDECIDED
            said[torn] = np.where(rng.random(int(torn.sum())) < 0.5, VALUE, OLD)
            heard = holds[listeners]
            agree = (heard == said) | (heard == UNDECIDED)
            holds[speakers[agree]] = said[agree]
            holds[listeners[agree]] = said[agree]
            holds[listeners[~agree]] = UNDECIDED
            holds[committed] = VALUE
        return (holds == VALUE).astype(np.float64)

    @staticmethod
    def _listen(holds: np.ndarray, listeners: np.ndarray, word: int, committed: np.ndarray) -> None:
        """Listener-only exchange with an outside voice saying ``word``."""
        heard = holds[listeners]
        holds[listeners] = np.where((heard == word) | (heard == UNDECIDED), word, UNDECIDED)
        holds[committed] = VALUE


def disjoint_pairs(speakers: np.ndarray, listeners: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The speaker–listener pairs, in order, that share no person with an earlier pair.

    ``speakers`` is a permutation (each person speaks once); a pair is kept when
    it is the first, in that order, to involve either of its two people.
    """
    order = np.arange(len(speakers))
    first = np.full(n, len(speakers))
    first[speakers] = order
    np.minimum.at(first, listeners, order)
    keep = (first[speakers] == order) & (first[listeners] == order) & (speakers != listeners)
    return speakers[keep], listeners[keep]
