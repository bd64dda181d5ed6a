"""Calibration: fit chosen parameters to what an organisation observed, as a posterior, not a point.

Likelihood-free Bayesian inference by ABC-SMC (approximate Bayesian computation
with sequential Monte Carlo, Toni et al. 2009; Beaumont et al. 2009) with
pyabc (Schälte et al. 2022). Each particle is a parameter set drawn from the
prior (uniform over a range), then from a kernel around the previous
generation; the model runs at it with fresh luck (a new seed: network,
thresholds and week-to-week chance), and the organisation's survey is *drawn
from the simulated organisation* the way it was drawn from the real one:
``respondents`` people of the group asked at each wave (without replacement,
so a census is exact). The distance between the simulated and the observed
survey is the binomial deviance (G statistic) of the two counts, wave by wave:
it measures a gap in units of survey sampling error, so a wave of 400
respondents weighs more than one of 40, and a 5% gap near 50% less than near
2%. Because the simulated survey carries the same sampling error as the real
one, the ABC posterior tends to the exact posterior of "model + binomial
survey" as the threshold shrinks; a finite threshold leaves it a little wider
(conservative).

Why pyabc: it is maintained, does adaptive ABC-SMC (quantile thresholds,
adaptive kernels), stores every generation in a SQLite history that a killed
run resumes from, and runs on Dask. Its own parallel samplers draw their luck
from fresh entropy, so here a small sampler (:class:`SeededSampler`) seeds
every batch of simulations from ``(seed, generation, batch)`` and keeps the
first accepted particles in batch order: the same seed gives the same
posterior on one core, many cores or a Dask cluster.

References
----------
Toni, T., Welch, D., Strelkowa, N., Ipsen, A. & Stumpf, M. P. H. (2009).
Approximate Bayesian computation scheme for parameter inference and model
selection in dynamical systems. J. R. Soc. Interface 6(31), 187–202.
Beaumont, M. A., Cornuet, J.-M., Marin, J.-M. & Robert, C. P. (2009). Adaptive
approximate Bayesian computation. Biometrika 96(4), 983–990.
Schälte, Y., Klinger, E., Alamoudi, E. & Hasenauer, J. (2022). pyABC:
Efficient and robust easy-to-use approximate Bayesian computation. JOSS 7(74), 4304.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from adoption.params import SPECS, ParamError, Params
from experiments.observations import CUSTOMERS, Observations

INTERVAL = 0.9  # the posterior interval reported per parameter
UNPINNED = 0.75  # a posterior 90% interval this wide relative to the prior's: the data could not pin it down
BATCH = 8  # simulations per seeded batch (fixed: the posterior must not depend on the number of workers)
Progress = Callable[[int, int, int, int], None]  # (generation, accepted, population, simulations)


# --- priors -------------------------------------------------------------------------
@dataclass(frozen=True)
class Prior:
    """A parameter to fit and its uniform prior range."""

    name: str
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def parse_prior(text: str) -> Prior:
    """``NAME`` (the range declared in adoption/params.py) or ``NAME=LOW:HIGH``.

    Examples
    --------
    >>> parse_prior("leader_influence=0:2")
    Prior(name='leader_influence', low=0.0, high=2.0)
    >>> parse_prior("empowerment")
    Prior(name='empowerment', low=0.0, high=1.0)
    >>> parse_prior("leader_influence=2:1")
    Traceback (most recent call last):
    ...
    adoption.params.ParamError: --fit leader_influence=2:1: LOW must be below HIGH
    """
    name, _, bounds = (part.strip() for part in text.partition("="))
    spec = SPECS.get(name)
    if spec is None:
        from adoption.params import _did_you_mean

        raise ParamError(f"--fit {name}: unknown parameter{_did_you_mean(name, SPECS)}; see `adoption params`")
    meta = spec.metadata
    if meta["low"] is None or meta["integer"] or meta["kind"] is not None:
        raise ParamError(f"--fit {name}: only real-valued parameters can be fitted (not {spec.type})")
    if not bounds:
        return Prior(name, float(meta["low"]), float(meta["high"]))
    try:
        low, high = (float(part) for part in bounds.split(":"))
    except ValueError:
        raise ParamError(f"--fit {text}: the range must be LOW:HIGH, e.g. {name}=0:2") from None
    if not low < high:
        raise ParamError(f"--fit {text}: LOW must be below HIGH")
    if low < meta["low"] or high > meta["high"]:
        raise ParamError(f"--fit {text}: must lie within {meta['low']}:{meta['high']} ({meta['unit']})")
    return Prior(name, low, high)


# --- the simulated survey -------------------------------------------------------------
@dataclass(frozen=True)
class SurveyPlan:
    """What survey waves ask of a run, read once from their table: a calibration simulates thousands of
    surveys, and indexing a pandas table (its text columns above all) costs more than a small
    organisation's week."""

    groups: list[tuple[str, str, str]]  # the distinct (source, group_by, group), in order of first appearance
    rows: np.ndarray  # each wave's index into ``groups``
    weeks: np.ndarray  # each wave's week
    respondents: np.ndarray  # each wave's respondents

    @classmethod
    def of(cls, waves: pd.DataFrame | SurveyPlan) -> SurveyPlan:
        """The plan of ``waves`` (an :class:`Observations` table; a plan is returned as it is)."""
        if isinstance(waves, SurveyPlan):
            return waves
        keys = list(zip(*(waves[column].tolist() for column in ("source", "group_by", "group"))))
        groups = list(dict.fromkeys(keys))
        index = {group: g for g, group in enumerate(groups)}
        return cls(groups, np.array([index[key] for key in keys], dtype=np.int64),
                   waves["week"].to_numpy(dtype=np.int64), waves["respondents"].to_numpy(dtype=np.int64))

    @property
    def last_week(self) -> int:
        return int(self.weeks.max())


