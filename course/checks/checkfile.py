"""A module's check file, as the learner's side reads it: everything a check may know, and no answer key.

The trusted side writes one JSON file per module beside the datasets (`checks/<slug>.json`, see
course.questions.compile); the learner's side reads it from the same folder it reads data from:

    {"format": 1, "module": "tool_overload",
     "questions": [{"id", "variable", "test": "test_<id>", "prompt", "kind": <Kind.spec()>,
                    "hints": [...], "done", "example", "mistakes": ["message", ...]}, ...],
     "variants": {"default": {"data": <data fingerprint>,
                              "seals": {"<id>": {"salt", "answer": <seal>, "mistakes": [<seal>|null, ...]}}}}}

A variant's seals are used only when its data fingerprint is the one of the data the learner has
(the files in the folder, or the learner's own variant, course.data.variants), so a check never
judges against other data: it says what to run instead. A workshop's check file holds one variant
per roster learner (named by course.data.variants.variant_id, not by the learner's key) and the
shared data's "default"; a learner with their own data but no variant of their own in it
(`personal=True`) still gets the questions, hints and kinds, with no seals (`has_seals` is False).
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import messages as msg
from ..data import data_fingerprint, read_manifest
from ..errors import CourseError, WrongModule
from ..modules import ModuleInfo
from ..paths import check_file_path
from .kinds import Kind, from_spec
from .seals import Digest, keyed

FORMAT = 1


class ChecksUnavailable(CourseError):
    """The module's check file is missing, or was built for other data: one sentence says what to run."""


class CheckFile:
    """The public part of a module's questions and the seals made for the data in `folder`."""

    def __init__(self, info: ModuleInfo, folder: Path | str, fingerprint: str | None = None,
                 personal: bool = False):
        folder = Path(folder)
        path = check_file_path(folder, info.slug)
        if not path.is_file():
            raise ChecksUnavailable(msg.CHECKS_MISSING.format(folder=folder))
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ChecksUnavailable(msg.CHECKS_MISSING.format(folder=folder)) from None
        if fingerprint is None:
            fingerprint = data_fingerprint(read_manifest(folder), info.datasets)
        ours = doc.get("format") == FORMAT and doc.get("module") == info.slug
        variants = doc.get("variants", {}) if ours else {}
        chosen = [(vid, v) for vid, v in variants.items() if fingerprint and v.get("data") == fingerprint]
        if not chosen and not (personal and ours):
            raise ChecksUnavailable(msg.CHECKS_OTHER_DATA.format(folder=folder))
        self.module = info.slug
        self.variant, variant = chosen[0] if chosen else (None, {"seals": {}})
        self.questions: dict[str, dict] = {q["id"]: q for q in doc["questions"]}
        self._seals: dict[str, dict] = variant["seals"]
        self._kinds: dict[str, Kind] = {}
        self._digests: dict[str, Digest] = {}

    def question(self, qid: str) -> dict:
        """The public part of one question; an unknown id lists the real ones."""
        try:
            return self.questions[qid]
        except (KeyError, TypeError):
            known = ", ".join(self.questions) or "(none)"
            raise WrongModule(msg.UNKNOWN_QUESTION.format(qid=qid, module=self.module, known=known)) from None

    @property
    def has_seals(self) -> bool:
        """Whether this file holds seals for the learner's data (False: kinds and hints only)."""
        return self.variant is not None

    def kind(self, qid: str) -> Kind:
        """The question's answer kind, rebuilt from its spec."""
        if qid not in self._kinds:
            self._kinds[qid] = from_spec(self.question(qid)["kind"])
        return self._kinds[qid]

    def sealed(self, qid: str) -> dict:
        """The expectation's seal and each mistake's (seal, message), as `verdict` takes them."""
        seals = self._seals[qid]
        return {"answer": seals["answer"], "mistakes": list(zip(seals["mistakes"], self.question(qid)["mistakes"]))}

    def digest(self, qid: str) -> Digest:
        """The salted digest the seals of this question were made with."""
        if qid not in self._digests:
            self._digests[qid] = keyed(self._seals[qid]["salt"])
        return self._digests[qid]
