"""The built site as a reader meets it, in Debian's Chromium driven by Playwright.

The shipped dossiers are built once and opened two ways: the hosted tree
(conftest's `shipped_site`, links name folders such as ``companies/dji/``) over
HTTP from a local http.server on 127.0.0.1 (an ephemeral port, a thread of this
session), and the offline copy that the same build writes
(``sourcebook-offline.zip``, links name ``index.html`` files), unpacked into a
folder whose path holds spaces and non-ASCII letters and read straight from
disk over file://, as a reader with a USB stick would. (The hosted tree opened
from file:// would show Chromium's directory listing for every folder link:
that is what the offline copy is for.)

Tests that only look inside one page run over HTTP; the file:// case adds
nothing there because the DOM is the same.
"""
from __future__ import annotations

import functools
import re
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import AXE_JS, DOSSIERS, REQUIRE_BROWSER, minimal_files, serve, skip_or_fail, write_corpus
from sourcebook import pipeline
from sourcebook.dates import When
from sourcebook.families import FAMILIES

try:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Route, expect
except ImportError:  # conftest's `page` fixture explains the skip; here the imports themselves fail
    if REQUIRE_BROWSER:
        raise
    pytest.skip("playwright not installed (set REQUIRE_BROWSER=1 to make this an error)",
                allow_module_level=True)

COMPANIES = ("huawei", "dji", "hikvision", "dahua", "megvii", "iflytek")
SHORT_NAMES = ("Huawei", "DJI", "Hikvision", "Dahua", "Megvii", "iFlytek")
WIDTHS = (360, 768, 1280)
HOME = "index.html"
SOURCES = "sources/index.html"
ABOUT = "about/index.html"
GRAPH = "graph/index.html"
DATA = "data/index.html"
TOPICS, SECTORS, TIMELINE, COMPARE = "topics/index.html", "sectors/index.html", "timeline/index.html", "compare/index.html"
# One page of each cross-company family (and its index): the busiest topic, a sector of two, the busiest year.
VIEWS = [TOPICS, "topics/us-government/index.html", SECTORS, "sectors/video-surveillance/index.html", TIMELINE,
         "timeline/2019/index.html", COMPARE]

BOTH_WAYS = ["http", "file"]
FOLLOWING_LINKS = BOTH_WAYS
ContextFactory = Callable[..., BrowserContext]


def company(dossier_id: str) -> str:
    return f"companies/{dossier_id}/index.html"


# --- serving the site ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def http_root(shipped_site: Path) -> Iterator[str]:
    with serve(shipped_site) as root:
        yield root


