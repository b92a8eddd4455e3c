#!/usr/bin/env python3
"""Fuzz target: hostile corpora through the whole build, in-process.

Every build must end one of two ways: exit 0 with a site that passes
`safety.unsafe_output` and shows every contributed text escaped, or exit 1
with nothing but ``path:line:col: error[code]: message`` lines on stderr. Never
a traceback, never a hang, never a file outside the output folder, never a
change to the input.

Corpora are generated as Python data and written with ``yaml.safe_dump``
(so most are well-formed YAML whose *values* are hostile: HTML, Markdown link
syntax, template syntax, Unicode, control characters, huge and tiny values),
then optionally damaged: fields replaced by the wrong shape, raw text spliced
into the file (YAML features, broken syntax, invalid UTF-8), and files with
hostile names added.

Run it for longer than the suite does::

    .venv/bin/python tests/fuzz_build.py --examples 100000          # Hypothesis
    .venv/bin/python tests/fuzz_build.py --atheris -atheris_runs=1000000   # if atheris is installed

tests/test_security.py imports the strategies and `check_build`, and runs a
short bounded pass (`run(examples=...)`).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import signal
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import yaml
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safety import unsafe_output  # noqa: E402

from sourcebook import cli  # noqa: E402
from sourcebook.limits import Limits  # noqa: E402

MAX_TEXT = Limits().max_text_chars
INDEX = "static/search"
SECONDS_PER_BUILD = 60  # far above any honest build of these tiny corpora: a hang, not noise

# A problem line (problems.Problem.__str__); the position is absent only for
# problems about a whole file or folder.
PROBLEM_LINE = re.compile(
    r"^(?P<path>[^\n]+?)(?::(?P<line>\d+):(?P<col>\d+))?: (?P<severity>error|warning|notice)"
    r"\[(?P<code>[a-z0-9]+(?:-[a-z0-9]+)*)\]: (?P<message>.+)$"
)
FILE_LEVEL_CODES = frozenset({
    "unreadable-file", "symbolic-link", "invalid-file-name", "missing-bibliography", "no-dossiers", "ignored-file",
    "checks-skipped",
})

# --- hostile values ------------------------------------------------------------------

# Text that renders: validation accepts it, so it reaches the templates.
RENDERED = (
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)' x='",
    "<svg onload=alert(1)>", '<a href="javascript:alert(1)">x</a>', "</title></script><script>alert(1)</script>",
    "<!--", "-->", "<![CDATA[", "]]>", "<style>*{}</style>", '<meta http-equiv="refresh" content="0">',
    "{{ 7+7 }}", "{% for i in range(3) %}{{ i }}{% endfor %}", "${7+7}", "&lt;script&gt;", "&#106;avascript:",
    "&amp;", "&", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "[[beta]]",
    "[[beta|<b>Beta</b>]]", '[safe](https://example.org/?q="onmouseover=alert(1))',
    "<https://example.org/a?b=\"><script>>", "`<script>`", "*emph*", "**strong**", "# Heading", "\n\n- a\n- b\n",
    "\n\n    indented <b>code</b>\n\n", "> quote", "\n---\n", "\\", "|",
    "é", "ﬁ", "ａ", "漢字", "\U0001F600", "\u200b", "\u00a0", "\u2028", "\ufeff", "  ", "\n", "\t",
)
# Markup a reader must see as text wherever it appears in contributed Markdown.
VISIBLE = ("<script>alert(1)</script>", "<svg onload=alert(1)>", '"><img src=x onerror=alert(1)>', "{{ 7+7 }}")
# Text validation must refuse (with a position).
REFUSED = (
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x]( javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](vbscript:msgbox(1))", "<javascript:alert(1)>",
    "![x](https://evil.example/pixel.png)", "[x](/relative)", "[x](//evil.example/a)", "[[nope]]",
    "[[../etc/passwd]]", "[[Alpha]]", "[x]: javascript:alert(1)\n\n[x]",
)
# Characters the loader refuses in files; YAML escapes can smuggle them into values.
CONTROL = ("\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u202e", "\u2066", "\ufffe")
HOSTILE_IDS = (
    "../x", "a/b", "a\\b", "CON", "con", "Alpha", "alpha.", "alpha-", "-alpha", "a--b", "a_b", "é", "ａ", "ﬁ",
    "main", "references", "", " ", "x" * 300, "1", "null", "~",
)
URLS = (  # the first seven are valid
    "https://example.org/a", "http://example.com/b?x=1&y=2", 'https://example.org/"><script>alert(1)</script>',
    "https://example.org/'onmouseover='alert(1)'", "https://例え.jp/パス", "https://example.org/%0a%0d",
    "https://user:pass@example.org:8080/p",
    "HTTPS://EXAMPLE.ORG/", "https://example.org/' onmouseover='x", "javascript:alert(1)", " javascript:alert(1)",
    "java\nscript:alert(1)", "data:text/html,x", "//evil.example/x", "https://", "http://exa mple.org",
    "ftp://example.org", "https://example.org/" + "a" * 3000,
)
WHENS = ("2019", "2019-05", "2019-05-31", "2011..2017", "2024-01..2024-06", "2020-02-29", "2019-02-29",
         "2019-13", "19", "2019..2018", "NO", "2019-05-31T00:00:00")
DOSSIER_FILE_NAMES = (
    "Alpha.yaml", "con.yaml", "lpt1.yaml", "é.yaml", "ａ.yaml", "ﬁ.yaml", "a b.yaml", "a..yaml", ".hidden.yaml",
    "x.yml", "x.YAML", "-x.yaml", "x-.yaml", "a--b.yaml", "main.yaml", "x.json", "pyproject.toml",
)
RAW_SNIPPETS = (
    ":", ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object/apply:os.system ['echo pwned']",
    "!!binary aGk=", "!foo ", "\t", "\r", "\x00", "\ufeff", "\n---\n", "\n...\n", "? ", "%YAML 1.1\n", "<<: *a\n",
    "'", '"', "#", "\\", "\u2028", "\x85", "\u202e", "\n  - ", "\nkey: value\n", "[" * 70, "{" * 70,
    "\n" + "  " * 70 + "x: 1\n",
)
# Any character but controls, format characters (bidi overrides), surrogates and unassigned ones.
PRINTABLE = st.characters(exclude_categories=("Cc", "Cf", "Cs", "Cn", "Co"))
TOPICS = ("ownership", "market", "finances", "us-government", "security", "human-rights", "supply-chain")


def _pick(valid: tuple[Any, ...], invalid: tuple[Any, ...], wild: bool) -> st.SearchStrategy[Any]:
    """A valid value; with `wild`, sometimes an invalid one."""
    if not wild:
        return st.sampled_from(valid)
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), st.sampled_from(invalid))


def texts(size: int = 4, wild: bool = False) -> st.SearchStrategy[str]:
    """Contributed text: hostile fragments and random Unicode, joined.

    Tame text is what validation accepts (so it reaches the templates); wild
    text adds what it must refuse, control characters and extreme sizes.
    """
    if wild:
        piece = st.one_of(st.sampled_from(RENDERED), st.text(max_size=10), st.sampled_from(REFUSED),
                          st.sampled_from(CONTROL))
    else:
        piece = st.one_of(st.sampled_from(RENDERED), st.text(alphabet=PRINTABLE, max_size=10))
    joined = st.lists(piece, min_size=1, max_size=size).map("".join).filter(str.strip)
    extremes = st.sampled_from(("x", "<")).map(lambda c: c * MAX_TEXT)  # at the limit: accepted
    if wild:
        extremes |= st.sampled_from(("", " ", "x" * 10)).map(lambda t: t * (MAX_TEXT // 10 + 1))
    return st.one_of(joined, joined, joined, joined, extremes)


def ids(valid: tuple[str, ...], wild: bool = False) -> st.SearchStrategy[str]:
    return _pick(valid, HOSTILE_IDS, wild)


def urls(wild: bool = False) -> st.SearchStrategy[str]:
    path = st.text(alphabet=PRINTABLE, max_size=20).map(lambda t: "https://example.org/" + re.sub(r"\s", "", t))
    tame = st.sampled_from(URLS[:7]) | path
    return st.one_of(tame, st.sampled_from(URLS)) if wild else tame


def whens(wild: bool = False, periods: bool = True) -> st.SearchStrategy[str]:
    valid = WHENS[:6] if periods else tuple(w for w in WHENS[:6] if ".." not in w)
    return st.one_of(_pick(valid, WHENS[6:], wild), st.text(max_size=8)) if wild else st.sampled_from(valid)


def source_refs(wild: bool = False) -> st.SearchStrategy[list[Any]]:
    ref_id = ids(("src-a", "src-b"), wild)
    ref = st.one_of(ref_id, st.fixed_dictionaries({"id": ref_id}, optional={"locator": texts(2, wild)}))
    return st.lists(ref, min_size=1, max_size=2)


def entries(kind: str, wild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    when_key = "as_of" if kind == "claim" else "date"
    own_ids = ("c1", "c2", "the-claim") if kind == "claim" else ("e1", "e2")
    required = {"id": ids(own_ids, wild), "text": texts(4, wild),
                when_key: whens(wild), "sources": source_refs(wild)}
    optional: dict[str, st.SearchStrategy[Any]] = {
        "status": _pick(("contested", "unconfirmed"), ("disputed", "CONTESTED"), wild),
        "tags": st.lists(_pick(("entity-list", "xinjiang"), ("not-a-tag",), wild), max_size=2),
        "responses": st.lists(st.fixed_dictionaries({"text": texts(2, wild), "sources": source_refs(wild)}),
                              max_size=1),
    }
    topic = _pick(TOPICS, ("no-such-topic", "Market"), wild)
    if kind == "claim":
        required["topic"] = topic
    else:
        optional["topic"] = topic
    return st.fixed_dictionaries(required, optional=optional)


def relationships(wild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A relationship; a party is drawn as its name, which `with_parties` moves into parties.yaml."""
    other = st.one_of(st.fixed_dictionaries({"target": ids(("beta",), wild)}),
                      st.fixed_dictionaries({"party": texts(2, wild)}))
    base = st.fixed_dictionaries(
        {"id": ids(("rel-1", "rel-2"), wild), "type": _pick(("owner", "competitor"), ("friend",), wild),
         "sources": source_refs(wild)},
        optional={"text": texts(2, wild), "as_of": whens(wild)})
    return st.tuples(base, other).map(lambda pair: {**pair[0], **pair[1]})


