"""The trainer's JSON records (ledger, history, hand grades, releases): one reader and one atomic writer."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def read_record(path: Path) -> dict:
    """A record as saved, or {} before the first save."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_record(path: Path, data: dict) -> None:
    """Save a record atomically: a crash mid-write leaves the previous file, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
