"""Voter model: employees, one at a time, take the view of a colleague picked at random."""

from __future__ import annotations

import numpy as np

from adoption.compiled import kernel
from adoption.rules.base import Pressure, Rule
from adoption.rules.outside import against, voices


KEEP, VALUE_VOICE, DOUBT = -1, -2, -3  # what an update copies when it is not a colleague


class Voter(Rule):
    """An employee picked at random copies the belief of one randomly chosen colleague, N times a week.

    The voter model (Clifford & Sudbury 1973; Holley & Liggett 1975) has no
    thresholds and no conviction: opinion is imitation. Updates are
    asynchronous, as in the literature: a week is N single updates (N
    employees), each of a uniformly chosen employee, so each employee
    reconsiders once a week on average. The model then reaches consensus on
    every finite connected network, and on the ``complete`` network the
    organisation ends in consensus on the value with probability equal to the
    initial believer share (the believer share is a martingale). Copying all at
    once instead would let the two sides of a bipartite network (a star, a
    reporting tree, an even ring) swap forever.

    A ``committed`` share of the initial believers are zealots who never copy
    anyone (Mobilia 2003); with ``committed = 0`` the model is the textbook one.
    Leaders and customers are outside voices the employee may heed instead of a
    colleague, and levers' doubt a voice against: colleagues together weigh 1,
    leaders and customers their pressure, doubt its amount
    (:func:`adoption.rules.outside.voices`).

    References
    ----------
    Clifford, P. & Sudbury, A. (1973). A model for spatial conflict. Biometrika 60(3), 581–588.
    Holley, R. A. & Liggett, T. M. (1975). Ergodic theorems for weakly interacting
    infinite systems and the voter model. Annals of Probability 3(4), 643–663.
    Mobilia, M. (2003). Does a single zealot affect an infinite group of voters?
    Phys. Rev. Lett. 91, 028701.
    Sood, V. & Redner, S. (2005). Voter model on heterogeneous graphs. Phys. Rev. Lett. 94, 178701.
    """

    name = "voter"
    parameters = ("committed",)

    def update(self, model, pressure: Pressure, rng: np.random.Generator) -> np.ndarray:
        network, believes = model.network, model.state.believes  # a fresh array: updated in place below
        n = network.n
        pro, con = voices(pressure, n)
        committed = model.state.committed
        _copy_views(believes, rng.random(n), network.indptr, network.indices, network.complete, pro, con,
                    committed)
        return (believes | committed).astype(np.float64)


def copy_views_reference(believes: np.ndarray, draws: np.ndarray, colleagues: list, pro, con, committed) -> None:
    """The voter week in plain Python (the statement of :func:`_copy_views`): N times, one uniform picks an
    employee (its integer part times N) and the voice they heed (its fraction), and they take its view."""
    n = len(believes)
    for draw in draws:
        who = min(int(draw * n), n - 1)
        if committed[who]:
            continue
        doubt = con[who] if len(con) > 1 else con[0]  # one doubt for everyone, or one each
        voice = (draw * n - who) * (1 + pro[who] + doubt)  # colleagues weigh 1 together
        if voice < pro[who]:
            believes[who] = True  # a believing leader or customer
        elif voice < pro[who] + doubt:
            believes[who] = False  # a doubter
        elif colleagues[who]:
            share = voice - pro[who] - doubt  # uniform in [0, 1): which colleague
            believes[who] = believes[colleagues[who][min(int(share * len(colleagues[who])),
                                                         len(colleagues[who]) - 1)]]


@kernel
def _copy_views(believes, draws, indptr, indices, complete, pro, con, committed):
    """One voter week in place, update after update (see :func:`copy_views_reference`); on the complete
    network (no stored ties) the colleague is any other employee.

    Whom each update copies depends on the draws alone, not on anyone's view: all the sources are found
    first, in a loop whose random reads of the network do not wait for one another, then the copies are
    made in order: the same week, faster at 100,000 staff. Unsigned 32-bit positions (employees are
    capped at 10 million) spare the negative-index checks and half the memory of 64-bit ones."""
    n = believes.size
    who = np.empty(draws.size, dtype=np.uint32)
    source = np.empty(draws.size, dtype=np.int32)  # the colleague copied; VALUE_VOICE, DOUBT or KEEP
    for update in range(draws.size):
        spot = draws[update] * n
        person = min(np.int64(spot), n - 1)
        at = np.uint64(person)
        who[update] = at
        copied = KEEP
        if not committed[at]:
            value, doubt = pro[at], against(con, at)
            voice = (spot - person) * (1 + value + doubt)
            if voice < value:
                copied = VALUE_VOICE
            elif voice < value + doubt:
                copied = DOUBT
            else:
                share = voice - value - doubt
                if complete:
                    other = min(np.int64(share * (n - 1)), n - 2)
                    copied = other + (other >= person)
                else:
                    first = indptr[at]
                    degree = indptr[at + np.uint64(1)] - first
                    if degree > 0:
                        copied = indices[np.uint64(first + min(np.int64(share * degree), degree - 1))]
        source[update] = copied
    for update in range(draws.size):
        copied = source[update]
        if copied >= 0:
            believes[who[update]] = believes[np.uint64(copied)]
        elif copied == VALUE_VOICE:
            believes[who[update]] = True
        elif copied == DOUBT:
            believes[who[update]] = False
