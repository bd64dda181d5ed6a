import dataclasses

import pytest

from adoption.params import SPECS, ParamError, Params, describe, parse_assignment


def test_defaults_validate():
    params = Params()
    assert params.employees == 300 and params.rule == "conviction" and params.seeding == "random"


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("employees", -3, "employees=-3: must be an integer from 2 to 10000000"),
        ("employees", 2.5, "employees=2.5: must be an integer"),
        ("employees", "many", "employees='many': must be an integer"),
        ("initial_believers", 1.5, "initial_believers=1.5: must be from 0.0 to 1.0"),
        ("threshold", float("nan"), "threshold=nan: must be a number"),
        ("customers", -1, "customers=-1: must be an integer from 0"),
        ("seeding", "everyone", "seeding=everyone: unknown; allowed: random, leaders, frontline"),
        ("rule", "magic", "rule=magic: unknown; allowed: conviction, threshold"),
        ("network", "grid", "network=grid: unknown; allowed: org_chart"),
        ("network", "missing.graphml", "network: file not found: missing.graphml"),
        ("steps", True, "steps=True: must be an integer"),
    ],
)
def test_bad_values_name_parameter_value_and_rule(name, value, message):
    with pytest.raises(ParamError) as error:
        Params(**{name: value})
    assert message in str(error.value)


def test_every_parameter_is_documented_and_its_default_valid():
    for name in SPECS:
        row = describe(name)
        assert row["meaning"], name
        Params(**{name: row["default"]})


def test_every_number_parameter_rejects_values_outside_its_range():
    for spec in dataclasses.fields(Params):
        meta = spec.metadata
        if meta["low"] is None:
            continue
        with pytest.raises(ParamError, match=f"^{spec.name}="):
            Params(**{spec.name: meta["low"] - 1})
        if meta["high"] is not None and meta["high"] < 2**62:
            with pytest.raises(ParamError, match=f"^{spec.name}="):
                Params(**{spec.name: meta["high"] * 2 + 1})


def test_unknown_parameter_suggests_the_close_one():
    with pytest.raises(ParamError, match="employes: unknown parameter \\(did you mean employees\\?\\)"):
        Params.from_dict({"employes": 3})


def test_assignment_converts_to_the_parameter_type():
    assert parse_assignment("employees=500") == ("employees", 500)
    assert parse_assignment("threshold = 0.25") == ("threshold", 0.25)
    assert parse_assignment("network=karate") == ("network", "karate")
    with pytest.raises(ParamError, match="expected NAME=VALUE"):
        parse_assignment("employees")
    with pytest.raises(ParamError, match="threshold=abc: must be a number"):
        parse_assignment("threshold=abc")


def test_replace_validates_again():
    assert Params().replace(employees=50).employees == 50
    with pytest.raises(ParamError):
        Params().replace(employees=1)
