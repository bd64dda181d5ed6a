"""Cost estimates: an upper bound of what a run really takes, and a refusal that says what it would need."""

import json
import subprocess
import sys

import pytest

from adoption import ParamError, Params
from adoption.cost import Cost, check, estimate, run_memory

MEASURE = """
import gc, json, sys
from adoption import Model, Params

def status(field):
    with open("/proc/self/status") as lines:
        return next(int(line.split()[1]) * 1024 for line in lines if line.startswith(field + ":"))

Model(Params(employees=50, customers=100, steps=2)).run()  # imports loaded and kernels compiled first
peaks = []
for values in json.loads(sys.argv[1]):
    gc.collect()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset the peak: compiling the kernels may have peaked higher than any run
    before = status("VmRSS")
    model = Model(Params(**values))
    for _ in range(3):
        model.step()
    peaks.append(status("VmHWM") - before)
    del model
print(json.dumps(peaks))
"""
CASES = [  # staff and their ties; large units (org_chart draws their pairs at once); millions of customers
    {"employees": 50_000, "customers": 0, "mean_degree": 16},
    {"employees": 10_000, "customers": 0, "unit_size": 2_000},
    {"employees": 2_000, "customers": 10_000_000, "contacts_per_customer": 5},
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_memory_estimate_bounds_real_runs_within_a_factor_of_four():
    """Peak resident memory of each run (above what the process held before it), measured in a fresh
    process, against the estimate."""
    done = subprocess.run([sys.executable, "-c", MEASURE, json.dumps(CASES)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    for values, measured in zip(CASES, json.loads(done.stdout)):
        estimated = run_memory(Params(**values).to_dict())
        assert measured <= estimated <= 4 * measured + 50e6, \
            f"{values}: measured {measured / 1e6:.0f} MB, estimated {estimated / 1e6:.0f} MB"


def test_beyond_the_machine_it_is_refused_with_what_it_would_need_unless_forced():
    huge = Params(employees=10_000_000, mean_degree=1000).to_dict()
    cost = estimate([huge])
    assert cost.memory > 500e9  # ten billion tie ends
    with pytest.raises(ParamError, match=r"this run would need about \d+ GB of memory .*add --force"):
        check(cost, what="this run")
    check(cost, force=True, what="this run")  # the user knows better


def test_runs_and_workers_add_up():
    point = Params(employees=300, customers=5000).to_dict()
    one, many = estimate([point]), estimate([point] * 100, runs_per_point=10, workers=2)
    assert many.runs == 1000 and many.workers == 2
    assert many.seconds == pytest.approx(one.seconds * 1000 / 2)
    assert many.memory > 2 * run_memory(point) + 1000 * 1000  # two runs at once, plus each run's bookkeeping
    assert str(Cost(1, 3.5e9, 150.0)) == "1 run: about 3.5 GB of memory and 2.5 min on 1 worker"


def test_a_huge_network_file_is_refused_before_it_is_read(tmp_path):
    """Reading an edge list with networkx takes ~46 times its size; a file beyond the machine is refused."""
    from adoption.cost import available_memory

    huge = tmp_path / "huge.edgelist"
    with open(huge, "wb") as handle:  # a sparse file: its size without the disk space
        handle.truncate(int(available_memory() / 20))
    cost = estimate([Params(network=str(huge)).to_dict()])
    with pytest.raises(ParamError, match="this run would need about"):
        check(cost, what="this run")
