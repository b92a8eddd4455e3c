"""The relationship graph (graph/ and each company page's), checked in the SVG the build writes.

Geometry is read back from the built pages, not from the layout's own data:
a label line's box is its ``x``, its ``textLength`` and the line box
graphs.py promises around its baseline (ASCENT_PX above, DESCENT_PX below;
tests/test_graph_browser.py checks that promise against the boxes Chromium
draws). Expected types, names and counts come from the dossiers' YAML and
from the relationship lists on the company pages, the drawing's text
alternative.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup, Tag

from conftest import ALPHA, BETA, DOSSIERS, ROOT, SOURCES, minimal_files, write_corpus, write_editor_corpus
from sourcebook import graphs, pipeline
from sourcebook.linkcheck import LinkCheck
from sourcebook.problems import BuildFailed
from sourcebook.urls import PageUrls

GRAPH = "graph/index.html"
COMPANIES = ("dahua", "dji", "hikvision", "huawei", "iflytek", "megvii")
PAGES = (GRAPH, *(f"companies/{c}/index.html" for c in COMPANIES))


def company(dossier_id: str) -> str:
    return f"companies/{dossier_id}/index.html"


# --- reading a drawing back from a page ------------------------------------------------

@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float

    def meets(self, other: "Rect") -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def holds(self, other: "Rect") -> bool:
        return self.x0 <= other.x0 and other.x1 <= self.x1 and self.y0 <= other.y0 and other.y1 <= self.y1

    def has_inside(self, x: float, y: float) -> bool:
        return self.x0 < x < self.x1 and self.y0 < y < self.y1


@dataclass(frozen=True)
class Line:
    words: str
    kind: str          # outer, heading, centre or port (its class label-<kind>)
    box: Rect
    group: Tag         # the element holding it and its node (a company's g.company)


def holder(element: Tag) -> Tag:
    """The element that holds a label and its node: a company's g.company, else its parent."""
    return element.find_parent("g", class_="company") or element.parent


@dataclass(frozen=True)
class EdgeSeen:
    href: str
    name: str
    classes: tuple[str, ...]
    marker: str | None
    points: tuple[tuple[int, int], ...]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@functools.lru_cache(maxsize=64)
def parsed(path: Path) -> BeautifulSoup:
    """A page parsed once, for tests that only read it."""
    return soup(path)


def graph_svg(page: BeautifulSoup) -> Tag:
    found = page.select("svg.graph")
    assert len(found) == 1, f"{len(found)} graphs on the page"
    return found[0]


def lines(svg: Tag) -> list[Line]:
    out = []
    for text in svg.find_all("text"):
        x, y, width = (float(text[a]) for a in ("x", "y", "textlength"))
        assert text["lengthadjust"] == "spacing"
        kind = next(c for c in text["class"] if c.startswith("label-")).removeprefix("label-")
        out.append(Line(text.get_text(), kind, Rect(x, y - graphs.ASCENT_PX, x + width, y + graphs.DESCENT_PX),
                        holder(text)))
    return out


def boxes(svg: Tag) -> list[tuple[Rect, Tag]]:
    """Company boxes, with the element that holds each and its labels."""
    return [(Rect(float(r["x"]), float(r["y"]), float(r["x"]) + float(r["width"]), float(r["y"]) + float(r["height"])),
             holder(r)) for r in svg.select("rect.centre")]


def circles(svg: Tag) -> list[Rect]:
    return [Rect(float(c["cx"]) - float(c["r"]), float(c["cy"]) - float(c["r"]),
                 float(c["cx"]) + float(c["r"]), float(c["cy"]) + float(c["r"])) for c in svg.select("circle.node")]


def edges(svg: Tag) -> list[EdgeSeen]:
    out = []
    for a in svg.select("g.edges > a"):
        path = a.select_one("path.edge")
        numbers = [int(n) for n in re.findall(r"-?\d+", path["d"])]
        assert re.fullmatch(r"M-?\d+ -?\d+(C(-?\d+ -?\d+ ?){3}){2}", path["d"]), path["d"]  # integers only
        marker = path.get("marker-mid")
        out.append(EdgeSeen(a["href"], a["aria-label"], tuple(path["class"]), marker,
                            tuple(zip(numbers[::2], numbers[1::2]))))
    return out


