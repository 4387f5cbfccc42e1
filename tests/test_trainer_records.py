"""The trainer's JSON records: read back as written, and a failed save keeps the previous file."""
from __future__ import annotations

import pytest

from course.trainer.records import read_record, write_record


def test_a_record_reads_back_what_was_saved_and_is_empty_before(tmp_path):
    path = tmp_path / "trainer" / "ledger.json"
    assert read_record(path) == {}
    write_record(path, {"m1": {"ann": {"status": "graded"}}})
    assert read_record(path) == {"m1": {"ann": {"status": "graded"}}}
    assert [p.name for p in path.parent.iterdir()] == ["ledger.json"], "no temporary file is left behind"


def test_a_save_that_fails_keeps_the_previous_record(tmp_path):
    path = tmp_path / "history.json"
    write_record(path, {"collects": [1]})
    with pytest.raises(TypeError):
        write_record(path, {"collects": [object()]})
    assert read_record(path) == {"collects": [1]}
    assert [p.name for p in tmp_path.iterdir()] == ["history.json"]
