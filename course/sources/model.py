"""What one source record holds: the claim the course may make and where it comes from."""
from __future__ import annotations

import re
from dataclasses import dataclass

# How much of the source itself we could read; every record says which one applies.
READ_PRIMARY = "primary text read"
PART_PRIMARY = "primary text read in part"
SECONDARY_ONLY = "only secondary accounts read"
NOT_FOUND = "primary source not found"
ACCESS_LEVELS = (READ_PRIMARY, PART_PRIMARY, SECONDARY_ONLY, NOT_FOUND)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Reference:
    """A publication as far as it could be confirmed; an empty field means "not confirmed"."""

    author: str
    title: str
    publisher: str = ""
    year: str = ""
    url: str = ""
    locator: str = ""
    read: str = ""

    def describe(self) -> str:
        """One line: author, title, publisher, year, locator, link (whatever is known)."""
        parts = [self.author, self.title, self.publisher, self.year, self.locator]
        text = ", ".join(p for p in parts if p)
        return f"{text} <{self.url}>" if self.url else text


@dataclass(frozen=True)
class Source:
    """One source: the sentence the course may state, its primary source, and what differs."""

    id: str
    citation: str
    claim: str
    primary: Reference
    access: str
    secondary: tuple[Reference, ...] = ()
    essay: str = ""
    essay_says: str = ""
    discrepancy: str = ""
    cannot_tell: str = ""
    note: str = ""

    def problems(self) -> list[str]:
        """What is malformed in this record, in plain words (empty when it is well formed)."""
        found = []
        if not ID_PATTERN.match(self.id):
            found.append(f"id {self.id!r} must be lower-case letters, digits and underscores")
        for name in ("citation", "claim"):
            if not getattr(self, name).strip():
                found.append(f"{self.id}: '{name}' is empty")
        if "\n" in self.citation:
            found.append(f"{self.id}: the citation must fit on one line")
        if self.access not in ACCESS_LEVELS:
            found.append(f"{self.id}: access {self.access!r} is not one of {ACCESS_LEVELS}")
        if self.essay_says and not self.essay:
            found.append(f"{self.id}: 'essay_says' needs the id of the essay in 'essay'")
        for ref in (self.primary, *self.secondary):
            if ref.url and not ref.url.startswith(("https://", "http://")):
                found.append(f"{self.id}: {ref.url!r} is not a web address")
        return found
