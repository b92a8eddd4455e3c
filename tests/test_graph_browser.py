"""The relationship graph as readers see it, in Debian's Chromium (tests/test_browser.py's setup).

What the build promises about each label (its drawn width, fixed with
``textLength``, and the line box around its baseline) is checked against the
boxes Chromium actually draws, with the fonts this machine has (DejaVu Sans
for Latin text, Noto Sans CJK for Chinese); then the same overlap rules as
tests/test_graph.py, on the drawn boxes. Screenshots are kept in the test's
tmp_path for a human to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ALPHA, minimal_files, write_editor_corpus
from sourcebook import graphs, pipeline
from test_browser import ContextFactory, company, http_root, layout_problems, png_width  # noqa: F401 (a fixture)
from test_graph import PARTIES, TIES

try:
    from playwright.sync_api import Page, expect
except ImportError:  # test_browser's import already skipped (or failed, under REQUIRE_BROWSER=1)
    pass

GRAPH = "graph/index.html"
COMPANIES = ("dahua", "dji", "hikvision", "huawei", "iflytek", "megvii")

# Every label line: is it drawn as wide as its textLength, and does its drawn box lie inside the box
# the build promised (x .. x + textLength, baseline - ASCENT .. baseline + DESCENT)? Then: no two
# drawn line boxes meet, none meets a node, and a line meets a company box only when drawn inside it.
# Chromium spreads the spacing that textLength adds after every character, the last one included, so
# a drawn box may end up to a pixel past x + textLength (measured: at most 0.6 px); the layout leaves
# at least a pixel between lines and GAP (8 px) between a label and anything beside it.
DRAWN_JS = """([ascent, descent]) => {
  const svg = document.querySelector('svg.graph'), out = [], slack = 1;
  const r = b => ({x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height});
  const meets = (a, b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
  const holds = (a, b) => a.x0 <= b.x0 + slack && b.x1 <= a.x1 + slack && a.y0 <= b.y0 + slack && b.y1 <= a.y1 + slack;
  const texts = [...svg.querySelectorAll('text')].map(t => {
    const x = +t.getAttribute('x'), y = +t.getAttribute('y'), length = +t.getAttribute('textLength');
    return {t, words: t.textContent, drawn: r(t.getBBox()), length, natural: t.getComputedTextLength(),
            promised: {x0: x, y0: y - ascent, x1: x + length, y1: y + descent}};
  });
  for (const l of texts) {
    const wide = l.drawn.x1 - l.drawn.x0;
    if (l.words && Math.abs(wide - l.length) > slack) out.push(`"${l.words}" is drawn ${wide} wide, not ${l.length}`);
    if (l.natural > l.length + slack) out.push(`"${l.words}" is squeezed: ${l.natural} px of text in ${l.length}`);
    if (!holds(l.promised, l.drawn)) out.push(`"${l.words}" drawn at ${JSON.stringify(l.drawn)}, outside `
                                              + JSON.stringify(l.promised));
  }
  texts.forEach((a, i) => texts.slice(i + 1).forEach(b => {
    if (meets(a.drawn, b.drawn)) out.push(`"${a.words}" meets "${b.words}"`);
  }));
  for (const c of svg.querySelectorAll('circle.node'))
    for (const l of texts) if (meets(r(c.getBBox()), l.drawn)) out.push(`"${l.words}" meets a node`);
  for (const box of svg.querySelectorAll('rect.centre'))
    for (const l of texts) {
      const own = l.t.closest('g.company') === box.closest('g.company');
      if (own && !holds(r(box.getBBox()), l.drawn)) out.push(`"${l.words}" sticks out of its company's box`);
      if (!own && meets(r(box.getBBox()), l.drawn)) out.push(`"${l.words}" meets a company's box`);
    }
  return {lines: texts.length, chinese: svg.querySelectorAll('tspan[lang="zh"]').length, problems: out};
}"""


def drawn_problems(page: Page) -> dict:
    return page.evaluate(DRAWN_JS, [graphs.ASCENT_PX, graphs.DESCENT_PX])


@pytest.fixture(scope="module")
def purpose_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chinese, long and hyphenated names, every standing and status (test_graph.py's corpus)."""
    folder = write_editor_corpus(tmp_path_factory.mktemp("graph-browser") / "dossiers",
                                 {**minimal_files(), "alpha.yaml": ALPHA + TIES, "parties.yaml": PARTIES})
    pipeline.build(pipeline.Options(dossiers=folder, out=folder.parent / "site"))
    return folder.parent / "site"


@pytest.mark.parametrize("path", [GRAPH, *(company(c) for c in COMPANIES)])
def test_the_graph_shows_and_chromium_draws_no_label_over_another(
        new_context: ContextFactory, http_root: str, tmp_path: Path, path: str) -> None:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_root + path)
    svg = page.locator("svg.graph")
    expect(svg).to_be_visible()
    assert svg.evaluate("s => s.getBoundingClientRect().width") == int(svg.get_attribute("width"))
    found = drawn_problems(page)
    assert found["lines"] > 10 and found["problems"] == []
    shot = tmp_path / (path.replace("/", "-").removesuffix("-index.html") + ".png")
    page.locator(".graph-box").screenshot(path=str(shot))
    assert png_width(shot) >= min(int(svg.get_attribute("width")), 736)