def dossier(stem: str, wild: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    fact = st.fixed_dictionaries({"value": texts(2, wild), "sources": source_refs(wild)})
    return st.fixed_dictionaries(
        {"id": ids((stem,), wild), "name": texts(2, wild),
         "sectors": st.lists(_pick(("drones", "cloud"), ("lasers",), wild), min_size=1, max_size=2)},
        optional={
            "native_name": texts(2, wild), "legal_name": texts(2, wild),
            "aliases": st.lists(texts(2, wild), max_size=3),
            "profile": st.dictionaries(_pick(("founded", "headquarters"), ("shoe-size",), wild), fact, max_size=2),
            "claims": st.lists(entries("claim", wild), max_size=3, unique_by=lambda e: e["id"]),
            "events": st.lists(entries("event", wild), max_size=2, unique_by=lambda e: e["id"]),
            "relationships": st.lists(relationships(wild), max_size=2, unique_by=lambda r: r["id"]),
        })


def sources(wild: bool = False) -> st.SearchStrategy[list[dict[str, Any]]]:
    """src-a and src-b, which beta.yaml cites; their every text is hostile."""
    def source(source_id: str) -> st.SearchStrategy[dict[str, Any]]:
        return st.fixed_dictionaries(
            {"id": ids((source_id,), wild), "title": texts(2, wild), "publisher": texts(2, wild),
             "url": urls(wild), "kind": _pick(("news", "government"), ("gossip",), wild)},
            optional={"author": texts(2, wild), "note": texts(2, wild),
                      "language": _pick(("en", "zh-Hans"), ("x!", "english"), wild),
                      "published": whens(wild, periods=False), "archive_url": urls(wild),
                      "other_urls": st.lists(urls(wild), max_size=2)})
    return st.tuples(source("src-a"), source("src-b")).map(list)


BETA = {"id": "beta", "name": "Beta", "sectors": ["drones"],
        "claims": [{"id": "founded", "topic": "ownership", "text": "Founded in 2001.", "as_of": "2001",
                    "sources": [{"id": "src-a", "locator": "para 3"}, {"id": "src-b", "locator": "p. 2"}]}]}


def dump(data: Any, unicode: bool = True, flow: bool | None = False) -> str:
    return yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow, sort_keys=False, width=1000)


