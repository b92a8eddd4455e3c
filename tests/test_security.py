"""Hostile input: nothing runs, nothing leaks, every refusal has a position, every cost is bounded.

Sections:
- the output scanner (tests/safety.py) against small hand-made bad pages, so it can fail;
- hostile text in every field is shown as text; refused Markdown and URLs fail with a position;
- property tests and a short pass of the fuzz target (tests/fuzz_build.py);
- characters and problem lines: what YAML escapes can smuggle past the loader;
- resource limits, each case in its own process with a timeout and a 1 GiB address-space cap;
- identifiers and file names that could escape the output folder or collide;
- inputs that are not plain files (symbolic links) and settings inside the dossiers folder;
- naive implementations these tests catch, swapped in for one test each.
"""
from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import fuzz_build
import safety
from conftest import ALPHA, BETA, ROOT, SOURCES, minimal_files, write_corpus
from fuzz_build import PROBLEM_LINE, Corpus, check_build, page_text
from sourcebook import render, text
from sourcebook.outputs import search
from sourcebook.destinations.folder import MANIFEST

MEMORY_CAP = 1 << 30  # bytes of address space for a resource-limit case
EMPTY_SETTINGS = ""   # the built-in defaults (limits included)


# --- helpers -----------------------------------------------------------------------------

@dataclass
class Built:
    code: int
    err: str
    folder: Path   # the dossiers folder
    site: Path
    seconds: float = 0.0

    def problems(self) -> list[tuple[str, str]]:
        """(position relative to the dossiers folder, code) for every problem line."""
        found = []
        for line in self.err.splitlines():
            m = PROBLEM_LINE.match(line)
            if m:
                where = os.path.relpath(m["path"], self.folder)
                where += f":{m['line']}:{m['col']}" if m["line"] else ""
                found.append((where, m["code"]))
        return found

    def codes(self) -> set[str]:
        return {code for _, code in self.problems()}


def corpus_files(**replace: str | bytes) -> dict[str, str | bytes]:
    """The minimal corpus (alpha, beta, sources) with some files replaced or added."""
    files: dict[str, str | bytes] = dict(minimal_files())
    files.update({name.replace("__", "."): content for name, content in replace.items()})
    return files


def write_dossiers(tmp_path: Path, files: dict[str, str | bytes], settings: str = EMPTY_SETTINGS) -> list[str]:
    """Write tmp_path/dossiers (files as given, no dedent) and settings; the build's arguments."""
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "settings.toml").write_text(settings)
    return ["build", "--dossiers", str(folder), "--out", str(tmp_path / "site"),
            "--config", str(tmp_path / "settings.toml")]


def build(tmp_path: Path, run_cli, files: dict[str, str | bytes], settings: str = EMPTY_SETTINGS) -> Built:
    """Build in-process with explicit settings (the built-in defaults unless given)."""
    run = run_cli(*write_dossiers(tmp_path, files, settings))
    return Built(run.code, run.err, tmp_path / "dossiers", tmp_path / "site")


def build_limited(tmp_path: Path, files: dict[str, str | bytes], settings: str = EMPTY_SETTINGS,
                  timeout: float = 60) -> Built:
    """Build in a separate process under a time limit and a 1 GiB address-space cap.

    A crash of the YAML loader, a MemoryError or a hang fails the calling test
    instead of taking pytest down with it.
    """
    return run_limited(tmp_path, write_dossiers(tmp_path, files, settings), timeout)


def run_limited(tmp_path: Path, build_args: list[str], timeout: float) -> Built:
    args = [sys.executable, str(ROOT / "build.py"), *build_args]
    started = time.monotonic()
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=timeout, preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish within {timeout} s", pytrace=False)
    seconds = time.monotonic() - started
    assert p.returncode >= 0, f"the build died from signal {-p.returncode}:\n{p.stderr[-2000:]}"
    assert "Traceback" not in p.stderr, p.stderr[-3000:]
    return Built(p.returncode, p.stderr, tmp_path / "dossiers", tmp_path / "site", seconds)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def page(body: str, head: str | None = None) -> str:
    """A small page with the site's own CSP, for scanner tests."""
    head = head if head is not None else f'<meta http-equiv="Content-Security-Policy" content="{render.CSP}">'
    return f"<!DOCTYPE html><html><head><meta charset=utf-8>{head}<title>t</title></head><body>{body}</body></html>"


def site_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (site / "static/app.js").write_text("")
    for name, content in files.items():
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return site


# --- the scanner, against pages made to fail it ---------------------------------------------

SAFE_BODY = (
    '<a href="../sources/">Sources</a> <a href="#ref_1">[1]</a> '
    '<a class="external" href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer">Read</a> '
    '<a href="mailto:editor@example.org">mail</a> <img src="static/logo.png" alt=""> '
    '<script type="application/ld+json">{"@context": "https://schema.org", "name": "A \\u003c/script"}</script>'
    '<script src="static/app.js"></script>'
    '<p title="javascript: is fine as text, and so is data: 3">onclick=alert(1) is fine as text</p>'
)

