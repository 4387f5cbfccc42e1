"""Data cards: the page that ships beside every dataset file."""
from __future__ import annotations

import pandas as pd

from .profiles import Profile
from .registry import DatasetSpec


def render_card(spec: DatasetSpec, frame: pd.DataFrame, profile: Profile, seed: int) -> str:
    """Markdown that tells a reader what each column means, how the data was made and what is planted."""
    lines = [
        f"# {spec.title}",
        "",
        f"File: `{spec.filename}` - used in module `{spec.module}`.",
        f"Rows: {len(frame):,}. Sector profile: {profile.label} ({profile.company}). Seed: {seed}.",
        "",
        "## Columns",
        "",
        "| column | unit | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{c.name}` | {c.unit} | {c.description} |" for c in spec.columns]
    lines += ["", "## How it was made", "", spec.how_made.strip(), ""]
    if spec.quirks:
        lines += ["## Planted on purpose", ""]
        lines += [f"- {q}" for q in spec.quirks]
        lines.append("")
    lines += [
        "## Rebuild",
        "",
        f"`course data build --profile {profile.name} --seed {seed}` writes the same bytes again.",
        "",
    ]
    return "\n".join(lines)