def overlaps(svg: Tag) -> list[str]:
    """Label lines that meet another line, a node they are not drawn in, or stick out of their own."""
    found, all_lines, company_boxes = [], lines(svg), boxes(svg)
    for i, line in enumerate(all_lines):
        for other in all_lines[i + 1:]:
            if line.box.meets(other.box):
                found.append(f"{line.words!r} meets {other.words!r}")
        for box, holder in company_boxes:
            if holder is line.group and not box.holds(line.box):
                found.append(f"{line.words!r} sticks out of its box")
            elif holder is not line.group and box.meets(line.box):
                found.append(f"{line.words!r} meets another company's box")
        found += [f"{line.words!r} meets a node" for c in circles(svg) if c.meets(line.box)]
        width, height = float(svg["width"]), float(svg["height"])
        if not Rect(0, 0, width, height).holds(line.box):
            found.append(f"{line.words!r} is outside the drawing")
    return found


def cubic(points: tuple[tuple[int, int], ...], steps: int = 24) -> list[tuple[float, float]]:
    """Points along the path's two cubic halves."""
    out = []
    for half in (points[0:4], points[3:7]):
        (ax, ay), (bx, by), (cx, cy), (dx, dy) = half
        for k in range(steps + 1):
            t = k / steps
            u = 1 - t
            out.append((u ** 3 * ax + 3 * u * u * t * bx + 3 * u * t * t * cx + t ** 3 * dx,
                        u ** 3 * ay + 3 * u * u * t * by + 3 * u * t * t * cy + t ** 3 * dy))
    return out


# --- what the dossiers say --------------------------------------------------------------

@functools.cache
def relationships(dossier_id: str) -> list[dict]:
    return yaml.safe_load((DOSSIERS / f"{dossier_id}.yaml").read_text(encoding="utf-8")).get("relationships") or []


@functools.cache
def party_names() -> dict[str, str]:
    return {p["id"]: p["name"] for p in yaml.safe_load((DOSSIERS / "parties.yaml").read_text(encoding="utf-8"))}


def listed_type(page: BeautifulSoup, rel_id: str) -> str:
    """A relationship's type as its company page lists it ("Supplier" from "Supplier (reported):")."""
    item = page.find("li", id=rel_id, class_="relationship")
    assert item is not None, rel_id
    return re.sub(r" \((reported|ended)\)$", "", item.select_one(".rel-type").get_text().rstrip(":"))


# --- the shipped site ----------------------------------------------------------------------

def test_every_company_and_party_is_drawn_once_with_every_relationship(shipped_site: Path) -> None:
    svg = graph_svg(soup(shipped_site / GRAPH))
    named = {r["party"] for c in COMPANIES for r in relationships(c) if "party" in r}
    outer_lines = [line for line in lines(svg) if line.kind == "outer"]
    drawn = Counter(" ".join(line.words for line in outer_lines if line.group is g)
                    for g in {id(l.group): l.group for l in outer_lines}.values())
    assert sorted(drawn) == sorted(party_names()[p] for p in named)   # one agency, one node
    assert set(drawn.values()) == {1}
    assert len(circles(svg)) == len(named) == 52
    assert len(boxes(svg)) == len(COMPANIES)
    assert len(edges(svg)) == sum(len(relationships(c)) for c in COMPANIES) == 88
    assert int(svg["width"]) <= 960   # the width graph/ gives it (60rem)


@pytest.mark.parametrize("dossier_id", COMPANIES)
def test_a_company_graph_draws_its_list_and_fits_the_text_column(shipped_site: Path, dossier_id: str) -> None:
    page = soup(shipped_site / company(dossier_id))
    svg = graph_svg(page)
    listed = page.select("li.relationship")
    assert [e.href for e in edges(svg)] == [f"#{li['id']}" for li in listed]   # the list's order: its tab order
    for e, li in zip(edges(svg), listed):   # named as the list names it, with its standing and status
        other = li.select_one(".rel-head a, .rel-head .party").get_text()
        marks = [c.split("-", 1)[1] for c in li["class"] if c.startswith(("standing-", "status-"))
                 and c != "standing-established"]
        assert e.name == f"{listed_type(page, li['id'])}: {other}" + (f" ({', '.join(marks)})" if marks else "")
    others = {r.get("party") or r.get("target") for r in relationships(dossier_id)}
    assert len(circles(svg)) == len(others)
    assert len(boxes(svg)) == 1 and int(svg["width"]) <= 736


