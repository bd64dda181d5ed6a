"""Strategy comparison: common random numbers, honest intervals, clear errors."""

import math

import numpy as np
import pytest

from adoption import ParamError, Params, run
from adoption.seeding import SEEDINGS
from experiments.compare import compare, mean_interval, wilson_interval

SMALL = Params(employees=100, customers=600, steps=40)


def test_replicate_i_of_every_strategy_uses_the_same_seed():
    result = compare(SMALL, ["random", "leaders"], replicates=4)
    seeds = {name: [row["seed"] for row in runs.rows] for name, runs in result.strategies.items()}
    assert seeds["random"] == seeds["leaders"] == list(result.seeds)
    assert len(set(result.seeds)) == 4
    assert [row["seeding"] for row in result["leaders"].rows] == ["leaders"] * 4


def test_compare_intervals_shrink_with_replicates():
    """The 95% interval of mean weeks to 20% and 50% narrows like 1/sqrt(n): 8x the runs, ~2.8x narrower."""
    few = compare(SMALL, ["random"], replicates=10)["random"]
    many = compare(SMALL, ["random"], replicates=80)["random"]
    for level in (0.2, 0.5):
        narrow, wide = many.time_to(level), few.time_to(level)
        assert narrow.reached >= 60 and wide.reached >= 8, (narrow, wide)
        ratio = narrow.half_width / wide.half_width
        assert ratio < 0.65, f"level {level}: half-width {wide.half_width:.2f} (10 runs) → {narrow.half_width:.2f} (80)"


def test_runs_that_never_reach_a_level_are_counted_not_averaged():
    result = compare(Params(employees=60, customers=300, steps=20), ["random"], replicates=10)["random"]
    weeks = result.weeks_to(0.5)
    estimate = result.time_to(0.5)
    never = int(np.isnan(weeks).sum())
    assert never > 0, "this small organisation should often not reach a majority in 20 weeks"
    assert estimate.reached == 10 - never and math.isclose(estimate.share, (10 - never) / 10)
    assert estimate.censored_mean >= np.nanmean(weeks) if never < 10 else math.isnan(estimate.mean)


def test_band_is_ordered_and_spans_the_run():
    band = compare(SMALL, ["frontline"], replicates=5)["frontline"].band()
    assert len(band["mean"]) == SMALL.steps + 1
    assert np.all(band["low"] <= band["mean"] + 1e-12) and np.all(band["mean"] <= band["high"] + 1e-12)


def test_strategies_are_read_from_the_registry_at_call_time(monkeypatch):
    monkeypatch.setitem(SEEDINGS, "everyone_first", SEEDINGS["random"])
    result = compare(SMALL, ["everyone_first"], replicates=2)
    assert result["everyone_first"].rows[0]["seeding"] == "everyone_first"


def test_unknown_strategy_names_what_is_allowed():
    with pytest.raises(ParamError, match=r"seeding=bosses: unknown; allowed: .*leaders"):
        compare(SMALL, ["leaders", "bosses"], replicates=2)
    with pytest.raises(ParamError, match="replicates=0"):
        compare(SMALL, ["leaders"], replicates=0)


def test_two_workers_give_the_same_comparison():
    one = compare(SMALL, ["random", "leaders"], replicates=6)
    two = compare(SMALL, ["random", "leaders"], replicates=6, workers=2)
    assert one.to_text() == two.to_text()
    assert np.array_equal(one["random"].believers, two["random"].believers)


def test_interval_helpers_match_textbook_values():
    mean, low, high = mean_interval(np.array([1.0, 2.0, 3.0]))  # t(0.975, 2) = 4.303, sd 1
    assert mean == 2 and math.isclose(high - mean, 4.303 / math.sqrt(3), rel_tol=1e-3)
    low, high = wilson_interval(10, 10)  # Wilson (1927): 10/10 → [0.722, 1]
    assert math.isclose(low, 0.7225, abs_tol=1e-3) and math.isclose(high, 1.0)


def test_plot_writes_a_png(tmp_path):
    result = compare(Params(employees=60, customers=300, steps=10), ["random", "leaders"], replicates=3)
    result.plot(tmp_path / "strategies.png")
    assert (tmp_path / "strategies.png").read_bytes()[:4] == b"\x89PNG"


def test_interventions_compare_as_packages_against_the_baseline():
    from experiments.compare import variant

    base = Params(employees=120, customers=1200, steps=40)
    result = compare(base, ["baseline", "recognition=1.0+recognition_reach=organisation"], replicates=8)
    assert variant("turnover=0.2+hiring_fit=0.5") == {"turnover": 0.2, "hiring_fit": 0.5}
    plain = [run(base.replace(seed=seed)).row() for seed in result.seeds]
    assert [row["weeks_to_50"] for row in result["baseline"].rows] == [row["weeks_to_50"] for row in plain]
    thanked = result["recognition=1.0+recognition_reach=organisation"].rows
    assert all(row["recognition"] == 1.0 and row["recognition_reach"] == "organisation" for row in thanked)


def test_paired_differences_are_tighter_than_the_separate_intervals():
    """Common random numbers: the paired difference of two strategies has a narrower interval than either mean."""
    result = compare(Params(employees=150, customers=1500), ["baseline", "empowerment=0.5"], replicates=12)
    mean, low, high, pairs = result.difference("empowerment=0.5", "baseline")
    separate = result["baseline"].time_to(0.5)
    print(f"paired {mean:+.2f} [{low:+.2f}, {high:+.2f}] over {pairs} pairs; baseline alone ±{separate.half_width:.2f}")
    assert pairs >= 10 and mean > 0  # less empowerment, later majority
    assert (high - low) / 2 < separate.half_width


def test_a_bad_intervention_is_a_clear_error():
    with pytest.raises(ParamError, match="recogniton: unknown parameter"):
        compare(Params(employees=60, customers=300), ["baseline", "recogniton=0.5"], replicates=2)


def test_a_package_without_assignments_says_how_to_write_one():
    with pytest.raises(ParamError, match="a package is NAME=VALUE parts joined by \\+"):
        compare(Params(employees=60, customers=300), ["leaders+leader_consistency=0.6"], replicates=2)
