"""Search as a reader meets it, in Debian's Chromium: the box on every page, queries in English and
Chinese, the keyboard, file:// and HTTP, the hosted and the offline tree.

The expected results come from the YAML (the dossiers are the oracle), never from the index.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import DOSSIERS, minimal_files, serve, write_corpus
from sourcebook import pipeline
from sourcebook.outputs import search
from test_browser import (AXE_JS, ContextFactory, Guard, axe_violations, company, dossier, http_root,  # noqa: F401
                          layout_problems, offline_site, skip_or_fail)

from playwright.sync_api import Page, expect

BOX = "#part_search-box"
OPTIONS = "#search-results [role=option]"
WAYS = ["hosted-http", "hosted-file", "offline-http", "offline-file"]


# --- the four ways to open the site --------------------------------------------------------------

@pytest.fixture(scope="session")
def offline_http_root(offline_site: Path) -> Iterator[str]:
    with serve(offline_site) as root:
        yield root


@pytest.fixture
def root(request: pytest.FixtureRequest) -> str:
    """The site root URL, ending in '/': either tree, over HTTP or from disk."""
    tree, way = request.param.split("-")
    if way == "http":
        return request.getfixturevalue("http_root" if tree == "hosted" else "offline_http_root")
    site = request.getfixturevalue("shipped_site" if tree == "hosted" else "offline_site")
    return site.as_uri() + "/"


# --- what the YAML says each query must find first ---------------------------------------------------

@functools.cache
def sources() -> list[dict[str, Any]]:
    return yaml.safe_load((DOSSIERS / "sources.yaml").read_text(encoding="utf-8"))


def searchable_docs() -> Iterator[tuple[str, str]]:
    """(what it is, its searchable text) for everything the index should hold: "<dossier>#<entry>"."""
    for path in sorted(DOSSIERS.glob("*.yaml")):
        if path.stem in ("sources", "parties"):
            continue
        data = dossier(path.stem)
        yield path.stem, " ".join([data["name"], data.get("native_name", ""), data.get("legal_name", ""),
                                   *data.get("aliases", [])])
        for key, fact in (data.get("profile") or {}).items():
            yield f"{path.stem}#profile_{key}", str(fact["value"])
        for item in [*data.get("claims", []), *data.get("events", []), *data.get("relationships", [])]:
            yield f"{path.stem}#{item['id']}", " ".join([item["id"], item.get("text", ""), item.get("party", "")])
            for i, response in enumerate(item.get("responses", []), 1):
                yield f"{path.stem}#response_{item['id']}_{i}", response["text"]
    for source in sources():
        yield f"source:{source['id']}", f"{source['title']} {source['publisher']}"


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", re.sub("['\u2019]", "", text.lower())))


@functools.cache
def word_from_one_claim() -> tuple[str, str, str]:
    """A word of one claim that starts no word anywhere else: (word, dossier, claim id)."""
    docs = [(where, words(text)) for where, text in searchable_docs()]
    for path in sorted(DOSSIERS.glob("*.yaml")):
        if path.stem in ("sources", "parties"):
            continue
        for claim in dossier(path.stem).get("claims", []):
            where = f"{path.stem}#{claim['id']}"
            for word in sorted(w for w in words(claim["text"]) if re.fullmatch("[a-z]{7,}", w)):
                holders = {d for d, ws in docs if any(w.startswith(word) for w in ws)}
                if holders == {where}:
                    return word, path.stem, claim["id"]
    raise AssertionError("no claim has a word of its own")


def expected_first() -> list[tuple[str, str, str]]:
    """(query, the page the first result opens, its anchor) for each query the issue names, and two more."""
    word, dossier_id, claim = word_from_one_claim()
    assert dossier("hikvision")["native_name"].startswith("海康")
    assert dossier("dji")["native_name"] == "大疆創新"  # traditional; the query is simplified
    assert dossier("huawei")["native_name"].startswith("华")
    alias = dossier("dji")["aliases"][-1]
    title = next(s for s in sources() if s["id"] == "abacus-2019-06-megvii-us-ban")["title"]
    event = next(e["id"] for e in dossier("dji")["events"] if e["id"] == "us-army-ban-2017")
    return [(word, company(dossier_id), claim), ("海康", company("hikvision"), ""), ("大疆创新", company("dji"), ""),
            ("华", company("huawei"), ""), (alias, company("dji"), ""),
            (title, "sources/abacus-2019-06-megvii-us-ban/index.html", ""),
            ("megvii", company("megvii"), ""),  # a company's name ranks above the 70-odd entries that name it
            (event, company("dji"), event)]  # an entry's id (and, once entries have them, its former ids)


# --- driving the box ------------------------------------------------------------------------------

def run_query(page: Page, query: str) -> list[dict[str, str]]:
    """Type a query into the box; the options shown for it (href, text)."""
    page.fill(BOX, query)
    page.wait_for_function("q => document.getElementById('search').dataset.query === q", arg=query, timeout=10_000)
    return page.locator(OPTIONS).evaluate_all("els => els.map(a => ({href: a.href, text: a.innerText}))")


def page_of(href: str, root: str) -> tuple[str, str]:
    """(path inside the site, as a file: folders name their index.html; fragment)."""
    parts = urlsplit(href)
    path = unquote(parts.path)[len(unquote(urlsplit(root).path)):]
    return (path + "index.html" if path.endswith("/") or path == "" else path), parts.fragment


# --- the queries the issue names, four ways --------------------------------------------------------

@pytest.mark.parametrize("root", WAYS, indirect=True)
def test_each_query_finds_its_entry_first_and_the_result_opens_it(page: Page, root: str) -> None:
    guard = Guard(root).attach(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(root + company("megvii"))
    expect(page.locator(BOX)).to_be_visible()
    assert not [u for u in requested if "/static/search/" in u], "the index loaded with the page"
    for query, path, anchor in expected_first():
        options = run_query(page, query)
        assert options, f"{query!r} found nothing"
        assert page_of(options[0]["href"], root) == (path, anchor), \
            f"{query!r}: first result {options[0]} (expected {path}#{anchor})"
    assert any(u.endswith("/static/search/index.js") for u in requested)

    word, dossier_id, claim = word_from_one_claim()
    run_query(page, word)
    mark = page.locator(f"{OPTIONS} >> nth=0 >> mark").first
    assert mark.inner_text().lower() == word
    page.locator(BOX).press("ArrowDown")
    page.locator(BOX).press("Enter")
    page.wait_for_url(re.compile(f"#{claim}$"))
    target = page.locator(":target")
    expect(target).to_have_attribute("id", claim)
    expect(target).to_be_in_viewport()
    assert page_of(page.url, root) == (company(dossier_id), claim)
    assert guard.problems == []


# --- the keyboard, states, and no script -------------------------------------------------------------

def test_keyboard_slash_arrows_enter_and_escape(page: Page, http_root: str) -> None:
    page.goto(http_root + company("dji"))
    box = page.locator(BOX)
    page.keyboard.press("/")
    expect(box).to_be_focused()
    expect(box).to_have_value("")  # "/" focuses; it is not typed
    page.keyboard.type("huawei")
    page.wait_for_function("() => document.getElementById('search').dataset.query === 'huawei'")
    options = page.locator(OPTIONS)
    count = options.count()
    assert count > 3
    expect(box).to_have_attribute("aria-expanded", "true")

    def selected() -> str:
        ids = options.evaluate_all("els => els.filter(a => a.getAttribute('aria-selected') === 'true').map(a => a.id)")
        assert len(ids) == 1, ids
        expect(box).to_have_attribute("aria-activedescendant", ids[0])
        return ids[0]

    box.press("ArrowDown")
    first = selected()
    box.press("ArrowDown")
    assert selected() == options.nth(1).get_attribute("id")
    box.press("ArrowUp")
    assert selected() == first
    box.press("ArrowUp")
    assert selected() == options.nth(count - 1).get_attribute("id")  # wraps round
    box.press("/")
    expect(box).to_have_value("huawei/")  # in the box, "/" is a character
    box.press("Backspace")
    page.wait_for_function("() => document.getElementById('search').dataset.query === 'huawei'")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#search-results")).to_be_hidden()
    expect(box).to_have_value("huawei")
    box.press("Escape")
    expect(box).to_have_value("")
    box.type("huawei")
    page.wait_for_function("() => document.getElementById('search').dataset.query === 'huawei'")
    href = options.first.get_attribute("href")
    box.press("Enter")  # nothing chosen: the first result
    page.wait_for_load_state()
    assert page.url == href and page.locator("h1").first.inner_text().startswith("Huawei")


def test_no_results_says_so(page: Page, http_root: str) -> None:
    page.goto(http_root + "index.html")
    assert run_query(page, "qqzzxxv 海海海") == []
    expect(page.locator(".search-status")).to_have_text("No results for “qqzzxxv 海海海”.")
    expect(page.locator("#search-results")).to_be_hidden()
    expect(page.locator(BOX)).to_have_attribute("aria-expanded", "false")
    page.fill(BOX, "c")
    expect(page.locator(".search-status")).to_have_text("Type at least two letters.")
    expect(page.locator("#search-results")).to_be_hidden()
    assert run_query(page, "华")  # one Chinese character is a word


def test_chinese_pairs_that_do_not_make_the_phrase_are_not_results(page: Page, http_root: str) -> None:
    """海康 and 康威 both occur in 海康威视, and 威海 nowhere: the pairs of "威海康" all occur, the phrase does not."""
    page.goto(http_root + "index.html")
    assert run_query(page, "康威") and run_query(page, "海康")
    assert run_query(page, "威海康") == []


def test_without_javascript_the_box_is_absent_and_a_line_says_why(new_context: ContextFactory, http_root: str) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(http_root + company("dji"))
    expect(page.locator("#search")).to_be_hidden()
    expect(page.locator(".search-off")).to_have_text("Search needs JavaScript.")
    expect(page.locator(".search-off")).to_be_visible()


def test_snippets_are_short_and_their_text_is_the_entrys(page: Page, http_root: str, shipped_site: Path) -> None:
    page.goto(http_root + "index.html")
    run_query(page, "2019")
    snippets = page.locator(f"{OPTIONS} .search-snippet").all_inner_texts()
    assert len(snippets) == 20
    assert max(len(s) for s in snippets) <= 162, snippets  # 160 and an ellipsis at each end
    assert any(s.startswith("…") for s in snippets) and any(s.endswith("…") for s in snippets)
    texts = [value for name in _manifest(shipped_site)["parts"] for doc in _part(shipped_site, name)["docs"]
             for value in doc[3::2]]
    for s in snippets:
        assert any(s.strip("…") in t for t in texts), f"{s!r} is not an entry's text"
    assert all("2019" in m for m in page.locator(f"{OPTIONS} mark").all_inner_texts())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_accessible_and_fit_a_small_screen(new_context: ContextFactory, http_root: str,
                                                       scheme: str) -> None:
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core missing at {AXE_JS}")
    page = new_context(bypass_csp=True, viewport={"width": 360, "height": 740}, color_scheme=scheme).new_page()
    page.goto(http_root + "about/index.html")
    run_query(page, "华为 5g")
    page.locator(BOX).press("ArrowDown")
    expect(page.locator("#search-results")).to_be_visible()
    assert layout_problems(page) == []
    assert axe_violations(page) == []


# --- normalising: the browser and the build agree ------------------------------------------------------

TRICKY = ["Hikvision’s ＤＪＩ-Zürich naïve İstanbul ß ﬁ ½ Ⅻ ① ٣", "don't O'Brien ʼokina", "e\u0301 Å Ω ΣΊΣΥΦΟΣ",
          "大疆創新 華為 海康威視 (Da-Jiang)", "ｶﾞ ㈱ ㎏ 〇々"]


def test_the_browser_normalises_text_as_the_build_does(page: Page, http_root: str, shipped_site: Path) -> None:
    page.goto(http_root + "index.html")
    assert run_query(page, "dji")  # the index is loaded: its folding table is complete
    texts = TRICKY + [value for name in _manifest(shipped_site)["parts"]
                      for doc in _part(shipped_site, name)["docs"] for value in doc[3::2]]
    normaliser = search.Normaliser(search.opencc_fold().table)
    browser = page.evaluate("texts => texts.map(t => window.sourcebookNormalise(t))", texts)
    mismatches = [(t, b, normaliser.form(t)) for t, b in zip(texts, browser) if b != normaliser.form(t)]
    assert mismatches == []
    assert len(texts) > 700


def _manifest(site: Path) -> Any:
    return _part(site, "index")


def _part(site: Path, name: str) -> Any:
    text = (site / "static/search" / f"{name}.js").read_text(encoding="utf-8")
    return json.loads(text.split(".push(", 1)[1][:-3])


# --- hostile text is shown as text --------------------------------------------------------------------

def test_hostile_text_in_results_is_text_and_runs_nothing(page: Page, tmp_path: Path) -> None:
    files = minimal_files()
    hostile = '<img src=x onerror="window.__ran=1"> <b>bold</b> </script><script>window.__ran=2</script>'
    files["alpha.yaml"] = files["alpha.yaml"].replace("Added to a list.", json.dumps(f"Onerror list {hostile}"))
    folder = write_corpus(tmp_path / "dossiers", files)
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site", flavour="offline"))
    page.goto((tmp_path / "site" / "index.html").as_uri())
    options = run_query(page, "onerror")
    assert len(options) == 1
    snippet = page.locator(f"{OPTIONS} .search-snippet")
    expect(snippet).to_have_text(f"Onerror list {hostile}")
    assert page.locator("#search-results img, #search-results b, #search-results script").count() == 0
    assert page.locator(f"{OPTIONS} mark").all_inner_texts() == ["Onerror", "onerror"]
    assert page.evaluate("() => window.__ran") is None