@pytest.mark.parametrize("path", PAGES)
def test_no_label_overlaps_another_label_or_a_node(shipped_site: Path, path: str) -> None:
    svg = graph_svg(soup(shipped_site / path))
    assert len(lines(svg)) > 10
    assert overlaps(svg) == []


def test_the_overlap_check_fails_on_overlapping_labels(shipped_site: Path) -> None:
    svg = graph_svg(soup(shipped_site / GRAPH))
    texts = svg.find_all("text", class_="label-outer")
    texts[1]["y"] = str(float(texts[0]["y"]) + 6)                     # a label onto the next one
    port = svg.find("text", class_="label-port")
    port["x"] = str(float(port["x"]) - 20)                            # a port out of its box
    circle = svg.select_one("circle.node")
    texts[5]["x"], texts[5]["y"] = str(float(circle["cx"]) - 3), circle["cy"]   # a label over a node
    found = overlaps(svg)
    assert any(f"{texts[1].get_text()!r}" in f and "meets" in f for f in found), found
    assert any("sticks out of its box" in f for f in found), found
    assert any(f.startswith(f"{texts[5].get_text()!r} meets a node") for f in found), found


@pytest.mark.parametrize("path", PAGES)
def test_no_edge_runs_through_a_label_or_under_another_company(shipped_site: Path, path: str) -> None:
    svg = graph_svg(soup(shipped_site / path))
    label_boxes = [line.box for line in lines(svg)]
    company_boxes = [box for box, _ in boxes(svg)]
    crossed = []
    for e in edges(svg):
        for x, y in cubic(e.points):
            crossed += [f"{e.name} runs through a label at ({x:.0f}, {y:.0f})" for b in label_boxes if b.has_inside(x, y)]
            crossed += [f"{e.name} runs under a company at ({x:.0f}, {y:.0f})" for b in company_boxes
                        if b.has_inside(x, y)]
    assert crossed == []


@pytest.mark.parametrize("path", PAGES)
def test_every_edge_ends_at_the_port_of_its_type(shipped_site: Path, path: str) -> None:
    """An edge is labelled by its type: it ends on the side of the recording company's box, level
    with the port label that names its type (as the company's relationship list names it)."""
    page = soup(shipped_site / path)
    svg = graph_svg(page)
    ports = [line for line in lines(svg) if line.kind == "port"]
    wrong = []
    for e in edges(svg):
        target = urlsplit(urljoin(f"http://site/{path}", e.href))
        listing = parsed(shipped_site / target.path.lstrip("/") / "index.html") if target.path.endswith("/") else page
        expected = listed_type(listing, target.fragment)
        x, y = e.points[-1]
        (box, holder), = [(b, h) for b, h in boxes(svg) if b.y0 < y < b.y1 and x in (b.x0, b.x1)]
        level = [p for p in ports if p.group is holder and p.box.y0 <= y <= p.box.y1
                 and (p.box.x0 - box.x0 < box.x1 - p.box.x1) == (x == box.x0)]
        if [p.words for p in level] != [expected]:
            wrong.append(f"{e.name} ends beside {[p.words for p in level]}, not {expected!r}")
    assert wrong == []
    assert edges(svg)


@pytest.mark.parametrize("path", PAGES)
def test_the_svg_is_titled_described_and_every_link_in_it_named(shipped_site: Path, path: str) -> None:
    svg = graph_svg(soup(shipped_site / path))
    title, desc = svg.find("title", recursive=False), svg.find("desc", recursive=False)
    assert svg["aria-labelledby"] == title["id"] and svg["aria-describedby"] == desc["id"]
    assert title.get_text().strip() and len(desc.get_text()) > 80
    assert svg.find(True) is title   # the first child: what assistive technology reads first
    links = svg.find_all("a")
    assert links and all(a.get("aria-label", "").strip() for a in links)
    for text in svg.find_all("text"):   # words outside a link are the text alternative's, not read twice
        assert text.find_parent("a") or text.find_parent(attrs={"aria-hidden": "true"}), text


@pytest.mark.parametrize("path", PAGES)
def test_every_svg_link_resolves(shipped_site: Path, path: str) -> None:
    svg = graph_svg(soup(shipped_site / path))
    hrefs = [a["href"] for a in svg.find_all("a")]
    assert hrefs
    broken = []
    for href in hrefs:
        url = urlsplit(urljoin(f"http://site/{path}", href))
        file = shipped_site / url.path.lstrip("/")
        file = file / "index.html" if url.path.endswith("/") else file
        if not file.is_file():
            broken.append(f"{href}: no {file.relative_to(shipped_site)}")
        elif url.fragment and parsed(file).find(id=url.fragment) is None:
            broken.append(f"{href}: no #{url.fragment}")
    assert broken == []


