"""Grade each learner on their own data, in a workshop that gives every learner their own variant.

`ChooseVariant` runs before Execute in the kit's autograde pipeline (so plain `nbgrader autograde`
with the kit's config does it too). When the module's shipped manifest (in its *source* folder,
which learners never touch) says variants are on, it decides whose data the submission is graded on:

1. the roster (trainer/roster.json): the nbgrader student id names a roster learner, whose key it is;
2. without a roster (a hub with variants on): the student id is the hub login, which is the key;
3. a learner the roster does not list: the one key the saved notebook says its kernel used (the
   shared data, a code), else the student id; flagged, so the trainer decides.

It records the key for the learner's kernel (GuardedExecute sets COURSE_LEARNER from it) and for
the judge (`judge_source`: the learner's variant the workshop wrote, or the key, which the judge
makes the variant from). Whose data the saved notebook's boxes say it used (kept by KeepCheckCounts
before nbgrader clears outputs) is compared with it: a notebook that worked on another learner's
data, or on the shared data, is flagged ("worked on learner X's data"), and its copied numbers
score zero, being judged on the learner's own data.
"""
from __future__ import annotations

import json
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..answers import MAX_TEXT
from ..keys import SHARED_KEY, variant_id, variants_on
from ..modules import get_module
from ..paths import MANIFEST, shipped_data, variant_folder
from .sandbox.execute import STATE

KEYS_KEY = "course_learner_keys"    # notebook metadata, from the sanitize phase to the autograde phase
ROSTER = Path("trainer") / "roster.json"

NOT_ON_ROSTER = "This learner is not on the workshop's roster: graded on {what}."
WORKED_ON_OTHER = "Worked on {name}'s data ({key}), not their own: answers copied from those data score zero."
WORKED_ON_SHARED = ("Worked on the workshop's shared data (no learner code entered), not their own: those "
                    "answers score zero. Ask them to enter their code in START_HERE and run the module again.")
WORKED_ON_UNKNOWN = "Worked on the data of {key}, which no learner on the roster has, not their own."
HANDED_OTHER = ("The grading run's answers say they were computed on other data ({key}) than this learner's: "
                "the notebook may change whose data it loads. Graded on the learner's own data.")
SHARED_WHAT = "the workshop's shared data (its notebook used no learner code)"


def _roster(root: Path) -> list[dict] | None:
    """The roster's learners as plain records (None when the workshop has no roster)."""
    path = root / ROSTER
    if not path.is_file():
        return None
    return list(json.loads(path.read_text(encoding="utf-8")).get("learners", []))


def _student_of(entry: dict) -> str:
    return entry.get("hub_user") or entry.get("platform_id") or entry["code"]


def _key_of(entry: dict) -> str:
    return entry.get("hub_user") or entry["code"]


def choose_key(student: str, roster: list[dict] | None, claimed: list[str]) -> tuple[str | None, str, list[str]]:
    """(key to grade on, None for the shared data; how it was chosen; flags) for one submission."""
    mine = next((e for e in roster or [] if _student_of(e) == student), None)
    flags = []
    if mine is not None:
        key, how = _key_of(mine), "roster"
    elif roster is None:
        key, how = student, "hub login"
    else:
        named = sorted(set(claimed))
        key = (named[0] or None) if len(named) == 1 else student
        how = "notebook" if len(named) == 1 else "student id"
        flags.append(NOT_ON_ROSTER.format(what=SHARED_WHAT if key is None else f"the data of {key}"))
    for other in sorted(set(claimed) - {key or ""}):
        flags.append(_worked_on(other, roster))
    return key, how, flags


def _worked_on(key: str, roster: list[dict] | None) -> str:
    """The flag for a notebook whose boxes say it worked on `key`'s data ("" = the shared data)."""
    if not key:
        return WORKED_ON_SHARED
    owner = next((e for e in roster or [] if key in (_key_of(e), e["code"])), None)
    if owner is None and roster is not None:
        return WORKED_ON_UNKNOWN.format(key=key)
    return WORKED_ON_OTHER.format(name=owner["name"] if owner else key, key=key)


def handed_over_flags(key: str | None, answers: dict) -> list[str]:
    """A flag when the grading kernel's hand-overs name other data than the key it was given."""
    seen = {entry.get("learner") for entry in answers.values() if entry}
    return [HANDED_OTHER.format(key=k or "the shared data") for k in sorted(seen - {key}, key=str)]


def judge_source(state: dict, base: str | None) -> tuple[str | None, str | None]:
    """(datasets folder, learner key) for the judge: the learner's variant the workshop wrote, if any,
    else the base folder and the key the judge makes the variant from (None: the folder's own data)."""
    chosen = state.get("variant")
    if not chosen or chosen["key"] is None:
        return base, None
    return (chosen["folder"], None) if chosen.get("folder") else (base, chosen["key"])


def _holds(folder: Path, names) -> bool:
    """Whether a learner's variant written by the workshop holds every dataset the module reads."""
    from ..data import DATASETS   # here, not at import: nbgrader's process loads pandas only for a workshop with variants

    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError):
        return False
    return all(DATASETS[n].filename in files for n in names)


class ChooseVariant(NbGraderPreprocessor):
    """Decide whose data a submission is graded on (see the module docstring)."""

    course_root = Unicode("", help="The course folder holding trainer/roster.json and datasets/variants/ "
                                   "(default: nbgrader's course root).").tag(config=True)

    def preprocess(self, nb, resources):
        state = resources.setdefault(STATE, {})
        root = Path(self.course_root or CourseDirectory(config=self.config).root)
        coursedir = CourseDirectory(config=self.config)
        source = shipped_data(coursedir.format_path(coursedir.source_directory, ".", resources["nbgrader"]["assignment"]))
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8")) if source else {}
        if not variants_on(manifest):
            state["variant"] = None
            return nb, resources
        claimed = [k for k in nb.metadata.pop(KEYS_KEY, []) or [] if isinstance(k, str) and len(k) <= MAX_TEXT]
        key, how, flags = choose_key(resources["nbgrader"]["student"], _roster(root), claimed)
        folder = variant_folder(root / "datasets", variant_id(manifest["seed"], key)) if key else None
        written = folder is not None and _holds(folder, get_module(resources["nbgrader"]["notebook"]).datasets)
        state["variant"] = {"key": key, "how": how, "folder": str(folder) if written else None}
        state["learner"] = key or SHARED_KEY   # what the learner's kernel is told (COURSE_LEARNER)
        state.setdefault("flags", []).extend(flags)
        return nb, resources