def group_arcs(params: Params, waves: pd.DataFrame | SurveyPlan, weeks: int) -> tuple[np.ndarray, np.ndarray]:
    """Believing share of each surveyed group in one run, week 0..``weeks``, and each group's size.

    Groups are the distinct ``(source, group_by, group)`` of ``waves`` in order of
    first appearance; staff groups are the whole organisation, a role or a unit.
    """
    from adoption import Model
    from agents.roles import ROLES

    groups = SurveyPlan.of(waves).groups
    model = Model(params if params.steps >= weeks else params.replace(steps=weeks))  # validating costs a run's 20%
    masks, sizes = [], []
    for source, group_by, group in groups:
        if source == CUSTOMERS:
            masks.append(None)
            sizes.append(params.customers)
            continue
        if group_by == "role":
            mask = model.organisation.role == ROLES.index(group)
        elif group_by == "unit":
            mask = unit_names(model) == group
            if not mask.any():
                raise ParamError(f"observations: unit {group} is not a unit of this organisation "
                                 f"(units: {', '.join(sorted(set(unit_names(model)))[:10])}, ...)")
        else:
            mask = np.ones(model.network.n, dtype=bool)
        masks.append(mask)
        sizes.append(int(mask.sum()))
    arcs = np.empty((len(groups), weeks + 1))
    if all(source == CUSTOMERS or (group_by in ("", "role") and size)
           for (source, group_by, _), size in zip(groups, sizes)):
        # every group is in the run's weekly record (the customers, the whole staff, a role): one run
        series = model.run(weeks).series
        for g, (source, group_by, group) in enumerate(groups):
            arcs[g] = series["customers_believing" if source == CUSTOMERS else
                             f"believers_{group}" if group_by == "role" else "believers"][:weeks + 1]
        return arcs, np.asarray(sizes)
    for week in range(weeks + 1):  # units and empty groups: read the organisation week by week
        if week:
            model.step()
        believes = model.state.believes
        for g, mask in enumerate(masks):
            arcs[g, week] = model.customers.believer_share if mask is None else believes[mask].mean() if \
                sizes[g] else math.nan
    return arcs, np.asarray(sizes)


def unit_names(model) -> np.ndarray:
    """Each employee's unit as text: the people file's ``unit`` column, else the unit number."""
    people = model.people
    if people is not None and "unit" in people:
        return people["unit"].astype(str).str.strip().to_numpy()
    return model.organisation.unit.astype(str)


