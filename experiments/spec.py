"""Sweep specs: an experiment as data — which runs it is made of, and the seed of each.

A spec is a TOML file::

    # What the sweep shows, in one line (the first comment).
    [sweep]
    scenario = "default"        # built-in scenario or TOML file: the base parameters
    replicates = 4              # runs per point, replicate i with the same seed at every point
    seed = 0                    # root of all seeds
    steps = 52                  # optional, same as [base] steps
    series = ["believers"]      # optional per-week series kept as list columns
    outputs = ["weeks_to_50"]   # optional summary columns to keep (default: all)

    [base]                      # parameters changed from the scenario for every run
    employees = 200

    [vary]                      # a full grid over these (lists or ranges)
    initial_believers = [0.02, 0.05, 0.1]
    customer_feedback = { from = 0.0, to = 2.0, num = 5 }    # or step = 0.5; log = true

    [sample]                    # or instead: a SALib sample
    method = "sobol"            # sobol (Saltelli), latin, morris
    n = 64                      # base sample size (sobol: a power of 2)
    [sample.bounds]
    initial_believers = [0.01, 0.2]

Seeds derive from one root seed with :class:`numpy.random.SeedSequence`
spawn keys, so replicate ``i`` gets the same seed however many replicates,
points or workers there are: the sweep is reproducible bit for bit.

References
----------
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model
output. Computer Physics Communications 181(2), 259–270.
McKay, M. D., Beckman, R. J. & Conover, W. J. (1979). A comparison of three
methods for selecting values of input variables. Technometrics 21(2), 239–245.
Morris, M. D. (1991). Factorial sampling plans for preliminary computational
experiments. Technometrics 33(2), 161–174.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from adoption.arguments import is_file, read_text, shown
from adoption.params import BUILTIN_NETWORKS, SPECS, ParamError, Params, _did_you_mean
from adoption.results import OUTPUTS, SERIES

METHODS = ("sobol", "latin", "morris")
SWEEP_KEYS = ("name", "scenario", "replicates", "seed", "steps", "series", "outputs")
SAMPLE_KEYS = ("method", "n", "bounds", "seed", "second_order", "levels")
RANGE_KEYS = ("from", "to", "num", "step", "log")
MAX_RUNS = 1_000_000  # a sweep's runs; beyond, its own bookkeeping (a task and a row per run) costs gigabytes
MAX_AXIS = 100_000  # values of one grid axis
FOLDER = Path(__file__).parent / "sweeps"  # the built-in specs, found by name from any folder


def replicate_seed(root: int, replicate: int) -> int:
    """The model seed of replicate ``replicate`` under ``root``: a SeedSequence child, as a 63-bit integer.

    Every point (and every strategy) of an experiment uses the same seed for the
    same replicate: common random numbers, so differences come from the
    parameters, not from luck.

    Examples
    --------
    >>> replicate_seed(0, 3) == replicate_seed(0, 3) != replicate_seed(1, 3)
    True
    """
    state = np.random.SeedSequence(root, spawn_key=(replicate,)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


@dataclass
class Spec:
    """A sweep: base parameters, the points to visit, replicates and what to keep.

    ``points`` holds the varied values of each point, in order; run ``index``
    is point ``index // replicates``, replicate ``index % replicates``.

    Examples
    --------
    >>> spec = Spec.from_dict({"sweep": {"replicates": 2}, "vary": {"initial_believers": [0.05, 0.1]}})
    >>> spec.runs, spec.varied, spec.tasks()[3][1]["initial_believers"]
    (4, ['initial_believers'], 0.1)
    """

    base: dict[str, Any]
    varied: list[str]
    points: list[dict[str, Any]]
    replicates: int = 1
    seed: int = 0
    series: list[str] = field(default_factory=list)
    outputs: list[str] | None = None
    method: str = "grid"
    problem: dict[str, Any] | None = None  # SALib problem (sampled specs)
    sample: np.ndarray | None = None  # the SALib sample matrix, one row per point
    options: dict[str, Any] = field(default_factory=dict)  # sampler options (second_order, levels)
    name: str = "sweep"
    description: str = ""

    @property
    def runs(self) -> int:
        return len(self.points) * self.replicates

    def values(self, index: int) -> dict[str, Any]:
        """Full parameter values of run ``index`` (seed included)."""
        point, replicate = divmod(index, self.replicates)
        return {**self.base, **self.points[point], "seed": replicate_seed(self.seed, replicate)}

    def tasks(self, indices=None) -> list[tuple[int, dict[str, Any]]]:
        """``(run index, parameter values)`` for the given runs (default all)."""
        return [(index, self.values(index)) for index in (range(self.runs) if indices is None else indices)]

    @property
    def fingerprint(self) -> str:
        """A hash of everything that decides the rows: resuming checks it is the same sweep."""
        text = json.dumps([self.base, self.points, self.replicates, self.seed, self.series, self.outputs],
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    # ------------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "spec", folder: Path | None = None,
                  parameters: dict[str, Any] | None = None) -> "Spec":
        """A spec from its TOML tables, validated (errors name the table, key, value and what is allowed).

        ``parameters`` replaces the model's parameters (name → default) for a
        spec over another function, e.g. a test function for the analysis.
        """
        _only(data, ("sweep", "base", "vary", "sample"), where)
        sweep = _table(data, "sweep", where)
        _only(sweep, SWEEP_KEYS, f"{where}: [sweep]")
        replicates = _integer(sweep.get("replicates", 1), f"{where}: [sweep] replicates", 1, MAX_RUNS)
        seed = _integer(sweep.get("seed", 0), f"{where}: [sweep] seed", 0, 2**63 - 1)
        if parameters is None:
            base = _scenario(sweep.get("scenario", "default"), where, folder)
        else:
            base = dict(parameters)
        base.update(_table(data, "base", where))
        if "steps" in sweep:
            base["steps"] = sweep["steps"]
        known = SPECS if parameters is None else parameters
        for name in base:
            if name not in known:
                raise ParamError(f"{where}: [base] {name}: unknown parameter{_did_you_mean(name, known)}")
        if parameters is None:
            try:
                base = Params.from_dict(base).to_dict()
            except ParamError as error:
                raise ParamError(f"{where}: [base] {error}") from None
        if "vary" in data and "sample" in data:
            raise ParamError(f"{where}: give either [vary] (a grid) or [sample] (SALib), not both")
        spec = cls(base=base, varied=[], points=[{}], replicates=replicates, seed=seed,
                   name=str(sweep.get("name", "sweep")))
        if "sample" in data:
            spec._sampled(_table(data, "sample", where), where, known, parameters is None)
        elif "vary" in data:
            spec._grid(_table(data, "vary", where), where, known)
        check = parameters is None  # names are checked against the model's own series and outputs
        spec.series = _names(sweep.get("series", []), "series", "series", SERIES, where, check)
        outputs = sweep.get("outputs")
        spec.outputs = None if outputs is None else _names(outputs, "outputs", "output", OUTPUTS, where, check)
        if parameters is None:
            spec._check_points(where)
        return spec

    def _grid(self, vary: dict[str, Any], where: str, known) -> None:
        axes = {}
        for name, values in vary.items():
            if name not in known:
                raise ParamError(f"{where}: [vary] {name}: unknown parameter{_did_you_mean(name, known)}")
            if name == "seed":
                raise ParamError(f"{where}: [vary] seed: seeds come from [sweep] seed and replicates")
            axes[name] = _axis(name, values, f"{where}: [vary] {name}")
        _count(math.prod(len(values) for values in axes.values()) * self.replicates, where)  # before the grid exists
        self.varied = list(axes)
        self.points = [dict(zip(axes, combination)) for combination in itertools.product(*axes.values())]

    def _sampled(self, sample: dict[str, Any], where: str, known, model: bool) -> None:
        _only(sample, SAMPLE_KEYS, f"{where}: [sample]")
        method = sample.get("method")
        if method not in METHODS:
            raise ParamError(f"{where}: [sample] method={method!r}: allowed: {', '.join(METHODS)}")
        n = _integer(sample.get("n"), f"{where}: [sample] n", 2 if method != "latin" else 1, MAX_RUNS)
        if method == "sobol" and n & (n - 1):
            raise ParamError(f"{where}: [sample] n={n}: Sobol sampling needs a power of 2 "
                             f"(e.g. {2 ** math.floor(math.log2(n))} or {2 ** math.ceil(math.log2(n))})")
        bounds = sample.get("bounds")
        if not isinstance(bounds, dict) or not bounds:
            raise ParamError(f"{where}: [sample.bounds]: give each sampled parameter as NAME = [low, high]")
        names, ranges = [], []
        for name, pair in bounds.items():
            label = f"{where}: [sample.bounds] {name}"
            if name not in known:
                raise ParamError(f"{label}: unknown parameter{_did_you_mean(name, known)}")
            if model and SPECS[name].metadata["low"] is None:
                raise ParamError(f"{label}: a choice parameter cannot be sampled; use a grid ([vary]) instead")
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)
                    or not pair[0] < pair[1]):
                raise ParamError(f"{label}={pair!r}: must be [low, high] numbers with low < high")
            if model:
                meta = SPECS[name].metadata
                if pair[0] < meta["low"] or pair[1] > meta["high"]:
                    raise ParamError(f"{label}={pair!r}: outside the allowed {meta['low']} to {meta['high']}")
            names.append(name)
            ranges.append([float(pair[0]), float(pair[1])])
        seed = _integer(sample.get("seed", self.seed), f"{where}: [sample] seed", 0, 2**32 - 1)
        second_order = bool(sample.get("second_order", False))
        levels = _integer(sample.get("levels", 4), f"{where}: [sample] levels", 2)
        rows = {"sobol": n * (2 * len(names) + 2 if second_order else len(names) + 2), "latin": n,
                "morris": n * (len(names) + 1)}[method]
        _count(rows * self.replicates, where)  # before SALib allocates the sample
        problem = {"num_vars": len(names), "names": names, "bounds": ranges}
        matrix = draw(problem, method, n, seed, second_order=second_order, levels=levels)
        integer = [model and SPECS[name].metadata["integer"] for name in names]
        self.method, self.problem, self.sample, self.varied = method, problem, matrix, names
        self.options = {"n": n, "seed": seed, "second_order": second_order, "levels": levels}
        self.points = [{name: (int(round(value)) if whole else float(value))
                        for name, value, whole in zip(names, row, integer)} for row in matrix]

    def _check_points(self, where: str) -> None:
        """Validate every distinct varied value once (cheap even for big samples), and read each
        network or organisation file once, so that a bad file stops the sweep before any run."""
        from adoption.cost import available_memory, network_file_memory
        from adoption.networks import read

        for name in self.varied:
            distinct = {repr(point[name]): point[name] for point in self.points}
            for value in distinct.values():
                try:
                    Params.from_dict({**self.base, name: value})
                except ParamError as error:
                    raise ParamError(f"{where}: {error}") from None
        networks = {point.get("network", self.base["network"]) for point in self.points}
        for network in sorted(networks - set(BUILTIN_NETWORKS)):
            if network_file_memory(network) > available_memory():
                continue  # too big to read: the command's cost check refuses it (or --force reads it later)
            try:
                read(network)
            except ParamError as error:
                raise ParamError(f"{where}: {error}") from None


def draw(problem: dict[str, Any], method: str, n: int, seed: int, *, second_order: bool = False,
         levels: int = 4) -> np.ndarray:
    """The SALib sample for ``method``: Saltelli/Sobol' (``n·(D+2)`` rows, ``n·(2D+2)`` with second
    order), Latin hypercube (``n`` rows) or Morris trajectories (``n·(D+1)`` rows)."""
    import warnings

    from SALib.sample import latin, morris, sobol

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's advice on sample sizes; ours is checked above
        if method == "sobol":
            return sobol.sample(problem, n, calc_second_order=second_order, seed=seed)
        if method == "latin":
            return latin.sample(problem, n, seed=seed)
        return morris.sample(problem, n, num_levels=levels, seed=seed)


def available() -> list[str]:
    """The built-in specs' names (``adoption sweep NAME``)."""
    return sorted(path.stem for path in FOLDER.glob("*.toml"))


