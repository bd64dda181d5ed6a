"""Everything a browser sends, checked before the model or the file system sees it.

A browser is not trusted: a select's event can be fired from developer tools
with any value, and a text field can hold ``network=/etc/passwd``. So:

- a parameter with a list of choices accepts only those choices (for a
  parameter that may name a file, also the files uploaded in this session, by
  the name the server gave them), and the app never passes a path the browser
  typed to ``Params`` (whose own check would at least look at the file);
- every other value goes through ``adoption.params`` (the messages the command
  line prints);
- uploads land in one temporary folder per browser session, size-capped, under
  names the server chooses.

No Solara here: the page calls these functions, and the tests call them directly.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from adoption.params import SPECS, ParamError, describe, parse_assignment

SHOWN = 60  # characters of a refused value repeated back in a message (never a whole pasted file)
UPLOAD_LIMIT = 20_000_000  # bytes per uploaded file
UPLOAD_SUFFIXES = (".csv", ".parquet", ".xlsx", ".graphml", ".gml", ".edgelist", ".txt")
FILE_PARAMETERS = ("network", "people", "ties")  # parameters that may name a file (an upload, in the app)


def short(value) -> str:
    """A value as it may appear in a message: at most :data:`SHOWN` characters, one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN else text[:SHOWN - 1] + "…"


class Uploads:
    """The files one browser session uploaded: a private temporary folder, names chosen here."""

    def __init__(self):
        self.folder: Path | None = None
        self.files: dict[str, Path] = {}  # the name shown in the app -> the file on the server

    def workspace(self) -> Path:
        """The session's private folder (made on first use): uploads, and what the app writes for them."""
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="adoption-upload-"))
        return self.folder

    def add(self, name: str, data: bytes) -> str:
        """Keep an uploaded file; return the name the app shows (and accepts) for it."""
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise ParamError(f"upload {short(name)}: allowed file types: {', '.join(UPLOAD_SUFFIXES)}")
        if len(data) > UPLOAD_LIMIT:
            raise ParamError(f"upload {short(name)}: {len(data):,} bytes; the limit is {UPLOAD_LIMIT:,}")
        folder = self.workspace()
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(name).stem)[:40] or "file"
        shown = f"upload:{stem}{suffix}"
        if shown in self.files:
            shown = f"upload:{stem}-{len(self.files) + 1}{suffix}"
        path = folder / f"{len(self.files) + 1}-{stem}{suffix}"
        path.write_bytes(data)
        self.files[shown] = path
        return shown

    def close(self) -> None:
        """Delete this session's files (the session ended)."""
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder, self.files = None, {}


def choices(name: str, uploads: Uploads | None = None) -> list[str]:
    """What a select for ``name`` offers: the declared choices; for a file parameter also "" where that is
    its default (none) and this session's uploads."""
    offered = list(describe(name)["choices"] or ())
    if name in FILE_PARAMETERS:
        if SPECS[name].default == "":
            offered = ["", *offered]
        if uploads is not None:
            offered += list(uploads.files)
    return offered


def checked(name: str, value, uploads: Uploads | None = None):
    """``value`` for parameter ``name`` if the browser may send it; the server path for an upload.

    Raises ParamError (one line naming the parameter, a shortened value and what
    is allowed) for an unknown parameter or a value outside a select's options.
    Ranges and types are checked later by ``Params`` itself.
    """
    if name not in SPECS:
        parse_assignment(f"{short(name)}=0")  # the command line's message for an unknown name
    offered = choices(name, uploads)
    if (offered or name in FILE_PARAMETERS) and value not in offered:
        if name in FILE_PARAMETERS:
            where = " and files uploaded in this session" if uploads is not None else ""
            names = ", ".join(choice for choice in offered if choice) or "none"
            raise ParamError(f"{name}={short(value)}: the app reads only built-in names ({names}){where}, "
                             f"never a path")
        raise ParamError(f"{name}={short(value)}: unknown; allowed: {', '.join(offered)}")
    if uploads is not None and value in uploads.files:
        return str(uploads.files[value])
    return value


def shown(name: str, value, uploads: Uploads | None = None) -> str:
    """The name the app shows for a value (an upload's name instead of its server path)."""
    if uploads is not None and name in FILE_PARAMETERS:
        for label, path in uploads.files.items():
            if str(path) == str(value):
                return label
    return value


def assignment(text: str, uploads: Uploads | None = None) -> tuple[str, object]:
    """``NAME=VALUE`` typed in the app: converted as the command line does, then :func:`checked`."""
    if "=" not in text:
        raise ParamError(f"{short(text)}: expected NAME=VALUE, e.g. recognition=0.5")
    name, raw = (part.strip() for part in text.split("=", 1))
    if name not in SPECS:
        parse_assignment(f"{short(name)}=0")  # the command line's message for an unknown name
    name, value = parse_assignment(f"{name}={raw}")  # converts numbers; never opens a file
    return name, checked(name, value, uploads)


def package(text: str, uploads: Uploads | None = None) -> dict:
    """An intervention package of the compare tab (``baseline`` or ``a=1+b=2``) as checked changes."""
    text = text.strip()
    if text == "baseline":
        return {}
    if "=" not in text:
        raise ParamError(f"compare: {short(text)}: a package is 'baseline' or NAME=VALUE parts joined by +, "
                         f"e.g. training=0.3+empowerment=0.9")
    changes = {}
    for part in text.split("+"):
        name, value = assignment(part.strip(), uploads)
        changes[name] = value
    return changes


def seed(text) -> int:
    """A seed typed in the app (the command line's ``--seed``): a whole number."""
    raw = str(text).strip()
    try:
        number = float(raw)
    except ValueError:
        raise ParamError(f"seed={short(raw)}: must be an integer from {SPECS['seed'].metadata['low']} to "
                         f"{SPECS['seed'].metadata['high']}") from None
    return int(number) if number.is_integer() else number