def survey_truth(params: Params, waves: pd.DataFrame | SurveyPlan) -> tuple[np.ndarray, np.ndarray]:
    """The simulated organisation at each wave: believing people of the group and the group's size."""
    plan = SurveyPlan.of(waves)
    arcs, sizes = group_arcs(params, plan, plan.last_week)
    size = sizes[plan.rows]
    believing = np.rint(arcs[plan.rows, plan.weeks] * size).astype(np.int64)
    return believing, size


def draw_survey(believing, size, respondents, rng: np.random.Generator) -> np.ndarray:
    """Agreeing respondents when ``respondents`` of a group of ``size`` with ``believing`` believers are
    asked: without replacement (hypergeometric; a census gives the exact count), or binomial from the
    share when more people answered than the simulated group has (a model smaller than the real
    organisation).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> draw_survey([30, 0], [100, 100], [100, 40], rng).tolist()
    [30, 0]
    """
    believing, size, respondents = (np.asarray(a, dtype=np.int64) for a in (believing, size, respondents))
    sampled = respondents <= size
    out = np.empty(len(respondents), dtype=np.int64)
    out[sampled] = rng.hypergeometric(believing[sampled], (size - believing)[sampled], respondents[sampled])
    share = believing[~sampled] / np.maximum(size[~sampled], 1)
    out[~sampled] = rng.binomial(respondents[~sampled], share)
    return out


def binomial_deviance(agree, simulated, respondents) -> float:
    """Binomial deviance (G statistic) between two surveys of the same waves: ``agree`` and
    ``simulated`` of ``respondents`` each, summed over waves.

    Per wave with pooled share p = (a + s) / 2n it is
    2 Σ O ln(O / E) over the four cells (agree and not, observed and simulated),
    E = n p or n (1 − p): zero when the two shares are equal, and about χ² with
    one degree of freedom per wave when both surveys come from the same share.

    Examples
    --------
    >>> round(binomial_deviance([3], [7], [10]), 4)  # 4 (3 ln 0.6 + 7 ln 1.4)
    3.2913
    >>> binomial_deviance([5, 0], [5, 0], [10, 10])
    0.0
    """
    agree, simulated, respondents = (np.asarray(a, dtype=float) for a in (agree, simulated, respondents))
    pooled = (agree + simulated) / (2 * respondents)
    cells = [(agree, respondents * pooled), (respondents - agree, respondents * (1 - pooled)),
             (simulated, respondents * pooled), (respondents - simulated, respondents * (1 - pooled))]
    total = 0.0
    for observed, expected in cells:
        positive = observed > 0
        total += float((observed[positive] * np.log(observed[positive] / expected[positive])).sum())
    return 2 * total


@dataclass
class Simulator:
    """The pyabc model: parameters → a simulated survey (``{"agree": counts}``) with fresh luck, and the
    model ``seed`` that drew that luck (an accepted particle is a parameter set *and* a run whose survey
    looked like the real one: a forecast continues that run)."""

    base: dict[str, Any]
    plan: SurveyPlan

    def __call__(self, parameters) -> dict[str, np.ndarray]:
        seed = int(np.random.randint(0, 2**62))  # pyabc's sampler seeds numpy's global stream per batch
        steps = max(self.base["steps"], self.plan.last_week)
        params = Params.from_dict({**self.base, **dict(parameters), "seed": seed, "steps": steps})
        believing, size = survey_truth(params, self.plan)
        agree = draw_survey(believing, size, self.plan.respondents, np.random.default_rng(seed))
        return {"agree": agree, "seed": np.array([seed], dtype=np.int64)}


@dataclass
class SurveyDistance:
    """pyabc distance: the binomial deviance between simulated and observed survey counts."""

    respondents: np.ndarray

    def __call__(self, simulated: dict, observed: dict) -> float:
        return binomial_deviance(observed["agree"], simulated["agree"], self.respondents)


# --- a seeded parallel sampler ---------------------------------------------------------
_SIMULATORS: dict[str, Callable] = {}  # a worker's unpickled simulate functions, by content hash
_GLOBAL_STREAM = threading.Lock()  # pyabc draws from numpy's global stream: one batch at a time per process


