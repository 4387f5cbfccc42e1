"""The cohort report: one self-contained HTML page (plotly.js inlined, no CDN, no external file).

It speaks the trainer's language: learners by name, questions by the title they have in the notebook,
released modules only. Sections: grading still to do (hand grading pending, stale hand grades,
submissions waiting for a grade, failures), rejected files with what to ask each learner for, score
distribution per module, the hardest questions (share of learners who failed each autograded
question), missing submissions, learners who need help (low scores or integrity flags), the integrity
flags with their reasons, and the grader's notes. The numbers come from `cohort_summary`, a pure
function of the grade table, so they can be tested without a browser.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from . import wording as say
from .course_dir import CourseDir
from .export import GradeTable, grade_table
from .titles import title_of

HELP_BELOW_PERCENT = 50.0
HARDEST_SHOWN = 15
SECTIONS = ["to-do", "rejected", "distribution", "hardest", "missing", "need-help", "integrity", "grader-notes",
            "variants"]


@dataclass
class CohortSummary:
    """What the report shows, as plain numbers and lists."""

    modules: list[str]                                     # released modules
    percents: dict[str, list[tuple[str, float, bool]]]     # module -> [(learner, % of its points, final?)]
    failed_share: list[tuple[str, float, int]]             # (question column, share failed, learners graded)
    missing: dict[str, list[str]]                          # module -> learners who handed nothing in
    need_help: list[dict]                                  # {"learner", "name", "percent", "why"}
    flags: list[tuple[str, str, str]]                      # (learner, module, reason)
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    todo: list[tuple[str, str, str, str]] = field(default_factory=list)      # (learner, module, state, what)
    rejected: list[tuple[str, str, str, str]] = field(default_factory=list)  # (learner, module, reason, ask)
    names: dict[str, str] = field(default_factory=dict)    # learner -> "Ann Lee (1001)"
    titles: dict[str, str] = field(default_factory=dict)   # question column -> its title
    not_released: list[str] = field(default_factory=list)
    variants: dict[str, str] = field(default_factory=dict)  # learner -> whose data they were graded on

    def name(self, learner: str) -> str:
        return self.names.get(learner, learner)


def _name(row: dict) -> str:
    full = f"{row.get('first_name') or ''} {row.get('last_name') or ''}".strip()
    return f"{full} ({row['learner']})" if full else row["learner"]


def _rejections(table: GradeTable) -> list[tuple[str, str, str, str]]:
    """Rejected modules, and files collect could not take for a known learner, with what to ask for."""
    found = [(s.learner, s.assignment, s.reason, say.ask_for(s.reason, s.assignment))
             for s in table.cohort.with_state(say.REJECTED) if s.assignment in table.released]
    found += [(p["student"], "(which module: unknown)", f"{p['reason']} ({p['file']})", say.ask_for(p["reason"], ""))
              for p in table.cohort.problems]
    return sorted(found)


def cohort_summary(table: GradeTable, help_below: float = HELP_BELOW_PERCENT) -> CohortSummary:
    """The report's numbers from the grade table (released modules only)."""
    cohort = table.cohort
    modules = [m for m in table.questions if m in table.released]
    percents = {m: [(r["learner"], 100 * r[m] / table.max_points[m], cohort.of(r["learner"], m).final)
                    for r in table.rows if r.get(m) is not None and table.max_points[m] > 0] for m in modules}
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
    missing = {m: [r["learner"] for r in table.rows if cohort.of(r["learner"], m).state == say.MISSING] for m in modules}
    need_help = []
    for r in table.rows:
        mine = [p for m in modules for learner, p, _ in percents[m] if learner == r["learner"]]
        mean = sum(mine) / len(mine) if mine else None
        why = []
        if mean is not None and mean < help_below:
            why.append(f"average {mean:.0f}% over {len(mine)} module(s)")
        flagged = [m for m in modules if table.flags.get((r["learner"], m))]
        if flagged:
            why.append("integrity flags in " + ", ".join(flagged))
        if mean is None and modules:
            why.append("nothing graded yet")
        if why:
            need_help.append({"learner": r["learner"], "name": _name(r), "percent": mean, "why": "; ".join(why)})
    flags = [(learner, m, reason) for (learner, m), reasons in sorted(table.flags.items()) for reason in reasons
             if m in modules]
    notes = [(learner, m, line) for (learner, m), lines in sorted(table.notes.items()) for line in lines]
    todo = [(s.learner, s.assignment, s.status, s.what_to_do(cohort.titles.get(s.assignment, {})))
            for s in sorted(cohort.states.values(), key=lambda s: (s.assignment, s.learner))
            if s.assignment in modules and {say.PENDING, say.STALE, say.WAITING, say.FAILED} & set(s.states)]
    titles = {f"{m}/{q}": title_of(cohort.titles.get(m, {}), q) for m in modules for q in table.questions[m]}
    names = {r["learner"]: _name(r) for r in table.rows}
    return CohortSummary(modules, percents, failed, missing, need_help, flags, notes, todo, _rejections(table),
                         names, titles, [m for m in table.questions if m not in table.released], dict(table.variants))


