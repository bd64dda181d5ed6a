"""Rollout strategies: whom to convince first (the ``seeding`` parameter).

Each strategy is a function ``(model, k, rng) -> indices`` returning ``k``
distinct employees; all strategies seed the same number of initial believers
so they compare fairly. Ties are broken at random with the seeding stream.
"""

from __future__ import annotations

import heapq

import numpy as np

from adoption.params import ParamError
from agents.roles import FRONT_LINE, LEADER, MANAGER

EXACT_BETWEENNESS_MAX = 2_000  # above this, brokers are found from sampled shortest paths
BETWEENNESS_SAMPLES = 200
GREEDY_MAX = 2_000  # greedy runs the model hundreds of times: small organisations only
GREEDY_CANDIDATES = 40  # best-connected employees considered by greedy
GREEDY_REPLICATES = 2  # cheap replicate runs per evaluation


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


def hubs(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """The best-connected employees first (highest degree)."""
    return by_rank(-model.network.degree, k, rng)


def brokers(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """Those who bridge groups first: highest betweenness centrality (Freeman 1977).

    Exact for up to 2,000 employees; above, estimated from 200 sampled sources
    (Brandes & Pich 2007), which ranks the top brokers reliably.
    """
    import networkx as nx  # only this seeding needs it

    graph = model.network.to_networkx()
    samples = None if graph.number_of_nodes() <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLES
    centrality = nx.betweenness_centrality(graph, k=samples, seed=int(rng.integers(2**31)))
    return by_rank(-np.array([centrality[i] for i in range(model.network.n)]), k, rng)


def unit(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """A pilot: one whole unit first (a random one), then further units, until ``k`` are seeded."""
    return _whole_units(model.organisation.unit, np.ones(model.network.n, dtype=bool), k, rng)


def customer_facing_unit(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """A pilot in a customer-facing unit: a unit with front-line staff, whole, then more such units."""
    org = model.organisation
    facing = np.bincount(org.unit, weights=org.role == FRONT_LINE, minlength=org.units) > 0
    return _whole_units(org.unit, facing[org.unit], k, rng)


def _whole_units(unit_of: np.ndarray, eligible: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Employees of whole units in a random unit order (eligible units first), the last unit cut to fit."""
    units = np.unique(unit_of)
    unit_rank = np.empty(units.max() + 1)
    unit_rank[units] = rng.permutation(len(units))
    unit_rank[np.unique(unit_of[eligible])] -= len(units)  # eligible units come first
    return np.lexsort((rng.random(len(unit_of)), unit_rank[unit_of]))[:k]


def cluster(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """A connected pilot group: grown from one random person through their ties, breadth first
    (colleagues, then colleagues' colleagues, each ring in random order) until ``k`` are in.

    When the person's part of the network is used up, growth restarts from
    another random person. On a complete network any ``k`` people are connected.
    """
    net, n = model.network, model.network.n
    if net.complete:
        return rng.choice(n, size=k, replace=False)
    chosen = np.zeros(n, dtype=bool)
    picked: list[np.ndarray] = []
    count = 0
    while count < k:
        frontier = np.array([rng.choice(np.flatnonzero(~chosen))])
        while len(frontier) and count < k:
            frontier = rng.permutation(frontier)[: k - count]
            chosen[frontier] = True
            picked.append(frontier)
            count += len(frontier)
            degree = net.degree[frontier]
            starts = np.repeat(net.indptr[frontier] - np.cumsum(degree) + degree, degree)
            neighbours = net.indices[starts + np.arange(len(starts))]
            frontier = np.unique(neighbours[~chosen[neighbours]])
    return np.concatenate(picked) if picked else np.zeros(0, dtype=np.int64)


def file(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """Exactly the people whom the people file marks ``believes`` (or ``committed``); ``k`` is not used."""
    given = model.network.attributes
    if "believes" not in given and "committed" not in given:
        raise ParamError("seeding=file: the organisation has no `believes` column; add one to the people file "
                         "(true/false) or choose another seeding")
    believes = given.get("believes", np.zeros(model.network.n, dtype=bool))
    return np.flatnonzero(believes | given.get("committed", False))


def greedy(model, k: int, rng: np.random.Generator) -> np.ndarray:
    """Influence maximisation on the model's own dynamics (Kempe, Kleinberg & Tardos 2003), with
    CELF lazy evaluation (Leskovec et al. 2007).

    Adds, one at a time, the candidate whose addition most raises the mean
    believer share summed over the run (faster majority scores higher), from
    a few cheap replicate runs that share this model's organisation and
    thresholds but draw their own customers. Candidates are the 40
    best-connected employees. An oracle: it knows who is persuadable, so it is
    the benchmark the practical strategies are measured against.
    """
    n = model.network.n
    if n > GREEDY_MAX:
        raise ParamError(f"seeding=greedy: at most {GREEDY_MAX} employees (got employees={n}); "
                         "use hubs or brokers for larger organisations")
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    candidates = hubs(model, min(n, max(GREEDY_CANDIDATES, k)), rng)
    replicate_seeds = rng.integers(2**63, size=GREEDY_REPLICATES)

    def value(chosen: list[int]) -> float:
        from adoption.model import Model

        total = 0.0
        for seed in replicate_seeds:
            trial = Model(model.params.replace(seeding="random"), believers=np.array(chosen, dtype=np.int64),
                          replicate=int(seed))
            total += sum(trial.run().series["believers"])
        return total / len(replicate_seeds)

    chosen: list[int] = []
    current = value(chosen)
    # CELF: gains only shrink as the set grows, so a stale gain is an upper bound
    queue = [(-(value([int(c)]) - current), 0, int(c)) for c in candidates]
    heapq.heapify(queue)
    while len(chosen) < k and queue:
        gain, stamp, candidate = heapq.heappop(queue)
        if stamp == len(chosen):
            chosen.append(candidate)
            current -= gain
        else:
            heapq.heappush(queue, (-(value(chosen + [candidate]) - current), len(chosen), candidate))
    if len(chosen) < k:  # fewer candidates than seeds: fill with the next best-connected
        rest = [i for i in hubs(model, n, rng) if i not in set(chosen)]
        chosen += rest[: k - len(chosen)]
    return np.array(chosen, dtype=np.int64)


def by_rank(rank: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """The ``k`` employees of lowest rank, ties in random order."""
    return np.lexsort((rng.random(len(rank)), rank))[:k]


SEEDINGS = {"random": random, "leaders": leaders, "frontline": frontline, "hubs": hubs, "brokers": brokers,
            "unit": unit, "customer_facing_unit": customer_facing_unit, "greedy": greedy, "cluster": cluster,
            "file": file}