def _simulate_batch(payload: bytes, digest: str, entropy: tuple[int, ...], size: int) -> list:
    """``size`` pyabc particles from numpy's global stream seeded by ``entropy`` (one batch; a Dask worker's
    threads take turns, or they would interleave their draws)."""
    import cloudpickle

    with _GLOBAL_STREAM:
        simulate_one = _SIMULATORS.get(digest)
        if simulate_one is None:
            _SIMULATORS.clear()
            simulate_one = _SIMULATORS[digest] = cloudpickle.loads(payload)
        np.random.seed(np.random.SeedSequence(entropy).generate_state(4))
        return [simulate_one() for _ in range(size)]


def _sampler_class():
    from pyabc.sampler import Sampler

    class SeededSampler(Sampler):
        """pyabc sampler whose population depends only on the seed: batch ``b`` of generation ``t`` draws
        from ``(seed, t + 1, b)`` and the population is the first accepted particles in batch order,
        whichever worker finished first. Runs batches in this process, a local process pool, or on a
        Dask client (anything with ``submit``)."""

        def __init__(self, seed: int, executor=None, in_flight: int = 1, progress: Progress | None = None):
            super().__init__()
            self.seed, self.executor, self.in_flight, self.progress = seed, executor, in_flight, progress
            self.last: dict = {}  # the last generation sampled: generation, simulations, accepted, ok

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            import cloudpickle

            payload = cloudpickle.dumps(simulate_one)
            digest = hashlib.sha1(payload).hexdigest()
            batches: dict[int, list] = {}
            pending: dict[Any, int] = {}
            submitted = complete = accepted = evaluated = 0
            while accepted < n and evaluated < max_eval:
                if self.executor is None:
                    batches[submitted] = _simulate_batch(payload, digest, (self.seed, t + 1, submitted), BATCH)
                    submitted += 1
                else:
                    while len(pending) < self.in_flight:
                        with warnings.catch_warnings():  # as in experiments.sweep: fork only without threads
                            warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
                            future = self.executor.submit(_simulate_batch, payload, digest,
                                                          (self.seed, t + 1, submitted), BATCH)
                        pending[future] = submitted
                        submitted += 1
                    for future in _first_completed(list(pending)):
                        batches[pending.pop(future)] = future.result()
                while complete in batches:  # count in batch order only: the answer must not depend on timing
                    accepted += sum(particle.accepted for particle in batches[complete])
                    evaluated += len(batches[complete])
                    complete += 1
                if self.progress:
                    self.progress(t, min(accepted, n), n, evaluated)
            for future in pending:
                future.cancel()
            sample = self._create_empty_sample()
            taken = kept = 0
            for b in range(complete):
                for particle in batches[b]:
                    if kept >= n or taken >= max_eval:
                        break
                    sample.append(particle)
                    taken += 1
                    kept += particle.accepted
            self.nr_evaluations_ = taken
            sample.ok = kept >= n
            self.last = {"generation": int(t), "simulations": int(taken), "accepted": int(kept), "ok": bool(sample.ok)}
            return sample

    return SeededSampler


def _first_completed(futures: list) -> list:
    if type(futures[0]).__module__.startswith("distributed"):
        from distributed import wait
    else:
        from concurrent.futures import wait
    return list(wait(futures, return_when="FIRST_COMPLETED").done)


