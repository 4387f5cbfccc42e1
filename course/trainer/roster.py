"""The workshop's roster: who the learners are, the personal code each one gets, and how to find them again.

    course workshop --learners roster.csv ...

reads a CSV the organiser writes (columns: name, e-mail, and optionally the learner's id on the
learning platform and their JupyterHub user name; commas, semicolons or tabs; UTF-8 or Excel's
Windows encoding), gives each learner a short code with a check character (course.data.variants),
keeps the codes of learners already on an earlier roster of this workshop, and writes, on the
trainer's side only (trainer/, mode 600):

- roster.json: the roster the grader and `course collect` read;
- roster_sheet.html: one card per learner to print, cut and hand out;
- codes.csv: the same for a mail merge.

A learner's *key* (whose data they work on) is their hub user name on a hub, else their code; their
nbgrader id is the hub user name, else the platform id, else the code.
"""
from __future__ import annotations

import csv
import html
import io
import json
import os
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import messages as msg
from ..data.variants import new_code
from ..errors import CourseError
from . import wording as say

ROSTER_FILE, SHEET_FILE, CODES_FILE = "roster.json", "roster_sheet.html", "codes.csv"
TRAINER_FOLDER = "trainer"
FORMAT = 1
HEADERS = {
    "name": ("name", "full name", "learner", "learner name", "nom"),
    "email": ("e-mail", "email", "mail", "email address", "e-mail address", "courriel"),
    "platform_id": ("platform id", "platform", "moodle id", "canvas id", "participant id", "user id", "id"),
    "hub_user": ("hub username", "hub user", "hub user name", "username", "user name", "jupyterhub user", "login"),
}


@dataclass(frozen=True)
class Learner:
    """One learner on the roster."""

    name: str
    email: str
    code: str
    platform_id: str = ""
    hub_user: str = ""

    @property
    def key(self) -> str:
        """Whose data this learner works on: the hub login, else the personal code."""
        return self.hub_user or self.code

    @property
    def student(self) -> str:
        """The learner's nbgrader student id."""
        return self.hub_user or self.platform_id or self.code


def _fold(text: str) -> str:
    """A name or e-mail compared without case, accents or extra spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().split())


@dataclass
class Roster:
    """The learners of one workshop, found by nbgrader id, key, platform id or name."""

    learners: list[Learner]

    def by_student(self, student: str) -> Learner | None:
        return next((x for x in self.learners if x.student == student), None)

    def by_key(self, key: str) -> Learner | None:
        return next((x for x in self.learners if x.key == key or x.code == key), None)

    def by_platform_id(self, platform_id: str) -> Learner | None:
        return next((x for x in self.learners if x.platform_id and x.platform_id == platform_id), None)

    def by_name(self, name: str) -> Learner | None:
        """The one learner with this name (None when no one, or several, have it)."""
        found = [x for x in self.learners if _fold(x.name) == _fold(name)]
        return found[0] if len(found) == 1 else None

    def keys(self) -> list[str]:
        return [x.key for x in self.learners]

    def to_json(self) -> dict:
        return {"format": FORMAT, "learners": [asdict(x) for x in self.learners]}


def _column(header: list[str], field: str) -> int | None:
    names = [" ".join(h.replace("_", " ").strip().lower().split()) for h in header]
    return next((names.index(n) for n in HEADERS[field] if n in names), None)


def _rows(path: Path) -> list[list[str]]:
    """The CSV's rows, in whichever of the usual encodings and separators it was written."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(c.strip() for c in row)]


def _unique(learners: list[Learner], field: str, what: str) -> None:
    seen: dict[str, str] = {}
    for x in learners:
        value = _fold(getattr(x, field))
        if value and value in seen:
            raise CourseError(say.ROSTER_DUPLICATE.format(what=what, value=getattr(x, field), a=seen[value], b=x.name))
        seen[value] = x.name


