"""Organisation networks: builders and file import, all to one CSR adjacency.

Large graphs are built directly in numpy (networkx object graphs cost seconds
at 200k nodes); networkx is used for the karate club, Barabási–Albert graphs
and reading users' files. Every builder takes its random stream explicitly.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse

from adoption.compiled import inline, kernel
from adoption.params import ParamError, Params

NUMPY_FROM = 5_000  # scale_free: numpy builder from this many employees, networkx below
COMPLETE_MAX = 20_000  # the complete graph is implicit, but O(n) random partners still need n of a sane size


@dataclass
class Network:
    """An undirected graph on employees ``0..n-1`` as CSR arrays.

    ``complete`` graphs store no edges: neighbour sums are computed from totals.
    ``attributes`` holds per-person arrays when the source had them (``role``,
    ``unit``, ``customer_facing``, ``threshold``, ``believes``, ``committed``, ``ids``; see
    :mod:`adoption.organisations`). ``weights`` (aligned with ``indices``) makes peer
    pressure a weighted share of colleagues; None means every tie counts the same.
    """

    n: int
    indptr: np.ndarray
    indices: np.ndarray
    complete: bool = False
    attributes: dict[str, np.ndarray] = field(default_factory=dict)
    weights: np.ndarray | None = None

    @cached_property
    def degree(self) -> np.ndarray:
        """Ties per node (computed once: the network does not change during a run)."""
        if self.complete:
            return np.full(self.n, self.n - 1, dtype=np.int64)
        return np.diff(self.indptr)

    @cached_property
    def _degree_at_least_one(self) -> np.ndarray:
        return np.maximum(self.degree, 1)

    @cached_property
    def strength(self) -> np.ndarray:
        """Sum of tie weights per node (the degree when ties are unweighted)."""
        if self.weights is None:
            return self.degree.astype(np.float64)
        return np.bincount(np.repeat(np.arange(self.n), self.degree), weights=self.weights, minlength=self.n)

    @property
    def edges(self) -> int:
        return int(self.degree.sum()) // 2

    @cached_property
    def adjacency(self) -> scipy.sparse.csr_array:
        """The CSR arrays as a sparse matrix, for fast neighbour sums."""
        weights = np.ones(len(self.indices), dtype=np.float64) if self.weights is None else self.weights
        return scipy.sparse.csr_array((weights, self.indices, self.indptr), shape=(self.n, self.n))

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each node's neighbours (vectorised).

        For true/false flags (believes) the counts are kept between calls and
        updated only around the nodes whose flag changed: a week changes a few
        hundred employees, not a million.
        """
        values = np.asarray(values)
        if values.dtype == bool and not self.complete:
            return self._flagged_neighbours(values).copy()
        values = values.astype(np.float64, copy=False)
        if self.complete:
            return values.sum() - values
        return self.adjacency @ values

    def _flagged_neighbours(self, flags: np.ndarray) -> np.ndarray:
        """Flagged neighbours per node, updated from the last call's counts (exact integers in float64).
        The array is the network's own, updated in place by the next call: callers copy or divide it."""
        last = self.__dict__.get("_flag_counts")
        if last is None:
            self.__dict__["_flag_counts"] = last = (flags.copy(), self.adjacency @ flags.astype(np.float64))
        else:
            _recount(flags, *last, self.indptr, self.indices, _NO_WEIGHTS if self.weights is None else self.weights)
        return last[1]

    def counting(self, flags: np.ndarray) -> tuple[np.ndarray, ...]:
        """For a kernel that brings the flagged-neighbour counts up to ``flags`` itself (:func:`recounted`)
        and reads each node's share of them (:func:`share_of`), as :meth:`neighbour_share` would: the kept
        flags and counts (counted afresh if there are none), ``indptr``, ``indices``, the tie weights (empty:
        every tie counts one) and each node's share denominator. Not for complete graphs (no ties stored)."""
        if "_flag_counts" not in self.__dict__:
            self._flagged_neighbours(flags)
        last, counts = self.__dict__["_flag_counts"]
        if self.weights is None:
            return last, counts, self.indptr, self.indices, _NO_WEIGHTS, self._degree_at_least_one
        return last, counts, self.indptr, self.indices, self.weights, self.strength

    def neighbour_count(self, flags: np.ndarray) -> np.ndarray:
        """How many of each node's neighbours are flagged, every tie counted once whatever its weight
        (the literature rules count colleagues, as in their papers)."""
        if self.weights is None:
            return self.neighbour_sum(flags)
        unweighted = self.__dict__.get("_unweighted")
        if unweighted is None:
            unweighted = self.__dict__["_unweighted"] = Network(self.n, self.indptr, self.indices)
        return unweighted.neighbour_sum(flags)

    def neighbour_share(self, flags: np.ndarray) -> np.ndarray:
        """Share of each node's neighbours for which ``flags`` is true (0 for isolated nodes), each
        neighbour counted with the weight of the tie."""
        flags = np.asarray(flags)
        counts = self._flagged_neighbours(flags) if flags.dtype == bool and not self.complete else \
            self.neighbour_sum(flags)
        if self.weights is None:
            return counts / self._degree_at_least_one
        strength = self.strength
        return np.divide(counts, strength, out=np.zeros(self.n), where=strength > 0)

    def to_networkx(self) -> nx.Graph:
        """The graph as networkx (for drawing and analysis of small organisations)."""
        if self.complete:
            return nx.complete_graph(self.n)
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        src = np.repeat(np.arange(self.n), self.degree)
        keep = src < self.indices
        graph.add_edges_from(zip(src[keep].tolist(), self.indices[keep].tolist()))
        return graph


