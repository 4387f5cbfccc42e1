"""Build each module's check file from the answer key: the part of its questions a learner may see, and
the seals of the expected answers and mistakes for each data variant (format: course.checks.checkfile).

    check_file("tool_overload", {"default": module_data(folder, info)})   -> JSON-able dict
    write_check_files(folder)                                             -> checks/<slug>.json
    build(out_dir, profile, seed)                                         -> datasets + check files

`variants` maps a variant id to that variant's ModuleData: "default", built from the course's
datasets, and in a workshop with per-learner data one per roster learner (course.trainer.variants
makes their seals in parallel and `assemble`s the file; their data fingerprints tell them apart).
Building needs the key, so it only runs on the trusted side (`course data build`, `course workshop`).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from .. import data as datasets
from ..checks import keyed, salt_for
from ..checks.checkfile import FORMAT
from ..data import DATASETS, data_fingerprint, read_dataset, read_manifest
from ..modules import MODULES, ModuleInfo, get_module
from ..paths import CHECKS, check_file_path, datasets_dir
from . import ModuleData, Question, QuestionBank, bank_for

DEFAULT_VARIANT = "default"


def module_data(folder: Path | str, info: ModuleInfo) -> ModuleData:
    """A module's datasets as its notebook reads them from `folder`, with their data fingerprint."""
    folder = Path(folder)
    fingerprint = data_fingerprint(read_manifest(folder), info.datasets)
    return ModuleData(lambda name: read_dataset(folder / DATASETS[name].filename, name), fingerprint)


def _mistake_seal(question: Question, mistake, data: ModuleData, digest):
    """One mistake's seal, or None where its answer cannot be computed on this data (the judge skips it too)."""
    try:
        return question.kind.seal(question.mistake_plain(mistake, data), digest)
    except Exception:  # noqa: BLE001 - the same rule as Question._lazy_mistakes
        return None


def question_seals(question: Question, data: ModuleData, module: str, variant: str) -> dict:
    """The salted seals of one question's expectation and mistakes on one variant's data."""
    salt = salt_for(module, question.id, variant, data.fingerprint)
    digest = keyed(salt)
    return {"salt": salt, "answer": question.kind.seal(question.expected_plain(data), digest),
            "mistakes": [_mistake_seal(question, m, data, digest) for m in question.mistakes]}


def variant_seals(bank: QuestionBank, data: ModuleData, variant: str) -> dict:
    """Every question's seals for one data variant, with the fingerprint that selects them."""
    if not data.fingerprint:
        raise ValueError(f"variant {variant!r} of {bank.module} has no data fingerprint")
    return {"data": data.fingerprint,
            "seals": {qid: question_seals(q, data, bank.module, variant) for qid, q in bank.questions.items()}}


def check_file(module: str | int, variants: Mapping[str, ModuleData]) -> dict:
    """A module's check file: public questions, and per data variant the seals (see the module docstring)."""
    bank = bank_for(get_module(module).slug)
    return assemble(module, {vid: variant_seals(bank, d, vid) for vid, d in variants.items()})


def assemble(module: str | int, seals: Mapping[str, dict]) -> dict:
    """A module's check file from variant seals already made (variant_seals), e.g. in parallel."""
    info = get_module(module)
    return {"format": FORMAT, "module": info.slug,
            "questions": [q.public() for q in bank_for(info.slug).questions.values()],
            "variants": dict(seals)}


def write_check_file(folder: Path | str, doc: dict) -> Path:
    """Write one check file into a datasets folder (same document, same bytes)."""
    path = check_file_path(folder, doc["module"])
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_check_files(folder: Path | str | None = None, modules: list[ModuleInfo] | None = None) -> list[Path]:
    """Write checks/<slug>.json for every module whose datasets are all in `folder`; same data, same bytes."""
    folder = Path(folder) if folder is not None else datasets_dir()
    manifest = read_manifest(folder)
    (folder / CHECKS).mkdir(exist_ok=True)
    written = []
    for info in modules or MODULES:
        if not data_fingerprint(manifest, info.datasets):
            continue
        written.append(write_check_file(folder, check_file(info.slug, {DEFAULT_VARIANT: module_data(folder, info)})))
    return written


def build(out_dir: Path | str | None = None, profile: str = datasets.DEFAULT_PROFILE,
          seed: int = datasets.DEFAULT_SEED) -> dict:
    """Build the datasets (course.data.build) and then every module's check file beside them."""
    manifest = datasets.build(out_dir, profile=profile, seed=seed)
    write_check_files(out_dir)
    return manifest
