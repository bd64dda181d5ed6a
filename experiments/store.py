"""A sweep's results folder: Parquet written as runs finish, so that nothing is lost.

Layout of ``--out DIR``::

    DIR/sweep.json           what the sweep is (fingerprint, runs, varied parameters, SALib sample)
    DIR/spec.toml            the spec as written (when run from a file)
    DIR/parts/part-*.parquet one file per finished chunk of runs, each written whole then renamed
    DIR/results.parquet      all rows in run order, written when the sweep completes

A part appears under its final name only once it is complete (write to a
temporary name, then an atomic rename), so a sweep killed at any moment —
Ctrl-C or ``kill -9`` — leaves only whole parts. ``--resume`` reads the run
indices present (any set of them: holes are fine) and computes only the
missing ones. Reading deduplicates by run index and sorts, so the table is the
same as an uninterrupted sweep's.

Files damaged anyway (a disk or copy that tore a part under its final name, a
flipped bit) are detected: every file is read whole, Parquet's footer and its
page checksums (written with every part) must hold, and its ``run`` column
must be run numbers of this sweep. ``results`` and ``analyse`` name a damaged
file and stop; ``--resume`` deletes it and computes its runs again. Temporary
files of a killed write are removed by the next sweep in the folder and by
every compaction.
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
META_KEYS = {"name": str, "fingerprint": str, "runs": int, "points": int, "replicates": int, "method": str,
             "varied": list}  # what sweep.json must hold for the folder to be read


class Damaged(ParamError):
    """A results file that cannot be trusted (torn, corrupt or not this sweep's); ``path`` names it."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        folder = path.parent.parent if path.parent.name == "parts" else path.parent
        super().__init__(f"{path.relative_to(folder)}: damaged ({reason}) in the sweep folder {folder}; "
                         f"`adoption sweep SPEC --out {folder} --resume` computes its runs again")


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
        self._meta: dict[str, Any] | None = None  # sweep.json, read once

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
        try:
            (store.folder / "parts").mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ParamError(f"--out {folder}: cannot create it ({os.strerror(error.errno or 5)})") from None
        store.remove_temporary()
        if not meta.is_file():
            _write_atomic(meta, json.dumps(describe(spec), indent=1).encode())
            if spec_text is not None:
                _write_atomic(store.folder / "spec.toml", spec_text.encode())
        return store

    @property
    def meta(self) -> dict[str, Any]:
        """The sweep's description (``sweep.json``), checked: a damaged one is one clear error."""
        if self._meta is not None:
            return self._meta
        path = self.folder / "sweep.json"
        if not path.is_file():
            raise ParamError(f"{self.folder}: not a sweep folder (no sweep.json); run `adoption sweep SPEC --out DIR`")
        try:
            meta = json.loads(path.read_bytes().decode("utf-8"))
        except (ValueError, OSError):
            meta = None
        if not isinstance(meta, dict) or not all(isinstance(meta.get(key), kind) and not isinstance(meta.get(key), bool)
                                                 for key, kind in META_KEYS.items()):
            raise ParamError(f"{path}: damaged (not the JSON a sweep writes); the runs cannot be matched to their "
                             f"spec: run the sweep again into a new --out")
        self._meta = meta
        return meta

    def remove_temporary(self) -> None:
        """Delete the temporary files of writes that were killed before their rename."""
        for stale in [*self.folder.glob(".tmp-*"), *(self.folder / "parts").glob(".tmp-*")]:
            stale.unlink(missing_ok=True)

    def remove_damaged(self) -> list[Path]:
        """Delete every damaged results file (its runs are then missing, so ``--resume`` computes them);
        returns the files deleted."""
        removed = []
        for path in self._files():
            try:
                self._read(path)  # every column: damage may sit in any page
            except Damaged:
                path.unlink()
                removed.append(path)
        return removed

    # --- writing ----------------------------------------------------------------
    def append(self, rows: list[dict[str, Any]]) -> None:
        """Write finished runs as one whole Parquet part (atomic: it is there entirely or not at all)."""
        if not rows:
            return
        table = pa.Table.from_pylist(rows)
        runs = [row["run"] for row in rows]
        name = f"part-{min(runs):08d}-{max(runs):08d}-{uuid.uuid4().hex[:8]}.parquet"
        temporary = self.folder / "parts" / f".tmp-{name}"
        pq.write_table(table, temporary, write_page_checksum=True)
        _sync(temporary)
        os.replace(temporary, self.folder / "parts" / name)

    def compact(self) -> Path:
        """Gather all rows into ``results.parquet`` (run order) and remove the parts."""
        table = self.table()
        target = self.folder / "results.parquet"
        temporary = self.folder / f".tmp-results-{uuid.uuid4().hex[:8]}.parquet"
        pq.write_table(table, temporary, write_page_checksum=True)
        _sync(temporary)
        os.replace(temporary, target)
        for part in self._parts():
            part.unlink()
        self.remove_temporary()
        return target

    # --- reading ----------------------------------------------------------------
    def _files(self) -> list[Path]:
        files = [self.folder / "results.parquet"] if (self.folder / "results.parquet").is_file() else []
        return files + self._parts()

    def _parts(self) -> list[Path]:
        return sorted(path for path in (self.folder / "parts").glob("part-*.parquet") if path.is_file())

    def _read(self, path: Path, columns: list[str] | None = None) -> pa.Table:
        """One results file, read whole with its page checksums verified; :class:`Damaged` if it is
        torn, corrupt, or its ``run`` column is not run numbers of this sweep."""
        try:
            table = pq.read_table(path, columns=columns, page_checksum_verification=True)
            names = table.column_names  # decoded here: a flipped byte in the schema fails now, not later
        except (pa.ArrowException, OSError, ValueError) as error:  # UnicodeDecodeError is a ValueError
            reason = "torn: no Parquet footer" if "footer" in str(error) or "size is 0" in str(error) \
                else "checksum mismatch" if "checksum" in str(error).lower() else "not readable as Parquet"
            raise Damaged(path, reason) from None
        if "run" not in names or not pa.types.is_integer(table.schema.field("run").type):
            raise Damaged(path, "no integer run column")
        runs = table["run"].to_numpy(zero_copy_only=False)
        if len(runs) and (table["run"].null_count or runs.min() < 0 or runs.max() >= self.meta["runs"]):
            raise Damaged(path, f"run numbers outside 0–{self.meta['runs'] - 1}")
        return table

    def done(self) -> set[int]:
        """Run indices already stored."""
        return {int(run) for path in self._files() for run in self._read(path, ["run"])["run"].to_pylist()}

    def table(self) -> pa.Table:
        """All stored rows, one per run, in run order (duplicates from an interrupted compaction dropped)."""
        tables = [self._read(path) for path in self._files()]
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