UNSAFE_BODIES = [
    ("inline script", "<script>alert(1)</script>", "inline <script>"),
    ("script from elsewhere", '<script src="https://cdn.example/x.js"></script>', "not one of the site's own"),
    ("script outside static", '<script src="app.js"></script>', "not one of the site's own"),
    ("script escaping static", '<script src="static/../index.html"></script>', "not one of the site's own"),
    ("event handler", '<img src="static/a.png" onerror="alert(1)">', "event-handler attribute onerror"),
    ("upper-case handler", '<p OnMouseOver="alert(1)">x</p>', "event-handler attribute onmouseover"),
    ("javascript href", '<a href="javascript:alert(1)">x</a>', "javascript: URL"),
    ("obfuscated javascript", '<a href=" \tJaVa&#x0A;ScRiPt:alert(1)">x</a>', "javascript: URL"),
    ("entity javascript", '<a href="&#106;avascript:alert(1)">x</a>', "javascript: URL"),
    ("vbscript", '<a href="vbscript:msgbox(1)">x</a>', "vbscript: URL"),
    ("data url", '<a href="data:text/html,<script>alert(1)</script>">x</a>', "data: URL"),
    ("data image", '<img src="data:image/svg+xml,<svg onload=alert(1)>">', "data: URL"),
    ("srcset", '<img src="static/a.png" srcset="static/b.png 1x, javascript:alert(1) 2x">', "javascript: URL"),
    ("other scheme", '<a href="file:///etc/passwd">x</a>', "unexpected URL scheme 'file'"),
    ("svg xlink", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript: URL"),
    ("svg animate", '<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', "<animate> element"),
    ("form", '<form action="https://evil.example/"><input name=q></form>', "<form> element"),
    ("formaction", '<button formaction="javascript:alert(1)">x</button>', "javascript: URL"),
    ("iframe", '<iframe src="https://evil.example/"></iframe>', "<iframe> element"),
    ("object", '<object data="x.swf"></object>', "<object> element"),
    ("embed", '<embed src="x.swf">', "<embed> element"),
    ("base", '<base href="https://evil.example/">', "<base> element"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', "http-equiv=refresh"),
    ("no rel", '<a href="https://example.org/">x</a>', "lacks rel noopener noreferrer"),
    ("half rel", '<a href="https://example.org/" rel="noopener">x</a>', "lacks rel noreferrer"),
    ("network-path link", '<a href="//evil.example/">x</a>', "lacks rel noopener noreferrer"),
    ("external image", '<img src="https://evil.example/pixel.png">', "loads a resource from another origin"),
    ("external stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">', "loads from another origin"),
    ("inline style element", "<style>body{background:url(https://evil.example/)}</style>", "<style> element"),
    ("style attribute", '<p style="background:url(https://evil.example/)">x</p>', "style attribute loads"),
    ("broken-out attribute", '<a href="#x" title="a" x="b">y</a>', "unexpected attribute 'x'"),
    ("broken-out unquoted", '<a href="#x" title=a b=c>y</a>', "unexpected attribute 'b'"),
    ("duplicate attribute", '<a href="#x" title="a" title="b">y</a>', "attribute 'title' twice"),
    ("json-ld breakout", '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>',
     "JSON-LD block is not valid JSON"),
    ("bidi override", "<p>Be\u202eta</p>", "U+202E"),
    ("nul", "<p>a\x00b</p>", "U+0000"),
    ("escape sequence", "<p>\x1b[2J</p>", "U+001B"),
]


def test_scanner_accepts_a_safe_page(tmp_path):
    nested = SAFE_BODY.replace('"static/', '"../../static/').replace('"../sources/"', '"../../sources/"')
    site = site_with(tmp_path, {"index.html": page(SAFE_BODY), "static/logo.png": b"\x89PNG",
                                "companies/x/index.html": page(nested)})
    assert safety.unsafe_output(site) == []


@pytest.mark.parametrize("name, body, finding", UNSAFE_BODIES, ids=[c[0] for c in UNSAFE_BODIES])
def test_scanner_flags_each_unsafe_construct(tmp_path, name, body, finding):
    site = site_with(tmp_path, {"index.html": page(SAFE_BODY + body), "static/logo.png": b""})
    findings = safety.unsafe_output(site)
    assert findings, f"{name}: not flagged"
    assert all(re.match(r"index\.html:\d+:\d+: ", f) for f in findings), findings
    assert any(finding in f for f in findings), findings


CSP_CASES = [
    ("no CSP", "", "no Content-Security-Policy"),
    ("unsafe-inline", "default-src 'none'; script-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'",
     "allows 'unsafe-inline'"),
    ("unsafe-eval", "default-src 'none'; script-src 'unsafe-eval'; base-uri 'none'; form-action 'none'",
     "allows 'unsafe-eval'"),
    ("other origin", "default-src 'none'; img-src https://cdn.example; base-uri 'none'; form-action 'none'",
     "lets in 'https://cdn.example'"),
    ("any https", "default-src 'none'; style-src https:; base-uri 'none'; form-action 'none'", "lets in 'https:'"),
    ("wildcard", "default-src *; base-uri 'none'; form-action 'none'", "default-src is '*'"),
    ("default self", "default-src 'self'; base-uri 'none'; form-action 'none'", "default-src is \"'self'\""),
    ("no base-uri", "default-src 'none'; form-action 'none'", "no base-uri"),
    ("no form-action", "default-src 'none'; base-uri 'none'", "no form-action"),
]


@pytest.mark.parametrize("name, policy, finding", CSP_CASES, ids=[c[0] for c in CSP_CASES])
def test_scanner_requires_a_strict_csp(tmp_path, name, policy, finding):
    head = f'<meta http-equiv="Content-Security-Policy" content="{policy}">' if policy else ""
    site = site_with(tmp_path, {"index.html": page("<p>x</p>", head=head)})
    findings = safety.unsafe_output(site)
    assert any(finding in f for f in findings), findings


def test_scanner_requires_the_csp_before_the_first_resource(tmp_path):
    head = f'<link rel="stylesheet" href="static/s.css"><meta http-equiv="Content-Security-Policy" ' \
           f'content="{render.CSP}">'
    site = site_with(tmp_path, {"index.html": page("<p>x</p>", head=head), "static/s.css": ""})
    assert any("comes after a resource" in f for f in safety.unsafe_output(site))


@pytest.mark.parametrize("path, content, finding", [
    ("x.js", "alert(1)", "JavaScript outside static/"),
    ("static/x.css", "@import url(https://evil.example/x.css);", "from another origin"),
    ("static/y.css", "p { width: expression(alert(1)) }", "runs code"),
    ("static/z.css", "html { scroll-behavior: auto } p { behavior: url(x.htc) }", "runs code"),
    ("search.json", '{"a": ', "not valid JSON"),
    ("sitemap.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
    ("feed.xml", '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
                 '&lt;img src=x onerror=alert(1)&gt;</content></entry></feed>', "onerror"),
], ids=["script outside static", "css from elsewhere", "css expression", "css behavior", "broken json",
        "xml entities", "feed html"])
def test_scanner_checks_files_other_than_pages(tmp_path, path, content, finding):
    findings = safety.unsafe_output(site_with(tmp_path, {path: content}))
    assert any(finding in f for f in findings), findings


GRAPH_SVG = (  # the attributes the relationship graph needs, each where templates/_graph.html puts it
    '<svg width="80" height="20" viewBox="0 0 80 20" font-size="13">'
    '<defs><marker id="part_graph-contested" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="10" '
    'markerHeight="10" markerUnits="userSpaceOnUse"><path d="M5 0L10 5L5 10L0 5Z"/></marker></defs>'
    '<a href="#ref_1" aria-label="Owner: X"><path d="M0 5C1 5 2 5 3 5C4 5 5 5 6 5" '
    'marker-mid="url(#part_graph-contested)"/></a>'
    '<text x="1" y="15" textLength="30" lengthAdjust="spacing">Owner <tspan lang="zh">中</tspan></text></svg>'
)
OUT_OF_PLACE = [  # the same attributes anywhere else, or with a value they never take
    ("textLength on a paragraph", '<p textLength="30">x</p>', "unexpected attribute 'textlength'"),
    ("lengthAdjust outside svg", '<text lengthAdjust="spacing">x</text>', "unexpected attribute 'lengthadjust'"),
    ("textLength on a rect", '<svg><rect textLength="30"/></svg>', "unexpected attribute 'textlength'"),
    ("marker-mid on a div", '<div marker-mid="url(#a)">x</div>', "unexpected attribute 'marker-mid'"),
    ("marker-mid on a circle", '<svg><circle marker-mid="url(#a)"/></svg>', "unexpected attribute 'marker-mid'"),
    ("refX on a path", '<svg><path refX="5"/></svg>', "unexpected attribute 'refx'"),
    ("markerWidth on an img", '<img src="static/logo.png" alt="" markerWidth="3">', "unexpected attribute 'markerwidth'"),
    ("font-size on a span", '<span font-size="13">x</span>', "unexpected attribute 'font-size'"),
    ("font-size on svg text", '<svg><text font-size="13">x</text></svg>', "unexpected attribute 'font-size'"),
    ("marker from elsewhere", '<svg><path marker-mid="url(https://evil.example/m.svg#a)"/></svg>',
     "not a value that attribute takes"),
    ("words in textLength", '<svg><text textLength="30 onload=alert(1)">x</text></svg>', "not a value that attribute takes"),
    ("lengthAdjust made up", '<svg><text lengthAdjust="x" >x</text></svg>', "not a value that attribute takes"),
    ("glyphs stretched", '<svg><text lengthAdjust="spacingAndGlyphs">x</text></svg>',
     "not a value that attribute takes"),
    ("markerUnits unused", '<svg><marker markerUnits="strokeWidth"></marker></svg>', "not a value that attribute takes"),
]


def test_scanner_accepts_the_graph_attributes_on_their_svg_elements(tmp_path):
    site = site_with(tmp_path, {"index.html": page(SAFE_BODY + GRAPH_SVG), "static/logo.png": b""})
    assert safety.unsafe_output(site) == []


@pytest.mark.parametrize("name, body, finding", OUT_OF_PLACE, ids=[c[0] for c in OUT_OF_PLACE])
def test_scanner_refuses_the_graph_attributes_anywhere_else(tmp_path, name, body, finding):
    site = site_with(tmp_path, {"index.html": page(SAFE_BODY + body), "static/logo.png": b""})
    findings = safety.unsafe_output(site)
    assert any(finding in f for f in findings), findings


INDEX_FILE = "static/search/companies/alpha.js"


def index_file(middle: str) -> str:
    return safety.INDEX_PREFIX + middle + safety.INDEX_SUFFIX


@pytest.mark.parametrize("content, finding", [
    ("alert(1)", "not the fixed wrapper"),
    (index_file('{"a": 1}') + "alert(1);\n", "not one JSON value"),
    (index_file('{"a": 1}); alert((1'), "not one JSON value"),
    (index_file('{"a": 1}, alert(1)'), "not one JSON value"),
    (index_file('{"a": "</script><script>alert(1)</script>"}'), "raw '<'"),
    (index_file('{"a": "x &amp; y"}'), "raw '&'"),
    (index_file('{"a": "\u2028"}'), "raw '\\u2028'"),
    (index_file('{"__proto__": {"polluted": true}}'), "__proto__"),
], ids=["not wrapped", "code after", "code inside", "two values", "raw lt", "raw amp", "raw ls", "proto key"])
def test_scanner_checks_the_search_index_wrapper(tmp_path, content, finding):
    findings = safety.unsafe_output(site_with(tmp_path, {INDEX_FILE: content}))
    assert any(finding in f for f in findings), findings


def test_scanner_accepts_a_search_index_file(tmp_path):
    """The same data escaped as the build writes it: the scan passes, and the text is intact."""
    text = "</script><!-- \u2028 & \"__proto__\" -->"
    written = search.script({"docs": [[0, "", 4, text]]}).decode("utf-8")
    assert safety.unsafe_output(site_with(tmp_path, {INDEX_FILE: written})) == []
    middle = written[len(safety.INDEX_PREFIX):-len(safety.INDEX_SUFFIX)]
    assert json.loads(middle)["docs"][0][3] == text


def test_scanner_flags_symbolic_links_in_the_output(tmp_path):
    site = site_with(tmp_path, {"index.html": page("<p>x</p>")})
    (site / "leak.html").symlink_to("/etc/hostname")
    assert any("symbolic link" in f for f in safety.unsafe_output(site))


def zipped(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    """A zip holding `members` (and symbolic-link members named in `links`), made with zipfile."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = ((0o120777 if name in links else 0o100644) << 16)
            archive.writestr(info, data)
    return out.getvalue()


SAFE_PAGE = page('<a href="#x" id="x">x</a>').encode()


def test_scanner_reads_zip_archives(tmp_path):
    """A zip in the site is opened in memory: its names, its modes, and its members like the site's files."""
    site = site_with(tmp_path, {"good.zip": zipped({"copy/index.html": SAFE_PAGE})})
    assert safety.unsafe_output(site) == []
    cases = {
        "../evil.html": ({"copy/index.html": SAFE_PAGE, "../evil.html": SAFE_PAGE}, "could land outside"),
        "absolute": ({"/etc/evil.html": SAFE_PAGE}, "could land outside"),
        "backslash": ({"copy\\..\\evil.html": SAFE_PAGE}, "could land outside"),
        "two folders": ({"copy/index.html": SAFE_PAGE, "other/index.html": SAFE_PAGE}, "not all in one top folder"),
        "loose file": ({"copy/index.html": SAFE_PAGE, "index.html": SAFE_PAGE}, "not all in one top folder"),
        "inline script": ({"copy/index.html": page("<script>alert(1)</script>").encode()}, "inline <script>"),
        "no csp": ({"copy/index.html": page("<p>x</p>", head="").encode()}, "no Content-Security-Policy"),
        "broken json": ({"copy/data/x.json": b'{"a": '}, "not valid JSON"),
    }
    for name, (members, finding) in cases.items():
        site = site_with(tmp_path / name.replace("/", "_"), {"copy.zip": zipped(members)})
        findings = safety.unsafe_output(site)
        assert any(finding in f and f.startswith("copy.zip") for f in findings), (name, findings)
    linked = site_with(tmp_path / "link", {"copy.zip": zipped({"copy/index.html": SAFE_PAGE,
                                                               "copy/passwd": b"/etc/passwd"}, links=("copy/passwd",))})
    assert any("symbolic link in the archive" in f for f in safety.unsafe_output(linked))


def test_the_shipped_site_is_safe(shipped_site):
    assert safety.unsafe_output(shipped_site) == []


# --- hostile text is shown as text -------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> \"><img src=x onerror=alert(1)> {{ 7+7 }} {% raw %}' onmouseover='x"


def test_hostile_text_in_every_field_is_shown_as_text():
    """Every text field carries markup and template syntax; the reader sees it, nothing runs."""
    alpha = {
        "id": "alpha", "name": HOSTILE, "native_name": HOSTILE, "legal_name": HOSTILE, "aliases": [HOSTILE, "&amp;"],
        "sectors": ["drones"],
        "profile": {"founded": {"value": HOSTILE, "sources": [{"id": "src-a", "locator": HOSTILE}]}},
        "claims": [{"id": "c1", "topic": "market", "text": HOSTILE + " [[beta|" + HOSTILE.replace("[", "") + "]]",
                    "as_of": "2020", "sources": [{"id": "src-a", "locator": HOSTILE}],
                    "responses": [{"text": HOSTILE, "sources": ["src-b"]}]}],
        "relationships": [{"id": "r1", "type": "owner", "party": HOSTILE, "text": HOSTILE, "sources": ["src-b"]}],
    }
    sources = [{"id": s, "title": HOSTILE, "publisher": HOSTILE, "author": HOSTILE, "note": HOSTILE,
                "url": 'https://example.org/"><script>alert(1)</script>', "kind": "news",
                "archive_url": "https://example.org/'onmouseover='alert(1)'"} for s in ("src-a", "src-b")]
    named, parties = fuzz_build.with_parties(alpha)
    corpus = Corpus({"alpha.yaml": fuzz_build.dump(named).encode(), "beta.yaml": fuzz_build.dump(fuzz_build.BETA).encode(),
                     "sources.yaml": fuzz_build.dump(sources).encode(),
                     "parties.yaml": fuzz_build.dump(parties).encode()},
                    fuzz_build.expectations(alpha, sources))
    assert ("attr", f"{HOSTILE}, {HOSTILE}") in corpus.expect["companies/alpha/index.html"]
    outcome = check_build(corpus)  # asserts: exit 0, unsafe_output == [], texts and attributes exact
    assert outcome.code == 0, outcome.err


def test_template_syntax_in_content_is_never_evaluated(tmp_path, run_cli):
    template = "{{ 6+7 }} {{ config.title }} {% for x in range(3) %}{{ x }}{% endfor %}"
    beta = BETA.replace("text: Founded in 2001.", f'text: "{template}"')
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert built.code == 0, built.err
    text, _ = page_text(built.site / "companies/beta/index.html")
    assert template in text
    assert "13" not in text and "012" not in text


REFUSED_TEXT = [
    ("[x](javascript:alert(1))", "invalid-url"),
    ("[x](JaVaScRiPt:alert(1))", "invalid-url"),
    ("[x](\tjavascript:alert(1))", "invalid-url"),
    ("<javascript:alert(1)>", "invalid-url"),
    ("[x](vbscript:msgbox(1))", "invalid-url"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "invalid-url"),
    ("[x](//evil.example/a)", "invalid-url"),
    ("[x](/etc/passwd)", "invalid-url"),
    ("[x]: javascript:alert(1)\n\n[x]", "invalid-url"),
    ("![x](https://evil.example/pixel.png)", "markdown-image"),
]


@pytest.mark.parametrize("text, code", REFUSED_TEXT, ids=[t for t, _ in REFUSED_TEXT])
def test_unsafe_markdown_is_refused_at_its_position(tmp_path, run_cli, text, code):
    beta = BETA.replace("text: Founded in 2001.", f"text: {json.dumps(text)}")
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert built.code == 1
    # at the link itself: line 7, at or after the value's first column (11)
    at = [pos for pos, c in built.problems() if c == code and pos.startswith("beta.yaml:7:")]
    assert at and int(at[0].rsplit(":", 1)[1]) >= 11, built.err
    assert not built.site.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", " javascript:alert(1)", "data:text/html,x",
                                 "//evil.example/", "https://", "ftp://example.org/", "https://exa mple.org/"])
def test_unsafe_source_urls_are_refused_at_their_position(tmp_path, run_cli, url):
    sources = SOURCES.replace("url: https://example.org/a", f"url: {json.dumps(url)}")
    built = build(tmp_path, run_cli, corpus_files(sources__yaml=sources))
    assert built.code == 1
    assert ("sources.yaml:5:8", "invalid-url") in built.problems(), built.err


def test_yaml_tags_never_construct_objects(tmp_path, run_cli):
    """yaml.load(..., Loader=FullLoader/UnsafeLoader) would run this; the build refuses it."""
    marker = tmp_path / "PWNED"
    beta = BETA + f"extra: !!python/object/apply:os.system ['touch {marker}']\n"
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert ("beta.yaml:10:8", "yaml-tag") in built.problems(), built.err
    assert not marker.exists()


def test_billion_laughs_stops_at_the_first_anchor(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
    built = build_limited(tmp_path, corpus_files(beta__yaml=BETA + "\n".join(lines) + "\n"), timeout=30)
    assert ("beta.yaml:10:4", "yaml-anchor") in built.problems(), built.err


# --- property tests and the fuzz target ------------------------------------------------------

def test_property_hostile_text_builds_safely():
    """Well-formed dossiers whose every value is hostile: exit 0 and safe output, or positioned errors."""
    fuzz_build.property_test(40, fuzz_build.hostile_corpora(), shrink=False)()


def test_property_damaged_dossiers_fail_with_positions():
    """Wrong shapes, broken YAML, bad bytes, hostile file names: positioned errors, never a traceback."""
    fuzz_build.property_test(60, fuzz_build.damaged_corpora(), shrink=False)()


def test_fuzz_target_short_pass():
    """The fuzz target a maintainer runs for longer (tests/fuzz_build.py --examples 100000)."""
    fuzz_build.run(examples=30, shrink=False)


# --- characters and problem lines ---------------------------------------------------------------

SMUGGLED = [("\\0", "U+0000"), ("\\e[2J", "U+001B"), ("\\a", "U+0007"), ("\\x7f", "U+007F"), ("\\x9b", "U+009B"),
            ("\\u202E", "U+202E"), ("\\u2066", "U+2066"), ("\\uFFFE", "U+FFFE")]


@pytest.mark.parametrize("escape, char", SMUGGLED, ids=[c for _, c in SMUGGLED])
def test_control_characters_written_as_yaml_escapes_are_refused_too(tmp_path, run_cli, escape, char):
    """The loader refuses U+202E typed into a file; "\\u202E" in a quoted value must not get past it.

    Otherwise the character reaches the page (a bidi override reorders what
    readers see; NUL and ESC are invalid in HTML) and, through problem
    messages, the maintainer's terminal.
    """
    beta = BETA.replace("name: Beta", f'name: "Be{escape}ta"')
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert built.code == 1, f"built with {char} in a name:\n{safety.unsafe_output(built.site)}"
    assert any(where.startswith("beta.yaml:2:") and code == "control-character"
               for where, code in built.problems()), built.err


def test_raw_control_characters_are_refused_with_their_position(tmp_path, run_cli):
    beta = BETA.replace("name: Beta", "name: Be\u202eta")
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert ("beta.yaml:2:9", "control-character") in built.problems(), built.err


FORGED = "x\n{folder}/alpha.yaml:1:1: error[forged]: an error the maintainer did not cause\x1b[2J"


def test_contributed_text_cannot_forge_problem_lines(tmp_path, run_cli):
    """A key or value quoted in a message must stay on its problem's line, without terminal escapes."""
    key = json.dumps(FORGED.format(folder=tmp_path / "dossiers")).replace("\\u001b", "\\e")
    beta = BETA + f"{key}: 1\n"
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert built.code == 1
    assert "\x1b" not in built.err, "a terminal escape sequence reached stderr"
    lines = built.err.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    assert "forged" not in built.codes(), lines


def test_file_names_cannot_forge_problem_lines(tmp_path, run_cli):
    name = "x\nsources.yaml:1:1: error[forged]: forged\x1b[2J.yaml"
    built = build(tmp_path, run_cli, corpus_files(**{name: BETA}))
    assert "\x1b" not in built.err, "a terminal escape sequence reached stderr"
    for line in built.err.splitlines():  # each problem on one line, starting with its real path
        assert line.startswith(f"{built.folder}/") and PROBLEM_LINE.match(line), f"forged line: {line!r}"


# --- resource limits (separate processes) ---------------------------------------------------------

def claim(text: str) -> str:
    return BETA.replace("text: Founded in 2001.", f"text: {text}")


def test_a_5_mb_claim_is_refused_as_too_large(tmp_path):
    built = build_limited(tmp_path, corpus_files(beta__yaml=claim("x" * (5 * 1024 * 1024))))
    assert built.code == 1
    assert ("beta.yaml:1:1", "file-too-large") in built.problems(), built.err


def test_a_100_kb_claim_is_refused_as_too_long(tmp_path):
    built = build_limited(tmp_path, corpus_files(beta__yaml=claim("x" * 100_000)))
    assert built.code == 1
    assert ("beta.yaml:7:11", "text-too-long") in built.problems(), built.err


DEEP = [
    ("100,000 [ as flow lists", claim("[" * 100_000), "beta.yaml:7:75"),
    ("100,000 { as flow mappings", claim("{a: " * 100_000), "beta.yaml:7:267"),
    ("100,000 nested block lists", "- " * 100_000 + "x\n", "beta.yaml:1:129"),
    ("2,000 indented mappings", "".join("  " * i + "a:\n" for i in range(2000)), "beta.yaml:65:129"),
]


@pytest.mark.parametrize("name, beta, where", DEEP, ids=[case[0] for case in DEEP])
def test_deep_nesting_is_refused_before_the_parser_sees_it(tmp_path, name, beta, where):
    built = build_limited(tmp_path, corpus_files(beta__yaml=beta), timeout=30)
    assert built.code == 1
    assert (where, "too-deep") in built.problems(), built.err


@pytest.mark.parametrize("settings, codes", [
    ("", {"text-too-long"}),
    ("[tool.sourcebook.limits]\nmax_text_chars = 200000\n", {"markdown-too-complex", "time-budget"}),
], ids=["default limits", "text limit raised"])
def test_100_000_brackets_in_a_claim_are_refused_in_bounded_time(tmp_path, settings, codes):
    """Quoted brackets are text, not nesting; markdown-it's link parsing is slow on them, so a cap stops them."""
    built = build_limited(tmp_path, corpus_files(beta__yaml=claim("'" + "[" * 100_000 + "'")), settings, timeout=60)
    assert built.code == 1
    assert any(where == "beta.yaml:7:11" and code in codes for where, code in built.problems()), built.err


def test_a_list_over_max_entries_is_refused(tmp_path):
    aliases = "aliases: [" + ", ".join(f"a{i}" for i in range(10_001)) + "]\n"
    built = build_limited(tmp_path, corpus_files(beta__yaml=BETA.replace("sectors:", aliases + "sectors:")))
    assert built.code == 1
    assert ("beta.yaml:3:10", "too-many-entries") in built.problems(), built.err


def test_a_mapping_over_max_entries_is_refused_with_one_error(tmp_path):
    """10,001 keys in one mapping: one too-many-entries error, not 10,001 unknown-key lines.

    Lists are capped; mappings were not, so a 5 MB file of keys printed
    450,000 problems in 19 s.
    """
    keys = "".join(f"k{i}: x\n" for i in range(10_001))
    built = build_limited(tmp_path, corpus_files(beta__yaml=BETA + keys))
    assert built.code == 1
    assert "too-many-entries" in built.codes(), built.err[-500:]
    assert len(built.err.splitlines()) <= 100, f"{len(built.err.splitlines())} problem lines"


def test_the_time_budget_stops_a_slow_file_with_its_position(tmp_path):
    built = build_limited(tmp_path, corpus_files(), settings="[tool.sourcebook.limits]\nseconds_per_file = 1e-9\n")
    assert built.code == 1
    budget = [where for where, code in built.problems() if code == "time-budget"]
    assert {w.split(":")[0] for w in budget} == {"alpha.yaml", "beta.yaml", "sources.yaml"}, built.err
    assert all(re.fullmatch(r"[a-z]+\.yaml:\d+:\d+", w) for w in budget), budget


def test_5000_claims_in_one_dossier_build_in_bounded_time(tmp_path):
    claims = "".join(f"  - id: c{i}\n    topic: market\n    text: Claim {i} about [[alpha]].\n    as_of: 2020\n"
                     f"    sources: [{{id: src-b, locator: para {i}}}]\n" for i in range(5000))
    built = build_limited(tmp_path, corpus_files(beta__yaml=BETA + claims), timeout=90)
    assert built.code == 0, built.err[-2000:]
    assert (built.site / "companies/beta/index.html").stat().st_size > 5000 * 100
    assert built.seconds < 60, f"{built.seconds:.1f} s"


def test_a_dossier_slow_to_render_is_bounded_by_the_time_budget(tmp_path):
    """Within every limit (2 MB, 100 texts of 20,000 characters, no brackets), emphasis runs render slowly.

    seconds_per_file bounds loading only: 100 such claims took 6-15 s to
    render and a 4.9 MB file of them 35 s. With seconds_per_file = 1 the
    build must refuse the dossier or finish about as fast.
    """
    claims = "".join(f"  - id: c{i}\n    topic: market\n    text: '{i} {'_*' * 9_990}'\n    as_of: 2020\n"
                     f"    sources: [{{id: src-b, locator: p{i}}}]\n" for i in range(100))
    settings = "[tool.sourcebook.limits]\nseconds_per_file = 1.0\n"
    built = build_limited(tmp_path, corpus_files(beta__yaml=BETA + claims), settings, timeout=120)
    if built.code == 0:
        assert built.seconds < 3.5, f"beta.yaml took {built.seconds:.1f} s to build with a 1 s budget"
    else:
        assert built.code == 1 and any(where.startswith("beta.yaml") for where, _ in built.problems()), built.err


def test_pathological_markdown_in_about_md_is_bounded(tmp_path):
    """about.md is Markdown like claims, but had no text cap and no time budget.

    Rendering "![" repeated costs ~15 µs a character: 256 KB took 4-10 s
    and 5 MB (under max_file_bytes) 93 s. With seconds_per_file = 1 the build
    must refuse it (a text cap or a render budget) or finish about as fast.
    """
    files = corpus_files(about__md="![" * (128 * 1024))
    built = build_limited(tmp_path, files, settings="[tool.sourcebook.limits]\nseconds_per_file = 1.0\n", timeout=90)
    if built.code == 0:
        assert built.seconds < 3.5, f"about.md took {built.seconds:.1f} s with a 1 s budget"
    else:
        assert built.code == 1 and any(where.startswith("about.md") for where, _ in built.problems()), built.err


# --- identifiers and file names ---------------------------------------------------------------------

BAD_IDS = ["../x", "a/b", "a\\b", "CON", "Alpha", "alpha.", "alpha-", "-alpha", "a--b", "a_b", "é",
           unicodedata.normalize("NFD", "é"), "ａ", "ﬁ", "x y", "x\ty"]


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.mark.parametrize("bad", BAD_IDS, ids=[ascii(b) for b in BAD_IDS])
def test_invalid_ids_are_refused_everywhere_they_are_used(tmp_path, run_cli, bad):
    quoted = json.dumps(bad, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    alpha = ALPHA.replace("  - id: rival\n", f"  - id: {quoted}\n").replace("target: beta", f"target: {quoted}")
    sources = SOURCES.replace("- id: src-b", f"- id: {quoted}")
    beta = BETA.replace("id: beta", f"id: {quoted}")
    built = build(tmp_path, run_cli, corpus_files(alpha__yaml=alpha, beta__yaml=beta, sources__yaml=sources))
    assert built.code == 1
    problems = built.problems()
    assert ("alpha.yaml:7:9", "invalid-id") in problems, built.err       # a claim id
    assert ("alpha.yaml:20:13", "invalid-id") in problems, built.err     # a relationship target
    assert ("beta.yaml:1:5", "invalid-id") in problems, built.err        # a dossier id
    assert ("sources.yaml:7:7", "invalid-id") in problems, built.err     # a source id
    assert _tree(tmp_path) == {"dossiers", "settings.toml", "dossiers/alpha.yaml", "dossiers/beta.yaml",
                               "dossiers/sources.yaml"}, "something was written outside the dossiers folder"


@pytest.mark.parametrize("device", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_windows_device_names_cannot_name_a_source_or_a_dossier(tmp_path, run_cli, device):
    sources = SOURCES.replace("- id: src-b", f"- id: {device}")
    built = build(tmp_path, run_cli, corpus_files(sources__yaml=sources, **{f"{device}.yaml": BETA}))
    assert built.code == 1
    assert ("sources.yaml:7:7", "invalid-id") in built.problems(), built.err
    assert (f"{device}.yaml", "invalid-file-name") in built.problems(), built.err


BAD_FILE_NAMES = ["Alpha.yaml", "ALPHA.yaml", "é.yaml", unicodedata.normalize("NFD", "é") + ".yaml", "ａ.yaml",
                  "ﬁ.yaml", "alpha-.yaml", "a--b.yaml", "a..yaml", "a b.yaml", "con.yaml", "a_b.yaml"]


@pytest.mark.parametrize("name", BAD_FILE_NAMES, ids=[ascii(n) for n in BAD_FILE_NAMES])
def test_dossier_file_names_that_could_collide_are_refused(tmp_path, run_cli, name):
    """Next to alpha.yaml, a name that a case-insensitive or normalising file system folds is refused."""
    built = build(tmp_path, run_cli, corpus_files(**{name: ALPHA}))
    assert built.code == 1
    assert (name, "invalid-file-name") in built.problems(), built.err


def test_an_id_too_long_for_a_file_name_is_refused_with_its_position(tmp_path, run_cli):
    """A 300-character source id matches the pattern, but sources/<id>/ cannot be created (255 bytes).

    It must be a content error at the id, not an I/O failure (exit 3) naming
    a temporary folder once half the site is written.
    """
    long_id = "x" * 300
    files = corpus_files(sources__yaml=SOURCES.replace("src-b", long_id), alpha__yaml=ALPHA.replace("src-b", long_id),
                         beta__yaml=BETA.replace("src-b", long_id))
    built = build(tmp_path, run_cli, files)
    assert built.code == 1, built.err
    assert ("sources.yaml:7:7", "invalid-id") in built.problems(), built.err


def test_a_case_variant_never_reaches_the_output(tmp_path, run_cli):
    built = build(tmp_path, run_cli, corpus_files(**{"Alpha.yaml": ALPHA.replace("name: Alpha", "name: Impostor")}))
    assert ("Alpha.yaml", "invalid-file-name") in built.problems()
    assert not built.site.exists()


def test_a_dossier_id_must_match_its_file_name(tmp_path, run_cli):
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=BETA.replace("id: beta", "id: alpha")))
    assert ("beta.yaml:1:5", "id-mismatch") in built.problems(), built.err


def test_wiki_links_cannot_point_outside_the_site(tmp_path, run_cli):
    beta = BETA.replace("text: Founded in 2001.", 'text: "See [[../../../etc/passwd]] and [[/etc/passwd]]."')
    built = build(tmp_path, run_cli, corpus_files(beta__yaml=beta))
    assert built.code == 1
    assert [code for _, code in built.problems()].count("unknown-dossier") == 2, built.err


def test_a_valid_build_writes_only_inside_its_output_folder(tmp_path, run_cli):
    built = build(tmp_path, run_cli, corpus_files())
    assert built.code == 0, built.err
    assert {p.name for p in tmp_path.iterdir()} == {"dossiers", "settings.toml", "site"}
    pages = _tree(built.site)
    assert {"index.html", "companies/alpha/index.html", "companies/beta/index.html",
            "sources/src-a/index.html", "sources/src-b/index.html", "static/style.css"} <= pages
    folders = ("index.html", "404.html", "companies", "topics", "sectors", "timeline", "compare", "graph", "sources",
               "about", "static", "data", "sourcebook-offline.zip", MANIFEST)
    assert all(p.split("/")[0] in folders for p in pages), pages
    with zipfile.ZipFile(built.site / "sourcebook-offline.zip") as archive:  # nor does the offline copy
        assert all(n.startswith("sourcebook/") and ".." not in n.split("/") for n in archive.namelist())


# --- inputs that are not plain files; settings inside the dossiers folder --------------------------------

def test_a_symlinked_about_md_does_not_publish_the_file_it_points_to(tmp_path, run_cli):
    """A contributed symlink (git stores them) must not copy a file from the build machine into the site."""
    secret = tmp_path / "secret.txt"
    secret.write_text("DEPLOY_TOKEN=ghp_0123456789abcdef\n")
    args = write_dossiers(tmp_path, corpus_files())
    (tmp_path / "dossiers/about.md").symlink_to(secret)
    run = run_cli(*args)
    published = "".join(p.read_text() for p in (tmp_path / "site").rglob("*.html")) if run.code == 0 else ""
    assert "ghp_0123456789abcdef" not in published + run.err, "the symlink's target was published"
    built = Built(run.code, run.err, tmp_path / "dossiers", tmp_path / "site")
    assert built.code == 1 and ("about.md", "symbolic-link") in built.problems(), run.err


def test_a_dossier_symlinked_to_a_pipe_does_not_hang_the_build(tmp_path):
    """A symlink to a FIFO (or to /dev/stdin on a CI runner) must be refused, not read forever."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    args = write_dossiers(tmp_path, corpus_files())
    (tmp_path / "dossiers/gamma.yaml").symlink_to(fifo)
    built = run_limited(tmp_path, args, timeout=15)
    assert built.code == 1 and ("gamma.yaml", "symbolic-link") in built.problems(), built.err


def test_settings_in_the_dossiers_folder_are_not_reported_as_ignored_while_used(tmp_path, run_cli):
    """dossiers/pyproject.toml is the nearest settings file, so it is used: the warning must not say it is not.

    Either is defensible (use it and say so, or ignore it as the warning
    says); a maintainer reading the log of a contribution that adds one must
    not be told the opposite of what happened.
    """
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    (folder / "pyproject.toml").write_text('[tool.sourcebook]\ntitle = "Contributed title"\n')
    run = run_cli("build", "--dossiers", folder, "--out", tmp_path / "site")
    assert run.code == 0, run.err
    used = "Contributed title" in (tmp_path / "site/index.html").read_text()
    said_ignored = "'pyproject.toml' is ignored" in run.err
    assert used != said_ignored, f"used={used}, but stderr says: {run.err}"


# --- naive implementations these tests catch ----------------------------------------------------------------

def test_naive_markdown_with_raw_html_on_is_caught(monkeypatch):
    """markdown-it's "commonmark" preset turns raw HTML on; the property check fails on it."""
    from markdown_it import MarkdownIt

    monkeypatch.setattr(text, "parser", lambda: MarkdownIt("commonmark"))
    alpha = {"id": "alpha", "name": "Alpha", "sectors": ["drones"],
             "claims": [{"id": "c1", "topic": "market", "text": "Hi <script>alert(1)</script>", "as_of": "2020",
                         "sources": [{"id": "src-a", "locator": "p. 1"}]}]}
    corpus = Corpus({"alpha.yaml": fuzz_build.dump(alpha).encode(),
                     "beta.yaml": fuzz_build.dump(fuzz_build.BETA).encode(),
                     "sources.yaml": fuzz_build.dump([{"id": s, "title": "T", "publisher": "P", "kind": "news",
                                                       "url": "https://example.org/"} for s in ("src-a", "src-b")]).encode()})
    with pytest.raises(AssertionError, match="inline <script>"):
        check_build(corpus)


def test_naive_templates_without_autoescape_are_caught(monkeypatch):
    real = render.Renderer._environment

    def unescaped(self):
        env = real(self)
        env.autoescape = False
        return env

    monkeypatch.setattr(render.Renderer, "_environment", unescaped)
    with pytest.raises(AssertionError, match="unsafe output|not shown as text|no attribute is exactly"):
        test_hostile_text_in_every_field_is_shown_as_text()


def test_scanner_lets_scroll_behavior_through(tmp_path):
    """`scroll-behavior` (the theme's reduced-motion rule) is not IE's `behavior`: the scanner tells them apart."""
    findings = safety.unsafe_output(site_with(tmp_path, {"static/z.css": "html { scroll-behavior: auto }"}))
    assert not any("runs code" in f for f in findings), findings
