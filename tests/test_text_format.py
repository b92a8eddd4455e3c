"""The format decides Markdown, everywhere: what check accepts builds, plain text stays text,
unsafe links are refused in every Markdown field, and every internal link is link-checked."""
from __future__ import annotations

import dataclasses

from bs4 import BeautifulSoup

from conftest import ALPHA, minimal_files, write_corpus
from sourcebook import pipeline
from sourcebook.text import Markdown


def html(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_a_missing_wiki_link_in_a_profile_value_fails_check_not_build(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": ALPHA.replace(
        'founded: {value: "2006",', 'founded: {value: "2006, as a unit of [[missing]]",')})
    check = run_cli("check", "--dossiers", folder)
    assert [line for line in check.lines if "[schema-modeline]" not in line] == [f"{folder}/alpha.yaml:5:40: error[unknown-dossier]: [[missing]] in profile fact "
                           "'founded' names no dossier"]
    build = run_cli("build", "--dossiers", folder, "--out", tmp_path / "site")
    assert build.code == 1 and "Traceback" not in build.err


def test_a_javascript_link_in_a_profile_value_is_refused(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": ALPHA.replace(
        'founded: {value: "2006",', 'founded: {value: "[2006](javascript:alert(1))",')})
    run = run_cli("check", "--dossiers", folder)
    assert run.code == 1
    assert "error[invalid-url]: 'value' of profile fact 'founded' links to 'javascript:alert(1)'" in run.err


def test_a_party_named_like_a_list_is_text_on_every_page(tmp_path):
    alpha = ALPHA.replace("    target: beta\n", "    party: beta-holdings\n")
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": alpha,
                                           "parties.yaml": "- id: beta-holdings\n  name: \"1. Beta Holdings\"\n"})
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    company = html(tmp_path / "site/companies/alpha/index.html").find(id="rival-beta")
    source = html(tmp_path / "site/sources/src-b/index.html").select_one("#cited-by")
    for where in (company, source):
        assert "1. Beta Holdings" in where.get_text() and where.find("ol") is None


def test_a_profile_value_is_inline_markdown_the_same_on_every_page(tmp_path):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": ALPHA.replace(
        'founded: {value: "2006",', 'founded: {value: "1. in *2006*, see [[beta]]",')})
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    company = html(tmp_path / "site/companies/alpha/index.html").find(id="profile_founded").dd
    source = html(tmp_path / "site/sources/src-a/index.html").select_one("#cited-by .entry-text")
    for where in (company, source):
        assert where.find("ol") is None and where.em.get_text() == "2006"
        assert where.find("a", class_="xref").get_text() == "Beta"


def test_the_link_check_reports_a_broken_wiki_link_planted_after_validation(tmp_path, monkeypatch):
    """Wiki-links go through the URL module, so the link check sees them: a link to a dossier that is
    not built (planted here after validation, which would have refused it) fails the build."""
    folder = write_corpus(tmp_path / "d", minimal_files())
    real = pipeline.index

    def planted(corpus, settings):
        alpha = corpus.dossier("alpha")
        claim = dataclasses.replace(alpha.claims[0], text=Markdown("Competes with [[ghost]]."))
        corpus = dataclasses.replace(corpus, dossiers=tuple(
            dataclasses.replace(d, claims=(claim,)) if d.id == "alpha" else d for d in corpus.dossiers))
        return real(corpus, settings)

    monkeypatch.setattr(pipeline, "index", planted)
    try:
        pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    except pipeline.BuildFailed as failed:
        assert [str(p) for p in failed.problems] == [
            "companies/alpha/index.html: error[output-integrity]: links to 'companies/ghost/index.html', "
            "which the build does not write",
            "sources/src-a/index.html: error[output-integrity]: links to 'companies/ghost/index.html', "
            "which the build does not write",
            "topics/market/index.html: error[output-integrity]: links to 'companies/ghost/index.html', "
            "which the build does not write"]
    else:
        raise AssertionError("a link to a page that is not built passed the link check")
    assert not (tmp_path / "site").exists()