_NO_WEIGHTS = np.zeros(0)  # every tie counts one


@kernel
def _recount(flags, last, counts, indptr, indices, weights):
    """``counts`` (flagged neighbours of ``last``) brought up to ``flags``, ``last`` too: each node whose
    flag changed adds or takes back its ties (weights, if any), in node and tie order. When the changed
    ties are many, a fresh count over every tie (in the same order as a sparse product) is cheaper:
    scattered updates cost about five times a tie read in order."""
    recounted(flags, last, counts, indptr, indices, weights)


@inline
def share_of(node, counts, denominator):
    """A node's share of flagged neighbours, as :meth:`Network.neighbour_share` divides (0 without ties)."""
    return counts[node] / denominator[node] if denominator[node] > 0 else 0.0


@inline
def recounted(flags, last, counts, indptr, indices, weights):
    """The body of :func:`_recount`, for kernels that fold the count into a larger pass."""
    changed, count, changed_ties = np.empty(flags.size, dtype=np.int64), 0, 0
    for node in range(flags.size):  # without a branch: most nodes keep their flag
        flip = np.int64(flags[node] != last[node])
        changed[count] = node
        count += flip
        changed_ties += flip * (indptr[node + 1] - indptr[node])
    weighted = weights.size > 0
    if 5 * changed_ties > indices.size:
        for node in range(flags.size):
            total = 0.0
            for tie in range(indptr[node], indptr[node + 1]):
                if flags[indices[tie]]:
                    total += weights[tie] if weighted else 1.0
            counts[node] = total
            last[node] = flags[node]
    else:
        for node in changed[:count]:
            sign = 1.0 if flags[node] else -1.0
            for tie in range(indptr[node], indptr[node + 1]):
                counts[indices[tie]] += sign * weights[tie] if weighted else sign
            last[node] = flags[node]


def from_edges(n: int, src: np.ndarray, dst: np.ndarray, attributes=None, weights=None) -> Network:
    """CSR network from an edge list: symmetrised, without self-loops or repeated ties.

    With ``weights``, a pair tied several times (a reporting line that is also a
    unit tie) carries the sum of its ties' weights.
    """
    # contiguous: one compiled signature for every builder (scale_free passes a strided view)
    src, dst = np.ascontiguousarray(src, dtype=np.int64), np.ascontiguousarray(dst, dtype=np.int64)
    index = np.int32 if n < 2**31 else np.int64  # half the memory traffic of int64 for every real organisation
    if weights is not None:  # scipy sums repeated ties and sorts each row in compiled code
        keep = src != dst
        src, dst = src[keep], dst[keep]
        weights = np.asarray(weights, dtype=np.float64)[keep]
        rows, cols = np.concatenate([src, dst]).astype(index), np.concatenate([dst, src]).astype(index)
        matrix = scipy.sparse.coo_array((np.concatenate([weights, weights]), (rows, cols)), shape=(n, n)).tocsr()
        matrix.sum_duplicates()
        matrix.sort_indices()
        return Network(n, matrix.indptr.astype(np.int64), matrix.indices.astype(index),
                       attributes=attributes or {}, weights=matrix.data)
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices = np.empty(2 * len(src), dtype=index)
    return Network(n, indptr, indices[: _adjacency(src, dst, indptr, indices)].copy(), attributes=attributes or {})