@pytest.fixture(scope="session")
def offline_site(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build's offline copy, unpacked where a reader might put it: under "Read me/离线 copy"."""
    target = tmp_path_factory.mktemp("offline") / "Read me" / "离线 copy"
    with zipfile.ZipFile(shipped_site / "sourcebook-offline.zip") as archive:
        archive.extractall(target)
    return target / "sourcebook"


@pytest.fixture
def site_root(request: pytest.FixtureRequest) -> str:
    """The site's root URL, ending in '/': the hosted build over "http" (default), or the
    offline build over "file"."""
    if getattr(request, "param", "http") == "file":
        return request.getfixturevalue("offline_site").as_uri() + "/"
    return request.getfixturevalue("http_root")


# --- what the dossiers say (the oracle for counts and labels) ----------------------------

@functools.cache
def dossier(dossier_id: str) -> dict[str, Any]:
    return yaml.safe_load((DOSSIERS / f"{dossier_id}.yaml").read_text(encoding="utf-8"))


def statuses(data: dict[str, Any]) -> dict[str, list[str]]:
    """Element id -> the marks a reader must see said in words: an entry's status (a contested
    entry with no response but a no_reply is "unanswered"), a relationship's status and standing."""
    out: dict[str, list[str]] = {}
    for item in [*(data.get("claims") or []), *(data.get("events") or [])]:
        status = item.get("status")
        if status == "contested" and not item.get("responses") and item.get("no_reply"):
            status = "unanswered"
        if status:
            out[item["id"]] = [status]
    for rel in data.get("relationships") or []:
        marks = [m for m in (rel.get("standing"), rel.get("status")) if m and m != "established"]
        if marks:
            out[rel["id"]] = marks
    return out


def cited_items(data: dict[str, Any]) -> int:
    """Claims, events, relationships and responses: each must carry its own marker."""
    entries = [*(data.get("claims") or []), *(data.get("events") or [])]
    responses = sum(len(e.get("responses") or []) for e in entries)
    return len(entries) + len(data.get("relationships") or []) + responses


# --- watching a page: console errors, page errors, requests off the site -------------------

@dataclass
class Guard:
    """Records console errors, uncaught page errors and requests outside `root` (aborted)."""

    root: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> "Guard":
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: page error: {error}"))
        page.on("request", self._request)
        page.route("**/*", self._route)
        return self

    def _console(self, page: Page, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.problems.append(f"{page.url}: console error: {msg.text}")

    def _request(self, request: Request) -> None:
        if not request.url.startswith(self.root):
            self.problems.append(f"request off the site: {request.url} (from {request.frame.url})")

    def _route(self, route: Route) -> None:
        if route.request.url.startswith(self.root):
            route.continue_()
        else:
            route.abort()


# --- in-page checks (JavaScript evaluated in the page) -------------------------------------

LAYOUT_JS = """() => {
  const width = window.innerWidth, out = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  // An element inside a box that scrolls sideways (overflow-x: auto or scroll) counts only if that box
  // itself overflows the page: within a box that fits, the reader scrolls the box, not the page.
  // The box is checked as any element is (and, inside another box, by the same rule).
  const isBox = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const scrollBox = el => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement)
      if (isBox(up)) return up;
    return null;
  };
  const fits = box => { const r = box.getBoundingClientRect(); return r.left >= -1 && r.right <= width + 1; };
  // excused: its nearest scroll box does not overflow the page (it fits, or is itself excused)
  const scrolled = el => { const box = scrollBox(el); return box !== null && (fits(box) || scrolled(box)); };
  // the page itself: what a reader meets first (a sideways scroll bar), whatever element causes it
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1)
    out.push(`the page scrolls sideways: ${page.scrollWidth} > ${page.clientWidth} px`);
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;        // not rendered (display: none / contents)
    const text = (el.textContent || '').trim().slice(0, 60);
    if (box.right > width + 1 && !scrolled(el))
      out.push(`${name(el)} ends at x=${Math.round(box.right)} > ${width}: "${text}"`);
    const clip = getComputedStyle(el).overflowX;
    if ((clip === 'hidden' || clip === 'clip') && el.scrollWidth > el.clientWidth + 1)
      out.push(`${name(el)} clips its content (${el.scrollWidth} > ${el.clientWidth} px): "${text}"`);
  }
  // text overflows its element's box without widening it: measure the text itself
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const parent = node.parentElement;  // text directly in a scroll box is inside it too
    const inside = scrolled(parent) || (isBox(parent) && fits(parent));
    if (box.width > 0 && box.right > width + 1 && !inside)
      out.push(`text in ${name(node.parentElement)} ends at x=${Math.round(box.right)} > ${width}: `
               + `"${node.data.trim().slice(0, 60)}"`);
  }
  return out;
}"""

MARKERS_JS = """() => {
  const out = [];
  const items = document.querySelectorAll('li.entry, li.relationship, .responses li, .profile > div');
  for (const item of items)
    if (!item.querySelector(':scope > .cites sup.cite a, :scope > dd > .cites sup.cite a'))
      out.push(`${item.id}: no citation marker of its own`);
  const markers = document.querySelectorAll('sup.cite a');
  for (const a of markers) {
    const href = a.getAttribute('href') || '';
    const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
    if (!target) out.push(`${a.id}: href ${href} names no element on this page`);
    else if (!target.closest('#references')) out.push(`${a.id}: ${href} is not in the reference list`);
  }
  const own = document.querySelectorAll('li.entry, li.relationship, .responses li').length;
  return {own, markers: markers.length, problems: out};
}"""

STATUS_JS = """([id, status]) => {
  const out = [], word = status[0].toUpperCase() + status.slice(1) + '.';
  const notes = [...document.querySelectorAll(`[id="${id}"] > .status`)].filter(n => n.innerText.startsWith(word));
  if (notes.length !== 1) return [`#${id}: ${notes.length} status notes saying ${word}, expected one`];
  const note = notes[0];
  if (!note.innerText.startsWith(word)) out.push(`#${id}: status note reads "${note.innerText.slice(0, 40)}"`);
  note.scrollIntoView({block: 'nearest'});
  const box = note.getBoundingClientRect();
  if (box.width < 1 || box.height < 1) out.push(`#${id}: status note has no size (${box.width}x${box.height})`);
  else if (box.top < -1 || box.bottom > innerHeight + 1 || box.left < -1 || box.right > innerWidth + 1)
    out.push(`#${id}: status note is outside the viewport after scrolling into view`);
  const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
  let bg = null;
  for (let node = note; node && !bg; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) bg = c;
  }
  bg = bg || [255, 255, 255, 1];
  const fg = rgba(getComputedStyle(note).color);
  const lum = rgb => rgb.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  if (ratio < 4.5) out.push(`#${id}: status text rgba(${fg}) on rgba(${bg}) has contrast ${ratio.toFixed(2)} < 4.5`);
  return out;
}"""


def layout_problems(page: Page) -> list[str]:
    return page.evaluate(LAYOUT_JS)


def status_problems(page: Page, element_id: str, status: str) -> list[str]:
    """The entry's status is said in words a reader can see: one note, starting "Contested." or
    "Unconfirmed.", with a size, inside the viewport once scrolled to, and legible (WCAG AA
    contrast against the first opaque background behind it; this also means colour != background)."""
    return page.evaluate(STATUS_JS, [element_id, status])


# --- pages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("site_root", FOLLOWING_LINKS, indirect=True)
def test_home_page_lists_the_six_companies_and_each_link_opens_its_page(page: Page, site_root: str) -> None:
    page.goto(site_root + HOME)
    names = page.locator("table.companies tbody th[scope=row] a").all_inner_texts()
    assert len(names) == 6, names
    for short in SHORT_NAMES:
        assert any(short in name for name in names), f"{short} is not listed on the home page: {names}"
    for name in names:
        page.goto(site_root + HOME)
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        heading = page.locator("h1").first.inner_text()
        assert heading.startswith(name), f"the link {name!r} opened {page.url} headed {heading!r}"


@pytest.mark.parametrize("site_root", BOTH_WAYS, indirect=True)
def test_citation_marker_takes_the_reader_to_its_reference(page: Page, site_root: str) -> None:
    for dossier_id in COMPANIES:
        page.goto(site_root + company(dossier_id))
        marker = page.locator("li.entry > .cites sup.cite a").nth(3)
        number = re.fullmatch(r"#ref_(\d+)", marker.get_attribute("href") or "")
        assert number, f"{dossier_id}: marker href {marker.get_attribute('href')!r}"
        marker.click()
        target = page.locator(":target")
        expect(target).to_have_attribute("id", f"ref_{number.group(1)}")
        expect(target).to_have_js_property("tagName", "LI")
        expect(target).to_be_in_viewport()


@pytest.mark.parametrize("site_root", FOLLOWING_LINKS, indirect=True)
def test_reference_leads_to_its_source_page_which_links_back_to_the_claim(page: Page, site_root: str) -> None:
    page.goto(site_root + company("hikvision"))
    entry = page.locator("li.entry").nth(5)
    entry_id = entry.get_attribute("id")
    entry.locator(":scope > .cites sup.cite a").first.click()
    reference = page.locator(":target")
    title = reference.locator("cite").first.inner_text()
    reference.locator("a", has=page.locator("cite")).first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title, f"the reference to {title!r} opened {page.url}"

    back = page.locator("#cited-by a").filter(has_text="Hikvision")
    hrefs = back.evaluate_all("links => links.map(a => a.href)")
    wanted = [i for i, href in enumerate(hrefs) if href.endswith(f"/companies/hikvision/#{entry_id}")
              or href.endswith(f"/companies/hikvision/index.html#{entry_id}")]
    assert wanted, f"{page.url} has no 'Cited by' link back to #{entry_id}: {hrefs}"
    back.nth(wanted[0]).click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().startswith("Hikvision"), page.url
    target = page.locator(":target")
    expect(target).to_have_attribute("id", entry_id or "")
    expect(target).to_be_in_viewport()


@pytest.mark.parametrize("dossier_id", COMPANIES)
def test_every_claim_event_and_relationship_carries_a_marker_that_resolves(
        page: Page, http_root: str, dossier_id: str) -> None:
    page.goto(http_root + company(dossier_id))
    found = page.evaluate(MARKERS_JS)
    assert found["problems"] == []
    assert found["own"] == cited_items(dossier(dossier_id)), "entries on the page vs. in the dossier"
    assert found["markers"] >= found["own"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contested_and_unconfirmed_entries_say_so_visibly(
        new_context: ContextFactory, http_root: str, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    problems: list[str] = []
    for dossier_id in COMPANIES:
        expected = statuses(dossier(dossier_id))
        page.goto(http_root + company(dossier_id))
        assert page.locator(".status").count() == sum(map(len, expected.values())), \
            f"{dossier_id}: status notes vs. dossier"
        for element_id, marks in expected.items():
            for mark in marks:
                problems += [f"{dossier_id}: {p}" for p in status_problems(page, element_id, mark)]
    assert problems == []


def test_contested_relationship_and_unconfirmed_event_say_so(page: Page, tmp_path: Path) -> None:
    """A contested relationship and an unconfirmed event, built for the purpose (both kinds, known)."""
    files = minimal_files()
    files["alpha.yaml"] = (files["alpha.yaml"]
                           .replace("    type: competitor\n", "    type: competitor\n    status: contested\n")
                           .replace("    date: 2019-10-09\n", "    date: 2019-10-09\n    status: unconfirmed\n"))
    folder = write_corpus(tmp_path / "dossiers", files)
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    page.goto((tmp_path / "site" / company("alpha")).as_uri())
    assert status_problems(page, "rival-beta", "contested") + status_problems(page, "listed", "unconfirmed") == []


@pytest.mark.parametrize("dossier_id", COMPANIES)
def test_relationship_parts_read_as_separate_words(page: Page, http_root: str, dossier_id: str) -> None:
    page.goto(http_root + company(dossier_id))
    joined = page.locator("li.relationship").evaluate_all("""items => items.map(li => {
      const norm = s => s.replace(/\\s+/g, ' ').trim();
      const parts = [...li.querySelectorAll('.rel-type, .rel-type ~ a, .party, .as-of, .status, .entry-text')]
          .map(el => norm(el.innerText));
      return {text: norm(li.innerText), expected: parts.join(' ')};
    })""")
    assert joined, f"{dossier_id} has no relationships"
    assert [j["text"] for j in joined if j["expected"] not in j["text"]] == []


# --- the Content-Security-Policy and requests ---------------------------------------------

def all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def sample_pages(site: Path) -> list[str]:
    """One page of each kind, all company pages, and two sources."""
    sources = [p for p in all_pages(site) if p.startswith("sources/") and p != SOURCES]
    return [HOME, SOURCES, DATA, *([ABOUT] if (site / ABOUT).is_file() else []),
            *([GRAPH] if (site / GRAPH).is_file() else []),
            *(company(c) for c in COMPANIES), sources[0], sources[-1], *VIEWS]


def test_no_page_logs_an_error_or_requests_anything_off_the_site_over_http(
        page: Page, http_root: str, shipped_site: Path) -> None:
    guard = Guard(http_root).attach(page)
    pages = all_pages(shipped_site)
    for path in pages:
        response = page.goto(http_root + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
    assert len(pages) > 100
    assert guard.problems == []


def test_pages_log_no_error_and_request_nothing_off_the_site_from_file(
        page: Page, offline_site: Path) -> None:
    root = offline_site.as_uri() + "/"
    guard = Guard(root).attach(page)
    for path in sample_pages(offline_site):
        page.goto(root + path)
    assert guard.problems == []


def test_the_offline_copy_navigates_index_company_source_and_back_from_file(page: Page, offline_site: Path) -> None:
    """Unpacked into a path with spaces and non-ASCII letters and opened from file://: every link names a
    file, the way back works, and nothing is requested from outside the folder."""
    root = offline_site.as_uri() + "/"
    assert "%20" in root and "%E7%A6%BB" in root, root  # "Read me", "离线 copy", as the browser spells them
    guard = Guard(root).attach(page)
    page.goto(root + HOME)
    page.get_by_role("link", name="DJI", exact=True).click()
    page.wait_for_load_state()
    assert page.url == root + company("dji")
    assert page.locator("h1").first.inner_text().startswith("DJI")
    reference = page.locator("#references > ol > li").first
    title = reference.locator("cite").first.inner_text()
    reference.locator("a", has=page.locator("cite")).first.click()
    page.wait_for_load_state()
    assert re.fullmatch(re.escape(root) + r"sources/[a-z0-9-]+/index\.html", page.url), page.url
    assert page.locator("h1").inner_text() == title
    page.go_back()
    page.wait_for_load_state()
    assert page.url == root + company("dji")
    assert page.locator("h1").first.inner_text().startswith("DJI")
    page.get_by_role("link", name="Data", exact=True).click()
    page.wait_for_load_state()
    assert page.url == root + "data/index.html" and page.locator("h1").inner_text() == "Data"
    assert page.locator("a[href$='.zip']").count() == 0, "the copy links to a zip it does not hold"
    assert guard.problems == []


PROBE_JS = """() => new Promise(resolve => {
  const seen = [];
  document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
  const script = document.createElement('script');
  script.textContent = 'window.__inlineRan = true';
  document.head.append(script);
  const styled = document.createElement('p');
  styled.setAttribute('style', 'color: rgb(255, 0, 0)');
  document.body.append(styled);
  const image = new Image();
  image.src = 'https://example.org/tracker.png';
  document.body.append(image);
  setTimeout(() => resolve({inline: window.__inlineRan === true, seen: seen.sort(),
                            colour: getComputedStyle(styled).color}), 300);
})"""


@pytest.mark.parametrize("site_root", BOTH_WAYS, indirect=True)
@pytest.mark.parametrize("path", [HOME, company("dji"), SOURCES])
def test_csp_blocks_inline_script_inline_style_and_offsite_images(
        page: Page, site_root: str, path: str) -> None:
    finished: list[str] = []
    failed: dict[str, str | None] = {}
    page.on("requestfinished", lambda request: finished.append(request.url))
    page.on("requestfailed", lambda request: failed.update({request.url: request.failure}))
    page.goto(site_root + path)
    result = page.evaluate(PROBE_JS)
    assert result["inline"] is False, "an inline script ran"
    assert result["colour"] != "rgb(255, 0, 0)", "an inline style attribute applied"
    assert result["seen"] == ["img-src", "script-src-elem", "style-src-attr"]
    assert [url for url in finished if not url.startswith(site_root)] == []
    assert failed == {"https://example.org/tracker.png": "csp"}


def test_guard_reports_offsite_requests_and_errors(page: Page, tmp_path: Path) -> None:
    """The Guard itself: a page without a policy that misbehaves must be caught."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><title>bad</title><img src="https://example.org/x.png" alt="">'
                   "<script>throw new Error('boom')</script>", encoding="utf-8")
    guard = Guard(tmp_path.as_uri() + "/").attach(page)
    page.goto(bad.as_uri())
    assert any("example.org/x.png" in p for p in guard.problems), guard.problems
    assert any("boom" in p for p in guard.problems), guard.problems


# --- layout ---------------------------------------------------------------------------------

# One page of every page family (families.FAMILIES, so a new family is covered without a word here): the
# largest of its pages in the shipped build (the most entries, marks and references), or, for the families
# only a big site has (a topic split by company, sources by kind and by initial), in conftest's split_site.
# Every company page is added: each dossier has its own mix of marks, relationships and scripts.

def family_of(path: str) -> list[str]:
    """The families whose route can name `path`."""
    found = []
    for family in FAMILIES:
        folder = family.route.pattern  # as Route.path: a folder's page is its index.html
        pattern = re.escape(folder).replace(r"\{\}", "[a-z0-9-]+")
        if folder == "" or folder.endswith("/"):
            pattern += "index.html"
        if re.fullmatch(pattern, path):
            found.append(family.name)
    return found


@dataclass(frozen=True)
class FamilyPage:
    family: str
    site: str      # "shipped" or "split"
    path: str
    extra: bool = False  # a company page beyond its family's pick


def pick_family_pages(shipped: Path, split: Path) -> list[FamilyPage]:
    out: dict[str, FamilyPage] = {}
    for name, site in (("shipped", shipped), ("split", split)):
        for path in sorted(all_pages(site), key=lambda p: (-(site / p).stat().st_size, p)):
            families = family_of(path)
            assert len(families) == 1, f"{path} matches the routes of {families}"
            out.setdefault(families[0], FamilyPage(families[0], name, path))
    # the changes pages exist only where the build reads a git history (a shallow or exported copy has none;
    # tests/test_history.py builds them on its own repositories)
    absent = {"changes", "changes-month"} if not (shipped / "changes/index.html").is_file() else set()
    missing = [f.name for f in FAMILIES if f.name not in out and f.name not in absent]
    assert not missing, f"no page of {missing} in either build"
    picked = [out[f.name] for f in FAMILIES if f.name in out]
    return [*picked, *(FamilyPage("company", "shipped", company(c), extra=True) for c in COMPANIES
                       if all(p.path != company(c) for p in picked))]


@pytest.fixture(scope="session")
def family_pages(shipped_site: Path, split_site: Path) -> list[FamilyPage]:
    return pick_family_pages(shipped_site, split_site)


@pytest.fixture(scope="session")
def roots(http_root: str, split_site: Path) -> Iterator[dict[str, str]]:
    """Both builds served over HTTP: "shipped" and "split"."""
    with serve(split_site) as split_root:
        yield {"shipped": http_root, "split": split_root}


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_of_any_family_scrolls_sideways_or_clips(
        new_context: ContextFactory, roots: dict[str, str], family_pages: list[FamilyPage], width: int) -> None:
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    problems: list[str] = []
    for item in family_pages:
        page.goto(roots[item.site] + item.path)
        problems += [f"{item.family} {item.path} at {width}px: {p}" for p in layout_problems(page)]
    assert problems == []


def test_layout_check_reports_overflow_and_clipping(new_context: ContextFactory, tmp_path: Path) -> None:
    """The layout check itself: a long URL that overflows, one clipped by overflow: hidden, and the issue's
    rule for scroll boxes: what a box holds counts only if the box itself overflows the page."""
    url = "https://example.org/" + "a" * 120
    bad = tmp_path / "bad.html"
    bad.write_text(f'<!DOCTYPE html><title>bad</title><p id="wide">{url}</p>'
                   f'<div id="clipped" style="overflow:hidden;width:100px"><span>{url}</span></div>'
                   '<div id="scrolls" style="overflow-x:auto"><table id="inside" style="width:900px"><tr>'
                   f'<td>{url}</td></tr></table></div>'
                   '<div id="too-wide-box" style="overflow-x:auto;width:500px"><p id="held">x</p>'
                   '<table id="held-table" style="width:900px"><tr><td>y</td></tr></table></div>',
                   encoding="utf-8")
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto(bad.as_uri())
    problems = layout_problems(page)
    assert any(p.startswith("the page scrolls sideways: ") for p in problems), problems
    assert any(p.startswith("text in p#wide ends at") for p in problems), problems
    assert any(p.startswith("div#clipped clips") for p in problems), problems
    assert any(p.startswith("div#too-wide-box ends at") for p in problems), problems  # a box that scrolls must fit
    assert any(p.startswith("table#held-table ends at") for p in problems), problems  # and then what it holds counts
    assert not any("#inside" in p or "#scrolls" in p for p in problems), problems  # in a box that fits, it does not

    good = tmp_path / "good.html"  # the same scroll box alone: the page does not scroll sideways, nothing counts
    good.write_text('<!DOCTYPE html><title>good</title><div style="overflow-x:auto"><table style="width:900px">'
                    f'<tr><td>{url}</td></tr></table></div>', encoding="utf-8")
    page.goto(good.as_uri())
    assert layout_problems(page) == []


def png_width(path: Path) -> int:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", header[16:20])[0]


@pytest.mark.parametrize("width", [1280, 360])
def test_full_page_screenshot_of_hikvision_is_no_wider_than_the_window(
        new_context: ContextFactory, http_root: str, tmp_path: Path, width: int) -> None:
    """Kept in tmp_path for a human to look at; a full-page shot is as wide as the document."""
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(http_root + company("hikvision"))
    shot = tmp_path / f"hikvision-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert png_width(shot) == width


# --- language ------------------------------------------------------------------------------

@pytest.mark.parametrize("dossier_id", COMPANIES)
def test_native_name_is_marked_as_chinese(page: Page, http_root: str, dossier_id: str) -> None:
    native = dossier(dossier_id)["native_name"]
    page.goto(http_root + company(dossier_id))
    heading = page.locator("h1 .native")
    lang = "zh-Hant" if dossier(dossier_id).get("native_script") == "traditional" else "zh-Hans"
    expect(heading).to_have_text(native)
    expect(heading).to_have_attribute("lang", lang)
    page.goto(http_root + HOME)
    row = page.locator("table.companies th[scope=row] .native", has_text=native)
    expect(row).to_have_attribute("lang", lang)


# --- accessibility -------------------------------------------------------------------------

def axe_violations(page: Page, overlay: str | None = None) -> list[str]:
    """axe-core's violations, and its colour-contrast checks it could not decide ("incomplete": text over
    an image, a gradient or an overlapping element), one line each; every rule axe enables by default runs.
    `overlay`: the selector of a panel the reader has opened (search results); text that panel covers
    cannot be judged, so it is not reported (the panel's own text is). The page's CSP forbids injected
    scripts, so the context runs with bypass_csp (the CSP tests above run without it)."""
    page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(r"""overlay => axe.run(document, {resultTypes: ['violations', 'incomplete']}).then(r => {
      // overlapped (axe names no culprit then), and under the open panel: their boxes intersect
      const panel = overlay && document.querySelector(overlay).getBoundingClientRect();
      const under = target => { const el = document.querySelector(target), box = el && el.getBoundingClientRect();
        return box && box.left < panel.right && panel.left < box.right && box.top < panel.bottom
            && panel.top < box.bottom; };
      const covered = node => overlay && node.any.some(check => check.data && check.data.messageKey === 'bgOverlap')
          && under(node.target[0]);
      const unresolved = r.incomplete.filter(i => i.id === 'color-contrast')
          .flatMap(i => i.nodes.filter(n => !covered(n)));
      // SVG text (the relationship graphs): axe cannot tell what lies behind text inside an <svg> ("contains
      // an image node"), so it is decided here instead: the text's fill against the first painted thing under
      // its middle (a filled shape, or a box with a background), by WCAG's formula, 4.5:1 as for small text.
      const rgb = c => { const m = c && c.match(/rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/);
        return m && (m[4] === undefined || +m[4] === 1) ? [+m[1], +m[2], +m[3]] : null; };
      const lum = ([r, g, b]) => [r, g, b].map(v => v / 255)
          .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
          .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const svgContrast = target => {
        const el = document.querySelector(target);
        if (!el || el.namespaceURI !== 'http://www.w3.org/2000/svg' || el.localName !== 'text') return null;
        el.scrollIntoView({block: 'center', inline: 'center'});
        const box = el.getBoundingClientRect(), fg = rgb(getComputedStyle(el).fill);
        const under = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2)
            .filter(e => e !== el && !el.contains(e));
        let bg = null;
        for (const e of under) {
          const style = getComputedStyle(e);
          bg = e.namespaceURI === 'http://www.w3.org/2000/svg' ? (e.localName === 'svg' ? null : rgb(style.fill))
                                                               : rgb(style.backgroundColor);
          if (bg) break;
        }
        return fg && bg ? ratio(fg, bg) : 0;
      };
      const decided = [], undecided = [];
      for (const n of unresolved) {
        const contrast = svgContrast(n.target[0]);
        if (contrast === null) undecided.push(n); else if (contrast < 4.5) decided.push({target: n.target, contrast});
      }
      return {violations: r.violations, unresolved: undecided, svg: decided};
    })""", overlay)
    return ([f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
             for v in found["violations"]]
            + [f"color-contrast undecided at {n['target']}: {n['any'][0]['message'] if n['any'] else ''}"
               for n in found["unresolved"][:10]]
            + [f"color-contrast of SVG text at {n['target']} is {n['contrast']:.2f}:1 (at least 4.5:1)"
               for n in found["svg"][:10]])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violations_on_any_family(
        new_context: ContextFactory, roots: dict[str, str], family_pages: list[FamilyPage], scheme: str) -> None:
    """One page of every family in the light and the dark scheme, and every company page in the light one
    (the dark scheme changes colours only, which the family's pages already exercise; ~3 s a page saved)."""
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core missing at {AXE_JS}: npm install --prefix .tools --ignore-scripts axe-core")
    page = new_context(bypass_csp=True, color_scheme=scheme).new_page()
    problems: list[str] = []
    for item in (p for p in family_pages if scheme == "light" or not p.extra):
        page.goto(roots[item.site] + item.path)
        assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
        problems += [f"{item.family} {item.path} ({scheme}): {p}" for p in axe_violations(page)]
    assert problems == []


def test_axe_check_decides_svg_text_contrast_itself(new_context: ContextFactory, tmp_path: Path) -> None:
    """axe leaves text inside an <svg> undecided; the check measures it against what is painted under it:
    grey on a grey box and light grey on the page fail, dark text on a pale box passes."""
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core missing at {AXE_JS}: npm install --prefix .tools --ignore-scripts axe-core")
    fixture = tmp_path / "svg.html"
    fixture.write_text('<!DOCTYPE html><html lang="en"><title>svg</title><main><svg width="300" height="90" '
                       'role="img" aria-label="x"><rect x="0" y="0" width="300" height="30" fill="#eeeeee"/>'
                       '<text id="good" x="5" y="20" fill="#222222">Readable</text>'
                       '<rect x="0" y="30" width="300" height="30" fill="#777777"/>'
                       '<text id="grey" x="5" y="50" fill="#888888">Grey on grey</text>'
                       '<text id="faint" x="5" y="80" fill="#cccccc">Faint on white</text></svg></main></html>',
                       encoding="utf-8")
    page = new_context(bypass_csp=True).new_page()
    page.goto(fixture.as_uri())
    problems = [p for p in axe_violations(page) if "SVG text" in p]
    assert [p.split(" is ")[0] for p in problems] == ["color-contrast of SVG text at ['#grey']",
                                                      "color-contrast of SVG text at ['#faint']"], problems


# --- print ---------------------------------------------------------------------------------

PRINT_JS = """() => {
  const shown = sel => [...document.querySelectorAll(sel)].filter(el => getComputedStyle(el).display !== 'none').length;
  const links = [...document.querySelectorAll('#references a.external')];
  return {
    hidden: ['.site-header nav', '.toc', '.skip', '.permalink', '.download'].filter(sel => shown(sel) > 0),
    unbroken: ['li.entry', 'li.relationship', '#references > ol > li', '.responses']
      .filter(sel => [...document.querySelectorAll(sel)].some(el => getComputedStyle(el).breakInside !== 'avoid')),
    written: links.filter(a => !getComputedStyle(a, '::after').content.includes(a.getAttribute('href'))).length,
    links: links.length,
    background: getComputedStyle(document.body).backgroundColor,
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_rules_hide_navigation_write_out_addresses_and_keep_entries_whole(
        new_context: ContextFactory, http_root: str, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    page.goto(http_root + company("hikvision"))
    page.emulate_media(media="print")
    found = page.evaluate(PRINT_JS)
    assert found["hidden"] == [], "shown in print"
    assert found["unbroken"] == [], "may be split across pages"
    assert found["links"] > 20 and found["written"] == 0, "a reference's address is not written out"
    assert found["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")


def test_a_dossier_printed_by_chromium_lists_its_references_addresses(page: Page, http_root: str,
                                                                       tmp_path: Path) -> None:
    """The PDF Chromium prints (headless: page.pdf) holds, as text, every reference's address and number."""
    from pypdf import PdfReader
    page.goto(http_root + company("dahua"))
    addresses = page.locator("#references a.external").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    titles = page.locator("#references cite").all_inner_texts()
    count = page.locator("#references > ol > li").count()
    path = tmp_path / "dahua.pdf"
    page.pdf(path=str(path), format="A4", print_background=False)
    text = "\n".join(p.extract_text() or "" for p in PdfReader(path).pages)
    squashed = re.sub(r"\s+", "", text)  # a long address wraps over lines
    assert len(addresses) >= count > 10
    # exactly, ligatures included: an address copied out of the PDF must work
    assert [a for a in addresses if re.sub(r"\s+", "", a) not in squashed] == [], "an address is not in the PDF"
    words = unicodedata.normalize("NFKC", squashed)  # titles may print "fi" as one glyph
    assert [t for t in titles if unicodedata.normalize("NFKC", re.sub(r"\s+", "", t)) not in words] == [], \
        "a title is not in the PDF"
    assert [n for n in range(1, count + 1) if f"[{n}]" not in squashed] == [], "a citation number is lost"
    assert "Skiptocontent" not in squashed and "downloadthissiteasazip" not in squashed


# --- the cross-company pages ---------------------------------------------------------------

def event_keys() -> dict[str, tuple]:
    """Foreign id -> how the timeline orders it, from the YAML: the end of a period (an ongoing one: its
    start), then its first day, then the company, then the dossier's order."""
    out = {}
    for dossier_id in sorted(COMPANIES):
        for i, event in enumerate(dossier(dossier_id).get("events") or []):
            when = When.parse(str(event["date"]))
            out[f"{dossier_id}--{event['id']}"] = (when.sort_key(), when.first_day(), dossier_id, i)
    return out


def years_of(root: str, page: Page) -> list[str]:
    page.goto(root + TIMELINE)
    return page.locator("table.years tbody th a").all_inner_texts()


@pytest.mark.parametrize("site_root", BOTH_WAYS, indirect=True)
def test_the_timeline_lists_every_event_in_order(page: Page, site_root: str) -> None:
    keys = event_keys()
    years = years_of(site_root, page)
    assert years == sorted(years) and len(years) > 10
    seen: list[str] = []
    for year in years:
        page.goto(site_root + f"timeline/{year}/index.html")
        shown = page.locator(".timeline-events > li.entry").evaluate_all("items => items.map(li => li.id)")
        assert shown == sorted(shown, key=keys.__getitem__), year
        assert {keys[s][0][0] for s in shown} == {int(year)}
        seen += shown
    assert sorted(seen) == sorted(keys)


def filter_state(page: Page) -> dict[str, list[str]]:
    """Which companies' events a reader can see, and which are hidden."""
    return page.locator(".timeline-events > li.entry").evaluate_all("""items => {
      const out = {visible: [], hidden: []};
      for (const li of items) (li.checkVisibility() ? out.visible : out.hidden).push(li.dataset.company);
      return {visible: [...new Set(out.visible)].sort(), hidden: [...new Set(out.hidden)].sort()};
    }""")


@pytest.mark.parametrize("site_root", BOTH_WAYS, indirect=True)
def test_the_company_filter_hides_and_shows_a_companys_events(page: Page, site_root: str) -> None:
    page.goto(site_root + "timeline/2019/index.html")
    everyone = sorted(set(page.locator(".timeline-events > li.entry").evaluate_all(
        "items => items.map(li => li.dataset.company)")))
    total = len(page.locator(".timeline-events > li.entry").all())
    assert filter_state(page) == {"visible": everyone, "hidden": []}
    boxes = page.get_by_role("group", name="Show the events of").get_by_role("checkbox")
    assert boxes.count() == len(everyone) == 6
    page.get_by_role("checkbox", name="Huawei", exact=True).uncheck()
    page.get_by_role("checkbox", name="DJI", exact=True).uncheck()
    assert filter_state(page) == {"visible": [c for c in everyone if c not in ("huawei", "dji")],
                                  "hidden": ["dji", "huawei"]}
    left = len([li for li in page.locator(".timeline-events > li.entry").all() if li.is_visible()])
    expect(page.locator(".filter-status")).to_have_text(f"Showing {left} of {total} events.")
    page.get_by_role("button", name="Show all").click()
    assert filter_state(page) == {"visible": everyone, "hidden": []}
    expect(page.locator(".filter-status")).to_have_text(f"Showing {total} of {total} events.")


@pytest.mark.parametrize("site_root", BOTH_WAYS, indirect=True)
def test_without_javascript_every_event_is_readable_and_no_filter_is_offered(
        new_context: ContextFactory, site_root: str) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(site_root + "timeline/2019/index.html")
    events = page.locator(".timeline-events > li.entry")
    assert events.count() > 20
    assert all(li.is_visible() for li in events.all())
    expect(page.locator(".company-filter")).to_be_hidden()
    assert page.get_by_role("checkbox").count() == 0
    assert page.locator("details.cite-this button").count() == 0  # nor a copy button that could not work


def establishing(dossier_id: str, anchor: str) -> set[str]:
    data = dossier(dossier_id)
    items = [*(data.get("claims") or []), *(data.get("events") or []), *(data.get("relationships") or [])]
    return next(set(i.get("establishes") or []) for i in items if i["id"] == anchor)


@pytest.mark.parametrize("site_root", FOLLOWING_LINKS, indirect=True)
def test_every_filled_cell_links_to_an_establishing_entry_whose_anchor_exists(page: Page, site_root: str) -> None:
    page.goto(site_root + COMPARE)
    facts = page.locator("table.compare thead th").all_inner_texts()[1:]
    labels = dict(zip(facts, ["entity-list", "fcc-covered-list", "ndaa-889", "dod-1260h", "ns-cmic", "state-ownership",
                              "xinjiang", "listing"]))
    links = page.locator("table.compare td.filled").evaluate_all("""(cells, facts) => cells.map(td => ({
      fact: facts[td.cellIndex - 1], links: [...td.querySelectorAll('ul.support > li > a')].map(a => a.href)}))""",
                                                                  facts)
    assert len(links) >= 25 and all(cell["links"] for cell in links)
    by_page: dict[str, list[tuple[str, str]]] = {}
    for cell in links:
        for href in cell["links"]:
            where, _, anchor = href.partition("#")
            by_page.setdefault(where, []).append((anchor, labels[cell["fact"]]))
    for where, anchors in by_page.items():
        page.goto(where)
        dossier_id = re.search(r"companies/([a-z0-9-]+)/", where).group(1)
        for anchor, fact in anchors:
            found = page.locator(f"[id='{anchor}']")
            expect(found).to_have_count(1)
            assert found.evaluate("el => el.matches('li.entry, li.relationship')"), (where, anchor)
            assert fact in establishing(dossier_id, anchor), (where, anchor, fact)


def test_the_comparison_scrolls_inside_its_own_box_on_a_narrow_screen(new_context: ContextFactory, http_root: str) -> None:
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto(http_root + COMPARE)
    sizes = page.evaluate("""() => {
      const box = document.querySelector('.matrix');
      return {page: document.scrollingElement.scrollWidth, box: box.getBoundingClientRect().right,
              inner: box.scrollWidth, outer: box.clientWidth};
    }""")
    assert sizes["page"] <= 360 and sizes["box"] <= 360, sizes
    assert sizes["inner"] > sizes["outer"], sizes
    last = page.locator("table.compare thead th").last
    expect(last).not_to_be_in_viewport()
    page.locator(".matrix").focus()
    page.keyboard.press("ArrowRight")  # the box takes the keyboard: a reader without a mouse can scroll it
    expect(page.locator(".matrix")).not_to_have_js_property("scrollLeft", 0)
    page.locator(".matrix").evaluate("box => box.scrollLeft = box.scrollWidth")
    expect(last).to_be_in_viewport()
    assert page.evaluate("document.scrollingElement.scrollLeft") == 0


def test_cite_this_copies_the_citation_with_todays_date(new_context: ContextFactory, http_root: str) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=http_root.rstrip("/"))
    page = context.new_page()
    page.goto(http_root + company("dji") + "#entity-list-2020")
    entry = page.locator("[id='entity-list-2020']")
    entry.locator("details.cite-this summary").click()
    line = entry.locator(".cite-line").inner_text()
    address = entry.locator(".cite-permalink a").inner_text()
    assert address == "companies/dji/#entity-list-2020" and line.endswith(address)
    entry.get_by_role("button", name="Copy citation").click()
    expect(entry.locator(".copy-status")).to_have_text("Copied, with today\u2019s date of access.")
    copied = page.evaluate("navigator.clipboard.readText()")
    today = page.evaluate("""() => { const d = new Date(); return d.getDate() + ' ' +
      d.toLocaleString('en-GB', {month: 'long'}) + ' ' + d.getFullYear(); }""")
    absolute = http_root + "companies/dji/#entity-list-2020"
    assert copied == line[: -len(address)] + absolute + f" Accessed {today}."


def test_cite_this_copies_from_a_file_url_too(new_context: ContextFactory, offline_site: Path) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto((offline_site / "timeline/2019/index.html").as_uri())
    entry = page.locator("li.entry").first
    entry.locator("details.cite-this summary").click()
    line = entry.locator(".cite-line").inner_text()
    entry.get_by_role("button", name="Copy citation").click()
    expect(entry.locator(".copy-status")).to_have_text("Copied, with today\u2019s date of access.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(line + " Accessed ")  # from disk the address stays site-relative


# --- the reading experience (issue 20) -------------------------------------------------------

PREVIEW = ".cite-preview"


def plain_marker(page: Page) -> tuple[Any, str]:
    """The first marker of an entry whose text holds no link (so Tab from its permalink reaches it),
    and the title of the source it cites, as its reference gives it."""
    entry = page.locator("li.entry").filter(has_not=page.locator(".entry-text a")).first
    marker = entry.locator(":scope > .cites sup.cite a").first
    reference = page.locator(f"[id='{(marker.get_attribute('href') or '#')[1:]}']")
    return marker, reference.locator("cite").first.inner_text()


def test_a_citation_preview_shows_on_hover_and_closes_on_escape(page: Page, http_root: str) -> None:
    page.goto(http_root + company("hikvision"))
    marker, title = plain_marker(page)
    assert marker.get_attribute("title") is None, "the title tooltip stays beside the preview"
    expect(page.locator(PREVIEW)).to_be_hidden()
    marker.hover()
    preview = page.locator(PREVIEW)
    expect(preview).to_be_visible()
    expect(preview.locator("cite")).to_have_text(title)
    expect(marker).to_have_attribute("aria-describedby", preview.get_attribute("id") or "")
    expect(preview).to_have_attribute("role", "tooltip")
    box, win = preview.bounding_box(), page.viewport_size
    assert box and win and box["x"] >= 0 and box["x"] + box["width"] <= win["width"], box
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    assert marker.get_attribute("aria-describedby") is None
    marker.click()  # a mouse click follows the link, as without the script
    expect(page).to_have_url(re.compile(re.escape(marker.get_attribute("href") or "#") + "$"))


def test_a_citation_preview_shows_on_keyboard_focus_and_enter_follows(page: Page, http_root: str) -> None:
    page.goto(http_root + company("dji"))
    marker, title = plain_marker(page)
    marker.locator("xpath=ancestor::li[1]").locator(".permalink").first.focus()
    page.keyboard.press("Tab")
    expect(marker).to_be_focused()
    expect(page.locator(PREVIEW)).to_be_visible()
    expect(page.locator(PREVIEW).locator("cite")).to_have_text(title)
    page.keyboard.press("Escape")
    expect(page.locator(PREVIEW)).to_be_hidden()
    expect(marker).to_be_focused()  # Escape closes the preview and leaves the reader where they were
    page.keyboard.press("Enter")
    href = marker.get_attribute("href") or "#"
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator(":target")).to_have_attribute("id", href[1:])


def test_a_citation_preview_opens_on_tap_and_a_second_tap_follows(new_context: ContextFactory, http_root: str) -> None:
    page = new_context(has_touch=True, is_mobile=True, viewport={"width": 360, "height": 740}).new_page()
    page.goto(http_root + company("huawei"))
    marker, title = plain_marker(page)
    marker.scroll_into_view_if_needed()
    marker.tap()
    preview = page.locator(PREVIEW)
    expect(preview).to_be_visible()
    expect(preview.locator("cite")).to_have_text(title)
    assert "#" not in page.url, "the first tap followed the link"
    box = preview.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 360
    marker.tap()
    href = marker.get_attribute("href") or "#"
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(preview).to_be_hidden()
    page.go_back()
    marker.tap()
    expect(preview).to_be_visible()
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()


def test_a_citation_preview_is_text_whatever_a_title_holds(page: Page, tmp_path: Path) -> None:
    """Source titles and notes are contributed text: markup in them is shown as text, never run."""
    files = minimal_files()
    hostile = '<img src=x onerror="window.__ran=1"> <b>bold</b> & co'
    files["sources.yaml"] = (files["sources.yaml"]
                             .replace("title: A report", f"title: '{hostile}'")
                             .replace("kind: government", f"kind: government\n  note: '{hostile}'"))
    folder = write_corpus(tmp_path / "dossiers", files)
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    page.goto((tmp_path / "site" / company("alpha")).as_uri())
    page.locator("sup.cite a").first.hover()
    preview = page.locator(PREVIEW)
    expect(preview.locator("cite")).to_have_text(hostile)
    expect(preview.locator(".preview-note")).to_have_text(hostile)
    assert preview.locator("img, b").count() == 0
    assert page.evaluate("window.__ran") is None


def test_without_javascript_a_marker_keeps_its_tooltip_and_jumps(new_context: ContextFactory, http_root: str) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(http_root + company("megvii"))
    marker = page.locator("li.entry > .cites sup.cite a").first
    assert (marker.get_attribute("title") or "").strip()
    marker.click()
    expect(page.locator(PREVIEW)).to_have_count(0)
    expect(page.locator(":target")).to_have_attribute("id", (marker.get_attribute("href") or "#")[1:])


BACKLINKS_JS = """() => {
  const out = [];
  const markers = [...document.querySelectorAll('sup.cite a[id]')];
  for (const a of markers) {
    const ref = document.getElementById((a.getAttribute('href') || '#').slice(1));
    if (!ref) { out.push(`${a.id}: no reference`); continue; }
    const back = [...ref.querySelectorAll('.uses a')].filter(b => b.getAttribute('href') === '#' + a.id);
    if (back.length !== 1) { out.push(`${a.id}: ${back.length} back-links in #${ref.id}`); continue; }
    const words = back[0].textContent.replace('\\u21a9', '').trim();
    const owner = a.closest('[id]:not(sup a)');
    if (words.length < 4 || /^[a-z0-9-]+$/.test(words) || words === (owner && owner.id))
      out.push(`${a.id}: back-link labelled "${words}"`);
  }
  for (const b of document.querySelectorAll('.references .uses a'))
    if (!document.getElementById(b.getAttribute('href').slice(1))) out.push(`${b.getAttribute('href')}: no marker`);
  return {markers: markers.length, problems: out};
}"""


def test_every_reference_links_back_to_every_place_citing_it_by_its_words(
        page: Page, roots: dict[str, str], family_pages: list[FamilyPage]) -> None:
    seen = 0
    for item in family_pages:
        page.goto(roots[item.site] + item.path)
        found = page.evaluate(BACKLINKS_JS)
        assert found["problems"] == [], item
        seen += found["markers"] > 0
    assert seen >= 6 + 5  # the companies, a topic, a topic part, a sector, a year, the comparison


LEGEND_JS = """() => {
  const shown = new Set();
  for (const el of document.querySelectorAll('li.entry, li.relationship'))
    for (const c of el.classList) {
      const m = c.match(/^(?:status|standing)-(contested|unanswered|unconfirmed|reported|ended)$/);
      if (m) shown.add(m[1]);
    }
  const words = {'contested': 'contested', 'an allegation not answered on the record': 'unanswered',
                 'unconfirmed': 'unconfirmed', 'reported, not shown to have happened': 'reported', 'ended': 'ended'};
  for (const s of document.querySelectorAll('.compare .standing'))
    for (const w of s.textContent.replace(/^\\(|\\)$/g, '').split('; ')) if (words[w]) shown.add(words[w]);
  const legend = [...document.querySelectorAll('.legend .legend-mark')].map(m => m.className.match(/mark-(\\S+)/)[1]);
  const first = document.querySelector('.legend');
  const marked = document.querySelector(
      'li.entry[class*=status-], li.relationship[class*=status-], .compare .standing');
  return {shown: [...shown].sort(), legend: legend.slice().sort(), unique: new Set(legend).size === legend.length,
          before: !first || !marked || !!(first.compareDocumentPosition(marked) & Node.DOCUMENT_POSITION_FOLLOWING)};
}"""


def test_each_page_showing_marks_explains_them_in_a_legend(
        page: Page, roots: dict[str, str], family_pages: list[FamilyPage]) -> None:
    with_marks = 0
    for item in family_pages:
        page.goto(roots[item.site] + item.path)
        found = page.evaluate(LEGEND_JS)
        assert found["legend"] == found["shown"] and found["unique"] and found["before"], (item, found)
        with_marks += bool(found["shown"])
    assert with_marks >= 6 + 3  # the companies, a topic, a year, the comparison


def test_the_contents_stay_beside_the_text_on_a_wide_screen(new_context: ContextFactory, http_root: str) -> None:
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(http_root + company("huawei"))
    toc = page.get_by_role("navigation", name="On this page")
    links = toc.get_by_role("link")
    expect(links.first).to_be_visible()  # open, without a click
    assert links.count() >= 5
    page.locator("#references").scroll_into_view_if_needed()
    expect(links.last).to_be_in_viewport()  # sticky: still there at the bottom of the page
    text = page.locator(".dossier-body").bounding_box()
    beside = toc.bounding_box()
    assert text and beside and beside["x"] >= text["x"] + text["width"], (text, beside)
    links.filter(has_text="Timeline").click()
    expect(page.locator(":target")).to_have_attribute("id", "timeline")


def test_on_a_phone_the_contents_are_a_jump_menu_without_javascript(
        new_context: ContextFactory, http_root: str) -> None:
    page = new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    page.goto(http_root + company("dahua"))
    toc = page.get_by_role("navigation", name="On this page")
    menu = toc.locator("summary")
    expect(menu).to_be_visible()
    box = toc.bounding_box()
    assert box and box["height"] < 60, box  # compact: one line until opened
    expect(toc.get_by_role("link").first).to_be_hidden()
    menu.click()
    toc.get_by_role("link", name="References").click()
    expect(page.locator(":target")).to_have_attribute("id", "references")


@pytest.mark.parametrize(("dossier_id", "face"), [("dji", "Noto Sans CJK TC"), ("huawei", "Noto Sans CJK SC")])
def test_chinese_text_is_tagged_with_its_script_and_gets_a_face_for_it(
        page: Page, http_root: str, dossier_id: str, face: str) -> None:
    page.goto(http_root + company(dossier_id))
    lang = "zh-Hant" if face.endswith("TC") else "zh-Hans"
    # every run but the titles of sources in English with a Chinese name inside: no field says their script
    runs = page.locator("main [lang^='zh']:not(#references cite *)").evaluate_all(
        "els => els.map(el => [el.getAttribute('lang'),"
        " getComputedStyle(el).fontFamily.split(',')[0].replace(/\"/g, '')])")
    assert runs and all(tag == lang for tag, _ in runs), runs
    assert all(first == face for _, first in runs), runs


def test_the_axe_check_reports_violations_and_undecided_contrast(new_context: ContextFactory, tmp_path: Path) -> None:
    """The check itself: grey on grey fails, and text over a gradient (whose contrast axe cannot decide)
    is reported too, not passed over."""
    if not AXE_JS.is_file():
        skip_or_fail(f"axe-core missing at {AXE_JS}: npm install --prefix .tools --ignore-scripts axe-core")
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>bad</title><main>'
                   '<p id="faint" style="color:#999;background:#aaa">faint words here</p>'
                   '<p id="over" style="color:#777;background:linear-gradient(#fff,#000)">words over a gradient</p>'
                   '</main></html>', encoding="utf-8")
    page = new_context().new_page()
    page.goto(bad.as_uri())
    found = axe_violations(page)
    assert any(p.startswith("color-contrast (serious)") and "#faint" in p for p in found), found
    assert any(p.startswith("color-contrast undecided at ['#over']") for p in found), found


def test_forced_colours_keep_the_marks_and_reduced_motion_gets_none(
        new_context: ContextFactory, http_root: str) -> None:
    """In forced colours (backgrounds dropped) a status note and a legend mark keep a border, and an entry its
    dashed or dotted rule; asking for less motion leaves no smooth scrolling or transition, even where an
    override's style sheet asks for them (added here, hence bypass_csp)."""
    page = new_context(forced_colors="active", reduced_motion="reduce", bypass_csp=True).new_page()
    page.goto(http_root + company("hikvision"))
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    page.add_style_tag(content="html { scroll-behavior: smooth } a { transition: color 1s }")
    found = page.evaluate("""() => {
      const css = s => getComputedStyle(document.querySelector(s));
      return {note: css('.status').borderTopStyle, mark: css('.legend-mark.mark-unconfirmed').borderLeftStyle,
              entry: css('li.entry.status-unconfirmed').borderLeftStyle,
              scroll: getComputedStyle(document.documentElement).scrollBehavior,
              transition: css('a').transitionDuration};
    }""")
    assert found == {"note": "solid", "mark": "dashed", "entry": "dashed", "scroll": "auto", "transition": "0s"}, found
