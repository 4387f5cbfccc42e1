"""Every learner's own data, without nbgrader: variants, learner codes, the learner's key, the
learner's checks on their own data, the roster, and whose data the grader chooses.

(The same through the real nbgrader pipeline: tests/test_variants_grading.py and the round trip.)
"""
from __future__ import annotations

import hashlib
import io
import itertools
import json
import stat

import pytest

from course import data
from course import learner as learner_side
from course import messages as msg
from course.data import DATASETS, data_fingerprint, read_dataset, read_manifest
from course.data.registry import to_csv_bytes
from course.data.variants import (ALPHABET, LEARNER_ENV, SHARED_KEY, BadCode, VariantData, new_code, parse_code,
                                  variant_id, variant_seed)
from course.errors import CourseError, NotYetRight
from course.grading import variants as grading
from course.learner import identity
from course.modules import MODULES, get_module
from course.paths import MANIFEST, variant_folder
from course.questions import ModuleData, bank_for
from course.questions import compile as check_files
from course.trainer import roster as rosters
from course.trainer.variants import build_cohort, mark_variants, write_cohort_check_files

PROFILE, SEED = "telecom", 7


def base_frame(name: str):
    """A dataset of the workshop's shared data, as a notebook reads it from its file."""
    spec = DATASETS[name]
    return read_dataset(io.BytesIO(to_csv_bytes(data.make(name, PROFILE, SEED), spec.encoding)), name)


# ----------------------------------------------------------------------------- variants

def test_the_variant_seed_is_the_documented_hash_of_the_workshop_seed_and_the_key():
    for seed, key in ((2024, "alice"), (7, "K7F-29Q")):
        digest = hashlib.sha256(f"back-to-the-field|variant|{seed}|{key}".encode()).digest()
        assert variant_seed(seed, key) == int.from_bytes(digest[:4], "big")
    pairs = [(s, k) for s in (7, 2024) for k in ("alice", "bob", "45E-AZG")]
    assert len({variant_seed(s, k) for s, k in pairs}) == len(pairs), "each learner and workshop its own seed"
    assert variant_id(7, "alice") != variant_id(7, "bob") and "alice" not in variant_id(7, "alice")


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.assignment)
def test_two_learners_get_different_data_with_the_same_shapes(module):
    alice, bob = VariantData(PROFILE, SEED, "alice"), VariantData(PROFILE, SEED, "bob")
    seeded = [n for n in module.datasets if DATASETS[n].seeded]
    assert seeded, module
    for name in module.datasets:
        base, mine, theirs = base_frame(name), alice.frame(name), bob.frame(name)
        assert list(mine.columns) == list(theirs.columns) == list(base.columns), name
        assert mine.dtypes.to_dict() == theirs.dtypes.to_dict() == base.dtypes.to_dict(), name
        if DATASETS[name].seeded:
            assert alice.csv(name) != bob.csv(name), name
        else:   # a reference table is the same for everyone
            assert alice.csv(name) == bob.csv(name) == to_csv_bytes(data.make(name, PROFILE, SEED), DATASETS[name].encoding)
    assert alice.fingerprint(module.datasets) != bob.fingerprint(module.datasets)
    assert VariantData(PROFILE, SEED, "alice").csv(seeded[0]) == alice.csv(seeded[0])   # same key, same bytes
    bank = bank_for(module.slug)
    differ = [qid for qid, q in bank.questions.items()
              if q.expected_plain(ModuleData(alice.frame)) != q.expected_plain(ModuleData(bob.frame))]
    assert differ, f"{module.assignment}: the two variants give the same answer to every question"


def test_a_variant_written_for_the_judge_reads_back_as_the_learner_reads_it(tmp_path):
    variant = VariantData(PROFILE, SEED, "alice")
    names = get_module("data_disorder").datasets
    manifest = variant.write(tmp_path, names)
    assert manifest["variant"] == variant_id(SEED, "alice") and read_manifest(tmp_path) == manifest
    assert data_fingerprint(manifest, names) == variant.fingerprint(names)
    for name in names:
        from_file = read_dataset(tmp_path / DATASETS[name].filename, name)
        assert from_file.equals(variant.frame(name)), name


# ----------------------------------------------------------------------------- learner codes