@kernel
def _adjacency(src, dst, indptr, indices):
    """Fill the CSR arrays ``indptr`` (zeros) and ``indices`` (room for both ends of every tie) of the
    undirected graph of ties ``src[k]``–``dst[k]``: each row sorted, self-loops dropped, repeated ties
    kept once; returns how much of ``indices`` is used. A counting sort by row, then each (short) row
    sorted and compacted in place: memory for the ties twice over, where sorting pair codes took six."""
    n = indptr.size - 1
    for tie in range(src.size):
        if src[tie] != dst[tie]:
            indptr[src[tie] + 1] += 1
            indptr[dst[tie] + 1] += 1
    for node in range(n):
        indptr[node + 1] += indptr[node]
    filled = indptr[:-1].copy()
    for tie in range(src.size):
        a, b = src[tie], dst[tie]
        if a != b:
            indices[filled[a]] = b
            filled[a] += 1
            indices[filled[b]] = a
            filled[b] += 1
    used, start = 0, 0
    for node in range(n):
        end = indptr[node + 1]
        if end - start > 16:
            indices[start:end].sort()
        else:  # insertion sort: a typical row is a handful of colleagues
            for slot in range(start + 1, end):
                value, at = indices[slot], slot
                while at > start and indices[at - 1] > value:
                    indices[at] = indices[at - 1]
                    at -= 1
                indices[at] = value
        indptr[node] = used
        last = -1  # no employee
        for slot in range(start, end):
            if indices[slot] != last:
                last = indices[slot]
                indices[used] = last
                used += 1
        start = end
    indptr[n] = used
    return used


def from_networkx(graph: nx.Graph, attributes=None) -> Network:
    """CSR network of a networkx graph (nodes in the graph's order); a ``weight`` edge attribute on
    every edge makes the ties weighted."""
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in graph.edges], dtype=np.int64).reshape(-1, 2)
    weights = [w for _, _, w in graph.edges(data="weight")]
    weighted = len(weights) > 0 and all(isinstance(w, (int, float)) and w > 0 for w in weights)
    return from_edges(len(nodes), pairs[:, 0], pairs[:, 1], attributes, weights if weighted else None)


# --- builders ------------------------------------------------------------------

