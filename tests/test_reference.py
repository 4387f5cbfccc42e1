"""Reference tables (course.data.reference): carded datasets that notebooks load, one definition each."""
from __future__ import annotations

import pytest

from course import data
from course.data.reference import COUNTRIES, COUNTRY_CODES, DOMAIN_TYPOS, REFERENCE_TABLES
from course.data.registry import DATASETS, to_csv_bytes
from course.measures.themes import THEME_KEYWORDS
from course.modules import MODULES, get_module
from course.paths import REPO_ROOT

# What each module's notebook runs instead of importing generator internals (the lead's script writes
# them in): the setup cell binds the tables (course.modules' manifest), and the next cell turns them
# into the look-up dictionaries the exercises use. `mN` is the module handle the setup cell makes.
SETUP_LINES = {
    "data_disorder": 'country_codes = m3.load("country_codes")\ndomain_typos = m3.load("domain_typos")\n',
    "reconnection": 'theme_keywords = m5.load("theme_keywords")\n',
    "capstone": 'theme_keywords = m6.load("theme_keywords")\n',
}
_THEMES = 'THEME_KEYWORDS = theme_keywords.groupby("theme", sort=False)["keyword"].agg(tuple).to_dict()\n'
LOOKUP_CELLS = {
    "data_disorder": ('DOMAIN_TYPOS = dict(zip(domain_typos["wrong_domain"], domain_typos["right_domain"]))\n'
                      'COUNTRY_CODES = dict(zip(country_codes["written_as"], country_codes["iso_code"]))\n'),
    "reconnection": _THEMES,
    "capstone": _THEMES,
}
DEFINED = {"COUNTRY_CODES": COUNTRY_CODES, "DOMAIN_TYPOS": DOMAIN_TYPOS, "THEME_KEYWORDS": THEME_KEYWORDS}


class _Handle:
    """What a setup cell's `mN` offers these lines: `load(name)`, reading the built datasets."""

    load = staticmethod(data.load)


@pytest.mark.parametrize("slug", sorted(SETUP_LINES))
def test_setup_and_look_up_lines_rebuild_the_kits_own_tables_from_the_datasets(slug):
    module = get_module(slug)
    namespace = {module.handle: _Handle()}
    exec(SETUP_LINES[slug] + LOOKUP_CELLS[slug], namespace)  # noqa: S102 (the test's own fixed text)
    rebuilt = {name: namespace[name] for name in DEFINED if name in namespace}
    assert rebuilt, slug
    for name, value in rebuilt.items():
        assert value == DEFINED[name], name
        assert list(value) == list(DEFINED[name]), f"{name}: same order as the kit's"
    # The setup lines are `variable = mN.load("dataset")` pairs the module's manifest declares.
    for line in SETUP_LINES[slug].splitlines():
        variable, dataset = line.split(" = ")[0], line.split('"')[1]
        assert line == f'{variable} = {module.handle}.load("{dataset}")'
        assert module.tables.get(variable) == dataset, f"{slug}: {variable} is not in the manifest"


@pytest.mark.parametrize("name", REFERENCE_TABLES)
def test_a_reference_table_is_the_same_for_every_profile_and_seed(name):
    spec = DATASETS[name]
    assert spec.seeded is False
    first = to_csv_bytes(data.make(name, "retail", 2024), spec.encoding)
    for profile in data.PROFILES:
        for seed in (0, 7):
            assert to_csv_bytes(data.make(name, profile, seed), spec.encoding) == first


@pytest.mark.parametrize("name", REFERENCE_TABLES)
def test_a_reference_table_has_a_card_and_loads_as_text(name):
    spec = DATASETS[name]
    card = (REPO_ROOT / "datasets" / f"{name}.md").read_text(encoding="utf-8")
    assert spec.title in card and "same for every sector profile and every seed" in card
    frame = data.load(name)
    assert list(frame.columns) == [c.name for c in spec.columns]
    assert frame.notna().all().all() and len(frame) == len(frame.drop_duplicates())
    assert any(name in m.datasets for m in MODULES), f"no module ships {name}"


def test_country_codes_translate_every_style_of_every_country():
    table = dict(zip(data.load("country_codes")["written_as"], data.load("country_codes")["iso_code"]))
    for iso2, styles in COUNTRIES.items():
        for style in styles + (iso2,):
            assert table.get(f"  {style} ".strip().upper(), iso2) == iso2, style
    assert set(table.values()) <= set(COUNTRIES)
    assert not set(COUNTRIES) & set(table), "two-letter codes are left as they are"


def test_no_wrong_domain_is_part_of_a_right_one():
    typos = data.load("domain_typos")
    assert not any(w in r for w in typos["wrong_domain"] for r in typos["right_domain"])
    assert set(typos["wrong_domain"]).isdisjoint(typos["right_domain"])
