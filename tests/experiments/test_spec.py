"""Sweep specs: points, seeds, and errors that name the key, the value and what is allowed."""

import pytest

from adoption import ParamError
from experiments.spec import Spec, load, replicate_seed

TINY = {"employees": 60, "customers": 300, "steps": 20}


def spec(**tables):
    return Spec.from_dict({"base": TINY, **tables})


def test_grid_is_the_full_product_with_common_seeds_per_replicate():
    grid = spec(sweep={"replicates": 3, "seed": 5},
                vary={"initial_believers": [0.05, 0.1], "customer_feedback": {"from": 0, "to": 1, "step": 0.5}})
    assert grid.runs == 2 * 3 * 3 and len(grid.points) == 6
    seeds = [[grid.values(point * 3 + replicate)["seed"] for replicate in range(3)] for point in range(6)]
    assert all(row == seeds[0] for row in seeds), "replicate i must share its seed across points"
    assert seeds[0] == [replicate_seed(5, i) for i in range(3)] and len(set(seeds[0])) == 3
    assert [point["customer_feedback"] for point in grid.points[:3]] == [0.0, 0.5, 1.0]


def test_ranges_num_log_and_integer_parameters():
    grid = spec(vary={"employees": {"from": 50, "to": 100, "num": 3},
                      "contacts_per_customer": {"from": 1, "to": 100, "num": 3, "log": True}})
    assert sorted({point["employees"] for point in grid.points}) == [50, 75, 100]
    assert sorted({point["contacts_per_customer"] for point in grid.points}) == [1.0, 10.0, 100.0]


@pytest.mark.parametrize("tables, message", [
    ({"vary": {"initial_belivers": [0.1]}}, r"\[vary\] initial_belivers: unknown parameter \(did you mean initial_believers\?\)"),
    ({"vary": {"initial_believers": [0.1, 2.0]}}, r"initial_believers=2.0: must be from 0.0 to 1.0"),
    ({"vary": {"seeding": ["leaders", "bosses"]}}, r"seeding=bosses: unknown; allowed: .*frontline"),
    ({"vary": {"customer_feedback": {"from": 2, "to": 1, "num": 3}}}, r"customer_feedback: from=2 is above to=1"),
    ({"vary": {"customer_feedback": {"from": 0, "to": 1, "num": 3, "step": 0.5}}}, r"exactly one of num .* or step"),
    ({"vary": {"customer_feedback": {"from": 0, "to": 1, "step": 0}}}, r"step=0: must be a finite number > 0"),
    ({"vary": {"customer_feedback": {"from": 0, "to": 1, "num": 2, "stride": 1}}}, r"stride: unknown key"),
    ({"sweep": {"replicates": 0}}, r"\[sweep\] replicates=0: must be an integer from 1"),
    ({"sweep": {"replicats": 2}}, r"replicats: unknown key \(did you mean replicates\?\)"),
    ({"sweep": {"series": ["belivers"]}}, r"series: belivers: unknown series \(did you mean believers\?\)"),
    ({"sweep": {"outputs": ["weeks_to_60"]}}, r"outputs: weeks_to_60: unknown output"),
    ({"sample": {"method": "sobol", "n": 100, "bounds": {"threshold": [0.2, 0.6]}}}, r"n=100: .*power of 2 \(e.g. 64 or 128\)"),
    ({"sample": {"method": "halton", "n": 8, "bounds": {"threshold": [0.2, 0.6]}}}, r"method='halton': allowed: sobol, latin, morris"),
    ({"sample": {"method": "latin", "n": 8, "bounds": {"threshold": [0.6, 0.2]}}}, r"threshold=\[0.6, 0.2\]: must be \[low, high\]"),
    ({"sample": {"method": "latin", "n": 8, "bounds": {"empowerment": [0.5, 1.5]}}}, r"empowerment=\[0.5, 1.5\]: outside the allowed 0.0 to 1.0"),
    ({"sample": {"method": "latin", "n": 8, "bounds": {"seeding": [0, 1]}}}, r"seeding: a choice parameter cannot be sampled"),
    ({"vary": {"threshold": [0.3]}, "sample": {"method": "latin", "n": 4, "bounds": {"threshold": [0.2, 0.6]}}}, r"either \[vary\] .* or \[sample\]"),
    ({"base": {"employes": 50}}, r"\[base\] employes: unknown parameter \(did you mean employees\?\)"),
])
def test_spec_errors_name_the_key_the_value_and_what_is_allowed(tables, message):
    with pytest.raises(ParamError, match=message):
        Spec.from_dict(tables)


def test_samples_follow_salib_sizes_and_round_integer_parameters():
    bounds = {"threshold": [0.2, 0.6], "employees": [50, 80]}
    sobol = spec(sample={"method": "sobol", "n": 8, "bounds": bounds})
    assert sobol.runs == 8 * (2 + 2) and sobol.sample.shape == (32, 2)
    assert all(isinstance(point["employees"], int) for point in sobol.points)
    morris = spec(sample={"method": "morris", "n": 5, "bounds": bounds})
    assert morris.runs == 5 * (2 + 1)
    latin = spec(sample={"method": "latin", "n": 7, "bounds": bounds})
    assert latin.runs == 7
    again = spec(sample={"method": "latin", "n": 7, "bounds": bounds})
    assert latin.points == again.points and latin.fingerprint == again.fingerprint


def test_shipped_specs_load(tmp_path):
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "experiments" / "sweeps"
    demo, sobol = load(folder / "demo.toml"), load(folder / "sobol.toml")
    assert demo.runs == 200 and demo.description
    assert sobol.runs == 4096 and sobol.replicates == 4 and sobol.method == "sobol"
    broken = tmp_path / "broken.toml"
    broken.write_text("[sweep\n")
    with pytest.raises(ParamError, match="broken.toml: not valid TOML"):
        load(broken)
    with pytest.raises(ParamError, match="no built-in spec or file named"):
        load(tmp_path / "missing.toml")


def test_built_in_specs_load_by_name_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load("demo").runs == 200 and load("sobol").method == "sobol"


@pytest.mark.parametrize("tables", [
    {"sample": {"method": "sobol", "n": 2 ** 27, "bounds": {"threshold": [0.2, 0.6], "empowerment": [0, 1]}}},
    {"sample": {"method": "morris", "n": 900_000, "bounds": {"threshold": [0.2, 0.6], "empowerment": [0, 1]}}},
    {"sample": {"method": "latin", "n": 10 ** 9, "bounds": {"threshold": [0.2, 0.6]}}},
    {"vary": {name: {"from": 0, "to": 1, "num": 1000} for name in ("threshold", "empowerment", "recognition")}},
    {"sweep": {"replicates": 1000}, "vary": {"threshold": {"from": 0, "to": 1, "num": 10_000}}},
])
def test_huge_sweeps_are_refused_before_anything_is_allocated(tables):
    """The run count is checked from the sizes, before SALib or the grid allocates (a 10⁹-run Sobol
    sample took 7–12 GiB before the check)."""
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ParamError, match="runs: more than 1,000,000|must be an integer from"):
            Spec.from_dict(tables)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20e6, f"{peak / 1e6:.0f} MB allocated before refusing"


@pytest.mark.parametrize("axis", [{"from": 0, "to": float("inf"), "step": 1}, {"from": float("nan"), "to": 1, "num": 3},
                                  {"from": 0, "to": 1, "step": float("inf")}, {"from": 0, "to": 1e300, "step": 1e-300}])
def test_ranges_must_be_finite_and_small(axis):
    with pytest.raises(ParamError, match="customer_feedback"):
        Spec.from_dict({"vary": {"customer_feedback": axis}})
