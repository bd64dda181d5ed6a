"""Mutation testing of the model core: break the code one small change at a time and see if a test notices.

Each mutant changes one token of the source: a comparison (``<`` ↔ ``<=``,
``>`` ↔ ``>=``, ``==`` ↔ ``!=``), an arithmetic operator (``+`` ↔ ``-``,
``*`` ↔ ``/``), a boolean operator (``&`` ↔ ``|``, ``and`` ↔ ``or``), a
number (``n`` → ``n + 1``; ``1`` → ``0``; ``0.5`` → ``1.5``), ``True`` ↔
``False``, or drops a ``~``/``not``. Docstrings, comments, annotations and
lines marked ``# no mutate`` are left alone.

The source is copied to a scratch folder (the working tree is never touched);
each mutant is written there and the tests run in a fresh process, first the
test file(s) that mirror the mutated file (``adoption/levers/x.py`` →
``tests/levers/test_x.py``), then, if the mutant survives, every behavioural
test of the core (not the README snapshot, the app or the experiments). A
mutant is *killed* when a test fails (or the run times out), *survives*
otherwise. Prints one line per mutant and a summary; ``--json`` writes them.

Usage::

    python tests/mutation.py adoption/levers/*.py agents/leaders.py [--limit N] [--json out.json]
    python tests/mutation.py --faults      # the faults of issue 17, each must be caught
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SWAPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "+": "-", "-": "+", "*": "/",
         "/": "*", "&": "|", "|": "&", "and": "or", "or": "and", "True": "False", "False": "True",
         "+=": "-=", "-=": "+=", "*=": "/=", "&=": "|="}
DROPS = {"~", "not"}
# every behavioural test of the core: not the README snapshot (test_docs), the app, the browser or experiments
BEHAVIOURAL = ["tests/test_model.py", "tests/agents", "tests/rules", "tests/levers", "tests/test_seeding.py",
               "tests/test_networks.py", "tests/test_params.py", "tests/test_story.py", "tests/test_organisations.py",
               "tests/test_reference_step.py"]

# The faults an independent check planted (issue 17), each as (what, file, original text, faulty text):
# `--faults` plants each in turn and runs every behavioural test; each must turn a test red.
FAULTS = [
    ("hires' doubt no longer lowered by hiring_fit", "adoption/levers/turnover.py",
     "threshold=thresholds * (1 - params.hiring_fit)", "threshold=thresholds"),
    ("the threshold rule compares with > instead of >=", "adoption/rules/threshold.py",
     "(share >= state.threshold)", "(share > state.threshold)"),
    ("the voter copies a random employee instead of a colleague", "adoption/rules/voter.py",
     "copied = indices[np.uint64(first + min(np.int64(share * degree), degree - 1))]",
     "copied = min(np.int64(share * n), n - 1)"),
    ("--resume treats stored runs as contiguous", "experiments/sweep.py",
     "missing = [index for index in range(spec.runs) if index not in done]",
     "missing = list(range(len(done), spec.runs))"),
    ("customers, rule and levers share one random stream", "adoption/model.py",
     "made = self[name] = stream(self.seed, name, self.replicate if name in DYNAMICS else None)",
     "made = self[name] = self[\"customers\"] if name in DYNAMICS[1:] else stream(self.seed, name, None)"),
    ("the customer memory constant changed", "adoption/model.py", "CUSTOMER_MEMORY = 0.75", "CUSTOMER_MEMORY = 0.5"),
    ("compliance ignores supervision", "adoption/levers/compliance.py",
     "model.params.compliance_rules * self.supervision *", "model.params.compliance_rules *"),
    ("training adds no conviction", "adoption/levers/training.py",
     "conviction=params.training / 4", "conviction=0.0"),
    ("the leader signal ignores unit managers", "agents/leaders.py",
     "signal[staff] = (per_unit[watching.staff_units] * watching.staff_weight + top) / 2", "signal[staff] = top"),
    ("low morale never degrades service", "adoption/levers/economics.py",
     "service=min(1.0, 2 * float(morale))", "service=1.0"),
    ("recognition within units has no effect", "adoption/levers/recognition.py",
     "seen = (per_unit / np.maximum(np.bincount(org.unit, minlength=org.units), 1))[org.unit]",
     "seen = np.zeros(model.network.n)"),
    ("good moments ignore whether the server acts on the value", "adoption/model.py",
     "good_chance[who] = acting[who] * empowerment[who] * service", "good_chance[who] = empowerment[who] * service"),
]


def skipped_lines(tree: ast.AST) -> set[int]:
    """Lines of docstrings, annotations, imports and decorators: changing them changes nothing that runs."""
    lines: set[int] = set()

    def span(node):
        lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            span(node)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                span(body[0])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                span(decorator)
            for argument in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                if argument.annotation is not None:
                    span(argument.annotation)
            if node.returns is not None:
                span(node.returns)
        if isinstance(node, ast.AnnAssign):
            span(node.annotation)
    return lines


def mutants(path: Path) -> list[dict]:
    """Every one-token mutant of a file: line, column, original and replacement text."""
    source = path.read_text()
    skip = skipped_lines(ast.parse(source))
    lines = source.splitlines()
    out = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        (row, col), text = token.start, token.string
        if row > len(lines) or row in skip or "no mutate" in lines[row - 1]:
            continue
        replacements = []
        if token.type == tokenize.OP and text in SWAPS or token.type == tokenize.NAME and text in SWAPS:
            replacements = [SWAPS[text]]
        elif text in DROPS:
            replacements = [""]
        elif token.type == tokenize.NUMBER and not text.endswith("j"):
            value = ast.literal_eval(text.replace("_", ""))
            replacements = [repr(value + 1)] if isinstance(value, int) else [repr(value + 1.0)]
            if value == 1:
                replacements = ["0"]
        for replacement in replacements:
            mutant = dict(line=row, column=col, original=text, mutant=replacement)
            try:  # a mutant that is not Python (``*args`` → ``/args``) is no mutant
                compile(apply(source, mutant), str(path), "exec")
            except SyntaxError:
                continue
            out.append(dict(file=str(path.relative_to(ROOT)), line=row, column=col, original=text,
                            mutant=replacement, code=lines[row - 1].strip()))
    return out


def apply(source: str, mutant: dict) -> str:
    lines = source.splitlines(keepends=True)
    if "code" in mutant:  # the file may have moved on since the mutant was listed (--retest): find its line again
        same = [number for number, text in enumerate(lines, 1) if text.strip() == mutant["code"]]
        if same and mutant["line"] not in same:
            mutant["line"] = min(same, key=lambda number: abs(number - mutant["line"]))
    line = lines[mutant["line"] - 1]
    column, original = mutant["column"], mutant["original"]
    assert line[column:column + len(original)] == original, mutant
    replacement = mutant["mutant"] + (" " if mutant["original"] in DROPS and not mutant["mutant"] else "")
    lines[mutant["line"] - 1] = line[:column] + replacement.rstrip() + line[column + len(original):]
    return "".join(lines)


def mirrored_tests(file: str) -> list[str]:
    """The test files that mirror a source file (tests mirror the tree)."""
    path = Path(file)
    if path.parts[0] == "experiments":
        return ["tests/experiments"]
    if path.parts[0] == "adoption" and len(path.parts) == 2:
        candidates = [f"tests/test_{path.stem}.py"]
    else:
        folder = path.parts[1] if path.parts[0] == "adoption" else path.parts[0]
        candidates = [f"tests/{folder}/test_{path.stem}.py"]
        if folder == "rules":
            candidates.append("tests/rules/test_literature_rules.py")
    return [c for c in candidates if (ROOT / c).exists()] or ["tests/test_model.py"]


def run_tests(scratch: Path, tests: list[str], timeout: float, marks: str = "not slow") -> tuple[bool, str]:
    """(some test failed, the first failing test) for the scratch copy, in a forked child: the parent has
    imported the heavy libraries once, the child imports the (mutated) model afresh and runs pytest."""
    import pytest

    report = Path(tempfile.mktemp(prefix="mutant-", suffix=".json"))
    child = os.fork()
    if child == 0:  # the child: never returns
        try:
            os.chdir(scratch)
            sys.path[:0] = [str(scratch / "tests"), str(scratch)]
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)

            class First:
                failed = ""

                def pytest_runtest_logreport(self, report):
                    if report.failed and not First.failed:
                        First.failed = report.nodeid

            code = pytest.main(["-x", "-q", "-p", "no:cacheprovider", "-p", "no:timeout",
                                "-o", "addopts=--import-mode=importlib",
                                "-m", marks, *tests], plugins=[First()])
            report.write_text(json.dumps([int(code), First.failed]))
        finally:
            os._exit(0)
    deadline = time.time() + timeout  # compiled code never sees a signal's Python handler: the parent decides
    while True:
        done, status = os.waitpid(child, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return True, "timeout"
        time.sleep(0.05)
    if not report.exists():
        return True, "crash"
    code, failed = json.loads(report.read_text())
    report.unlink()
    if code == 5:  # no tests collected: nothing could notice
        return False, "no tests"
    return code != 0, failed or f"exit {code}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--limit", type=int, default=0, help="at most this many mutants (spread over the files)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a test run may take (more: killed)")
    parser.add_argument("--json", help="write every mutant and its fate here")
    parser.add_argument("--mirrored-only", action="store_true", help="run only the mirrored tests")
    parser.add_argument("--faults", action="store_true", help="plant the FAULTS of issue 17 instead of mutants")
    parser.add_argument("--retest", help="a --json file of an earlier pass: test its survivors again")
    args = parser.parse_args(argv)
    if args.retest:
        todo = [{key: m[key] for key in ("file", "line", "column", "original", "mutant", "code")}
                for m in json.loads(Path(args.retest).read_text()) if not m["killed"]]
    elif args.faults:
        todo = [dict(file=file, original=old, mutant=new, code=what, fault=True) for what, file, old, new in FAULTS]
    else:
        todo = [m for file in args.files for m in mutants(ROOT / file)]
    if args.limit and len(todo) > args.limit:
        todo = todo[:: -(-len(todo) // args.limit)]
    scratch = Path(tempfile.mkdtemp(prefix="adoption-mutants-"))
    for folder in ("adoption", "agents", "experiments", "app", "tests"):
        shutil.copytree(ROOT / folder, scratch / folder, ignore=shutil.ignore_patterns("*.pyc"))  # numba caches kept
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, scratch / name)
    print(f"{len(todo)} mutants in {len(args.files)} files; scratch copy {scratch}", flush=True)
    import mesa, networkx, numba, numpy, pandas, pytest, scipy.sparse  # noqa: F401,E401  once, for every child
    results, began = [], time.time()
    for number, mutant in enumerate(todo, 1):
        target = scratch / mutant["file"]
        original, stamp = target.read_text(), target.stat()
        if mutant.get("fault"):
            assert original.count(mutant["original"]) == 1, f"fault not found once in {mutant['file']}: {mutant}"
            target.write_text(original.replace(mutant["original"], mutant["mutant"]))
        else:
            target.write_text(apply(original, mutant))
        try:
            if mutant.get("fault"):  # every behavioural test, stochastic ones included, and the experiments
                tests = mirrored_tests(mutant["file"])
                killed, by = run_tests(scratch, [*tests, *(t for t in BEHAVIOURAL if t not in tests)], args.timeout,
                                       "not slow")
                stage = "behavioural"
            else:
                killed, by = run_tests(scratch, mirrored_tests(mutant["file"]), args.timeout)
                stage = "mirrored"
            if not killed and not args.mirrored_only and not mutant.get("fault"):
                killed, by = run_tests(scratch, BEHAVIOURAL, args.timeout, "not slow and not replicates")
                stage = "behavioural"
        finally:
            target.write_text(original)
            os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # numba's cache stays valid
        mutant.update(killed=killed, stage=stage, by=by)
        results.append(mutant)
        print(f"[{number}/{len(todo)} {time.time() - began:.0f}s] {'killed ' if killed else 'SURVIVED'} "
              f"{mutant['file']}:{mutant.get('line', '')} {mutant['original']!r} -> {mutant['mutant']!r}  "
              f"{mutant['code'][:70]}  [{stage}: {by[:80]}]", flush=True)
    killed = sum(m["killed"] for m in results)
    print(f"\n{killed} of {len(results)} mutants killed ({killed / max(len(results), 1):.0%}); survivors:")
    for m in results:
        if not m["killed"]:
            print(f"  {m['file']}:{m.get('line', '')} {m['original']!r} -> {m['mutant']!r}: {m['code']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
