"""Compiled kernels cache themselves on disk wherever the package is installed, even read-only."""

import os
import subprocess
import sys
import textwrap


def test_a_kernel_caches_in_the_temporary_folder_when_neither_package_nor_home_is_writable(tmp_path):
    """The package folder's ``__pycache__`` cannot be created (a file is in the way) and neither can the
    user's cache folder: the kernel still compiles, runs and caches, in the temporary folder."""
    package = tmp_path / "readonly_package"
    package.mkdir()
    (package / "__pycache__").write_text("not a folder")
    (package / "square.py").write_text(textwrap.dedent("""
        from adoption.compiled import kernel

        @kernel
        def square(x):
            return x * x
    """))
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder either")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(blocker / "cache"), "HOME": str(blocker / "home"),
           "TMPDIR": str(temporary), "PYTHONPATH": os.pathsep.join([str(package), *sys.path])}
    env.pop("NUMBA_CACHE_DIR", None)
    done = subprocess.run([sys.executable, "-c", "import square; print(square.square(7.0))"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "49.0"
    cached = list(temporary.rglob("*.nbi"))
    assert cached and all("adoption-numba-" in str(path) for path in cached), list(temporary.rglob("*"))


def test_a_run_is_the_same_on_one_thread_or_two():
    """Same parameters and seed, same numbers whatever numba's thread count (the kernels are serial; a
    parallel loop added later must keep this true)."""
    script = ("import json; from adoption import run; "
              "print(json.dumps(run(employees=200, customers=3000, rule='naming_game', steps=8, seed=5).series))")
    outputs = {threads: subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                                       env={**os.environ, "NUMBA_NUM_THREADS": str(threads)})
               for threads in (1, 2)}
    assert all(done.returncode == 0 for done in outputs.values()), [d.stderr for d in outputs.values()]
    assert outputs[1].stdout == outputs[2].stdout and len(outputs[1].stdout) > 100


def test_make_s_warm_up_compiles_every_kernel_for_what_users_run():
    """``python -m adoption.compiled`` (run by make) reaches every kernel of the package with every kind of
    argument the built-in scenarios, rules, networks and organisations give it, so that no user run pays
    for compiling one mid-run (a weighted people file once compiled three kernels anew: two seconds)."""
    script = textwrap.dedent("""
        import importlib, pkgutil
        import adoption, agents
        from adoption import Model, Params
        from adoption.compiled import KERNELS, warm
        from adoption.params import BUILTIN_NETWORKS
        from adoption.rules import RULES
        from experiments.scenarios import available, load
        for package in (adoption, agents):
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(module.name)
        warm()
        cold = sorted(f"{kernel.__module__}.{kernel.__name__}" for kernel in KERNELS if kernel._compiled is None)
        warmed = {kernel: set(kernel._compiled.signatures) for kernel in KERNELS if kernel._compiled is not None}
        for name in available():
            params = Params.from_dict(load(name))
            Model(params.replace(employees=min(params.employees, 500), customers=min(params.customers, 5000),
                                 steps=3)).run()
        for rule in RULES:
            for network in BUILTIN_NETWORKS:
                Model(employees=34 if network == "karate" else 60, customers=500, rule=rule, network=network,
                      steps=2, seed=1).run()
        Model(customers=500, people="medical_innovation", steps=2).run()
        Model(employees=60, customers=2_100_000, contacts_per_customer=0.5, steps=1).run()  # several blocks
        new = sorted(f"{kernel.__name__}{sorted(map(str, set(kernel._compiled.signatures) - known))}"
                     for kernel, known in warmed.items() if set(kernel._compiled.signatures) - known)
        print(len(KERNELS), cold, new)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    count, rest = done.stdout.split(" ", 1)
    assert int(count) >= 10 and rest.strip() == "[] []", done.stdout


def test_a_kernel_recompiles_when_a_helper_in_another_file_changes(tmp_path):
    """numba's cache knows a kernel's own file; the kernel also depends on helpers and constants imported
    from elsewhere: changing one there recompiles the kernel instead of running stale machine code."""
    package = tmp_path / "two_files"
    package.mkdir()
    (package / "helpers.py").write_text(textwrap.dedent("""
        import numpy as np
        from adoption.compiled import inline
        STEP = 1
        OFFSETS = np.zeros(1, dtype=np.int64)  # an array constant: numba freezes its values into the code

        @inline
        def bump(x):
            return x + STEP
    """))
    (package / "kernels.py").write_text(textwrap.dedent("""
        from adoption.compiled import kernel
        from helpers import OFFSETS, STEP, bump

        @kernel
        def twice_bumped(x):
            return bump(bump(x)) + 0 * STEP + OFFSETS[0]
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package), *sys.path])}
    env.pop("NUMBA_CACHE_DIR", None)

    def result():
        done = subprocess.run([sys.executable, "-c", "import kernels; print(kernels.twice_bumped(10))"], env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return int(done.stdout)

    assert result() == 12 and list(package.rglob("kernels.twice_bumped*.nbi"))  # compiled and cached
    assert result() == 12  # from the cache
    (package / "helpers.py").write_text((package / "helpers.py").read_text().replace("STEP = 1", "STEP = 5"))
    assert result() == 20
    (package / "helpers.py").write_text((package / "helpers.py").read_text().replace("x + STEP", "x * STEP"))
    assert result() == 250
    (package / "helpers.py").write_text((package / "helpers.py").read_text().replace("np.zeros(1,", "np.ones(1,"))
    assert result() == 251


def test_the_thread_count_is_a_whole_number_or_a_clear_error(monkeypatch, capsys):
    """``ADOPTION_THREADS`` sets how many threads a large week may use; a value that is not a whole number
    of at least one is refused with one line naming it (not ignored, which would use every core)."""
    import pytest

    from adoption.cli import main
    from adoption.compiled import threads
    from adoption.params import ParamError

    monkeypatch.setenv("ADOPTION_THREADS", "3")
    assert threads() == 3
    for bad in ("two", "0", "-1", "1.5", "²"):
        monkeypatch.setenv("ADOPTION_THREADS", bad)
        with pytest.raises(ParamError, match=f"ADOPTION_THREADS={bad}: must be a whole number"):
            threads()
    monkeypatch.setenv("ADOPTION_THREADS", "two")  # a run large enough to use threads (customers in blocks)
    assert main(["run", "--set", "employees=50", "--set", "customers=1100000", "--steps", "1"]) == 2
    assert capsys.readouterr().err.strip() == ("adoption: ADOPTION_THREADS=two: must be a whole number of threads, "
                                               "at least 1 (unset: every core)")