def test_the_list_on_graph_gives_every_tie_as_text(shipped_site: Path) -> None:
    page = soup(shipped_site / GRAPH)
    items = page.select("ul.counterparts > li")
    links = [a["href"] for li in items for a in li.select(".counterpart-type a")]
    assert sorted(links) == sorted(e.href for e in edges(graph_svg(page)))
    names = [li.select_one(".counterpart").get_text() for li in items]
    assert names == sorted(names, key=str.casefold)


def test_the_link_check_sees_every_svg_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every href in a drawing is one the page asked `url()` for, so linkcheck checks it; an edge
    pointed at an anchor that does not exist fails the build."""
    seen = {}
    real = LinkCheck.see

    def spy(self: LinkCheck, output) -> None:
        seen[output.path] = output
        real(self, output)

    monkeypatch.setattr(LinkCheck, "see", spy)
    pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=tmp_path / "site", config=ROOT / "pyproject.toml"))
    for path in PAGES:
        svg = graph_svg(BeautifulSoup(seen[path].data.decode(), "html.parser"))
        checked = {PageUrls(path)(t) for t in seen[path].targets}
        assert [a["href"] for a in svg.find_all("a") if a["href"] not in checked] == [], path

    theme = tmp_path / "theme"
    theme.mkdir()
    source = (ROOT / "templates" / "_graph.html").read_text(encoding="utf-8")
    assert source.count("url(e.target)") == 1
    (theme / "_graph.html").write_text(source.replace("url(e.target)", "url(e.target.at('no-such-tie'))"),
                                       encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=tmp_path / "broken", config=ROOT / "pyproject.toml",
                                        templates=theme))
    messages = [f"{p.pos.path}: {p.message}" for p in failed.value.problems]
    assert "graph/index.html: links to 'companies/dahua/index.html#no-such-tie', but that page has no such " \
           "anchor" in messages, messages


# --- determinism -----------------------------------------------------------------------

def svgs(site: Path) -> dict[str, bytes]:
    out = {}
    for path in PAGES:
        data = (site / path).read_bytes()
        out[path] = data[data.index(b'<svg class="graph"'):data.index(b"</svg>\n</div>")]
    return out


def test_two_builds_give_identical_svg_bytes(tmp_path: Path) -> None:
    """Two processes with different hash seeds, the second from a copy whose parties.yaml lists
    the parties in the opposite order: the drawings are byte for byte the same."""
    copy = tmp_path / "dossiers"
    shutil.copytree(DOSSIERS, copy)
    head, *entries = re.split(r"\n(?=- id: )", (copy / "parties.yaml").read_text(encoding="utf-8"))
    (copy / "parties.yaml").write_text("\n".join([head, *reversed([e.rstrip("\n") for e in entries])]) + "\n",
                                       encoding="utf-8")
    built = []
    for seed, folder in (("1", DOSSIERS), ("2", copy)):
        out = tmp_path / f"site-{seed}"
        run = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--dossiers", str(folder), "--out",
                              str(out), "--config", str(ROOT / "pyproject.toml"), "-q"],
                             env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        built.append(svgs(out))
    assert built[0].keys() == set(PAGES)
    assert [p for p in PAGES if built[0][p] != built[1][p]] == []


# --- built for the purpose: every standing and status, Chinese and long names --------------------

PARTIES = """\
- id: state-fund
  name: State Fund
- id: guojia
  name: 国家集成电路产业投资基金
- id: long-agency
  name: The Extremely Long Official Name of an Agency That Regulates Many Things Across Several Ministries
- id: agency
  name: Agency
"""
TIES = """\
  - id: owner-fund
    type: owner
    party: state-fund
    sources: [src-a]
  - id: customer-fund
    type: customer
    party: state-fund
    status: contested
    sources: [src-a]
  - id: talks-guojia
    type: investor
    party: guojia
    standing: reported
    text: Talks on a stake were reported.
    sources: [src-b]
  - id: supplied-until-2019
    type: supplier
    party: long-agency
    standing: ended
    as_of: ..2019
    sources: [src-b]
  - id: action-agency
    type: regulator-action
    party: agency
    status: unconfirmed
    sources: [src-a]