def org_chart(params: Params, rng: np.random.Generator) -> Network:
    """A hierarchy of units: dense teams, managers tied to their team and to an
    executive, executives tied to each other, and sparse random ties across units.

    Roles and units are laid out in index order (see ``agents.employees.org_structure``).
    """
    from agents.employees import org_structure
    from agents.roles import LEADER, MANAGER

    role, unit = org_structure(params)
    n = params.employees
    executives = np.flatnonzero(role == LEADER)
    managers = np.flatnonzero(role == MANAGER)
    src, dst = [], []
    # executives: top teams of at most unit_size people, each a clique (one team in a small
    # organisation); several teams are joined by one tie per executive to another at random.
    # A single clique of 2% of a 1M-person firm would be 200M ties, dwarfing all the others.
    starts_top = np.arange(0, len(executives), params.unit_size)
    sizes_top = np.minimum(params.unit_size, len(executives) - starts_top)
    for size in np.unique(sizes_top[sizes_top > 1]):
        a, b = _pairs(size)
        first = starts_top[sizes_top == size][:, None]
        src.append(executives[(first + a).ravel()]), dst.append(executives[(first + b).ravel()])
    if len(starts_top) > 1:
        src.append(executives), dst.append(rng.choice(executives, size=len(executives)))
    # each manager reports to one executive
    if len(executives) and len(managers):
        src.append(managers), dst.append(rng.choice(executives, size=len(managers)))
    # everyone in a unit is tied to its manager
    manager_of_unit = np.full(unit.max() + 1, -1)
    manager_of_unit[unit[managers]] = managers
    members = np.flatnonzero((role != LEADER) & (role != MANAGER))
    has_manager = manager_of_unit[unit[members]] >= 0
    src.append(members[has_manager]), dst.append(manager_of_unit[unit[members[has_manager]]])
    hierarchy_ties = sum(len(s) for s in src)
    # dense teams: about three quarters of the remaining ties lie within units
    target = n * params.mean_degree / 2
    team_size = np.bincount(unit)
    starts = np.concatenate([[0], np.cumsum(team_size)[:-1]])
    team_size[0] = 0  # unit 0 is the executives, tied above
    # each unit's manager comes first and is already tied to every member: count the other pairs
    team_pairs = ((team_size - 1) * (team_size - 2) // 2)[team_size > 1].sum()
    p_team = min(1.0, 0.75 * max(target - hierarchy_ties, 0) / max(team_pairs, 1))
    order = np.argsort(unit, kind="stable")
    team_ties = 0
    for size in np.unique(team_size[team_size > 1]):
        # the units of one size a block at a time (draws that stay in the cache, the same numbers as all at
        # once): pairs within each unit, kept with probability p_team
        i, j = _pairs(size)
        firsts = starts[team_size == size]
        units_per_block = max(1, TEAM_DRAWS // len(i))
        for block in range(0, len(firsts), units_per_block):
            first = firsts[block : block + units_per_block]
            ends = np.empty((2, len(first) * len(i)), dtype=np.int64)
            kept, new = _kept_pairs(rng.random((len(first), len(i))), p_team, first, i, j, order, ends)
            src.append(ends[0, :kept]), dst.append(ends[1, :kept])
            team_ties += new
    cross = max(int(round(target - hierarchy_ties - team_ties)), 0)
    src.append(rng.integers(0, n, cross)), dst.append(rng.integers(0, n, cross))
    return from_edges(n, np.concatenate(src), np.concatenate(dst), {"role": role, "unit": unit})


TEAM_DRAWS = 1 << 18  # org_chart: uniforms drawn at a time for team ties (2 MB)


@kernel
def _kept_pairs(draws, p_team, first, i, j, order, ends):
    """The pairs ``(i, j)`` of each unit starting at ``first`` (positions in ``order``) whose draw is below
    ``p_team``, written to ``ends`` (two rows) unit by unit; returns how many were kept and how many of them
    are new ties (``i > 0``: pairs with the manager, ``i = 0``, repeat hierarchy ties)."""
    kept = new = 0
    for unit in range(first.size):
        for pair in range(i.size):
            if draws[unit, pair] < p_team:
                ends[0, kept] = order[first[unit] + i[pair]]
                ends[1, kept] = order[first[unit] + j[pair]]
                kept += 1
                new += i[pair] > 0
    return kept, new


@functools.lru_cache(maxsize=64)
def _pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """The index pairs ``i < j`` of a team of ``size`` (kept: an org chart has few team sizes, and working
    them out costs more than the rest of a 300-person org chart)."""
    pairs = np.triu_indices(size, 1)
    for index in pairs:
        index.flags.writeable = False
    return pairs


def erdos_renyi(params: Params, rng: np.random.Generator) -> Network:
    """Random graph with ``n * mean_degree / 2`` uniformly drawn ties (G(n, m), Erdős & Rényi 1959)."""
    n = params.employees
    m = int(round(n * params.mean_degree / 2))
    # draw a few extra pairs to make up for self-loops and repeats, then keep exactly m distinct ties
    pairs = rng.integers(0, n, size=(int(m * 1.1) + 16, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    pairs.sort(axis=1)
    codes = pairs[:, 0] * n + pairs[:, 1]
    order = np.argsort(codes, kind="stable")
    repeated = np.zeros(len(codes), dtype=bool)
    repeated[1:] = codes[order[1:]] == codes[order[:-1]]
    first = np.sort(order[~repeated])[: min(m, n * (n - 1) // 2)]  # the first draw of each tie, in draw order
    return from_edges(n, pairs[first, 0], pairs[first, 1])


def small_world(params: Params, rng: np.random.Generator) -> Network:
    """Watts–Strogatz (1998): a ring lattice with ``mean_degree`` neighbours, each tie rewired with ``rewiring``."""
    n = params.employees
    half = max(1, min(int(round(params.mean_degree / 2)), (n - 1) // 2))
    src = np.repeat(np.arange(n), half)
    dst = (src + np.tile(np.arange(1, half + 1), n)) % n
    rewire = rng.random(len(src)) < params.rewiring
    dst[rewire] = rng.integers(0, n, rewire.sum())
    return from_edges(n, src, dst)


def scale_free(params: Params, rng: np.random.Generator) -> Network:
    """Barabási–Albert (1999) preferential attachment with ``mean_degree / 2`` ties per newcomer.

    Built in numpy by the edge-list method of Batagelj & Brandes (2005): the far end of a
    newcomer's tie copies a uniformly chosen earlier endpoint slot, which picks a node with
    probability proportional to its degree. The copies are resolved by pointer doubling
    (log-many vectorised rounds), so a million employees take about a second instead of the
    seconds of networkx. Like networkx, the graph grows from a star of ``m + 1`` nodes; a
    newcomer's repeated picks of one node merge into one tie, which thins small graphs, so
    below ``NUMPY_FROM`` employees networkx's exact generator (distinct picks) is used.

    References
    ----------
    Barabási, A.-L., & Albert, R. (1999). Emergence of scaling in random networks. Science 286.
    Batagelj, V., & Brandes, U. (2005). Efficient generation of large random networks. Phys. Rev. E 71.
    """
    n = params.employees
    m = max(1, min(int(round(params.mean_degree / 2)), n - 1))
    if n < NUMPY_FROM:
        return from_networkx(nx.barabasi_albert_graph(n, m, seed=int(rng.integers(2**31))))
    ties = m + m * (n - m - 1)  # the star, then m per newcomer
    ends = np.empty(2 * ties, dtype=np.int64)  # tie t joins ends[2t] and ends[2t + 1]
    ends[0 : 2 * m : 2] = 0
    ends[1 : 2 * m : 2] = np.arange(1, m + 1)
    ends[2 * m :: 2] = np.repeat(np.arange(m + 1, n), m)
    later = np.arange(m, ties)
    pointer = np.arange(2 * ties)
    pointer[2 * m + 1 :: 2] = rng.integers(0, 2 * later)  # a uniformly chosen earlier slot
    copied = np.zeros(2 * ties, dtype=bool)
    copied[2 * m + 1 :: 2] = True
    while copied[pointer].any():  # a copy of a copy: follow it (pointer doubling)
        pointer = pointer[pointer]
    return from_edges(n, ends[0::2], ends[pointer[1::2]])


def complete(params: Params, rng: np.random.Generator) -> Network:
    """Everyone knows everyone: the well-mixed organisation of textbook diffusion models."""
    n = params.employees
    if n > COMPLETE_MAX:
        raise ParamError(f"network=complete: at most {COMPLETE_MAX} employees (got employees={n})")
    return Network(n, np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int32), complete=True)


def karate(params: Params, rng: np.random.Generator) -> Network:
    """Zachary's (1977) karate club: 34 people of a real small organisation, split into two factions."""
    graph = nx.karate_club_graph()
    factions = {"Mr. Hi": 0, "Officer": 1}
    unit = np.array([factions[graph.nodes[v]["club"]] for v in graph.nodes])
    return from_networkx(graph, {"unit": unit, "leaders": np.array([0, 33])})


BUILDERS = {
    "org_chart": org_chart,
    "small_world": small_world,
    "erdos_renyi": erdos_renyi,
    "scale_free": scale_free,
    "complete": complete,
    "karate": karate,
}


def build(params: Params, rng: np.random.Generator, *, people=None, ties=None, network=None) -> Network:
    """The network named by ``params.network``: a built-in generator or a file; with ``params.people``,
    the organisation of the people (and ties) files (:mod:`adoption.organisations`). ``people``/``ties``
    (DataFrames) or ``network`` (a networkx graph) given in memory take the place of files."""
    from adoption import organisations

    if people is not None:
        people = organisations.as_people(people)
        return organisations.build(people, organisations.as_ties(ties, people), params, rng)
    if ties is not None:
        raise ParamError("ties: given without people; pass the people table too")
    if network is not None:
        return from_graph(network, "network (graph)")
    if params.people:
        return organisations.load(params, rng)
    builder = BUILDERS.get(params.network)
    return builder(params, rng) if builder else read(params.network)


# --- files ----------------------------------------------------------------------

READERS = {".graphml": nx.read_graphml, ".gml": nx.read_gml}


def read(path: str) -> Network:
    """A real organisation's network from GraphML, GML or an edge list (any other suffix).

    Node attributes are read as a people file's columns (``role``, ``unit``,
    ``customer_facing``, ``believes``, ``committed``, ``threshold``; see
    :mod:`adoption.organisations`), with the same validation.
    """
    from adoption.arguments import is_file, shown

    file = Path(path)
    if not is_file(file):
        raise ParamError(f"network: file not found: {shown(path)}")
    kind = file.suffix.lstrip(".").upper() if file.suffix.lower() in READERS else "edge list"
    reader = READERS.get(file.suffix.lower(), lambda p: nx.read_edgelist(p, nodetype=str))
    try:
        problem = _graphml_problem(file) if kind == "GRAPHML" else _edge_list_problem(file) if kind == "edge list" \
            else None
        graph = None if problem else nx.Graph(reader(str(file)))
    except Exception as error:  # networkx raises many kinds for malformed files; their text may quote the file
        problem = f"not readable ({type(error).__name__})"
    if problem:
        raise ParamError(f"network: cannot read {shown(path)} as {kind}: {problem}; expected GraphML (.graphml), "
                         f"GML (.gml) or an edge list (two employee ids a line)")
    if graph.number_of_nodes() < 2:
        raise ParamError(f"network: {shown(path)} has {graph.number_of_nodes()} nodes; need at least 2")
    return from_graph(graph, f"network: {shown(path)}")


def _edge_list_problem(file: Path) -> str | None:
    """What makes ``file`` not an edge list, before networkx would quietly skip or misread it
    (a Pajek ``*Vertices 2000000000`` header became two employees)."""
    with open(file, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            words = line.split("#", 1)[0].split()
            if words and words[0].startswith("*"):
                return f"line {number} is a header ({words[0][:20]}), as in Pajek files, not an edge"
            if len(words) == 1:
                return f"line {number} has one id; an edge needs two"
    return None


def _graphml_problem(file: Path) -> str | None:
    """An edge to an id no ``<node>`` declares (networkx would add the employee silently)."""
    import xml.etree.ElementTree as ElementTree

    declared, edges = set(), []
    for _, element in ElementTree.iterparse(file):
        tag = element.tag.rpartition("}")[2]
        if tag == "node":
            declared.add(element.get("id"))
        elif tag == "edge":
            edges.append((element.get("source"), element.get("target")))
    strays = [number for number, ends in enumerate(edges, 1) if not declared.issuperset(ends)]
    if strays:
        return f"{len(strays):,} edge(s) to an id no <node> declares (the first is edge {strays[0]:,})"
    return None


def from_graph(graph, source: str) -> Network:
    """A networkx graph with its node attributes read as a people file's columns."""
    from adoption.organisations import graph_attributes

    if not isinstance(graph, nx.Graph):
        raise ParamError(f"{source}: expected a networkx graph, got {type(graph).__name__}")
    if graph.number_of_nodes() < 2:
        raise ParamError(f"{source}: {graph.number_of_nodes()} nodes; need at least 2")
    graph = nx.Graph(graph)
    nodes = list(graph.nodes)
    return from_networkx(graph, graph_attributes(nodes, [graph.nodes[v] for v in nodes], source))
