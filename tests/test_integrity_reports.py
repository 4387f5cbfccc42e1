"""The one reader of integrity reports: what JudgeOutside writes, every trainer tool reads back."""
from __future__ import annotations

from course.grading.integrity import all_reports, read_flags, read_report, read_variant, write_report
from course.trainer.compare import integrity_state


def test_every_view_of_the_reports_reads_what_was_written(tmp_path):
    folder = tmp_path / "integrity"
    flags = ["Exercise 'n_tools' was checked with 31 different answers."]
    write_report(folder / "m1" / "ann__m1.json", "ann", "m1", "m1", flags, {"key": "k-ann", "how": "roster"})
    write_report(folder / "m1" / "bob__m1.json", "bob", "m1", "m1", [])

    assert read_report(folder, "m1", "ann")["flags"] == flags
    assert read_flags(tmp_path, "m1", "ann") == flags and read_flags(tmp_path, "m1", "bob") == []
    assert read_variant(folder, "m1", "ann") == {"key": "k-ann", "how": "roster"}
    assert read_variant(folder, "m1", "bob") is None
    assert sorted(all_reports(folder)) == ["m1/ann__m1.json", "m1/bob__m1.json"]
    assert [r["student"] for r in all_reports(folder / "m1").values()] == ["ann", "bob"]
    assert integrity_state(folder) == {"m1/ann__m1.json": flags, "m1/bob__m1.json": []}


def test_a_submission_not_graded_yet_has_no_report_and_no_flags(tmp_path):
    assert read_report(tmp_path, "m1", "carl") == {}
    assert read_flags(tmp_path, "m1", "carl") == [] and read_variant(tmp_path, "m1", "carl") is None
    assert all_reports(tmp_path / "missing") == {} and integrity_state(tmp_path / "missing") == {}