def test_every_single_typo_and_every_swap_in_a_code_is_caught():
    for _ in range(25):
        raw = new_code().replace("-", "")
        assert parse_code(raw) == f"{raw[:3]}-{raw[3:]}"
        for i, ch in itertools.product(range(len(raw)), ALPHABET):
            if ch != raw[i]:
                with pytest.raises(BadCode, match="one character is wrong, or two are swapped"):
                    parse_code(raw[:i] + ch + raw[i + 1:])
        for i, j in itertools.combinations(range(len(raw)), 2):
            if raw[i] != raw[j]:
                swapped = list(raw)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                with pytest.raises(BadCode):
                    parse_code("".join(swapped))


def test_a_code_is_accepted_in_any_reasonable_form_and_refused_in_plain_words():
    code = new_code()
    for typed in (code, code.lower(), code.replace("-", ""), f"  {code[:3]} {code[4:]} "):
        assert parse_code(typed) == code
    with pytest.raises(BadCode, match="has 6 characters .* but this one has 4"):
        parse_code(code.replace("-", "")[:4])
    with pytest.raises(BadCode, match="never use 'O'"):
        parse_code("O" + code[1:])
    with pytest.raises(BadCode, match="text in quotes"):
        parse_code(12345)
    taken = {new_code() for _ in range(50)}
    assert new_code(taken) not in taken


# ----------------------------------------------------------------------------- the learner's key

class Boxes:
    def __init__(self, monkeypatch):
        self.shown = []
        monkeypatch.setattr(learner_side, "_show",
                            lambda box, text, record=None, variant=None: self.shown.append((box, text, variant)))

    @property
    def last(self):
        return self.shown[-1][:2]


