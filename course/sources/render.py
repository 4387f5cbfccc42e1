"""docs/sources.md, written from the registry so that each fact is written once."""
from __future__ import annotations

from .citations import HEADING
from .model import ACCESS_LEVELS, Source

GENERATED = "<!-- Written by `python -m course.sources` from course/sources/: edit the registry, not this file. -->"

PREAMBLE = f"""\
Every fact the course states about the world, the sentence a module may use for it, its primary
source, what we could actually read, what the essays say when they differ, and what the source
cannot tell us. The essays themselves are listed first: they are the primary source for their
authors' opinions, and for nothing else.

**How a notebook cites.** End the module's teaching with one markdown cell that starts with
`{HEADING}` and lists one source per line, `- [source_id] citation`, the citation exactly as
below. `course.sources.sources_cell(ids)` writes the cell; `course.sources.check_citations(path)`
checks it (unknown ids, citations that differ from the registry, duplicates).

**What "access" means.** Each source says how much of it we could read: {", ".join(f"*{a}*" for a in ACCESS_LEVELS)}.
A missing detail (page, link, date, publisher) means it could not be confirmed: none was guessed."""


def _sentence(text: str) -> str:
    """`text` ending with one full stop (or its own closing punctuation)."""
    return text if text.endswith((".", "?", "!", ">")) else text + "."


def _section(source: Source) -> list[str]:
    """The markdown lines describing one source."""
    lines = [f"### `{source.id}`", "", f"**The course may say.** {source.claim}", "",
             f"**Citation.** {source.citation}", "",
             f"**Primary source.** {_sentence(source.primary.describe())}", "",
             "**Access.** " + _sentence(f"{source.access}: {source.primary.read}" if source.primary.read else source.access),
             ""]
    if source.secondary:
        lines += ["**Secondary sources.**", ""]
        for ref in source.secondary:
            detail = f" ({ref.read})" if ref.read else ""
            lines.append(f"- {ref.describe()}{detail}")
        lines.append("")
    if source.essay_says:
        lines += [f"**What the essay says** (`{source.essay}`). {source.essay_says}", ""]
    for label, text in (("What differs", source.discrepancy), ("What it cannot tell us", source.cannot_tell),
                        ("Note", source.note)):
        if text:
            lines += [f"**{label}.** {text}", ""]
    return lines


def render_markdown(groups) -> str:
    """The whole of docs/sources.md for `groups`, a sequence of (title, sources) pairs."""
    lines = ["# Sources", "", GENERATED, "", PREAMBLE, "", "## Index", "", "| id | citation | access |",
             "|---|---|---|"]
    for _, sources in groups:
        lines += [f"| `{s.id}` | {s.citation} | {s.access} |" for s in sources]
    lines.append("")
    for title, sources in groups:
        lines += [f"## {title}", ""]
        for source in sources:
            lines += _section(source)
    return "\n".join(lines).rstrip() + "\n"