def locate(name: str | Path) -> Path:
    """A spec's file: a built-in name (from any folder) or a TOML path."""
    path = FOLDER / f"{name}.toml" if str(name) in available() else Path(name)
    if not is_file(path):
        raise ParamError(f"sweep spec: no built-in spec or file named {shown(name)!r}; "
                         f"built-in: {', '.join(available())}")
    return path


def load(name: str | Path) -> Spec:
    """A spec by built-in name or from its TOML file; errors name the file and the key."""
    path = locate(name)
    text = read_text(path, "sweep spec")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ParamError(f"{shown(path)}: not valid TOML: {error}") from None
    spec = Spec.from_dict(data, where=shown(path), folder=path.parent)
    if spec.name == "sweep":
        spec.name = path.stem
    spec.description = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), "")
    return spec


# --- validation helpers -----------------------------------------------------------
def _scenario(scenario: Any, where: str, folder: Path | None) -> dict[str, Any]:
    from experiments.scenarios import available as available_scenarios, load as load_scenario

    if not isinstance(scenario, str):
        raise ParamError(f"{where}: [sweep] scenario={scenario!r}: must be a scenario name or TOML file")
    if folder is not None and scenario not in available_scenarios() and is_file(folder / scenario):
        scenario = str(folder / scenario)
    try:
        return load_scenario(scenario)
    except ParamError as error:
        raise ParamError(f"{where}: [sweep] {error}") from None


