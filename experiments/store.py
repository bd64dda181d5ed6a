"""A sweep's results folder: Parquet written as runs finish, so that nothing is lost.

Layout of ``--out DIR``::

    DIR/sweep.json           what the sweep is (fingerprint, runs, varied parameters, SALib sample)
    DIR/spec.toml            the spec as written (when run from a file)
    DIR/parts/part-*.parquet one file per finished chunk of runs, each written whole then renamed
    DIR/results.parquet      all rows in run order, written when the sweep completes

A part appears under its final name only once it is complete (write to a
temporary name, then an atomic rename), so a sweep killed at any moment —
Ctrl-C or ``kill -9`` — leaves only whole parts. ``--resume`` reads the run
indices present and computes only the missing ones. Reading deduplicates by
run index and sorts, so the table is the same as an uninterrupted sweep's.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from adoption.params import ParamError

PREFIX = ("run", "point", "replicate")  # where a row sits in the sweep


class Store:
    """The results folder of one sweep.

    Examples
    --------
    >>> import tempfile
    >>> from experiments.spec import Spec
    >>> spec = Spec.from_dict({"vary": {"employees": [50, 60]}})
    >>> store = Store.create(tempfile.mkdtemp(), spec)
    >>> store.append([{"run": 1, "point": 1, "replicate": 0, "employees": 60, "error": None}])
    >>> sorted(store.done())
    [1]
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    # --- creating and opening ---------------------------------------------------
    @classmethod
    def create(cls, folder: str | Path, spec, resume: bool = False, spec_text: str | None = None) -> "Store":
        """A store for ``spec``: new, or (``resume``) the same sweep's folder to finish."""
        store = cls(folder)
        meta = store.folder / "sweep.json"
        if meta.is_file():
            if not resume:
                raise ParamError(f"--out {folder}: already holds a sweep; add --resume to finish it, "
                                 f"or choose another --out")
            previous = store.meta
            if previous.get("fingerprint") != spec.fingerprint:
                raise ParamError(f"--out {folder}: holds a different sweep ({previous.get('name')}, "
                                 f"{previous.get('runs')} runs); resume only with the same spec")
        elif store.folder.exists() and any(store.folder.iterdir()) and not resume:
            raise ParamError(f"--out {folder}: folder exists and is not a sweep's; choose an empty or new folder")
        (store.folder / "parts").mkdir(parents=True, exist_ok=True)
        for stale in (store.folder / "parts").glob(".tmp-*"):  # half-written by a killed sweep
            stale.unlink()
        if not meta.is_file():
            _write_atomic(meta, json.dumps(describe(spec), indent=1).encode())
            if spec_text is not None:
                _write_atomic(store.folder / "spec.toml", spec_text.encode())
        return store

    @property
    def meta(self) -> dict[str, Any]:
        """The sweep's description (``sweep.json``)."""
        path = self.folder / "sweep.json"
        if not path.is_file():
            raise ParamError(f"{self.folder}: not a sweep folder (no sweep.json); run `adoption sweep SPEC --out DIR`")
        return json.loads(path.read_text())

    # --- writing ----------------------------------------------------------------
    def append(self, rows: list[dict[str, Any]]) -> None:
        """Write finished runs as one whole Parquet part (atomic: it is there entirely or not at all)."""
        if not rows:
            return
        table = pa.Table.from_pylist(rows)
        runs = [row["run"] for row in rows]
        name = f"part-{min(runs):08d}-{max(runs):08d}-{uuid.uuid4().hex[:8]}.parquet"
        temporary = self.folder / "parts" / f".tmp-{name}"
        pq.write_table(table, temporary)
        _sync(temporary)
        os.replace(temporary, self.folder / "parts" / name)

    def compact(self) -> Path:
        """Gather all rows into ``results.parquet`` (run order) and remove the parts."""
        table = self.table()
        target = self.folder / "results.parquet"
        temporary = self.folder / f".tmp-results-{uuid.uuid4().hex[:8]}.parquet"
        pq.write_table(table, temporary)
        _sync(temporary)
        os.replace(temporary, target)
        for part in self._parts():
            part.unlink()
        return target

    # --- reading ----------------------------------------------------------------
    def _files(self) -> list[Path]:
        files = [self.folder / "results.parquet"] if (self.folder / "results.parquet").is_file() else []
        return files + self._parts()

    def _parts(self) -> list[Path]:
        return sorted((self.folder / "parts").glob("part-*.parquet"))

    def done(self) -> set[int]:
        """Run indices already stored."""
        return {int(run) for path in self._files() for run in pq.read_table(path, columns=["run"])["run"].to_pylist()}

    def table(self) -> pa.Table:
        """All stored rows, one per run, in run order (duplicates from an interrupted compaction dropped)."""
        tables = [pq.read_table(path) for path in self._files()]
        if not tables:
            return pa.table({name: pa.array([], pa.int64()) for name in PREFIX})
        table = pa.concat_tables(tables, promote_options="permissive")
        runs = table["run"].to_numpy()
        _, first = np.unique(runs, return_index=True)  # sorted by run, first copy of each
        table = table.take(pa.array(first))
        return table.select(self._column_order(table.column_names))

    def _column_order(self, names: list[str]) -> list[str]:
        """Parameters first (in declaration order), then outputs, series, and the error last,
        whatever order the parts were written in."""
        from adoption.results import OUTPUTS

        meta = self.meta
        ordered = [*PREFIX, *meta.get("parameters", []), *OUTPUTS, *meta.get("series", [])]
        head = [name for name in dict.fromkeys(ordered) if name in names]
        rest = sorted(name for name in names if name not in head and name != "error")
        return head + rest + (["error"] if "error" in names else [])

    def sql(self, query: str):
        """Run DuckDB SQL over the rows, available as the table ``runs``."""
        import duckdb

        connection = duckdb.connect()
        connection.register("runs", self.table())
        return connection.sql(query)


def describe(spec) -> dict[str, Any]:
    """What ``sweep.json`` records: enough to analyse the rows without the spec file."""
    return {
        "name": spec.name,
        "description": spec.description,
        "fingerprint": spec.fingerprint,
        "runs": spec.runs,
        "points": len(spec.points),
        "replicates": spec.replicates,
        "seed": spec.seed,
        "method": spec.method,
        "varied": spec.varied,
        "parameters": list(spec.base),
        "series": spec.series,
        "outputs": spec.outputs,
        "steps": spec.base.get("steps"),
        "problem": spec.problem,
        "options": spec.options,
        "sample": None if spec.sample is None else spec.sample.tolist(),
    }


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".tmp-{path.name}-{uuid.uuid4().hex[:8]}")
    temporary.write_bytes(data)
    _sync(temporary)
    os.replace(temporary, path)


def _sync(path: Path) -> None:
    """Flush a file to disk before renaming it (a power cut then leaves the old name, not a torn file)."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