@pytest.fixture
def boxes(monkeypatch, tmp_path):
    for name in (LEARNER_ENV, identity.HUB_ENV, "COURSE_DATASETS", "NBGRADER_EXECUTION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    return Boxes(monkeypatch)


def test_a_typo_in_a_code_is_caught_at_use_code_and_nothing_is_saved(boxes):
    code = new_code()
    typo = code[:-1] + next(c for c in ALPHABET if c != code[-1])
    assert learner_side.use_code(typo) is None
    assert boxes.last == ("no", msg.CODE_TYPO.format(code=typo))
    assert not identity.code_path().exists() and identity.learner_key() == (None, None)
    learner_side.use_code(identity.EXAMPLE_CODE)
    assert boxes.last == ("no", msg.CODE_IS_EXAMPLE.format(code=identity.EXAMPLE_CODE))
    learner_side.use_code("")
    assert boxes.last == ("todo", msg.CODE_NONE_YET)


def test_the_saved_code_is_the_key_unless_the_hub_or_the_grader_says_otherwise(boxes, monkeypatch):
    code = new_code()
    assert learner_side.use_code(code.lower()) == code
    assert boxes.last == ("ok", msg.CODE_SAVED.format(code=code))
    assert identity.learner_key() == (code, identity.CODE)       # a new kernel reads it back
    learner_side.use_code("")
    assert boxes.last == ("ok", msg.CODE_KEPT.format(code=code))
    monkeypatch.setenv(identity.HUB_ENV, "ann")
    assert identity.learner_key() == ("ann", identity.HUB)
    monkeypatch.setenv(LEARNER_ENV, "bob")
    assert identity.learner_key() == ("bob", identity.GRADING)
    monkeypatch.setenv(LEARNER_ENV, SHARED_KEY)
    assert identity.learner_key() == (None, identity.GRADING)


def test_a_hand_edited_code_file_picks_no_data(boxes):
    identity.code_path().parent.mkdir(parents=True)
    code = new_code()
    identity.code_path().write_text(json.dumps({"code": code[:-1] + ("2" if code[-1] != "2" else "3")}))
    assert identity.learner_key() == (None, None)


def test_on_a_hub_the_login_is_the_key_and_no_code_is_asked(boxes, monkeypatch):
    monkeypatch.setenv(identity.HUB_ENV, "ann")
    assert learner_side.use_code(new_code()) == "ann"
    assert boxes.last == ("info", msg.CODE_ON_HUB.format(user="ann")) and not identity.code_path().exists()


# ----------------------------------------------------------------------------- the learner's checks

MODULE = get_module("tool_overload")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A module's release folder of a workshop with variants on, checks sealed for two learners."""
    top = tmp_path_factory.mktemp("variants")
    datasets = top / "datasets"
    data.build(datasets, PROFILE, SEED, names=list(MODULE.datasets))
    check_files.write_check_files(datasets, [MODULE])
    keys = [new_code(), new_code()]
    write_cohort_check_files(datasets, [MODULE], build_cohort(datasets, [MODULE], keys, workers=1))
    release = top / "release"
    data.ship(datasets, release / "workshop_data", MODULE.datasets, MODULE.slug)
    mark_variants(release / "workshop_data")
    return release, datasets, keys


def expected(key: str | None, qid: str):
    frames = VariantData(PROFILE, SEED, key).frame if key else base_frame
    return bank_for(MODULE.slug).get(qid).expected(ModuleData(frames))


def differing_question(a: str, b: str) -> str:
    """A question whose expected answer differs between the two learners' data (the key says so)."""
    bank = bank_for(MODULE.slug)
    return next(q for q, question in bank.questions.items()
                if question.kind.to_plain(expected(a, q)) != question.kind.to_plain(expected(b, q)))


def test_each_learner_loads_their_own_data_and_is_checked_on_it(boxes, shipped, monkeypatch):
    release, _, (ann, bob) = shipped
    monkeypatch.chdir(release)
    learner_side.use_code(ann)
    boxes.shown.clear()
    m1 = learner_side.Module(MODULE.slug)
    assert msg.DATA_FOR.format(who=msg.LEARNER_CODE.format(code=ann)) in boxes.shown[0][1]
    assert boxes.shown[0][2] == {"module": MODULE.slug, "learner": ann}
    assert m1.load("stack_inventory").equals(VariantData(PROFILE, SEED, ann).frame("stack_inventory"))
    assert not m1.load("stack_inventory").equals(VariantData(PROFILE, SEED, bob).frame("stack_inventory"))
    qid = differing_question(ann, bob)
    m1.check(qid, expected(ann, qid))
    assert boxes.last[0] == "ok"
    m1.check(qid, expected(bob, qid))                 # the neighbour's answer
    assert boxes.last[0] == "no" and boxes.shown[-1][2] == {"module": MODULE.slug, "learner": ann}


def test_without_a_key_the_module_says_how_to_enter_it_and_shows_the_shared_data(boxes, shipped, monkeypatch):
    release, datasets, _ = shipped
    monkeypatch.chdir(release)
    m1 = learner_side.Module(MODULE.slug)
    assert ("todo", msg.NO_KEY_YET) in [b[:2] for b in boxes.shown]
    assert m1.load("stack_inventory").equals(data.read_dataset(datasets / "stack_inventory.csv", "stack_inventory"))
    qid = next(iter(bank_for(MODULE.slug).questions))
    m1.check(qid, expected(None, qid))
    assert boxes.last[0] == "ok" and boxes.shown[-1][2] == {"module": MODULE.slug, "learner": None}


def test_a_learner_off_the_roster_still_gets_kind_shape_and_name_messages(boxes, shipped, monkeypatch):
    release, _, _ = shipped
    monkeypatch.chdir(release)
    stranger = new_code()
    monkeypatch.setenv(LEARNER_ENV, stranger)
    m1 = learner_side.Module(MODULE.slug)
    assert ("info", msg.NO_PERSONAL_CHECKS.format(who=msg.LEARNER_CODE.format(code=stranger))) in \
        [b[:2] for b in boxes.shown]
    m1.check("shelfware", expected(stranger, "shelfware"))
    assert boxes.last == ("info", msg.FORM_ONLY_OK)
    m1.check("shelfware", ["Not A Tool"])
    assert boxes.last[0] == "no" and "not in the data" in boxes.last[1]
    m1.check("shelfware_savings", "a lot")
    assert boxes.last[0] == "no" and "Expected an amount of money" in boxes.last[1]
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(NotYetRight, match="No personal checks"):
        learner_side.Module(MODULE.slug, quiet=True).check("shelfware", expected(stranger, "shelfware"))


def test_the_cohort_writes_each_learners_variant_for_the_judge_only(shipped):
    release, datasets, keys = shipped
    for key in keys:
        folder = variant_folder(datasets, variant_id(SEED, key))
        assert read_manifest(folder)["files"] == VariantData(PROFILE, SEED, key).files(MODULE.datasets)
    assert stat.S_IMODE((datasets / "variants").stat().st_mode) == 0o700
    assert not (release / "workshop_data" / "variants").exists()
    doc = json.loads((release / "workshop_data" / "checks" / f"{MODULE.slug}.json").read_text())
    assert sorted(doc["variants"]) == sorted(["default"] + [variant_id(SEED, k) for k in keys])
    assert not any(k in json.dumps(doc) for k in keys)           # the codes are not in the learners' file
    assert json.loads((release / "workshop_data" / MANIFEST).read_text())["variants"] is True


# ----------------------------------------------------------------------------- whose data the grader picks

ROSTER = [{"name": "Ann Lee", "email": "ann@x.org", "code": "AAA-AAA", "platform_id": "1001", "hub_user": ""},
          {"name": "Bob Ray", "email": "bob@x.org", "code": "BBB-BBB", "platform_id": "", "hub_user": ""},
          {"name": "Cy Hub", "email": "", "code": "CCC-CCC", "platform_id": "", "hub_user": "cy"}]


def test_the_grader_grades_on_the_rosters_key_and_flags_other_data():
    assert grading.choose_key("1001", ROSTER, ["AAA-AAA"]) == ("AAA-AAA", "roster", [])
    assert grading.choose_key("BBB-BBB", ROSTER, []) == ("BBB-BBB", "roster", [])
    assert grading.choose_key("cy", ROSTER, ["cy"]) == ("cy", "roster", [])
    key, _, flags = grading.choose_key("1001", ROSTER, ["BBB-BBB"])   # worked on Bob's data
    assert key == "AAA-AAA" and flags == [grading.WORKED_ON_OTHER.format(name="Bob Ray", key="BBB-BBB")]
    assert grading.choose_key("1001", ROSTER, [""])[2] == [grading.WORKED_ON_SHARED]
    assert grading.choose_key("1001", ROSTER, ["ZZZ-ZZZ"])[2] == [grading.WORKED_ON_UNKNOWN.format(key="ZZZ-ZZZ")]


def test_without_a_roster_the_hub_login_is_the_key_and_off_roster_learners_are_flagged():
    assert grading.choose_key("dan", None, ["dan"]) == ("dan", "hub login", [])
    key, how, flags = grading.choose_key("9999", ROSTER, [""])           # off the roster, no code entered
    assert (key, how) == (None, "notebook") and flags == [grading.NOT_ON_ROSTER.format(what=grading.SHARED_WHAT)]
    key, _, flags = grading.choose_key("9999", ROSTER, ["AAA-AAA"])      # off the roster, on Ann's data
    assert key == "AAA-AAA" and grading.NOT_ON_ROSTER.format(what="the data of AAA-AAA") in flags
    assert grading.choose_key("9999", ROSTER, [])[:2] == ("9999", "student id")


# ----------------------------------------------------------------------------- the roster

def test_a_roster_csv_from_excel_gets_codes_that_survive_a_new_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("Name;E-mail;Moodle ID;Hub username\nAnn Lée;ann@x.org;1001;\nBob Ray;bob@x.org;;bob\n"
                     "\n".encode("cp1252"))
    first = rosters.read_csv(path)
    ann, bob = first.learners
    assert (ann.name, ann.platform_id, ann.student, ann.key) == ("Ann Lée", "1001", "1001", ann.code)
    assert (bob.student, bob.key) == ("bob", "bob") and parse_code(bob.code) == bob.code
    path.write_text("name,email\nCara Diaz,cara@x.org\nBob Ray,BOB@x.org\nAnn Lee,ann@x.org\n", encoding="utf-8-sig")
    again = rosters.read_csv(path, previous=first)
    assert {x.name: x.code for x in again.learners}["Bob Ray"] == bob.code
    assert {x.email: x.code for x in again.learners}["ann@x.org"] == ann.code
    assert again.by_name("ann lee").email == "ann@x.org" and again.by_key(bob.code).name == "Bob Ray"


@pytest.mark.parametrize("text,problem", [
    ("email\nann@x.org\n", "no column of names"),
    ("name,email\nAnn,ann@x.org\n,bob@x.org\n", "Line 3"),
    ("name,email\nAnn,ann@x.org\nBob,ANN@x.org\n", "same e-mail"),
    ("name,email\n", "lists no learner"),
])
def test_a_bad_roster_is_refused_in_plain_words(tmp_path, text, problem):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    with pytest.raises(CourseError, match=problem):
        rosters.read_csv(path)


def test_the_roster_and_its_sheet_stay_on_the_trainers_side(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('name,email\n<script>alert(1)</script>,x@x.org\n=HYPERLINK("x"),y@x.org\n')
    roster = rosters.read_csv(path)
    written = rosters.save(roster, tmp_path / "course", "Company")
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    sheet = (tmp_path / "course" / "trainer" / rosters.SHEET_FILE).read_text()
    assert "<script>" not in sheet and "&lt;script&gt;" in sheet and roster.learners[0].code in sheet
    assert "'=HYPERLINK" in (tmp_path / "course" / "trainer" / rosters.CODES_FILE).read_text()
    assert rosters.load(tmp_path / "course") == roster
