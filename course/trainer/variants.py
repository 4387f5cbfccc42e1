"""Build every roster learner's data and personal checks for a workshop, in parallel (trusted side).

For each learner's key, one worker process makes the learner's variant of the workshop's datasets
(course.data.variants), writes it where the judge reads it (<datasets>/variants/<variant id>/, the
trainer's side: the release never carries it) and seals each module's expected answers on it
(course.questions.compile.variant_seals). Each module's check file then holds the shared data's
seals ("default") and every learner's, and travels with the module's release as before.

    build_cohort(out / "datasets", modules, keys)    -> {module slug: {variant id: seals}}
    write_cohort_check_files(out / "datasets", modules, seals)

`python benchmarks/variants.py` measures it (40 learners x 7 modules, 2 cores).
"""
from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..data import read_manifest
from ..data.variants import VARIANTS, VariantData, variant_id
from ..modules import ModuleInfo, get_module
from ..paths import MANIFEST, VARIANTS_FOLDER, check_file_path, variant_folder


def _learner(job: tuple[str, str, int, str, tuple[str, ...]]) -> tuple[str, dict[str, dict]]:
    """One learner: write their variant's datasets for the judge, seal each module on it."""
    from ..questions import ModuleData, bank_for
    from ..questions.compile import variant_seals

    folder, profile, seed, key, slugs = job
    variant = VariantData(profile, seed, key)
    vid = variant_id(seed, key)
    infos = [get_module(s) for s in slugs]
    names = list(dict.fromkeys(n for info in infos for n in info.datasets))
    out = variant_folder(folder, vid)
    variant.write(out, names)
    seals = {}
    for info in infos:
        data = ModuleData(variant.frame, variant.fingerprint(info.datasets))
        seals[info.slug] = variant_seals(bank_for(info.slug), data, vid)
    return vid, seals


def build_cohort(datasets: Path | str, modules: list[ModuleInfo], keys: list[str],
                 workers: int | None = None) -> dict[str, dict[str, dict]]:
    """Every learner's variant written for the judge and sealed for each module, one process per core."""
    datasets = Path(datasets)
    manifest = read_manifest(datasets)
    slugs = tuple(m.slug for m in modules)
    jobs = [(str(datasets), manifest["profile"], int(manifest["seed"]), key, slugs) for key in dict.fromkeys(keys)]
    (datasets / VARIANTS_FOLDER).mkdir(parents=True, exist_ok=True)
    os.chmod(datasets / VARIANTS_FOLDER, 0o700)   # learners' data stay on the trainer's side
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    if workers == 1:
        done = [_learner(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_learner, jobs))
    cohort: dict[str, dict[str, dict]] = {slug: {} for slug in slugs}
    for vid, seals in done:
        for slug, sealed in seals.items():
            cohort[slug][vid] = sealed
    return cohort


def write_cohort_check_files(datasets: Path | str, modules: list[ModuleInfo],
                             cohort: dict[str, dict[str, dict]]) -> list[Path]:
    """Each module's check file with the shared data's seals and every learner's (same input, same bytes)."""
    from ..questions.compile import DEFAULT_VARIANT, assemble, write_check_file

    written = []
    for info in modules:
        base = json.loads(check_file_path(datasets, info.slug).read_text(encoding="utf-8"))
        seals = {DEFAULT_VARIANT: base["variants"][DEFAULT_VARIANT], **dict(sorted(cohort.get(info.slug, {}).items()))}
        written.append(write_check_file(datasets, assemble(info.slug, seals)))
    return written


def mark_variants(shipped: Path | str) -> None:
    """Say in a shipped manifest that every learner works on their own variant of these data."""
    path = Path(shipped) / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest[VARIANTS] = True
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