# --- the fit ----------------------------------------------------------------------------
@dataclass
class Fit:
    """A finished calibration: the base parameters, priors, observations and the weighted posterior.

    ``posterior`` has one column per fitted parameter, the ``seed`` of the
    accepted run and a ``weight`` column (summing to 1): the last ABC-SMC generation.
    """

    folder: Path
    base: Params
    priors: list[Prior]
    observations: Observations
    posterior: pd.DataFrame
    generations: list[dict] = field(default_factory=list)
    seed: int = 0
    stopped: dict | None = None  # the generation abandoned below the acceptance floor: its simulations, accepted

    @property
    def names(self) -> list[str]:
        return [prior.name for prior in self.priors]

    def quantile(self, name: str, q: float) -> float:
        from pyabc.weighted_statistics import weighted_quantile

        return float(weighted_quantile(self.posterior[name].to_numpy(), self.posterior["weight"].to_numpy(), alpha=q))

    def summary(self) -> list[dict[str, Any]]:
        """Per parameter: prior range, posterior median and 90% interval, and whether the data pinned it
        down (``pinned``: the posterior 90% interval is narrower than ``UNPINNED`` of the prior's)."""
        rows = []
        tail = (1 - INTERVAL) / 2
        for prior in self.priors:
            low, median, high = (self.quantile(prior.name, q) for q in (tail, 0.5, 1 - tail))
            ratio = (high - low) / (INTERVAL * prior.width)
            rows.append({"parameter": prior.name, "prior_low": prior.low, "prior_high": prior.high,
                         "median": median, "low": low, "high": high, "width_vs_prior": ratio,
                         "pinned": bool(ratio < UNPINNED)})
        return rows

    def draws(self, count: int, seed: int = 0) -> list[tuple[dict[str, float], int]]:
        """``count`` particles drawn from the posterior by weight (seeded: the same every time): each its
        parameter values and the model seed of its accepted run."""
        rng = np.random.default_rng(np.random.SeedSequence([seed, 4049]))
        rows = rng.choice(len(self.posterior), size=count, p=self.posterior["weight"].to_numpy())
        return [({name: float(self.posterior[name].iloc[row]) for name in self.names},
                 int(self.posterior["seed"].iloc[row])) for row in rows]

    def to_text(self) -> str:
        waves = self.observations
        lines = [f"fitted {', '.join(self.names)} to {len(waves)} survey waves (weeks "
                 f"{waves.waves['week'].min()}–{waves.last_week}); {len(self.posterior)} posterior particles "
                 f"after {len(self.generations)} ABC-SMC generations", "",
                 f"{'parameter':<24}{'prior':>14}{'median':>10}{'90% interval':>22}  pinned down?"]
        for row in self.summary():
            prior = f"{row['prior_low']:g}–{row['prior_high']:g}"
            interval = f"[{row['low']:.3g}, {row['high']:.3g}]"
            verdict = "yes" if row["pinned"] else f"no: posterior ≈ prior ({row['width_vs_prior']:.0%} of its width)"
            lines.append(f"{row['parameter']:<24}{prior:>14}{row['median']:>10.3g}{interval:>22}  {verdict}")
        if self.generations:
            lines += ["", f"accepted runs' surveys lie within a binomial deviance of "
                          f"{self.generations[-1]['epsilon']:.1f} of yours; two surveys of the same organisation "
                          f"differ by about {len(waves)} (one per wave), so a threshold near that is as close as "
                          f"sampling error allows"]
        if self.stopped:
            tried, accepted = self.stopped["simulations"], self.stopped["accepted"]
            lines += ["", f"stopped: generation {self.stopped['generation'] + 1} accepted {accepted} of {tried:,} "
                          f"simulations ({accepted / max(tried, 1):.1%}), below the acceptance floor "
                          f"(--min-acceptance); they are not in the posterior"]
        return "\n".join(lines)

    def save(self) -> None:
        """Write posterior.parquet, summary.json and summary.txt (calibration.json is written at the start)."""
        self.posterior.to_parquet(self.folder / "posterior.parquet", index=False)
        (self.folder / "summary.json").write_text(json.dumps(
            {"parameters": self.summary(), "generations": self.generations, "stopped": self.stopped}, indent=2))
        (self.folder / "summary.txt").write_text(self.to_text() + "\n")

    @classmethod
    def load(cls, folder) -> "Fit":
        """A calibration's folder, as written by :func:`calibrate`."""
        folder = Path(folder)
        settings_path, posterior_path = folder / "calibration.json", folder / "posterior.parquet"
        if not settings_path.is_file() or not posterior_path.is_file():
            raise ParamError(f"{folder}: not a finished calibration (no calibration.json and posterior.parquet); "
                             f"run `adoption calibrate ... --out {folder}`")
        settings = json.loads(settings_path.read_text())
        summary = json.loads((folder / "summary.json").read_text()) if (folder / "summary.json").is_file() else {}
        return cls(folder, Params.from_dict(settings["base"]), [Prior(**prior) for prior in settings["priors"]],
                   Observations(pd.read_parquet(folder / "observations.parquet")),
                   pd.read_parquet(posterior_path), summary.get("generations", []), settings["seed"],
                   summary.get("stopped"))

    def predictive(self, draws: int = 60, weeks: int | None = None, seed: int = 0) -> tuple[list, np.ndarray]:
        """Posterior-predictive arcs of each surveyed group with fresh luck (a check of the fit: could the
        fitted model have produced surveys like these?): (groups, array draws × groups × weeks + 1)."""
        from experiments.spec import replicate_seed

        plan = SurveyPlan.of(self.observations.waves)
        weeks = weeks or self.observations.last_week
        arcs = [group_arcs(self.base.replace(**theta, seed=replicate_seed(seed, i)), plan, weeks)[0]
                for i, (theta, _) in enumerate(self.draws(draws, seed))]
        return plan.groups, np.array(arcs)

    def plot(self, path=None, draws: int = 60):
        """The fit: each observed wave with its 95% binomial interval over the posterior-predictive
        50% and 90% bands of the group's believing share."""
        groups, arcs = self.predictive(draws)
        return fit_figure(self.observations, groups, arcs, path)


