"""The cohort report: one self-contained HTML page (plotly.js inlined, no CDN, no external file).

Sections: score distribution per module, the hardest questions (share of learners who failed each
test cell), missing submissions, learners who need help (low scores or integrity flags), the integrity
flags with their reasons, and the grader's notes (rejections, failures, timeouts). The numbers come
from `cohort_summary`, a pure function of the grade table, so they can be tested without a browser.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .course_dir import CourseDir
from .export import GradeTable, grade_table

HELP_BELOW_PERCENT = 50.0
HARDEST_SHOWN = 15


@dataclass
class CohortSummary:
    """What the report shows, as plain numbers and lists."""

    modules: list[str]
    percents: dict[str, list[tuple[str, float]]]            # module -> [(learner, % of the points graded so far)]
    failed_share: list[tuple[str, float, int]]             # (question column, share failed, learners graded)
    missing: dict[str, list[str]]                          # module -> learners without a graded submission
    need_help: list[dict]                                  # {"learner", "name", "percent", "why"}
    flags: list[tuple[str, str, str]]                      # (learner, module, reason)
    notes: list[tuple[str, str, str]] = field(default_factory=list)


def _name(row: dict) -> str:
    full = f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()
    return f"{full} ({row['learner']})" if full else row["learner"]


def cohort_summary(table: GradeTable, help_below: float = HELP_BELOW_PERCENT) -> CohortSummary:
    """The report's numbers from the grade table."""
    modules = list(table.questions)
    percents = {m: [(r["learner"], 100 * r[m] / table.graded_max(r["learner"], m)) for r in table.rows
                    if r.get(m) is not None and table.graded_max(r["learner"], m) > 0] for m in modules}
    failed = []
    for m in modules:
        graded = [r for r in table.rows if r.get(m) is not None]
        for q in table.questions[m]:
            column = f"{m}/{q}"
            if column not in table.autograded or not graded:
                continue
            misses = sum(1 for r in graded if (r.get(column) or 0) < table.max_points[column])
            failed.append((column, misses / len(graded), len(graded)))
    failed.sort(key=lambda x: (-x[1], x[0]))
    missing = {m: [r["learner"] for r in table.rows if r.get(m) is None] for m in modules}
    need_help = []
    for r in table.rows:
        mine = [p for m in modules for learner, p in percents[m] if learner == r["learner"]]
        mean = sum(mine) / len(mine) if mine else None
        why = []
        if mean is not None and mean < help_below:
            why.append(f"average {mean:.0f}% over {len(mine)} graded module(s)")
        flagged = [m for m in modules if table.flags.get((r["learner"], m))]
        if flagged:
            why.append("integrity flags in " + ", ".join(flagged))
        if mean is None:
            why.append("nothing graded yet")
        if why:
            need_help.append({"learner": r["learner"], "name": _name(r), "percent": mean, "why": "; ".join(why)})
    flags = [(learner, m, reason) for (learner, m), reasons in sorted(table.flags.items()) for reason in reasons]
    notes = [(learner, m, line) for (learner, m), lines in sorted(table.notes.items()) for line in lines]
    return CohortSummary(modules, percents, failed, missing, need_help, flags, notes)