# --- damage ------------------------------------------------------------------------------

def junk() -> st.SearchStrategy[Any]:
    """Any YAML-dumpable value: the wrong shape for whatever field it replaces."""
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                     st.text(max_size=8), st.sampled_from(RENDERED))
    return st.recursive(leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                        max_leaves=6)


def _slots(value: Any) -> Iterator[tuple[Any, Any]]:
    """Every (container, key) in a data tree, depth first."""
    if isinstance(value, dict):
        for key in list(value):
            yield value, key
            yield from _slots(value[key])
    elif isinstance(value, list):
        for index in range(len(value)):
            yield value, index
            yield from _slots(value[index])


@st.composite
def damaged(draw: st.DrawFn, data: Any) -> Any:
    """data with one or two values replaced, removed, or given an unknown key."""
    for _ in range(draw(st.integers(1, 2))):
        slots = list(_slots(data))
        if not slots:
            return draw(junk())
        container, key = slots[draw(st.integers(0, len(slots) - 1))]
        action = draw(st.sampled_from(("replace", "remove", "extra-key")))
        if action == "replace":
            container[key] = draw(junk())
        elif action == "remove":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.text(max_size=8))] = draw(junk())
    return data


@st.composite
def raw_damage(draw: st.DrawFn, text: str) -> bytes:
    """Text with YAML syntax, YAML features or bad bytes spliced in."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(("insert", "insert", "delete", "duplicate-line")))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(RAW_SNIPPETS)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        else:
            lines = text.split("\n")
            line = draw(st.integers(0, len(lines) - 1))
            text = "\n".join(lines[: line + 1] + lines[line:])
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf"))) + data[at:]
    return data


# --- corpora -------------------------------------------------------------------------

@dataclass
class Corpus:
    """Files to write into a dossiers folder, and what a successful build must show.

    `expect` maps an output page to (kind, value) pairs: "text" values must
    appear in the page's text, "attr" values must equal one of its attribute
    values. It is filled only for files written straight from data.
    """

    files: dict[str, bytes]
    expect: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __repr__(self) -> str:
        """What Hypothesis prints for a failing example: the files, long runs shortened."""
        shown = {name: _shorten(data.decode("utf-8", "backslashreplace")) for name, data in self.files.items()}
        return f"Corpus(files={shown!r})"


def with_parties(alpha: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Relationships name parties by id: each drawn party name becomes a parties.yaml entry."""
    if not isinstance(alpha, dict) or not isinstance(alpha.get("relationships"), list):
        return alpha, []
    parties: list[dict[str, Any]] = []
    rels = []
    for rel in alpha["relationships"]:
        if isinstance(rel, dict) and isinstance(rel.get("party"), str):
            parties.append({"id": f"party-{len(parties) + 1}", "name": rel["party"]})
            rel = {**rel, "party": parties[-1]["id"]}
        rels.append(rel)
    return {**alpha, "relationships": rels}, parties