def _table(data: dict, name: str, where: str) -> dict:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise ParamError(f"{where}: {name} must be a table ([{name}])")
    return dict(table)


def _only(table: dict, allowed, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise ParamError(f"{where}: {key}: unknown key{_did_you_mean(key, allowed)}; allowed: {', '.join(allowed)}")


def _integer(value: Any, label: str, low: int, high: int = MAX_RUNS) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ParamError(f"{label}={shown(repr(value))}: must be an integer from {low:,} to {high:,}")
    return value


def _count(runs: int, where: str) -> None:
    """Refuse a sweep of more than MAX_RUNS runs, before its points are made."""
    if runs > MAX_RUNS:
        raise ParamError(f"{where}: {runs:,} runs: more than {MAX_RUNS:,}; fewer points or replicates")


def _axis(name: str, values: Any, label: str) -> list:
    """The values of one grid axis: a list, or a range table {from, to, num | step, log}."""
    if isinstance(values, list):
        if not values:
            raise ParamError(f"{label}=[]: give at least one value")
        if len(values) > MAX_AXIS:
            raise ParamError(f"{label}: {len(values):,} values; at most {MAX_AXIS:,}")
        return values
    if not isinstance(values, dict):
        return [values]
    _only(values, RANGE_KEYS, label)
    start, stop = values.get("from"), values.get("to")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (start, stop)):
        raise ParamError(f"{label}: a range needs finite numbers from = LOW, to = HIGH (and num = N or step = S)")
    if stop < start:
        raise ParamError(f"{label}: from={start} is above to={stop}")
    if ("num" in values) == ("step" in values):
        raise ParamError(f"{label}: give exactly one of num (how many values) or step (the spacing)")
    if "num" in values:
        num = _integer(values["num"], f"{label} num", 1, MAX_AXIS)
        if values.get("log"):
            if start <= 0:
                raise ParamError(f"{label}: a log range needs from > 0, got {start}")
            grid = np.geomspace(start, stop, num)
        else:
            grid = np.linspace(start, stop, num)
    else:
        step = values["step"]
        if not isinstance(step, (int, float)) or isinstance(step, bool) or not math.isfinite(step) or step <= 0:
            raise ParamError(f"{label}: step={shown(repr(step))}: must be a finite number > 0")
        count = (stop - start) / step + 1
        if count > MAX_AXIS:
            raise ParamError(f"{label}: step={step} gives {count:,.0f} values; at most {MAX_AXIS:,}")
        count = int(math.floor(count - 1 + 1e-9)) + 1
        grid = start + step * np.arange(count)
    if SPECS.get(name) is not None and SPECS[name].metadata["integer"]:
        return sorted({int(round(v)) for v in grid})
    return [round(float(v), 12) for v in grid]


def _names(names: Any, key: str, what: str, allowed, where: str, check: bool) -> list[str]:
    """A ``[sweep]`` list of series or output names, each checked against what the model records."""
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ParamError(f"{where}: [sweep] {key}={names!r}: must be a list of {what} names")
    for name in names if check else ():
        if name not in allowed:
            raise ParamError(f"{where}: [sweep] {key}: {name}: unknown {what}{_did_you_mean(name, allowed)}; "
                             f"allowed: {', '.join(allowed)}")
    return names
