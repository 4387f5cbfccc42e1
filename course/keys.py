"""Whose data: the names and hashes that say which learner's variant a kernel, a check file or the
judge works on. Light on purpose (hashlib only): nbgrader's process reads them without pandas."""
from __future__ import annotations

import hashlib

LEARNER_ENV = "COURSE_LEARNER"
SHARED_KEY = "*"
# A workshop's shipped manifest says whether each learner gets their own data.
VARIANTS = "variants"


def variants_on(manifest: dict) -> bool:
    """Whether the data in this manifest's folder are the base of per-learner variants."""
    return manifest.get(VARIANTS) is True


def variant_seed(seed: int, key: str) -> int:
    """The seed a learner's own data are generated from (deterministic, different for each key)."""
    digest = hashlib.sha256(f"back-to-the-field|variant|{int(seed)}|{key}".encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big")


def variant_id(seed: int, key: str) -> str:
    """How check files and the trainer's copies name a learner's variant, without the key in clear."""
    return "v-" + hashlib.sha256(f"back-to-the-field|variant-id|{int(seed)}|{key}".encode("utf-8")).hexdigest()[:16]