def calibrate(observations: Observations, base: Params, priors: list[Prior | str], out, *,
              population: int = 100, generations: int = 8, min_acceptance: float = 0.02, seed: int = 0,
              workers: int | None = None, scheduler=None, progress: bool | Progress | None = None,
              figure: bool = True) -> Fit:
    """Fit ``priors``' parameters of ``base`` to ``observations`` by ABC-SMC; write the results to ``out``.

    Parameters
    ----------
    observations : Observations
        Survey waves (see :mod:`experiments.observations`).
    base : Params
        The organisation and every parameter not fitted (a scenario, or people and ties files).
    priors : list of Prior or str
        Parameters to fit with uniform prior ranges (``"name"`` or ``"name=low:high"``).
    out : path
        Folder for the SQLite history (``history.sqlite``: a killed run resumes from its last
        finished generation when called again with the same arguments), ``posterior.parquet``,
        ``summary.json``, ``summary.txt`` and ``fit.png``.
    population : int
        Particles per generation.
    generations : int
        At most this many ABC-SMC generations.
    min_acceptance : float
        Stop when a generation would accept fewer than this share of its simulations (the
        threshold cannot usefully shrink further).
    seed : int
        The same seed gives the same posterior, whatever the workers.
    workers : int, optional
        Local processes (default all cores; 1 runs in this process).
    scheduler : str or dask.distributed.Client, optional
        Run the simulations on a Dask cluster instead.
    progress : bool or callable, optional
        A bar per generation (``True``), nothing, or ``(generation, accepted, population, simulations)``.

    Returns
    -------
    Fit
    """
    import pyabc

    priors = [parse_prior(prior) if isinstance(prior, str) else prior for prior in priors]
    _check_settings(priors, population, generations, min_acceptance, workers)
    # one run at the middle of the priors: an unknown unit or an impossible value fails here, before any work
    survey_truth(base.replace(**{p.name: (p.low + p.high) / 2 for p in priors}), observations.waves)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    settings = {"base": base.to_dict(), "priors": [vars(prior) for prior in priors], "seed": seed,
                "population": population, "observations": observations.waves.to_dict("list")}
    _claim_folder(out, settings)
    observations.waves.to_parquet(out / "observations.parquet", index=False)
    for name in ("pyabc", "ABC"):
        logging.getLogger(name).setLevel(logging.WARNING)
    waves = observations.waves
    base_values = {k: v for k, v in base.to_dict().items() if k not in {prior.name for prior in priors}}
    executor, in_flight = _executor(workers, scheduler)
    report = _progress(progress, generations)
    try:
        sampler = _sampler_class()(seed, executor, in_flight, report)
        abc = pyabc.ABCSMC(
            Simulator(base_values, SurveyPlan.of(waves)),
            pyabc.Distribution(**{p.name: pyabc.RV("uniform", p.low, p.width) for p in priors}),
            SurveyDistance(waves["respondents"].to_numpy()),
            population_size=population, sampler=sampler,
            eps=pyabc.QuantileEpsilon(alpha=0.5),
        )
        database = "sqlite:///" + str((out / "history.sqlite").resolve())
        np.random.seed(np.random.SeedSequence([seed, 0]).generate_state(4))
        if (out / "history.sqlite").is_file() and _done_generations(out) > 0:
            history = abc.load(database, 1)
        else:
            (out / "history.sqlite").unlink(missing_ok=True)
            history = abc.new(database, {"agree": waves["agree"].to_numpy()})
        remaining = generations - (history.max_t + 1)
        if remaining > 0 and not _stopped_early(history, population, min_acceptance):
            history = abc.run(max_nr_populations=remaining, min_acceptance_rate=min_acceptance)
    finally:
        if report is not None and hasattr(report, "close"):
            report.close()
        if scheduler is None and executor is not None:
            executor.shutdown(cancel_futures=True)
        elif scheduler is not None and not _is_client(scheduler):
            executor.close()  # the client we opened; a caller's client stays theirs
    particles = history.get_population(t=history.max_t).particles
    posterior = pd.DataFrame({**{prior.name: [float(p.parameter[prior.name]) for p in particles] for prior in priors},
                              "seed": [int(np.asarray(p.sum_stat["seed"]).ravel()[0]) for p in particles],
                              "weight": [p.weight for p in particles]})
    posterior["weight"] /= posterior["weight"].sum()
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= 0]
    record = [{"generation": int(row.t), "epsilon": float(row.epsilon), "simulations": int(row.samples),
               "acceptance": population / row.samples if row.samples else math.nan}
              for row in populations.itertuples()]
    abandoned = sampler.last if sampler.last and not sampler.last["ok"] else None  # pyabc keeps no record of it
    fit = Fit(out, base, priors, observations, posterior, record, seed,
              abandoned and {key: abandoned[key] for key in ("generation", "simulations", "accepted")})
    fit.save()
    if figure:
        fit.plot(out / "fit.png")
    return fit


