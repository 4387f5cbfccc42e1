"""How many answers a learner checked for each question, kept across kernel restarts in their own data folder.

A check counts when its answer differs from the previous answer checked for that question: running
the same cell again (or Run All) is not a new try. The count travels with each check's output in
the saved notebook and with the answer handed to the grader, and the trainer's integrity report
flags a question tried so often that the learner may be guessing by trial. It is evidence, not
proof: it lives on the learner's machine, like the notebook itself.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

APP_FOLDER = "back-to-the-field"
COUNTS_FILE = "check_counts.json"


def counts_path() -> Path:
    """~/.local/share/back-to-the-field/check_counts.json (or under $XDG_DATA_HOME)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_FOLDER / COUNTS_FILE


def answer_key(plain, refused: str | None) -> str:
    """A short fingerprint of one answer, to tell a new try from the same answer checked again."""
    text = json.dumps([plain, refused], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class CheckCounts:
    """Tries per module and question; persisted unless `persist` is False (while nbgrader grades)."""

    def __init__(self, persist: bool = True):
        self.persist = persist
        self._memory: dict[str, list] = {}

    def _read(self, path: Path) -> dict[str, list]:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(found, dict):
            return {}
        return {k: v for k, v in found.items()
                if isinstance(v, list) and len(v) == 2 and type(v[0]) is int and isinstance(v[1], str)}

    def add(self, module: str, qid: str, key: str) -> int:
        """Count a check of `qid` whose answer has fingerprint `key`; return the number of tries so far."""
        name = f"{module}/{qid}"
        counts = self._read(counts_path()) if self.persist else {}
        n, last = max(counts.get(name, [0, ""]), self._memory.get(name, [0, ""]), key=lambda v: v[0])
        counts[name] = self._memory[name] = [n + 1 if key != last else max(n, 1), key]
        if self.persist:
            self._write(counts_path(), counts)
        return counts[name][0]

    def _write(self, path: Path, counts: dict) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp",
                                             encoding="utf-8") as tmp:
                json.dump(counts, tmp, indent=1, sort_keys=True)
            os.replace(tmp.name, path)
        except OSError:  # a read-only home keeps the count for this kernel only
            pass
