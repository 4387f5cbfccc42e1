"""Split an nbgrader test cell into its visible part and its hidden tests."""
from __future__ import annotations

BEGIN = "### BEGIN HIDDEN TESTS"
END = "### END HIDDEN TESTS"


def split_hidden(source: str) -> tuple[str, str]:
    """(visible code, hidden code); the markers themselves belong to neither."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            inside = True
        elif stripped == END:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible), "\n".join(hidden)
