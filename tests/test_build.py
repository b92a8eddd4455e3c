"""Building: the pages a reader gets, citations, links, determinism and incremental writes."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ALPHA, BETA, DOSSIERS, ROOT, minimal_files, run_process, write_corpus
from sourcebook import anchors, pipeline
from sourcebook.dates import When
from sourcebook.destinations.folder import MANIFEST


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(folder: Path, out: Path, **kwargs) -> pipeline.Result:
    return pipeline.build(pipeline.Options(dossiers=folder, out=out, **kwargs))


# --- the pages ------------------------------------------------------------------------

def test_page_map_of_the_shipped_site(shipped_site):
    files = set(tree(shipped_site))
    corpus = pipeline.check(pipeline.Options(dossiers=DOSSIERS, config=ROOT / "pyproject.toml")).corpus
    assert {"index.html", "sources/index.html", "static/style.css"} <= files
    assert {f"companies/{d.id}/index.html" for d in corpus.dossiers} <= files
    assert {f"sources/{s.id}/index.html" for s in corpus.sources} <= files
    assert {d.id for d in corpus.dossiers} == {"huawei", "dji", "hikvision", "dahua", "megvii", "iflytek"}


def test_home_lists_every_company_with_counts(corpus, tmp_path):
    build(corpus, tmp_path / "site")
    rows = soup(tmp_path / "site/index.html").select("table.companies tbody tr")
    cells = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in rows]
    assert cells == [["Alpha", "Drones", "1", "1", "2"], ["Beta", "Drones", "1", "0", "1"]]


def test_every_entry_is_a_permalink_with_citations(shipped_site):
    for page in sorted((shipped_site / "companies").glob("*/index.html")):
        html = soup(page)
        ids = {el["id"] for el in html.find_all(id=True)}
        entries = html.select("li.entry, li.relationship, dl.profile > div")
        assert entries, page
        for el in entries:
            markers = el.select(".cites a")
            assert markers, f"{page}: #{el.get('id')} has no citation"
            for a in markers:
                assert a["href"].startswith("#ref_") and a["href"][1:] in ids, (page, a)
                assert a["id"] in ids


def test_references_link_to_source_page_url_and_show_locators(corpus, tmp_path):
    build(corpus, tmp_path / "site")
    html = soup(tmp_path / "site/companies/alpha/index.html")
    refs = html.select("#references ol.references > li")
    assert [r["id"] for r in refs] == ["ref_1", "ref_2"]
    first = refs[0]
    hrefs = [a["href"] for a in first.find_all("a")]
    assert "../../sources/src-a/" in hrefs and "https://example.org/a" in hrefs
    assert "#cite_profile_founded_1" in hrefs and "#cite_rival_1" in hrefs
    assert "(p. 1)" in first.get_text() and "(para 2)" in first.get_text()
    ext = first.find("a", href="https://example.org/a")
    assert ext["rel"] == ["noopener", "noreferrer"]


def test_claims_grouped_by_topic_latest_first(shipped_site):
    corpus = pipeline.check(pipeline.Options(dossiers=DOSSIERS, config=ROOT / "pyproject.toml")).corpus
    for dossier in corpus.dossiers:
        html = soup(shipped_site / f"companies/{dossier.id}/index.html")
        sections = html.select("#claims > section")
        topics = [s["id"].removeprefix("topic_") for s in sections]
        config_order = list(pipeline.read_options_settings(pipeline.Options(config=ROOT / "pyproject.toml"))[0].vocabulary("topics"))
        assert topics == [t for t in config_order if t in topics]
        by_id = {c.id: c for c in dossier.claims}
        for section in sections:
            shown = [by_id[li["id"]] for li in section.select("li.entry")]
            assert {c.topic for c in shown} == {section["id"].removeprefix("topic_")}
            keys = [c.when.sort_key() for c in shown]
            assert keys == sorted(keys, reverse=True), (dossier.id, section["id"])
        assert sum(len(s.select("li.entry")) for s in sections) == len(dossier.claims)


def test_timeline_is_chronological(shipped_site):
    html = soup(shipped_site / "companies/huawei/index.html")
    dates = [When.parse(t["datetime"]).sort_key() for t in html.select("#timeline li.entry .entry-head time")]
    assert len(dates) >= 8 and dates == sorted(dates)


def test_contested_and_unconfirmed_are_marked_in_words(shipped_site):
    corpus = pipeline.check(pipeline.Options(dossiers=DOSSIERS, config=ROOT / "pyproject.toml")).corpus
    seen = set()
    for dossier in corpus.dossiers:
        html = soup(shipped_site / f"companies/{dossier.id}/index.html")
        for entry in dossier.entries:
            if entry.mark:
                seen.add(entry.mark)
                el = html.find(id=entry.id)
                assert el.select_one(".status").get_text().startswith(entry.mark.capitalize() + ".")
                for i, _ in enumerate(entry.responses, 1):
                    response = el.find(id=anchors.response(entry.id, i))
                    assert response is not None and response.select(".cites a")
    assert seen == {"contested", "unanswered", "unconfirmed"}


def test_source_page_lists_everything_citing_it(corpus, tmp_path):
    build(corpus, tmp_path / "site")
    html = soup(tmp_path / "site/sources/src-b/index.html")
    links = [a["href"] for a in html.select("#cited-by a")]
    assert links == ["../../companies/alpha/#listed", "../../companies/alpha/#rival-beta",
                     "../../companies/beta/#founded"]


def test_wikilinks_and_mentioned_in(tmp_path):
    files = {**minimal_files(), "alpha.yaml": ALPHA.replace("Competes with [[beta]].",
                                                             "Competes with [[beta]] and [[beta|its rival]].")}
    build(write_corpus(tmp_path / "d", files), tmp_path / "site")
    alpha = soup(tmp_path / "site/companies/alpha/index.html")
    links = [(a["href"], a.get_text()) for a in alpha.select("#rival a.xref")]
    assert links == [("../../companies/beta/", "Beta"), ("../../companies/beta/", "its rival")]
    beta = soup(tmp_path / "site/companies/beta/index.html")
    mentions = beta.select("#mentioned-in li")
    assert [li.a["href"] for li in mentions] == ["../alpha/#rival", "../alpha/#rival-beta"]
    assert "Competes with" in mentions[0].select_one(".mention-text").get_text()


def test_internal_links_are_relative(shipped_site):
    """Every page but 404.html, which the host serves for any missing path: its links are rooted
    (tests/test_publish.py checks them)."""
    pages = [p for p in shipped_site.rglob("*.html") if p != shipped_site / "404.html"]
    assert len(pages) > 100
    for page in pages:
        for a in soup(page).find_all(["a", "link"], href=True):
            href = a["href"]
            scheme = href.split(":", 1)[0] if ":" in href.split("/", 1)[0] else ""
            assert scheme in ("", "http", "https"), (page, href)
            if not scheme:
                assert not href.startswith("/"), (page, href)  # root-relative would break under a base path


def test_site_works_under_any_base_path(corpus, tmp_path):
    """The same tree, served from a deeper folder, still resolves every internal link."""
    build(corpus, tmp_path / "deep/er/site")
    files = set(tree(tmp_path / "deep/er/site"))
    for page in files:
        if not page.endswith(".html") or page == "404.html":
            continue
        for a in soup(tmp_path / "deep/er/site" / page).find_all(["a", "link"], href=True):
            href = a["href"].split("#")[0]
            if not href or href.startswith("http"):
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(page), href))
            target = target + "/index.html" if href.endswith("/") else target
            assert target.lstrip("./") in files or target == "index.html", (page, a["href"])


def test_every_page_has_a_csp_forbidding_other_origins(shipped_site):
    for page in shipped_site.rglob("*.html"):
        meta = soup(page).find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        policy = meta["content"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
    scripts = [p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*.js")]
    assert "static/search.js" in scripts and all(s.startswith("static/") for s in scripts), scripts


# --- hostile text ------------------------------------------------------------------

def test_html_in_claims_is_shown_as_text_not_run(tmp_path):
    evil = '<script>alert(1)</script> <img src=x onerror=alert(2)> "><b>'
    files = {**minimal_files(), "beta.yaml": BETA.replace("text: Founded in 2001.", f"text: '{evil}'")}
    build(write_corpus(tmp_path / "d", files), tmp_path / "site")
    page = (tmp_path / "site/companies/beta/index.html").read_text()
    assert "<script>alert" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = soup(tmp_path / "site/companies/beta/index.html").find(id="founded").select_one(".entry-text").get_text()
    assert evil in text


def test_source_title_is_escaped_in_attributes(tmp_path):
    sources = minimal_files()["sources.yaml"].replace("title: A report", "title: 'x\" onmouseover=\"alert(1)'")
    build(write_corpus(tmp_path / "d", {**minimal_files(), "sources.yaml": sources}), tmp_path / "site")
    html = soup(tmp_path / "site/companies/alpha/index.html")
    marker = html.select_one("#cite_rival_1")
    assert marker["title"].startswith('x" onmouseover="alert(1)')
    assert not any(attr.startswith("on") for el in html.find_all(True) for attr in el.attrs)


def test_markdown_links_get_rel_and_unsafe_ones_are_refused(tmp_path, run_cli):
    ok = ALPHA.replace("Competes with [[beta]].", "See [the report](https://example.org/r).")
    build(write_corpus(tmp_path / "ok", {**minimal_files(), "alpha.yaml": ok}), tmp_path / "site")
    a = soup(tmp_path / "site/companies/alpha/index.html").select_one("#rival .entry-text a")
    assert a["href"] == "https://example.org/r" and a["rel"] == ["noopener", "noreferrer"]
    for url in ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x", "/etc/passwd"]:
        bad = ALPHA.replace("Competes with [[beta]].", f"See [x]({url}).")
        result = run_cli("check", "--dossiers", write_corpus(tmp_path / url.replace("/", "_"),
                                                              {**minimal_files(), "alpha.yaml": bad}))
        assert result.code == 1 and "error[invalid-url]" in result.err, url


# --- determinism, atomicity, incremental writes --------------------------------------

def test_two_processes_in_two_folders_give_identical_bytes(tmp_path):
    first = run_process("build", "--dossiers", DOSSIERS, "--out", tmp_path / "one/site",
                        "--config", ROOT / "pyproject.toml", cwd=tmp_path)
    (tmp_path / "two").mkdir()
    second = run_process("--out", "site", "--dossiers", DOSSIERS, "--config", ROOT / "pyproject.toml",
                         cwd=tmp_path / "two")
    assert first.code == second.code == 0, first.err + second.err
    one, two = tree(tmp_path / "one/site"), tree(tmp_path / "two/site")
    assert one.keys() == two.keys() and len(one) > 200
    assert [k for k in one if one[k] != two[k]] == []


def test_unchanged_files_keep_bytes_and_mtime(corpus, tmp_path):
    out = tmp_path / "site"
    build(corpus, out)
    past = 1_000_000_000
    for path in out.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))
    (corpus / "beta.yaml").write_text(BETA.replace("Founded in 2001.", "Founded in 2001 in a garage."))
    result = build(corpus, out)
    mtimes = {p.relative_to(out).as_posix(): p.stat().st_mtime for p in out.rglob("*")
              if p.is_file() and p.name != MANIFEST}
    changed = {k for k, m in mtimes.items() if m != past}
    # the claim is on its company page, on its source's page and on its topic's page; and in the dossier's
    # one part of the search index, in the data files that hold the dossier, and in the offline zip that
    # holds all of these
    assert changed == {"companies/beta/index.html", "sources/src-b/index.html", "topics/ownership/index.html",
                       "static/search/companies/beta.js", "data/dossiers.json", "data/companies/beta.json",
                       "data/claims.csv", "sourcebook-offline.zip"}
    assert result.stats is not None and (result.stats.written, result.stats.unchanged) == (8, len(mtimes) - 8)
    assert result.offline is not None and result.offline.deflated == 7  # the zip's members that changed
    assert (out / MANIFEST).stat().st_mtime == past  # the same files: the manifest is kept too
    assert "garage" in (out / "companies/beta/index.html").read_text()


def test_removed_pages_disappear_and_no_temporary_folder_remains(corpus, tmp_path):
    out = tmp_path / "site"
    build(corpus, out)
    (corpus / "beta.yaml").unlink()
    (corpus / "alpha.yaml").write_text(ALPHA.replace("Competes with [[beta]].", "Competes.")
                                       .replace("    target: beta\n", "    party: beta-holdings\n"))
    (corpus / "parties.yaml").write_text("- id: beta-holdings\n  name: Beta Holdings\n")
    build(corpus, out)
    assert not (out / "companies/beta").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossiers", "site"]


def test_a_failed_validation_leaves_the_previous_site(corpus, tmp_path, run_cli):
    out = tmp_path / "site"
    build(corpus, out)
    before = tree(out)
    (corpus / "alpha.yaml").write_text(ALPHA.replace("topic: market", "topic: nope"))
    assert run_cli("build", "--dossiers", corpus, "--out", out).code == 1
    assert tree(out) == before


# --- templates, settings, command line ----------------------------------------------

def test_template_override_replaces_only_the_named_file(corpus, tmp_path):
    theme = write_corpus(tmp_path / "theme", {
        "index.html": "{% extends 'base.html' %}{% block main %}<p id=\"custom\">{{ view.companies|length }} companies</p>"
                      "{% endblock %}"})
    build(corpus, tmp_path / "site", templates=theme)
    assert soup(tmp_path / "site/index.html").find(id="custom").get_text() == "2 companies"
    assert soup(tmp_path / "site/companies/alpha/index.html").find(id="references") is not None


def test_content_is_never_rendered_as_a_template(tmp_path):
    files = {**minimal_files(), "beta.yaml": BETA.replace("Founded in 2001.", "'{{ 7*7 }} {% raw %}'")}
    build(write_corpus(tmp_path / "d", files), tmp_path / "site")
    text = soup(tmp_path / "site/companies/beta/index.html").find(id="founded").get_text()
    assert "{{ 7*7 }} {% raw %}" in text and "49" not in text


def test_nearest_pyproject_above_the_dossiers_is_used(tmp_path):
    write_corpus(tmp_path / "proj", {"pyproject.toml": "[tool.sourcebook]\ntitle = 'Project Title'\n"})
    folder = write_corpus(tmp_path / "proj/content/dossiers", minimal_files())
    build(folder, tmp_path / "site")
    assert soup(tmp_path / "site/index.html").h1.get_text() == "Project Title"


def test_without_settings_the_defaults_build(corpus, tmp_path):
    build(corpus, tmp_path / "site")
    assert soup(tmp_path / "site/index.html").h1.get_text() == "sourcebook"


def test_summary_quiet_and_exit_codes(corpus, tmp_path, run_cli):
    result = run_cli("--dossiers", corpus, "--out", tmp_path / "site")
    assert result.code == 0
    assert result.lines[-1].startswith("built 2 dossiers (2 claims, 1 events, 2 sources) into ")
    # home, 2 companies, topics + 7 topics, sectors + 9 sectors, timeline + 1 year, compare, the relationship
    # graph, sources + 2 sources, data, 404.html; and 21 other files (style.css, social.png, 4 scripts, the
    # search index's 4 parts, the 10 data files, the offline zip), all but the zip in the zip
    assert re.search(r" 30 pages, 51 files written, 0 unchanged; offline copy \d+ kB, 50 of 50 files compressed "
                     r"afresh, in \d+\.\d\d s$", result.lines[-1]), result.lines[-1]
    assert run_cli("build", "-q", "--dossiers", corpus, "--out", tmp_path / "site").err == ""
    assert run_cli("check", "--dossiers", corpus).code == 0


def test_strict_fails_on_warnings(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "beta.yaml": BETA.replace(
        "sources: [{id: src-b, locator: para 3}]", "sources: [src-b]")})
    assert run_cli("check", "--dossiers", folder).code == 0
    strict = run_cli("check", "--strict", "--dossiers", folder)
    assert strict.code == 1 and "warning[missing-locator]" in strict.err
    assert run_cli("build", "--strict", "--dossiers", folder, "--out", tmp_path / "site").code == 1
    assert not (tmp_path / "site").exists()


def test_check_json_format(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": ALPHA.replace("topic: market",
                                                                                          "topic: nope")})
    result = run_cli("check", "--format", "json", "--dossiers", folder)
    report = json.loads(result.out)
    assert result.code == 1 and report["ok"] is False and report["errors"] == 1
    problem = next(p for p in report["problems"] if p["severity"] == "error")
    assert (problem["path"], problem["line"], problem["column"], problem["code"]) == \
        (f"{folder}/alpha.yaml", 8, 12, "unknown-value")


def test_help_and_version_and_usage_errors():
    assert run_process("--help").out.startswith("usage: build.py")
    version = run_process("--version")
    assert version.code == 0 and version.out.startswith("sourcebook 0.")
    bad = run_process("build", "--no-such-flag")
    assert bad.code == 2 and "unrecognized arguments" in bad.err


def test_stats_per_dossier(corpus, run_cli):
    result = run_cli("stats", "--dossiers", corpus)
    assert result.code == 0
    lines = [line.split() for line in result.out.splitlines()]
    assert lines[0] == ["dossier", "claims", "events", "relationships", "sources", "with", "locator",
                        "oldest", "as_of"]
    assert lines[1:] == [["alpha", "1", "1", "1", "2", "100%", "2019-05"],
                         ["beta", "1", "0", "0", "1", "100%", "2001"]]


@pytest.mark.parametrize("command", ["build", "check", "stats"])
def test_no_traceback_on_bad_input(tmp_path, command):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": "id: [unclosed\n"})
    result = run_process(command, "--dossiers", folder, "--out" if command == "build" else "-q",
                         *([tmp_path / "site"] if command == "build" else []))
    assert result.code == 1 and "Traceback" not in result.err
    assert "alpha.yaml:2:1: error[yaml-syntax]" in result.err


def test_offline_links_name_files(corpus, tmp_path, run_cli):
    assert run_cli("build", "--offline", "--dossiers", corpus, "--out", tmp_path / "site").code == 0
    html = soup(tmp_path / "site/companies/alpha/index.html")
    internal = [a["href"] for a in html.find_all("a", href=True) if not a["href"].startswith(("http", "#"))]
    assert "../../index.html" in internal and "../../sources/src-a/index.html" in internal
    assert all(href.split("#")[0].endswith((".html", ".css")) for href in internal), internal
    assert [a["href"] for a in html.select("#rival a.xref")] == ["../../companies/beta/index.html"]