"""


@pytest.fixture(scope="module")
def purpose_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_editor_corpus(tmp_path_factory.mktemp("graph") / "dossiers",
                                 {**minimal_files(), "alpha.yaml": ALPHA + TIES, "parties.yaml": PARTIES})
    out = folder.parent / "site"
    result = pipeline.build(pipeline.Options(dossiers=folder, out=out))
    assert [w for w in result.warnings if w.severity != "notice"] == []   # check --strict would pass
    return out


@pytest.mark.parametrize("path", [GRAPH, company("alpha")])
def test_standings_and_statuses_are_drawn_differently(purpose_site: Path, path: str) -> None:
    svg = graph_svg(soup(purpose_site / path))
    by_tie = {e.href.rsplit("#", 1)[1]: e for e in edges(svg)}
    assert "standing-reported" in by_tie["talks-guojia"].classes
    assert "standing-ended" in by_tie["supplied-until-2019"].classes
    assert "standing-established" in by_tie["owner-fund"].classes
    for tie, status in (("customer-fund", "contested"), ("action-agency", "unconfirmed")):
        assert f"status-{status}" in by_tie[tie].classes
        marker = by_tie[tie].marker
        assert marker == f"url(#part_graph-{status})"
        assert svg.find("marker", id=f"part_graph-{status}") is not None
    assert by_tie["owner-fund"].marker is None
    assert by_tie["talks-guojia"].name.endswith("Investor: 国家集成电路产业投资基金 (reported)")
    assert by_tie["customer-fund"].name.endswith("Customer: State Fund (contested)")


def test_the_legend_explains_every_line_and_marker(purpose_site: Path) -> None:
    page = soup(purpose_site / company("alpha"))
    legend = page.select("ul.graph-legend > li")
    keys = {li.get_text(" ", strip=True).split(":")[0]: li.select_one("path") for li in legend}
    assert list(keys) == ["Established", "Reported", "Ended", "Contested", "Unconfirmed"]
    assert "standing-reported" in keys["Reported"]["class"] and "standing-ended" in keys["Ended"]["class"]
    assert keys["Contested"]["marker-mid"] == "url(#part_graph-contested)"
    assert keys["Unconfirmed"]["marker-mid"] == "url(#part_graph-unconfirmed)"
    assert all(li.svg["aria-hidden"] == "true" for li in legend)


def test_one_party_with_two_types_is_one_node_with_two_edges(purpose_site: Path) -> None:
    svg = graph_svg(soup(purpose_site / company("alpha")))
    fund = [line for line in lines(svg) if line.words == "State Fund"]
    assert len(fund) == 1
    x, y = (float(fund[0].group.circle[a]) for a in ("cx", "cy"))
    from_fund = [e for e in edges(svg) if abs(e.points[0][1] - y) < 1 and abs(e.points[0][0] - x) <= graphs.RADIUS]
    assert sorted(e.href for e in from_fund) == ["#customer-fund", "#owner-fund"]


@pytest.mark.parametrize("path", [GRAPH, company("alpha")])
def test_chinese_and_long_names_keep_clear_of_each_other(purpose_site: Path, path: str) -> None:
    svg = graph_svg(soup(purpose_site / path))
    assert overlaps(svg) == []
    chinese = svg.find("tspan", lang="zh")
    assert chinese is not None and chinese.get_text() == "国家集成电路产业投资基金"
    text = chinese.find_parent("text")
    assert float(text["textlength"]) == graphs.text_width("国家集成电路产业投资基金") >= 11 * graphs.FONT_PX
    long_name = "The Extremely Long Official Name of an Agency That Regulates Many Things Across Several Ministries"
    (first,) = [l for l in lines(svg) if l.words.startswith("The Extremely")]
    wrapped = [l for l in lines(svg) if l.group is first.group]
    assert len(wrapped) >= 3 and all(l.box.x1 - l.box.x0 <= graphs.MAX_LABEL for l in wrapped)
    assert " ".join(l.words for l in wrapped) == long_name


def test_ties_between_two_companies_are_arcs_beside_the_middle_column(purpose_site: Path) -> None:
    svg = graph_svg(soup(purpose_site / GRAPH))
    (arc,) = [e for e in edges(svg) if e.href.endswith("#rival-beta")]
    company_boxes = {h.select_one("text.label-centre").get_text(): b for b, h in boxes(svg)}
    start, end = arc.points[0], arc.points[-1]
    side = "x0" if end[0] == company_boxes["Alpha"].x0 else "x1"
    assert end[0] == getattr(company_boxes["Alpha"], side)     # at Alpha's port (Alpha's dossier records it)
    assert start[0] == getattr(company_boxes["Beta"], side)    # from Beta's box, on the same side
    outward = [x for x, _ in cubic(arc.points)]
    assert (min(outward) < start[0]) if side == "x0" else (max(outward) > start[0])


def test_the_navigation_leads_to_the_graph(shipped_site: Path) -> None:
    for path, href in (("index.html", "graph/"), (company("dji"), "../../graph/"), (GRAPH, "./")):
        nav = [(a.get_text(), a["href"]) for a in parsed(shipped_site / path).select("header nav a")]
        assert ("Relationships", href) in nav, (path, nav)
    current = parsed(shipped_site / GRAPH).select("header nav a[aria-current=page]")
    assert [a.get_text() for a in current] == ["Relationships"]


def test_no_relationships_no_graph(tmp_path: Path) -> None:
    alpha = ALPHA[:ALPHA.index("relationships:")]
    folder = write_corpus(tmp_path / "dossiers", {"sources.yaml": SOURCES, "alpha.yaml": alpha, "beta.yaml": BETA})
    pipeline.build(pipeline.Options(dossiers=folder, out=tmp_path / "site"))
    assert not (tmp_path / "site" / "graph").exists()
    home = soup(tmp_path / "site" / "index.html")
    assert "Relationships" not in [a.get_text() for a in home.select("nav a")]
    assert soup(tmp_path / "site" / company("alpha")).select("svg.graph") == []


# --- the estimate ------------------------------------------------------------------------

def test_a_chinese_character_is_a_full_em_and_unknown_characters_are_too() -> None:
    assert graphs.text_width("中文字") == -(-3 * graphs.FONT_PX * 103 // 100)
    assert graphs.char_width("中") == graphs.char_width("\U0001F600") == graphs.char_width("ㄅ") == 1000
    assert graphs.char_width("\u200b") == graphs.char_width("\u0301") == 0      # zero-width, combining
    assert graphs.char_width("é") == graphs.char_width("e")
    assert graphs.char_width("W", bold=True) > graphs.char_width("W") > graphs.char_width("i")


@pytest.mark.parametrize("name", [
    "US Department of Commerce, Bureau of Industry and Security (BIS)", "x" * 500, "中" * 40 + " and 国家 more",
    "Supercalifragilistic-expialidocious-and-more", "", "  spaced   out  ",
])
def test_wrapping_keeps_every_word_within_the_width(name: str) -> None:
    wrapped = graphs.wrap(name)
    assert all(graphs.text_width(line) <= graphs.MAX_LABEL for line in wrapped)
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squeeze("".join(wrapped)) == squeeze(name)
    assert len(wrapped) == 1 or all(wrapped)


# --- recorded reads ----------------------------------------------------------------------

@pytest.mark.parametrize("name, old, new", [
    ("parties.yaml", "name: Agency", "name: Federal Agency"),                   # a party's one spelling
    ("alpha.yaml", "    status: unconfirmed\n", "    status: contested\n"),      # a tie's status
    ("settings.toml", "", '[tool.sourcebook.relationship_types]\nowner = "Owner"\ninvestor = "Investor"\n'
                          'supplier = "Supplier"\ncustomer = "Client"\ncompetitor = "Competitor"\n'
                          'regulator-action = "Action by"\n'),                     # a type's label
])
def test_the_graph_pages_record_what_they_draw(tmp_path: Path, name: str, old: str, new: str) -> None:
    """tests/test_reads.py's table for the graph's own inputs: every page whose bytes an edit changes
    recorded a changed key, and the graph page is among them."""
    from test_reads import build as build_recorded, violations
    files = {"sources.yaml": SOURCES, "alpha.yaml": ALPHA + TIES, "beta.yaml": BETA, "parties.yaml": PARTIES,
             "settings.toml": ""}
    before = build_recorded(tmp_path, "before", files)
    assert old in files[name]
    after = build_recorded(tmp_path, "after", {**files, name: files[name].replace(old, new, 1)})
    assert before.files[GRAPH] != after.files[GRAPH]
    assert violations(before, after) == []
