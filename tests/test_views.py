"""The pages that cut across companies (topics, sectors, timeline, comparison), cite this, related
companies and automatic links, as a reader gets them: parsed from the built HTML and checked against
the dossiers (the model, read by `check`)."""
from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import ALPHA, BETA, DOSSIERS, ROOT, SOURCES, minimal_files, write_corpus
from sourcebook import pipeline, reads
from sourcebook.indexes import year_of
from sourcebook.model import Corpus

CONFIG = ROOT / "pyproject.toml"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return pipeline.check(pipeline.Options(dossiers=DOSSIERS, config=CONFIG)).corpus


_PAGES: dict[Path, BeautifulSoup] = {}


def page(path: Path) -> BeautifulSoup:
    if path not in _PAGES:
        _PAGES[path] = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return _PAGES[path]


def build(folder: Path, out: Path, **kwargs) -> pipeline.Result:
    return pipeline.build(pipeline.Options(dossiers=folder, out=out, **kwargs))


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text("[tool.sourcebook]\n" + text, encoding="utf-8")
    return path


# --- what a reader sees of a citation ------------------------------------------------

SOURCE_HREF = re.compile(r"sources/([a-z0-9]+(?:-[a-z0-9]+)*)/")


def markers(holder: Tag, soup: BeautifulSoup) -> list[tuple[str, str]]:
    """The citation markers of one element (not of its responses): (source id, tooltip), where the
    source is the one its reference on this page leads to, and the tooltip gives title and locator."""
    out = []
    cites = holder.find(class_="cites", recursive=False)
    if cites is None and holder.dd is not None:  # a profile fact: its markers are in its <dd>
        cites = holder.dd.find(class_="cites", recursive=False)
    for a in cites.select("sup.cite a") if cites else ():
        reference = soup.find(id=a["href"].removeprefix("#"))
        assert reference is not None and reference.find_parent(id="references"), a
        found = SOURCE_HREF.search(reference.find("a")["href"])
        assert found, reference
        out.append((found.group(1), a["title"]))
    return out


def words(element: Tag) -> str:
    """An element's text without its citation markers (numbered per page)."""
    return " ".join(" ".join(t for t in element.find_all(string=True) if not t.find_parent(class_="cites")).split())


def cited(entry: Tag, soup: BeautifulSoup) -> dict[str, object]:
    """Everything an entry says, with its citations: its words, status, and each response's markers."""
    text = entry.find(class_="entry-text", recursive=False)
    status = entry.find(class_="status", recursive=False)
    responses = [markers(li, soup) for li in entry.select(":scope > .responses li")]
    reply = entry.find(class_="no-reply", recursive=False)
    return {"text": " ".join(text.get_text(" ").split()) if text else None,
            "status": status.get_text(" ", strip=True) if status else None,
            "markers": markers(entry, soup), "responses": responses,
            "no reply": markers(reply, soup) if reply else None}


def company_page(site: Path, dossier_id: str) -> BeautifulSoup:
    return page(site / "companies" / dossier_id / "index.html")


def view_pages(site: Path) -> list[Path]:
    return sorted(p for folder in ("topics", "timeline", "sectors", "compare") for p in (site / folder).rglob("*.html"))


def foreign(anchor: str) -> tuple[str, str]:
    dossier, _, entry = anchor.partition("--")
    return dossier, entry


# --- every claim shown in a view is the claim in its dossier --------------------------

def test_every_entry_shown_in_a_view_is_cited_as_in_its_dossier(shipped_site: Path, corpus: Corpus) -> None:
    compared = 0
    for path in view_pages(shipped_site):
        soup = page(path)
        for entry in soup.select("li.entry"):
            dossier, entry_id = foreign(entry["id"])
            assert entry_id, f"{path}: an entry with a non-foreign id {entry['id']}"
            home = company_page(shipped_site, dossier)
            original = home.find(id=entry_id)
            assert original is not None, f"{path}: {entry['id']} is not on its dossier's page"
            assert cited(entry, soup) == cited(original, home), f"{path}: {entry['id']}"
            compared += 1
    # each claim on its topic's page, each event on its year's page and, when it has a topic, on that topic's
    assert compared == sum(len(d.claims) + len(d.events) + sum(1 for e in d.events if e.topic) for d in corpus.dossiers)