def _figures(summary: CohortSummary) -> dict:
    """The plotly figures, by section."""
    import plotly.graph_objects as go

    layout = dict(template="plotly_white", height=420, margin=dict(l=60, r=20, t=50, b=60))
    dist = go.Figure(layout=layout)
    for m in summary.modules:
        dist.add_box(y=[p for _, p, _ in summary.percents[m]], name=m, boxpoints="all", jitter=0.4, pointpos=0,
                     text=[html.escape(summary.name(learner)) + ("" if final else " (not final)")
                           for learner, _, final in summary.percents[m]],
                     hovertemplate="%{text}: %{y:.0f}%<extra></extra>")
    dist.update_layout(title="Score per module (% of the module's points; written answers count once marked)",
                       yaxis=dict(range=[-5, 105], title="% of points"), showlegend=False)

    hardest = summary.failed_share[:HARDEST_SHOWN][::-1]
    hard = go.Figure(layout={**layout, "height": max(320, 28 * len(hardest) + 120)})
    labels = [html.escape(f"{q.split('/')[0]}: {summary.titles.get(q, q)}") for q, _, _ in hardest]
    hard.add_bar(x=[100 * s for _, s, _ in hardest], y=labels, orientation="h",
                 text=[f"{100 * s:.0f}% of {n}" for _, s, n in hardest], textposition="auto",
                 marker_color="#d9534f", hovertemplate="%{y}: %{x:.0f}% failed<extra></extra>")
    hard.update_layout(title="Hardest questions: share of learners who failed each autograded question",
                       xaxis=dict(range=[0, 100], title="% of graded learners who failed"))

    missing = go.Figure(layout=layout)
    missing.add_bar(x=summary.modules, y=[len(summary.missing[m]) for m in summary.modules], marker_color="#f0ad4e",
                    text=[", ".join(html.escape(summary.name(x)) for x in summary.missing[m][:12]) +
                          (" ..." if len(summary.missing[m]) > 12 else "") for m in summary.modules],
                    hovertemplate="%{x}: %{y} missing<br>%{text}<extra></extra>", textposition="none")
    missing.update_layout(title="Missing submissions per released module", yaxis=dict(title="learners", rangemode="tozero"))

    helped = sorted((h for h in summary.need_help if h["percent"] is not None), key=lambda h: h["percent"])
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
.empty{color:#666;font-style:italic} .todo{background:#fff8e1}
"""


def render_report(summary: CohortSummary, title: str, learners: int) -> str:
    """The whole page as one HTML string; the first figure carries plotly.js inline."""
    figures = _figures(summary)
    parts, first = {}, True
    for key, fig in figures.items():
        parts[key] = fig.to_html(full_html=False, include_plotlyjs=True if first else False,
                                 config={"displaylogo": False, "responsive": True})
        first = False
    graded = sum(1 for v in summary.percents.values() for _, _, final in v if final)
    missing = sum(len(v) for v in summary.missing.values())
    cards = "".join(f"<div class='card'><b>{v}</b>{html.escape(k)}</div>" for k, v in [
        ("learners", learners), ("final grades", graded), ("grading still to do", len(summary.todo)),
        ("rejected", len(summary.rejected)), ("missing submissions", missing),
        ("learners who need help", len(summary.need_help)), ("integrity flags", len(summary.flags))])
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    scope = "Released modules: " + (", ".join(summary.modules) or "none") + (
        f". Not released yet (left out): {', '.join(summary.not_released)}." if summary.not_released else ".")
    name = summary.name
    todo_rows = [(name(learner), m, state, what) for learner, m, state, what in summary.todo]
    rejected_rows = [(name(learner), m, reason, ask) for learner, m, reason, ask in summary.rejected]
    help_rows = [(h["name"], "" if h["percent"] is None else f"{h['percent']:.0f}%", h["why"]) for h in summary.need_help]
    missing_rows = [(m, ", ".join(name(x) for x in v)) for m, v in summary.missing.items() if v]
    flag_rows = [(name(learner), m, reason) for learner, m, reason in summary.flags]
    note_rows = [(name(learner), m, line) for learner, m, line in summary.notes]
    variant_rows = [(name(learner), key) for learner, key in sorted(summary.variants.items())]
    variants = (_table(["learner", "graded on the data of"], variant_rows) if variant_rows
                else f"<p class='empty'>{html.escape(say.VARIANTS_NONE)}</p>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{html.escape(title)}</h1><p class="meta">Generated {when} from the course gradebook. {html.escape(scope)}</p>
<div class="cards">{cards}</div>
<section id="to-do" class="todo"><h2>Grading still to do</h2>
{_table(["learner", "module", "state", "what to do"], todo_rows)}</section>
<section id="rejected"><h2>Rejected files: what to ask each learner for</h2>
{_table(["learner", "module", "why it was not graded", "ask"], rejected_rows)}</section>
<section id="distribution"><h2>Score distribution per module</h2>{parts['distribution']}</section>
<section id="hardest"><h2>Hardest questions</h2>{parts['hardest']}</section>
<section id="missing"><h2>Missing submissions</h2>{parts['missing']}{_table(["module", "learners"], missing_rows)}</section>
<section id="need-help"><h2>Learners who need help</h2>{parts['need_help']}
{_table(["learner", "average", "why"], help_rows)}</section>
<section id="integrity"><h2>Integrity flags</h2>{_table(["learner", "module", "reason"], flag_rows)}</section>
<section id="grader-notes"><h2>Grader notes</h2>{_table(["learner", "module", "note"], note_rows)}</section>
<section id="variants"><h2>{html.escape(say.VARIANTS_SECTION)}</h2>{variants}</section>
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