def _figures(summary: CohortSummary) -> dict:
    """The plotly figures, by section."""
    import plotly.graph_objects as go

    layout = dict(template="plotly_white", height=420, margin=dict(l=60, r=20, t=50, b=60))
    dist = go.Figure(layout=layout)
    for m in summary.modules:
        dist.add_box(y=[p for _, p in summary.percents[m]], name=m, boxpoints="all", jitter=0.4, pointpos=0,
                     text=[html.escape(learner) for learner, _ in summary.percents[m]],
                     hovertemplate="%{text}: %{y:.0f}%<extra></extra>")
    dist.update_layout(title="Score per module (% of the points graded so far: written answers count once marked)",
                       yaxis=dict(range=[-5, 105], title="% of points"), showlegend=False)

    hardest = summary.failed_share[:HARDEST_SHOWN][::-1]
    hard = go.Figure(layout={**layout, "height": max(320, 28 * len(hardest) + 120)})
    hard.add_bar(x=[100 * s for _, s, _ in hardest], y=[html.escape(q) for q, _, _ in hardest], orientation="h",
                 text=[f"{100 * s:.0f}% of {n}" for _, s, n in hardest], textposition="auto",
                 marker_color="#d9534f", hovertemplate="%{y}: %{x:.0f}% failed<extra></extra>")
    hard.update_layout(title="Hardest questions: share of learners who failed each test cell",
                       xaxis=dict(range=[0, 100], title="% of graded learners who failed"))

    missing = go.Figure(layout=layout)
    missing.add_bar(x=summary.modules, y=[len(summary.missing[m]) for m in summary.modules], marker_color="#f0ad4e",
                    text=[", ".join(html.escape(x) for x in summary.missing[m][:12]) +
                          (" ..." if len(summary.missing[m]) > 12 else "") for m in summary.modules],
                    hovertemplate="%{x}: %{y} missing<br>%{text}<extra></extra>", textposition="none")
    missing.update_layout(title="Missing submissions per module", yaxis=dict(title="learners", rangemode="tozero"))

    helped = [h for h in summary.need_help if h["percent"] is not None]
    helped.sort(key=lambda h: h["percent"])
    need = go.Figure(layout={**layout, "height": max(320, 26 * len(helped) + 120)})
    need.add_bar(x=[h["percent"] for h in helped], y=[html.escape(h["name"]) for h in helped], orientation="h",
                 marker_color=["#d9534f" if "integrity" in h["why"] else "#5bc0de" for h in helped],
                 text=[html.escape(h["why"]) for h in helped], textposition="none",
                 hovertemplate="%{y}: %{x:.0f}%<br>%{text}<extra></extra>")
    need.update_layout(title="Learners who need help (red: integrity flags)",
                       xaxis=dict(range=[0, 100], title="average % over graded modules"))
    return {"distribution": dist, "hardest": hard, "missing": missing, "need_help": need}


def _table(headers: list[str], rows: list[tuple]) -> str:
    if not rows:
        return "<p class='empty'>None.</p>"
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .meta{color:#666;margin-top:0} section{margin:2.2rem 0}
table{border-collapse:collapse;width:100%;font-size:.92rem} th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;
text-align:left;vertical-align:top} th{background:#f6f6f6} .cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{background:#f6f8fa;border-radius:8px;padding:.8rem 1.1rem;min-width:9rem} .card b{font-size:1.5rem;display:block}
.empty{color:#666;font-style:italic}
"""


def render_report(summary: CohortSummary, title: str, learners: int) -> str:
    """The whole page as one HTML string; the first figure carries plotly.js inline."""
    figures = _figures(summary)
    parts, first = {}, True
    for key, fig in figures.items():
        parts[key] = fig.to_html(full_html=False, include_plotlyjs=True if first else False,
                                 config={"displaylogo": False, "responsive": True})
        first = False
    graded = sum(len(v) for v in summary.percents.values())
    missing = sum(len(v) for v in summary.missing.values())
    cards = "".join(f"<div class='card'><b>{v}</b>{html.escape(k)}</div>" for k, v in [
        ("learners", learners), ("graded submissions", graded), ("missing submissions", missing),
        ("learners who need help", len(summary.need_help)), ("integrity flags", len(summary.flags))])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    help_rows = [(h["name"], "" if h["percent"] is None else f"{h['percent']:.0f}%", h["why"]) for h in summary.need_help]
    missing_rows = [(m, ", ".join(v)) for m, v in summary.missing.items() if v]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1><p class="meta">Generated {when} from the course gradebook.</p>
<div class="cards">{cards}</div>
<section id="distribution"><h2>Score distribution per module</h2>{parts['distribution']}</section>
<section id="hardest"><h2>Hardest questions</h2>{parts['hardest']}</section>
<section id="missing"><h2>Missing submissions</h2>{parts['missing']}{_table(["module", "learners"], missing_rows)}</section>
<section id="need-help"><h2>Learners who need help</h2>{parts['need_help']}
{_table(["learner", "average", "why"], help_rows)}</section>
<section id="integrity"><h2>Integrity flags</h2>{_table(["learner", "module", "reason"], summary.flags)}</section>
<section id="grader-notes"><h2>Grader notes</h2>{_table(["learner", "module", "note"], summary.notes)}</section>
</body></html>
"""


def write_report(course: CourseDir, out: Path | None = None, assignments: list[str] | None = None) -> Path:
    """Write trainer/cohort_report.html (or `out`)."""
    table = grade_table(course, assignments)
    path = Path(out or course.trainer_dir() / "cohort_report.html")
    title = f"Cohort report - {course.coursedir.course_id}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(cohort_summary(table), title, len(table.rows)), encoding="utf-8")
    return path