@pytest.mark.parametrize("path", [GRAPH, company("alpha")])
def test_chinese_and_long_names_are_drawn_clear_of_each_other(new_context: ContextFactory, purpose_site: Path,
                                                               path: str) -> None:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto((purpose_site / path).as_uri())
    found = drawn_problems(page)
    assert found["chinese"] == 1 and found["problems"] == []


def test_an_edge_clicked_leads_to_its_relationship_and_its_citations(new_context: ContextFactory, http_root: str) -> None:
    """A reader clicks a line where it is drawn (its middle, where no other line lies on top) and
    lands on the relationship in its company's list; the keyboard reaches the same link."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(http_root + GRAPH)
    spot = page.evaluate("""() => {
      for (const a of document.querySelectorAll('svg.graph g.edges > a')) {
        const path = a.querySelector('path.edge'), length = path.getTotalLength();
        const p = path.getPointAtLength(length / 2), m = path.getScreenCTM();
        const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('a') === a && !a.getAttribute('aria-label').includes('Huawei'))
          return {x, y, href: new URL(a.getAttribute('href'), document.baseURI).href,
                  name: a.getAttribute('aria-label')};
      }
    }""")
    assert spot, "no edge can be clicked where it is drawn"
    with page.expect_navigation():
        page.mouse.click(spot["x"], spot["y"])
    assert page.url == spot["href"]
    target = page.locator(":target")
    expect(target).to_have_class(re.compile(r"\brelationship\b"))
    expect(target).to_be_in_viewport()
    assert target.locator(".cites sup.cite a").count() >= 1
    company_name, said = spot["name"].split(" — ", 1)
    assert page.locator("h1").first.inner_text().startswith(company_name)
    assert said.split(": ", 1)[1] in target.inner_text()

    page.goto(http_root + GRAPH)
    link = page.get_by_role("link", name=spot["name"], exact=True)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == spot["href"]


@pytest.mark.parametrize("dossier_id", ["megvii", "dji"])
def test_on_a_360_px_screen_the_graph_scrolls_in_its_box_and_the_page_never_sideways(
        new_context: ContextFactory, http_root: str, tmp_path: Path, dossier_id: str) -> None:
    page = new_context(viewport={"width": 360, "height": 800}).new_page()
    page.goto(http_root + company(dossier_id))
    box = page.locator(".graph-box")
    sizes = box.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth, right: b.getBoundingClientRect().right})")
    assert sizes["scroll"] > sizes["client"] and sizes["right"] <= 360
    assert page.evaluate("() => document.documentElement.scrollWidth") == 360
    assert layout_problems(page) == []
    right_column = "() => Math.max(...[...document.querySelectorAll('svg.graph text')].map(t => t.getBoundingClientRect().right))"
    assert page.evaluate(right_column) > 360                       # the right column is out of sight ...
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    assert 0 < page.evaluate(right_column) <= sizes["right"]        # ... until the reader scrolls the box
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / f"{dossier_id}-360.png"))   # the window, the graph's box scrolled
    assert png_width(tmp_path / f"{dossier_id}-360.png") == 360
