"""Bad input at the command line gets one plain sentence and exit code 2, never a traceback."""
from __future__ import annotations

import pytest

from course.cli import main
from course.data.profiles import PROFILES
from course.modules import MODULES


@pytest.mark.parametrize("argv,says", [
    (["data", "build", "--profile", "nope"], ["no sector profile called 'nope'", *PROFILES]),
    (["workshop", "--profile", "nope"], ["no sector profile called 'nope'"]),
    (["workshop", "--modules", "9"], ["no module called '9'", *(m.assignment for m in MODULES)]),
    (["release", "m9"], ["no module called 'm9'", *(m.assignment for m in MODULES)]),
])
def test_bad_input_is_one_sentence(argv, says, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv + (["--out", str(tmp_path / "out")] if argv[0] in ("data", "workshop") else [])) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("course: ") and err.count("\n") == 1, err
    for phrase in says:
        assert phrase in err
    assert not (tmp_path / "out").exists(), "a refused command must not leave files behind"
