"""The source registry: well formed, written once into docs/sources.md, and checkable in notebooks."""
from __future__ import annotations

import nbformat
import pytest

from course import sources
from course.paths import solutions_dir
from course.sources import CitationError, check_citations, cited_in, citation_problems, sources_cell
from course.sources.__main__ import main as sources_main


def notebook(tmp_path, *markdown, name="m9_demo.ipynb"):
    """A notebook in tmp_path with one markdown cell per argument (and a code cell first)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")] + [nbformat.v4.new_markdown_cell(m) for m in markdown]
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_registry_is_well_formed():
    assert sources.registry_problems() == []


def test_registry_problems_are_reported(monkeypatch):
    bad = sources.Source(id="Bad Id", citation="", claim="x", primary=sources.Reference("a", "t", url="ftp://x"),
                         access="maybe", essay="no_such_essay", essay_says="y")
    twin = sources.Source(id="ok_twin", citation="same", claim="x", primary=sources.Reference("a", "t"),
                          access=sources.READ_PRIMARY)
    monkeypatch.setattr(sources, "GROUPS", (("Bad", (bad, twin, twin)),))
    problems = " | ".join(sources.registry_problems())
    for expected in ("lower-case letters", "'citation' is empty", "not one of", "not a web address",
                     "'ok_twin' is used by more than one source", "essay 'no_such_essay'"):
        assert expected in problems


def test_docs_file_is_the_rendered_registry():
    assert sources.DOCS_PATH.read_text(encoding="utf-8") == sources.render_markdown(), (
        "docs/sources.md differs from the registry: run `python -m course.sources`")


def test_docs_list_every_source_with_its_citation():
    text = sources.render_markdown()
    for sid, record in sources.SOURCES.items():
        assert f"### `{sid}`" in text and record.citation in text


def test_command_checks_and_writes(tmp_path, capsys):
    out = tmp_path / "sources.md"
    assert sources_main(["--check", "--out", str(out)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert sources_main(["--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == sources.render_markdown()
    assert sources_main(["--check", "--out", str(out)]) == 0


def test_sources_cell_round_trips(tmp_path):
    ids = ["stone_everything_store", "bezos_lex_fridman_2023", "aviva_michael_2020"]
    path = notebook(tmp_path, "## The story\nText.", sources_cell(ids))
    assert cited_in(path) == ids
    assert check_citations(path) == ids
    assert citation_problems(path) == []


def test_sources_cell_refuses_an_unknown_id():
    with pytest.raises(CitationError, match=r"\[stone_everything\] is not in the source registry.*stone_everything_store"):
        sources_cell(["stone_everything"])


def test_unknown_id_is_named_with_a_suggestion(tmp_path):
    path = notebook(tmp_path, "## Sources\n\n- [reichheld_2030] Somebody, somewhere")
    with pytest.raises(CitationError) as caught:
        check_citations(path)
    message = str(caught.value)
    assert "m9_demo.ipynb, cell 1" in message and "[reichheld_2030]" in message and "reichheld_2003" in message


def test_citation_text_must_match_the_registry(tmp_path):
    path = notebook(tmp_path, "## Sources\n\n- [reichheld_2003] Reichheld, HBR")
    problems = citation_problems(path)
    assert len(problems) == 1
    assert "differs from the registry" in problems[0]
    assert sources.SOURCES["reichheld_2003"].citation in problems[0]


def test_duplicates_malformed_lines_and_second_cells_are_reported(tmp_path):
    line = f"- [simpson_1951] {sources.SOURCES['simpson_1951'].citation}"
    path = notebook(tmp_path, f"## Sources\n\n{line}\n{line}\n- Simpson, 1951", "## Sources\n\n" + line)
    problems = " | ".join(citation_problems(path))
    assert "[simpson_1951] is listed more than once" in problems
    assert "'- Simpson, 1951' has no [source_id]" in problems
    assert "2 Sources cells (cells 1, 2)" in problems


def test_an_empty_sources_cell_is_reported(tmp_path):
    path = notebook(tmp_path, "## Sources\n\nNothing yet.")
    assert "lists no source" in citation_problems(path)[0]


def test_a_notebook_without_sources_cell(tmp_path):
    path = notebook(tmp_path, "## The story\n\n- [not_a_citation] a list line outside the Sources cell")
    assert cited_in(path) == []
    assert check_citations(path, required=False) == []
    with pytest.raises(CitationError, match="has no Sources cell"):
        check_citations(path)


def test_source_lookup():
    assert sources.source("goodhart_1975").access == sources.SECONDARY_ONLY
    with pytest.raises(CitationError, match="strathern_1997"):
        sources.source("strathern")


@pytest.mark.parametrize("path", sorted(solutions_dir().rglob("*.ipynb")), ids=lambda p: p.stem)
def test_course_notebooks_cite_only_known_sources(path):
    check_citations(path, required=False)