def test_every_profile_fact_on_a_sector_page_is_cited_as_in_its_dossier(shipped_site: Path, corpus: Corpus) -> None:
    seen = set()
    for path in sorted((shipped_site / "sectors").glob("*/index.html")):
        soup = page(path)
        for fact in soup.select("dl.profile > div"):
            _, dossier, key = fact["id"].split("_")
            home = company_page(shipped_site, dossier)
            original = home.find(id=f"profile_{key}")
            assert markers(fact, soup) == markers(original, home), f"{path}: {fact['id']}"
            assert words(fact.dd) == words(original.dd)
            seen.add((dossier, key))
    assert seen == {(d.id, f.key) for d in corpus.dossiers for f in d.profile}


def test_every_support_in_the_comparison_is_cited_as_in_its_dossier(shipped_site: Path) -> None:
    soup = page(shipped_site / "compare" / "index.html")
    supports = soup.select("td.filled ul.support > li")
    assert len(supports) > 40
    for li in supports:
        href = li.a["href"]
        dossier = re.search(r"companies/([^/]+)/", href).group(1)
        home = company_page(shipped_site, dossier)
        original = home.find(id=href.partition("#")[2])
        assert original is not None, href
        assert markers(li, soup) == markers(original, home), href


# --- what each view holds ------------------------------------------------------------------

def shown(site: Path, folder: str) -> dict[str, list[str]]:
    """page -> the foreign ids of the entries on it, in page order."""
    return {p.relative_to(site).as_posix(): [li["id"] for li in page(p).select("li.entry")]
            for p in sorted((site / folder).rglob("*.html"))}


def test_topic_pages_hold_every_claim_and_event_on_the_topic_by_company(shipped_site: Path, corpus: Corpus) -> None:
    topics = pipeline.read_options_settings(pipeline.Options(config=CONFIG))[0].vocabulary("topics")
    for topic in topics:
        soup = page(shipped_site / "topics" / topic / "index.html")
        expected = []
        for d in corpus.dossiers:
            claims = sorted((e for e in d.claims if e.topic == topic), key=lambda e: e.when.sort_key(), reverse=True)
            events = sorted((e for e in d.events if e.topic == topic), key=lambda e: (e.when.sort_key(), e.when.first_day()))
            expected += [f"{d.id}--{e.id}" for e in claims + events]
        assert [li["id"] for li in soup.select("li.entry")] == expected, topic
        for group in soup.select("section.company-group"):
            dossier = group["id"].removeprefix("group_")
            assert {foreign(li["id"])[0] for li in group.select("li.entry")} == {dossier}


def test_the_timeline_holds_every_event_once_under_its_year_in_order(shipped_site: Path, corpus: Corpus) -> None:
    pages = shown(shipped_site, "timeline")
    events = {f"{d.id}--{e.id}": e for d in corpus.dossiers for e in d.events}
    listed = [anchor for anchors in pages.values() for anchor in anchors]
    assert sorted(listed) == sorted(events)
    order = {f"{d.id}--{e.id}": (d.id, i) for d in corpus.dossiers for i, e in enumerate(d.events)}
    for path, anchors in pages.items():
        if path == "timeline/index.html":
            assert anchors == []
            continue
        year = path.split("/")[1]
        assert {year_of(events[a].when) for a in anchors} == {year}
        keys = [(events[a].when.sort_key(), events[a].when.first_day(), order[a]) for a in anchors]
        assert keys == sorted(keys), path
    overview = page(shipped_site / "timeline" / "index.html")
    rows = {tr.th.get_text(strip=True): int(tr.td.get_text(strip=True)) for tr in overview.select("tbody tr")}
    assert rows == {p.split("/")[1]: len(a) for p, a in pages.items() if p != "timeline/index.html"}