def read_csv(path: Path | str, previous: Roster | None = None) -> Roster:
    """The roster in an organiser's CSV; learners on `previous` keep their codes."""
    path = Path(path)
    if not path.is_file():
        raise CourseError(say.ROSTER_MISSING.format(path=path))
    rows = _rows(path)
    if not rows:
        raise CourseError(say.ROSTER_EMPTY.format(path=path))
    header, body = rows[0], rows[1:]
    at = {field: _column(header, field) for field in HEADERS}
    if at["name"] is None:
        raise CourseError(say.ROSTER_NO_NAME.format(path=path, found=", ".join(h.strip() for h in header)))
    if not body:
        raise CourseError(say.ROSTER_EMPTY.format(path=path))
    kept = {(_fold(x.email) or _fold(x.name)): x.code for x in (previous.learners if previous else [])}
    taken, learners = set(kept.values()), []
    for line, row in enumerate(body, start=2):
        cell = {f: (row[i].strip() if i is not None and i < len(row) else "") for f, i in at.items()}
        if not cell["name"]:
            raise CourseError(say.ROSTER_ROW_NO_NAME.format(path=path, line=line))
        code = kept.get(_fold(cell["email"]) or _fold(cell["name"])) or new_code(taken)
        taken.add(code)
        learners.append(Learner(cell["name"], cell["email"], code, cell["platform_id"], cell["hub_user"]))
    for field, what in (("email", "e-mail"), ("platform_id", "platform id"), ("hub_user", "hub user name"),
                        ("code", "code")):
        _unique(learners, field, what)
    return Roster(learners)


def keys_in_notebook(path: Path) -> set[str]:
    """Whose data a saved notebook's boxes say its kernel had (empty for an unreadable file)."""
    from ..answers import learner_keys
    from .screen import read_notebook

    nb, _ = read_notebook(path)
    if nb is None:
        return set()
    return set().union(*(learner_keys(c, None) for c in nb.cells if c.get("cell_type") == "code")) - {""}


def find_learner(roster: Roster, platform_id: str, full_name: str, notebook: Path | None) -> Learner | None:
    """The roster learner a platform's file belongs to: by platform id, else by name, else by the one
    learner code the notebook shows (what `course collect` calls for every file)."""
    found = roster.by_platform_id(platform_id) or (roster.by_name(full_name) if full_name else None)
    if found is None and notebook is not None:
        keys = keys_in_notebook(notebook)
        found = roster.by_key(next(iter(keys))) if len(keys) == 1 else None
    return found


def roster_path(course_root: Path | str) -> Path:
    return Path(course_root) / TRAINER_FOLDER / ROSTER_FILE


def load(course_root: Path | str) -> Roster | None:
    """The course's roster (None when the workshop has none)."""
    path = roster_path(course_root)
    if not path.is_file():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    return Roster([Learner(**entry) for entry in doc.get("learners", [])])


def _private(path: Path, text: str) -> Path:
    """Write a file only its owner can read (names, e-mails and codes stay on the trainer's side)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.chmod(path, 0o600)
    return path


def sheet_html(roster: Roster, company: str) -> str:
    """A printable page: one card per learner with their code and what to do with it."""
    cards = []
    for x in roster.learners:
        how = (msg.SHEET_HUB.format(user=html.escape(x.hub_user)) if x.hub_user
               else msg.SHEET_CODE.format(code=html.escape(x.code)))
        cards.append(f'<div class="card"><div class="name">{html.escape(x.name)}</div>'
                     f'<div class="code">{html.escape(x.code)}</div><p>{how}</p></div>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{msg.SHEET_TITLE}</title><style>'
            "body{font-family:sans-serif}.card{display:inline-block;width:44%;margin:1%;padding:12px;"
            "border:1px dashed #888;vertical-align:top;page-break-inside:avoid}.name{font-weight:bold}"
            ".code{font:bold 28px monospace;letter-spacing:3px;margin:8px 0}</style></head><body>"
            f"<h1>{msg.SHEET_TITLE} - {html.escape(company)}</h1>{''.join(cards)}</body></html>\n")


def codes_csv(roster: Roster) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "email", "code", "hub_user", "platform_id", "nbgrader_id"])
    for x in roster.learners:
        writer.writerow([_no_formula(v) for v in (x.name, x.email, x.code, x.hub_user, x.platform_id, x.student)])
    return out.getvalue()


def _no_formula(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def save(roster: Roster, course_root: Path | str, company: str) -> list[Path]:
    """Write roster.json, the printable sheet and codes.csv into the course's trainer folder."""
    folder = Path(course_root) / TRAINER_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return [_private(folder / ROSTER_FILE, json.dumps(roster.to_json(), indent=1, ensure_ascii=False) + "\n"),
            _private(folder / SHEET_FILE, sheet_html(roster, company)),
            _private(folder / CODES_FILE, codes_csv(roster))]