def _check_settings(priors, population, generations, min_acceptance, workers) -> None:
    if not priors:
        raise ParamError("calibrate: name at least one parameter to fit, e.g. --fit leader_influence=0:2")
    names = [prior.name for prior in priors]
    if len(set(names)) < len(names):
        raise ParamError(f"calibrate: a parameter is named twice in --fit: {', '.join(names)}")
    for name, value, low in (("population", population, 10), ("generations", generations, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ParamError(f"calibrate: {name}={value!r}: must be an integer ≥ {low}")
    if not 0 < min_acceptance < 1:
        raise ParamError(f"calibrate: min_acceptance={min_acceptance!r}: must be between 0 and 1")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ParamError(f"calibrate: workers={workers!r}: must be an integer ≥ 1")


def _claim_folder(out: Path, settings: dict) -> None:
    """Write the calibration's settings, or check that a resumed folder holds the same calibration."""
    path = out / "calibration.json"
    if path.is_file():
        before = json.loads(path.read_text())
        if json.dumps(before, sort_keys=True) != json.dumps(json.loads(json.dumps(settings)), sort_keys=True):
            changed = [key for key in settings if json.dumps(before.get(key), sort_keys=True)
                       != json.dumps(json.loads(json.dumps(settings[key])), sort_keys=True)]
            raise ParamError(f"{out}: holds a different calibration (its {', '.join(changed)} differ); "
                             f"use another --out folder, or delete this one to start afresh")
        return
    path.write_text(json.dumps(settings, indent=1))


def _done_generations(out: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(out / "history.sqlite") as connection:
            return connection.execute("select count(*) from populations where t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


def _stopped_early(history, population: int, min_acceptance: float) -> bool:
    """A resumed run whose last generation already hit the acceptance floor is finished."""
    populations = history.get_all_populations()
    last = populations[populations["t"] == history.max_t]
    return bool(len(last)) and population / max(int(last["samples"].iloc[0]), 1) < min_acceptance


def _is_client(scheduler) -> bool:
    return type(scheduler).__name__ == "Client"


def _executor(workers: int | None, scheduler):
    """Where batches run: None (this process), a process pool, or a Dask client; and how many batches
    to keep in flight."""
    if scheduler is not None:
        from dask.distributed import Client

        client = scheduler if _is_client(scheduler) else Client(scheduler)
        return client, 2 * max(1, sum(client.nthreads().values()))
    from concurrent.futures import ProcessPoolExecutor

    from experiments.sweep import default_workers, pool_context, worker_start

    workers = default_workers() if workers is None else workers
    if workers == 1:
        return None, 1
    # started as a sweep's workers are (forked in milliseconds where safe)
    return ProcessPoolExecutor(workers, mp_context=pool_context(), initializer=worker_start), 2 * workers


def _progress(progress, generations: int):
    """A tqdm bar per generation with its ETA (on a terminal, not under CI), or the caller's callable."""
    from experiments.sweep import interactive

    if callable(progress):
        return progress
    if progress is False or (progress is None and not interactive()):
        return None
    from tqdm import tqdm

    class Bars:
        def __init__(self):
            self.bar, self.generation, self.started = None, None, time.monotonic()

        def __call__(self, generation, accepted, population, simulations):
            if generation != self.generation:
                self.close()
                label = "prior sample" if generation < 0 else f"generation {generation + 1}/{generations}"
                self.bar = tqdm(total=population, desc=label, unit="particle", leave=False)
                self.generation = generation
            self.bar.n = accepted
            self.bar.set_postfix(simulations=simulations, refresh=False)
            self.bar.refresh()

        def close(self):
            if self.bar is not None:
                self.bar.close()

    return Bars()


# --- the fit figure -------------------------------------------------------------------------
def group_label(group: tuple[str, str, str]) -> str:
    source, group_by, name = group
    who = "customers who expect the value" if source == CUSTOMERS else "staff who believe"
    return f"{who}{f' ({group_by} {name})' if group_by else ''}"


def fit_figure(observations: Observations, groups: list, arcs: np.ndarray, path=None):
    """Observed waves (share with 95% Wilson interval) over the posterior-predictive 50% and 90% bands
    of each group's believing share; one panel per surveyed group."""
    from matplotlib.figure import Figure

    from experiments import palette
    from experiments.plots import _finish

    columns = min(3, len(groups))
    rows = -(-len(groups) // columns)
    figure = Figure(figsize=(max(6.5, 4.6 * columns), 3.6 * rows + 0.4))
    axes = np.atleast_1d(figure.subplots(rows, columns, squeeze=False)).ravel()
    waves = observations.waves
    weeks = np.arange(arcs.shape[2])
    for g, group in enumerate(groups):
        ax = axes[g]
        colour = palette.CUSTOMER if group[0] == CUSTOMERS else palette.BELIEVER
        band = np.quantile(arcs[:, g, :], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0) * 100
        ax.fill_between(weeks, band[0], band[4], color=colour, alpha=0.15, lw=0, label="model: 90% band")
        ax.fill_between(weeks, band[1], band[3], color=colour, alpha=0.3, lw=0, label="model: 50% band")
        ax.plot(weeks, band[2], color=colour, lw=1.5, label="model: median")
        survey_points(ax, waves[(waves["source"] == group[0]) & (waves["group_by"] == group[1])
                                & (waves["group"] == group[2])])
        ax.set(xlabel="week", ylabel="share (%)", ylim=(0, 100), title=group_label(group))
        ax.xaxis.get_major_locator().set_params(integer=True)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    axes[0].legend(fontsize=8, loc="upper left")
    figure.suptitle(f"Fit: surveys over the model's posterior predictive ({arcs.shape[0]} draws, fresh luck)",
                    fontsize=10)
    return _finish(figure, path)


def survey_points(ax, waves) -> None:
    """Survey waves on a chart: the agreeing share (%) with its 95% Wilson interval."""
    from experiments import palette
    from experiments.compare import wilson_interval

    share = waves["agree"] / waves["respondents"] * 100
    bounds = np.array([wilson_interval(int(k), int(n)) for k, n in zip(waves["agree"], waves["respondents"])])
    ax.errorbar(waves["week"], share, yerr=[share - bounds[:, 0] * 100, bounds[:, 1] * 100 - share], fmt="o",
                color=palette.INK, ms=4, capsize=2, label="survey: share, 95% interval")