def test_a_period_is_listed_under_the_year_it_ends_and_an_ongoing_one_under_its_start(tmp_path: Path) -> None:
    alpha = ALPHA.replace("    date: 2019-10-09\n", "    date: 2011..2017\n").replace("relationships:\n", """\
  - id: ongoing
    date: 2015..
    text: Still under way.
    sources: [{id: src-b, locator: para 2}]
  - id: until
    date: ..2013-06
    text: Held until mid-2013.
    sources: [{id: src-b, locator: para 4}]
relationships:
""")
    build(write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": alpha}), tmp_path / "site")
    site = tmp_path / "site"
    assert shown(site, "timeline") == {"timeline/2013/index.html": ["alpha--until"],
                                       "timeline/2015/index.html": ["alpha--ongoing"],
                                       "timeline/2017/index.html": ["alpha--listed"], "timeline/index.html": []}
    year = page(site / "timeline/2015/index.html")
    assert year.select_one("li.entry time").get_text(strip=True) == "Since 2015"
    assert [a.get_text(strip=True) for a in year.select(".year-nav a")] == ["← 2013", "2017 →"]


def test_sector_pages_list_the_companies_in_the_sector(shipped_site: Path, corpus: Corpus) -> None:
    sectors = pipeline.read_options_settings(pipeline.Options(config=CONFIG))[0].vocabulary("sectors")
    index = page(shipped_site / "sectors" / "index.html")
    assert len(index.select("ul.topic-list > li")) == len(sectors)
    for sector in sectors:
        soup = page(shipped_site / "sectors" / sector / "index.html")
        listed = [s["id"].removeprefix("group_") for s in soup.select("section.company-group")]
        assert listed == [d.id for d in corpus.dossiers if sector in d.sectors], sector


# --- the comparison ----------------------------------------------------------------------------

def cells(site: Path) -> dict[tuple[str, str], Tag]:
    soup = page(site / "compare" / "index.html")
    facts = [th.get_text(strip=True) for th in soup.select("table.compare thead th")[1:]]
    out = {}
    for tr in soup.select("table.compare tbody tr"):
        dossier = re.search(r"companies/([^/]+)/", tr.th.a["href"]).group(1)
        for label, td in zip(facts, tr.find_all("td")):
            out[dossier, label] = td
    return out


def test_a_cell_is_filled_only_by_entries_that_establish_the_fact(shipped_site: Path, corpus: Corpus) -> None:
    settings = pipeline.read_options_settings(pipeline.Options(config=CONFIG))[0]
    labels = settings.vocabulary("compare")
    found = cells(shipped_site)
    assert len(found) == len(corpus.dossiers) * len(labels)
    for d in corpus.dossiers:
        items = [*d.claims, *d.events, *d.relationships]
        for fact, label in labels.items():
            td = found[d.id, label]
            establishing = {i.id for i in items if fact in i.establishes}
            linked = {a["href"].partition("#")[2] for a in td.select("ul.support > li > a")}
            assert linked == establishing, (d.id, fact)
            if establishing:
                assert "filled" in td["class"]
            else:
                assert td.get_text(strip=True) == "No sourced claim", (d.id, fact)


def test_a_tag_alone_never_fills_a_cell(shipped_site: Path, corpus: Corpus) -> None:
    """DJI's 2021 call by an FCC commissioner is tagged fcc-covered-list; the listing came in 2025."""
    dji = corpus.dossier("dji")
    assert "fcc-covered-list" in dji.events[[e.id for e in dji.events].index("fcc-carr-call-2021")].tags
    td = cells(shipped_site)["dji", "FCC Covered List"]
    assert td.select_one(".cell-date time")["datetime"] == "2025-12-22"
    assert td.select_one(".cell-date").get_text(strip=True) == "22 December 2025"
    assert "fcc-carr-call-2021" not in str(td)


def test_cells_say_contested_and_unconfirmed_support_in_words(shipped_site: Path, corpus: Corpus) -> None:
    found = cells(shipped_site)
    huawei = found["huawei", "Xinjiang allegations"]  # its one support is contested
    assert huawei.select_one(".cell-note").get_text(strip=True) == "Only contested or unconfirmed support"
    assert huawei.select_one(".standing").get_text(strip=True) == "(contested)"
    dahua = found["dahua", "State ownership"]  # one confirmed, one unconfirmed
    assert dahua.select_one(".cell-note") is None
    assert [s.get_text(strip=True) for s in dahua.select(".standing")] == ["(unconfirmed)"]
    assert dahua.select_one(".cell-date").get_text(strip=True) == "As of 2023"
    for td in found.values():  # never a bare "no"
        assert not re.search(r"\bno\b(?! sourced claim)", td.get_text(" ", strip=True), re.IGNORECASE)


def test_relationships_and_undated_entries_establish_too_and_an_unknown_fact_is_an_error(tmp_path: Path, run_cli) -> None:
    alpha = (ALPHA.replace("    sources: [{id: src-a, locator: para 2}]",
                           "    establishes: [listing]\n    sources: [{id: src-a, locator: para 2}]")
             .replace("    target: beta\n", "    target: beta\n    status: unconfirmed\n    establishes: [listing]\n"))
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": alpha})
    build(folder, tmp_path / "site", config=config(tmp_path, '[tool.sourcebook.compare]\nlisting = "Listed"\n'))
    td = cells(tmp_path / "site")["alpha", "Listed"]
    assert [a["href"] for a in td.select("ul.support > li > a")] == ["../companies/alpha/#rival",
                                                                    "../companies/alpha/#rival-beta"]
    assert td.select_one(".cell-date").get_text(strip=True) == "As of May 2019"
    assert [s.get_text(strip=True) for s in td.select(".standing")] == ["(unconfirmed)"]
    bad = write_corpus(tmp_path / "bad", {**minimal_files(), "alpha.yaml": alpha.replace("[listing]", "[listin]", 1)})
    result = run_cli("check", "--dossiers", bad, "--config", tmp_path / "settings.toml")
    assert result.code == 1
    problems = [line for line in result.lines if "[schema-modeline]" not in line]  # the fixtures have no schema line
    assert problems[0] == (f"{bad}/alpha.yaml:11:19: error[unknown-value]: an item of 'establishes' of a claim in "
                               "dossier 'alpha' 'listin' is not in the compare vocabulary (did you mean 'listing'?); "
                               "declared: 'listing'")


# --- cite this -------------------------------------------------------------------------------

def cite_lines(path: Path) -> dict[str, tuple[str, str, str]]:
    """entry id -> (permalink href, the address shown, the citation line)."""
    out = {}
    for li in page(path).select("li.entry"):
        details = li.find("details", class_="cite-this", recursive=False)
        link = details.select_one(".cite-permalink a")
        out[li["id"]] = (link["href"], link.get_text(strip=True), details.select_one(".cite-line").get_text())
    return out


def test_cite_this_gives_the_permalink_and_a_ready_citation(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "d", minimal_files())
    build(folder, tmp_path / "site", config=config(tmp_path, 'title = "Test site"\n'))
    lines = cite_lines(tmp_path / "site/companies/alpha/index.html")
    assert lines["rival"] == (
        "#rival", "companies/alpha/#rival",
        "Alpha, as of May 2019: \u201cCompetes with Beta.\u201d Source: Example Agency, \u201cA report\u201d, "
        "2 January 2020, para 2. Test site, companies/alpha/#rival")
    build(folder, tmp_path / "hosted", config=config(tmp_path, 'title = "Test site"\nbase_url = "https://example.org/d/"\n'))
    hosted = cite_lines(tmp_path / "hosted/timeline/2019/index.html")
    assert hosted["alpha--listed"] == (
        "../../companies/alpha/#listed", "https://example.org/d/companies/alpha/#listed",
        "Alpha, 9 October 2019: \u201cAdded to a list.\u201d Source: Example News, \u201cB article\u201d, para 1. "
        "Test site, https://example.org/d/companies/alpha/#listed")


def test_cite_this_says_whose_claim_it_is_and_its_standing(tmp_path: Path) -> None:
    alpha = ALPHA.replace("    as_of: 2019-05\n", "    as_of: 2019-05\n    status: unconfirmed\n    according_to: IPVM\n")
    build(write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": alpha}), tmp_path / "site")
    line = cite_lines(tmp_path / "site/topics/market/index.html")["alpha--rival"][2]
    assert line.startswith("Alpha, as of May 2019 (unconfirmed): \u201cAccording to IPVM: Competes with Beta.\u201d")


def test_every_entry_on_every_page_can_be_cited(shipped_site: Path) -> None:
    for path in [*sorted((shipped_site / "companies").glob("*/index.html")), *view_pages(shipped_site)]:
        for li in page(path).select("li.entry"):
            assert li.find("details", class_="cite-this", recursive=False) is not None, (path, li["id"])


# --- related companies -------------------------------------------------------------------------

def related(path: Path) -> dict[str, list[tuple[str, str]]]:
    """related company -> its ties as (link text, href)."""
    return {li.a.get_text(strip=True): [(a.get_text(strip=True), a["href"]) for a in li.select(".ties a")]
            for li in page(path).select("#related ul.related > li")}


def test_related_companies_come_from_relationships_and_wikilinks_either_way(tmp_path: Path) -> None:
    beta = BETA + """\
events:
  - id: rival-named
    date: 2020
    text: Named [[alpha]] as its rival.
    sources: [{id: src-b, locator: para 9}]
"""
    build(write_corpus(tmp_path / "d", {**minimal_files(), "beta.yaml": beta}), tmp_path / "site")
    assert related(tmp_path / "site/companies/alpha/index.html") == {"Beta": [
        ("Competitor", "#rival-beta"), ("claim \u201crival\u201d", "#rival"),
        ("event \u201crival-named\u201d", "../beta/#rival-named")]}
    assert related(tmp_path / "site/companies/beta/index.html") == {"Alpha": [
        ("Competitor (in the Alpha dossier)", "../alpha/#rival-beta"), ("event \u201crival-named\u201d", "#rival-named"),
        ("claim \u201crival\u201d", "../alpha/#rival")]}


# --- automatic links ---------------------------------------------------------------------------

def test_the_first_mention_of_another_dossier_links_to_it_and_is_not_a_mention(tmp_path: Path) -> None:
    alpha = ALPHA.replace("text: Competes with [[beta]].", "text: Competes with Beta; Beta Corp is not a name, Beta is.")
    beta = BETA.replace("text: Founded in 2001.", "text: Beta was founded in 2001, before Alpha.")
    files = {**minimal_files(), "alpha.yaml": alpha.replace("relationships:\n  - id: rival-beta\n    type: competitor\n"
                                                            "    target: beta\n    sources: [src-b]\n", ""),
             "beta.yaml": beta}
    build(write_corpus(tmp_path / "d", files), tmp_path / "site")
    for path, anchor in [("companies/alpha/index.html", "rival"), ("topics/market/index.html", "alpha--rival")]:
        text = page(tmp_path / "site" / path).find(id=anchor).select_one(".entry-text")
        assert [(a["class"], a.get_text()) for a in text.find_all("a")] == [(["xref", "auto"], "Beta")], path
        assert text.get_text().strip() == "Competes with Beta; Beta Corp is not a name, Beta is."
    own = page(tmp_path / "site/companies/beta/index.html").find(id="founded").select_one(".entry-text")
    assert [(a.get_text(), a["href"]) for a in own.find_all("a")] == [("Alpha", "../../companies/alpha/")]  # never itself
    beta_page = page(tmp_path / "site/companies/beta/index.html")
    assert beta_page.find(id="mentioned-in") is None and beta_page.find(id="related") is None


# --- navigation and records ---------------------------------------------------------------------

def test_navigation_reaches_every_page_from_the_home_page(shipped_site: Path) -> None:
    files = {p.relative_to(shipped_site).as_posix() for p in shipped_site.rglob("*.html")}
    nav = [a["href"] for a in page(shipped_site / "index.html").select("header nav a")]
    # the changes pages exist where the build reads a history (a git checkout: tests/test_history.py)
    history = ["changes/"] if (shipped_site / "changes/index.html").exists() else []
    assert nav == ["./", "topics/", "sectors/", "timeline/", "compare/", "graph/", "sources/", *history, "data/",
                   "about/"]
    seen, todo = {"index.html"}, deque(["index.html"])
    while todo:
        here = todo.popleft()
        for a in page(shipped_site / here).find_all("a", href=True):
            href = a["href"]
            if urlsplit(href).scheme or href.startswith("#"):
                continue
            there = urlsplit(urljoin("http://x/" + here, href)).path.lstrip("/")
            there = there + "index.html" if there.endswith("/") or not there else there
            if there in files and there not in seen:
                seen.add(there)
                todo.append(there)
    assert files - seen == {"404.html"}  # the host serves it for a missing path; nothing links to it


def test_every_key_a_page_records_has_a_value(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "d", minimal_files())
    result = build(folder, tmp_path / "site")
    inputs = pipeline.index(result.corpus, result.settings)
    keys = {k for record in result.records for k in record.reads}
    assert {kind for kind, _ in keys} >= {"aliases", "related", "topic", "year", "years", "sector", "source-kind"}
    for k in keys:
        reads.value_of(k, inputs)  # raises on a kind it cannot compute
    by_path = {r.path: set(r.reads) for r in result.records}
    for path in ("companies/alpha/index.html", "topics/market/index.html", "timeline/2019/index.html",
                 "sources/src-a/index.html"):
        assert reads.ALIASES in by_path[path], path  # their texts are automatically linked


# --- big lists split, at stable URLs ------------------------------------------------------------

MORE_SOURCES = SOURCES + "".join(f"""\
- id: src-{name}
  title: {title}
  publisher: Example News
  url: https://example.com/{name}
  kind: news
""" for name, title in [("c", "Another article"), ("d", "Beta's year"), ("e", "2019 in review"), ("f", "海康")])


def test_the_sources_index_splits_by_kind_then_by_initial_past_its_size(tmp_path: Path) -> None:
    beta = BETA.replace("    sources: [{id: src-b, locator: para 3}]",
                        "    sources: [{id: src-b, locator: para 3}, {id: src-c, locator: p. 1}, {id: src-d, locator: p. 2},"
                        " {id: src-e, locator: p. 3}, {id: src-f, locator: p. 4}]")
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "sources.yaml": MORE_SOURCES, "beta.yaml": beta})
    build(folder, tmp_path / "site", config=config(tmp_path, "sources_page_size = 2\n"))
    site = tmp_path / "site"
    index = page(site / "sources/index.html")
    assert [(a.get_text(strip=True), a["href"]) for a in index.select("main .source-parts a")] == [
        ("Government", "kinds/government/"), ("News", "kinds/news/")]
    assert index.select(".source-list") == []
    government = page(site / "sources/kinds/government/index.html")
    assert [a["href"] for a in government.select(".source-list li > a")] == ["../../src-a/"]
    news = page(site / "sources/kinds/news/index.html")
    assert [(a.get_text(strip=True), a["href"]) for a in news.select(".source-parts a")] == [
        ("0\u20139", "0-9/"), ("A", "a/"), ("B", "b/"), ("Other", "other/")]
    pages = {letter: [a["href"] for a in page(site / f"sources/kinds/news/{letter}/index.html").select(".source-list li > a")]
             for letter in ("0-9", "a", "b", "other")}
    assert pages == {"0-9": ["../../../src-e/"], "a": ["../../../src-c/"], "b": ["../../../src-b/", "../../../src-d/"],
                     "other": ["../../../src-f/"]}
    build(folder, tmp_path / "whole")  # the default size: one list, no parts
    assert not (tmp_path / "whole/sources/kinds").exists()


def test_a_big_topic_splits_by_company(tmp_path: Path) -> None:
    beta = BETA.replace("topic: ownership", "topic: market")
    alpha = ALPHA.replace("    date: 2019-10-09\n", "    date: 2019-10-09\n    topic: market\n")
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "alpha.yaml": alpha, "beta.yaml": beta})
    build(folder, tmp_path / "site", config=config(tmp_path, "topic_page_size = 2\n"))
    site = tmp_path / "site"
    topic = page(site / "topics/market/index.html")
    assert topic.select("li.entry") == []
    assert [(a.get_text(strip=True), a["href"]) for a in topic.select("ul.parts a")] == [("Alpha", "alpha/"),
                                                                                       ("Beta", "beta/")]
    assert shown(site, "topics")["topics/market/alpha/index.html"] == ["alpha--rival", "alpha--listed"]
    assert shown(site, "topics")["topics/market/beta/index.html"] == ["beta--founded"]
    index = page(site / "topics/index.html")
    market = next(li for li in index.select("ul.topic-list > li") if li.a["href"] == "market/")
    assert market.select_one(".count").get_text(strip=True) == "3 entries from 2 companies."
    assert market.select(".company-counts") == []  # the topic's own page lists them
