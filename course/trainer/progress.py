"""A plain progress bar: done/total and how many failed or were rejected, on one line when it can."""
from __future__ import annotations

import sys
import time


class Progress:
    """Redraws one line on a terminal; elsewhere (logs, CI) prints one line per finished item."""

    def __init__(self, total: int, label: str = "grading", stream=None, enabled: bool = True, width: int = 28):
        self.total, self.label, self.width = total, label, width
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.counts: dict[str, int] = {}
        self.start = time.monotonic()

    def line(self) -> str:
        """The bar as text, e.g. 'grading [#######-----] 7/12  failed 1  rejected 1  0:42'."""
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        extra = "".join(f"  {k} {v}" for k, v in sorted(self.counts.items()) if k != "graded" and v)
        secs = int(time.monotonic() - self.start)
        return f"{self.label} [{bar}] {self.done}/{self.total}{extra}  {secs // 60}:{secs % 60:02d}"

    def update(self, status: str, detail: str = "") -> None:
        """One more item finished with `status` ('graded', 'failed', 'rejected')."""
        self.done += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        if not self.enabled:
            return
        if self.tty:
            self.stream.write("\r" + self.line())
        else:
            self.stream.write(f"{self.line()}  {status}: {detail}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