def _shorten(text: str, limit: int = 3000) -> str:
    text = re.sub(r"(.)\1{39,}", lambda m: f"{m.group(1) * 3}...({len(m.group())} times)", text, flags=re.DOTALL)
    return text if len(text) <= limit else f"{text[:limit]}...({len(text) - limit} more characters)"


def expectations(alpha: dict[str, Any], bibliography: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """What the pages of a successful build must show, straight from the data."""
    page = "companies/alpha/index.html"
    expect: list[tuple[str, str]] = [("text", alpha["name"].strip())]
    for key in ("native_name", "legal_name"):
        if key in alpha:
            expect.append(("text", alpha[key].strip()))
    if alpha.get("aliases"):
        expect.append(("text", ", ".join(a.strip() for a in alpha["aliases"])))
    titles = {s["id"]: s["title"].strip() for s in bibliography}
    markdown: list[str] = []
    for entry in alpha.get("claims", []) + alpha.get("events", []):
        markdown += [entry["text"], *(r["text"] for r in entry.get("responses", []))]
        for ref in entry["sources"]:
            if isinstance(ref, dict) and "locator" in ref and ref["id"] in titles:
                expect.append(("attr", f"{titles[ref['id']]}, {ref['locator'].strip()}"))
    for rel in alpha.get("relationships", []):
        if "party" in rel:
            expect.append(("text", rel["party"].strip()))  # the party's name, drawn before with_parties
        markdown.append(rel.get("text", ""))
    expect += [("text", payload) for payload in VISIBLE if any(payload in text for text in markdown)]
    # The search index holds names, parties, titles and publishers as they are: data, never code.
    names = [alpha["name"], *(alpha[k] for k in ("native_name", "legal_name") if k in alpha),
             *alpha.get("aliases", []), *(rel["party"] for rel in alpha.get("relationships", []) if "party" in rel)]
    out = {page: expect, f"{INDEX}/companies/alpha.js": [("data", name.strip()) for name in names]}
    out[f"{INDEX}/sources.js"] = [("data", s[key].strip()) for s in bibliography for key in ("title", "publisher")]
    for source in bibliography:
        shown = [("text", source[key].strip()) for key in ("title", "publisher", "author", "note") if key in source]
        out[f"sources/{source['id']}/index.html"] = shown
    return out


@st.composite
def hostile_corpora(draw: st.DrawFn) -> Corpus:
    """Well-formed dossiers whose every text value is hostile."""
    alpha, bibliography = draw(dossier("alpha")), draw(sources())
    unicode, flow = draw(st.booleans()), draw(st.sampled_from((False, None, True)))
    named, parties = with_parties(alpha)
    files = {"alpha.yaml": dump(named, unicode, flow).encode(), "beta.yaml": dump(BETA).encode(),
             "sources.yaml": dump(bibliography, unicode, flow).encode()}
    if parties:
        files["parties.yaml"] = dump(parties, unicode, flow).encode()
    return Corpus(files, expectations(alpha, bibliography))


@st.composite
def damaged_corpora(draw: st.DrawFn) -> Corpus:
    """Dossiers with the wrong shapes, broken YAML, bad bytes and hostile file names."""
    alpha, bibliography = draw(dossier("alpha", wild=True)), draw(sources(wild=True))
    if draw(st.booleans()):
        alpha = draw(damaged(alpha))
    if draw(st.booleans()):
        bibliography = draw(damaged(bibliography))
    alpha, parties = with_parties(alpha)
    files = {"alpha.yaml": dump(alpha).encode(), "beta.yaml": dump(BETA).encode(),
             "sources.yaml": dump(bibliography).encode()}
    if parties:
        files["parties.yaml"] = dump(parties).encode()
    for name in draw(st.lists(st.sampled_from(("alpha.yaml", "sources.yaml")), max_size=2, unique=True)):
        files[name] = draw(raw_damage(files[name].decode()))
    for name in draw(st.lists(st.sampled_from(DOSSIER_FILE_NAMES), max_size=2, unique=True)):
        files[name] = dump(BETA | {"id": name.split(".")[0]}).encode()
    if draw(st.booleans()):
        files["about.md"] = draw(texts(wild=True)).encode("utf-8", "surrogatepass")
    return Corpus(files)


def any_corpora() -> st.SearchStrategy[Corpus]:
    return st.one_of(hostile_corpora(), damaged_corpora())


# --- the oracle --------------------------------------------------------------------------

class BuildHung(Exception):
    pass


@dataclass
class Outcome:
    code: int
    err: str


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise BuildHung in the main thread after `seconds` (no-op elsewhere)."""
    def expire(signum: int, frame: object) -> None:
        raise BuildHung(f"the build ran longer than {seconds} s")
    try:
        previous = signal.signal(signal.SIGALRM, expire)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), time_limit(SECONDS_PER_BUILD):
        code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


def check_build(corpus: Corpus) -> Outcome:
    """Build `corpus` in a fresh temporary folder and assert every invariant."""
    with tempfile.TemporaryDirectory(prefix="sourcebook-fuzz-") as tmp:
        root = Path(tmp)
        dossiers, site, settings_file = root / "dossiers", root / "site", root / "settings.toml"
        dossiers.mkdir()
        for name, data in corpus.files.items():
            (dossiers / name).write_bytes(data)
        settings_file.write_text("")  # the built-in defaults, whatever lies above the temp folder
        # With base_url, so hostile text also reaches feed.xml, sitemap.xml and the Open Graph meta.
        code, _, err = run_cli(["build", "--dossiers", str(dossiers), "--out", str(site),
                                "--config", str(settings_file), "--base-url", "https://example.org/fuzz/"])
        assert "Traceback" not in err, err
        assert code in (0, 1), f"exit {code}:\n{err}"
        check_stderr(err, code, dossiers, corpus)
        assert {p.name: p.read_bytes() for p in dossiers.iterdir()} == corpus.files, "the build changed its input"
        written = {p.name for p in root.iterdir()}
        assert written == {"dossiers", "settings.toml"} | ({"site"} if code == 0 else set()), \
            f"files outside the output folder: {sorted(written)}"
        if code == 0:
            check_site(site, corpus)
        return Outcome(code, err)


def check_stderr(err: str, code: int, dossiers: Path, corpus: Corpus) -> None:
    """Every stderr line is a positioned problem (or, on success, the one summary line)."""
    lines = err.splitlines()
    if code == 0:
        assert lines and lines[-1].startswith("built "), err
        lines = lines[:-1]
    else:
        assert any("error[" in line for line in lines), f"exit {code} without an error:\n{err}"
    for line in lines:
        m = PROBLEM_LINE.match(line)
        assert m, f"not a problem line: {line!r}\nall of stderr:\n{err}"
        assert m["severity"] in ("warning", "notice") or code != 0, line
        path = Path(m["path"])
        if m["code"] == "base-url-unset":  # the settings' one notice: about the settings file, not a dossier
            continue
        assert path == dossiers or path.parent == dossiers, f"problem outside the dossiers folder: {line!r}"
        if m["code"] not in FILE_LEVEL_CODES:
            assert m["line"], f"problem without line:col: {line!r}"
        if m["line"] and path.name in corpus.files:
            assert 1 <= int(m["line"]) <= line_count(corpus.files[path.name]) and int(m["col"]) >= 1, \
                f"position outside the file: {line!r}"


def line_count(data: bytes) -> int:
    """Lines as YAML counts them: CR, LF, CRLF, NEL, LS and PS each end one."""
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    return len(re.findall("[\r\n\x85\u2028\u2029]", text)) + 1


def check_site(site: Path, corpus: Corpus) -> None:
    findings = unsafe_output(site)
    assert findings == [], "unsafe output:\n" + "\n".join(findings[:20])
    if (site / "feed.xml").is_file():  # a feed reader reads it without complaint, whatever the text held
        parsed = feedparser.parse((site / "feed.xml").read_bytes())
        assert not parsed.bozo, f"feed.xml: {parsed.get('bozo_exception')}"
    for page, expected in corpus.expect.items():
        if page.startswith(f"{INDEX}/"):
            strings = index_strings(site / page)
            for _, value in expected:
                assert value in strings, f"{page}: {value!r} is not in the index as data (escaping broken?)"
            continue
        texts_, attributes = page_text(site / page)
        for kind, value in expected:
            if kind == "text":
                assert value in texts_, f"{page}: {value!r} is not shown as text (escaping broken?)"
            else:
                assert value in attributes, f"{page}: no attribute is exactly {value!r} (escaping broken?)"


def index_strings(path: Path) -> set[str]:
    """Every string in a search index file's JSON (the scanner has checked its wrapper)."""
    text = path.read_text(encoding="utf-8")
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    walk(json.loads(text[text.index(".push(") + len(".push("):-len(");\n")]))
    return found


class _Text(HTMLParser):
    """Text as a reader sees it: a script's content (the JSON-LD data block) is not shown, so not counted."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: set[str] = set()
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes |= {value or "" for _, value in attrs}
        self.in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if not self.in_script:
            self.text.append(data)


def page_text(path: Path) -> tuple[str, set[str]]:
    """A page's text as a reader sees it (entities decoded), and its attribute values."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return "".join(parser.text), parser.attributes


# --- running --------------------------------------------------------------------------

def property_test(examples: int, strategy: st.SearchStrategy[Corpus] | None = None,
                  seed_value: int | None = None, shrink: bool = True):
    """A Hypothesis test of check_build over `strategy`, `examples` long, without per-example deadline.

    Shrinking a failing corpus can take minutes (every step is a build); the
    suite turns it off to stay bounded and reports the example as found. The
    failure is saved in .hypothesis/, so a longer run here shrinks it.
    """
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    @settings(max_examples=examples, deadline=None, print_blob=True,
              phases=phases + [Phase.shrink] if shrink else phases,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much, HealthCheck.large_base_example])
    @given(strategy if strategy is not None else any_corpora())
    def fuzz(corpus: Corpus) -> None:
        check_build(corpus)

    return seed(seed_value)(fuzz) if seed_value is not None else fuzz


def run(examples: int, seed_value: int | None = None, shrink: bool = True) -> None:
    """Run the fuzz target for `examples` examples; raises on the first failure."""
    property_test(examples, seed_value=seed_value, shrink=shrink)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="how many corpora to try (Hypothesis)")
    parser.add_argument("--seed", type=int, help="a fixed seed, to repeat a run")
    parser.add_argument("--atheris", action="store_true",
                        help="let atheris (coverage-guided) drive the Hypothesis strategy; "
                             "remaining arguments go to libFuzzer")
    args, rest = parser.parse_known_args(argv)
    if args.atheris:
        import atheris  # optional: pip install atheris

        fuzz = property_test(1)
        atheris.Setup([sys.argv[0], *rest], fuzz.hypothesis.fuzz_one_input)
        atheris.Fuzz()
        return 0
    run(args.examples, args.seed)
    print(f"fuzz_build: {args.examples} examples, no failure", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
