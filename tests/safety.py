"""Output safety: scan a built site for anything a reader's browser could run or leak.

`unsafe_output(site)` returns one line per finding, ``path:line:col: message``,
and ``[]`` for a safe site. It parses HTML with Python's ``html.parser`` (so
entities are decoded and attributes are split the way a browser would), never
with regular expressions over raw markup. What counts as unsafe:

- a ``<script>`` that is neither a JSON-LD data block
  (``type="application/ld+json"``, whose body must be valid JSON) nor
  ``src``-loaded from the site's own ``static/`` folder;
- any ``on*`` event-handler attribute, any attribute a page should not carry
  (a sign that text broke out of a quoted attribute), or the same attribute
  twice on one element;
- a ``javascript:``, ``vbscript:`` or ``data:`` URL (after removing the
  whitespace and control characters browsers ignore, case-folded), or any
  scheme other than http, https and mailto, in a URL attribute;
- a resource (``src``, ``srcset``, stylesheet ``href``, ...) from another
  origin: readers' browsers would fetch it;
- an ``<a>`` to an absolute http(s) URL without ``rel`` containing both
  ``noopener`` and ``noreferrer``;
- ``<base>``, ``<iframe>``, ``<object>``, ``<embed>``, ``<form>`` and their
  kin, ``<meta http-equiv="refresh">`` and inline ``<style>``;
- a page without the Content-Security-Policy ``<meta>`` before its first
  resource, or whose policy lets in other origins, inline code or
  ``eval`` (``default-src 'none'``, ``base-uri`` and ``form-action`` set,
  no ``'unsafe-*'``, only ``'self'`` and ``'none'`` as sources);
- control characters (other than tab, newline and carriage return), C1
  controls, bidirectional overrides or non-characters anywhere in a text file;
- JavaScript outside ``static/``, CSS that loads from elsewhere, JSON that
  does not parse, XML with a DOCTYPE or entities, symbolic links;
- in a zip archive (the offline copy): a member name that is absolute, climbs
  out with ``..``, uses backslashes or is not under one top folder, a
  symbolic-link member, and any of the above in its members, which are read
  in memory and scanned like the site's own files;
- a search index file (``static/search/*.js``) that is not exactly the fixed
  wrapper around one JSON value: anything before or after it, a value that
  does not parse as JSON, a raw ``<``, ``>``, ``&``, U+2028 or U+2029 (they
  must be ``\\u`` escapes, so nothing can end a script or a JS string), or an
  object key ``__proto__`` (the one place a JSON text means something else
  as JavaScript).

The scanner is a plain function so browser and build tests can reuse it.
tests/test_security.py checks it against small hand-made bad pages.
"""
from __future__ import annotations

import io
import json
import posixpath
import re
import stat
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HTML_SUFFIXES = (".html", ".htm", ".svg")
OTHER_SUFFIXES = (".xml", ".js", ".mjs", ".css", ".json", ".txt", ".webmanifest")
STATIC = "static"
SEARCH_INDEX = f"{STATIC}/search/"
# The search index's fixed wrapper (outputs/search.py writes it; written out here on purpose, so a
# change to it has to be made twice).
INDEX_PREFIX = ("/* sourcebook search index: generated data, not code */\n"
                "(self.sourcebookSearch = self.sourcebookSearch || []).push(")
INDEX_SUFFIX = ");\n"
INDEX_RAW = re.compile("[<>&\u2028\u2029]")

FORBIDDEN_ELEMENTS = frozenset({
    "base", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "portal",
    "style", "animate", "set", "animatemotion", "animatetransform", "handler", "listener",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "poster", "xlink:href", "data", "background",
    "cite", "longdesc", "manifest", "ping", "codebase", "archive", "usemap", "icon", "itemid",
})
# Attributes whose URL is fetched by the reader's browser as the page loads.
RESOURCE_ATTRIBUTES = frozenset({"src", "poster", "data", "background", "codebase", "archive",
                                 "manifest", "icon", "srcset", "xlink:href"})
NAVIGATION_SCHEMES = frozenset({"", "http", "https", "mailto"})
EXECUTING_SCHEMES = frozenset({"javascript", "vbscript", "data"})

# Attributes a page may carry. Anything else most likely means dossier text
# broke out of a quoted attribute; a theme that needs another attribute on
# purpose adds it here.
ALLOWED_ATTRIBUTES = frozenset({
    # global
    "id", "class", "title", "lang", "dir", "hidden", "tabindex", "accesskey", "translate", "role",
    "itemprop", "itemscope", "itemtype", "itemid", "itemref", "inert", "spellcheck", "slot", "style",
    "xml:lang", "xmlns", "xmlns:xlink",
    # links and resources
    "href", "rel", "target", "hreflang", "type", "media", "download", "referrerpolicy", "crossorigin",
    "integrity", "src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding",
    "fetchpriority", "as", "blocking", "nonce", "async", "defer", "nomodule",
    # meta and document
    "charset", "name", "content", "http-equiv", "property", "typeof", "vocab", "prefix", "resource",
    "about", "datatype",
    # text, lists, tables, forms-free widgets
    "value", "start", "reversed", "datetime", "cite", "scope", "colspan", "rowspan", "headers", "abbr",
    "span", "open", "for", "label", "summary", "kind", "srclang", "default", "controls",
    # the search box (an input outside any form: search.js reads it)
    "placeholder", "autocomplete", "enterkeyhint",
})
# Inline SVG icons: these short names are allowed on SVG elements only.
SVG_ELEMENTS = frozenset({"svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "use",
                          "symbol", "defs", "text", "tspan", "title", "desc", "a", "marker"})
SVG_ATTRIBUTES = frozenset({
    "viewbox", "fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "d", "focusable",
    "x", "y", "cx", "cy", "r", "rx", "ry", "x1", "x2", "y1", "y2", "points", "transform", "xlink:href",
    "preserveaspectratio", "fill-rule", "clip-rule", "opacity", "version",
})
# The relationship graph (templates/_graph.html) needs a few more, each on one SVG element only and
# with a value of one shape: a label's fixed drawn width, the drawing's font size, a status marker
# at an edge's middle (a fragment of this page, never a URL elsewhere) and the marker's own box.
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
SVG_DRAWING_ATTRIBUTES: dict[tuple[str, str], re.Pattern[str]] = {
    (element, name): re.compile(pattern) for (element, name), pattern in {
        ("text", "textlength"): _NUMBER,
        ("text", "lengthadjust"): "spacing",            # the one value the drawing uses: glyphs never stretch
        ("svg", "font-size"): _NUMBER,
        ("path", "marker-mid"): r"url\(#[A-Za-z0-9_-]+\)",
        ("marker", "refx"): _NUMBER,
        ("marker", "refy"): _NUMBER,
        ("marker", "markerwidth"): _NUMBER,
        ("marker", "markerheight"): _NUMBER,
        ("marker", "markerunits"): "userSpaceOnUse",   # the one value the drawing uses
    }.items()
}

# C0 controls other than tab, newline and CR; DEL; C1 controls; bidirectional
# embeddings, overrides and isolates; non-characters.
BAD_CHARACTER = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]"
)
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.IGNORECASE | re.DOTALL)
_CSP_SOURCES_ALLOWED = frozenset({"'self'", "'none'"})
_CSP_REQUIRED = {"default-src": "'none'", "base-uri": None, "form-action": None}


def url_scheme(value: str) -> str:
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs and newlines removed."""
    cleaned = _URL_IGNORED.sub("", value.strip("".join(map(chr, range(0x21)))))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else ""


def is_external(value: str) -> bool:
    """True for a URL that names another origin (a scheme, or a network-path //host)."""
    cleaned = _URL_IGNORED.sub("", value.strip("".join(map(chr, range(0x21)))))
    return bool(url_scheme(value)) or cleaned.startswith(("//", "\\\\", "/\\", "\\/"))


Exists = Callable[[str], bool]  # does the tree hold this file (a path relative to its root)?


def unsafe_output(site_dir: Path) -> list[str]:
    """Every safety finding in a built site (zip archives in it included), as ``path:line:col: message`` lines."""
    site_dir = Path(site_dir)
    findings: list[str] = []

    def exists(rel: str) -> bool:
        return (site_dir / rel).is_file()

    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.is_symlink():
            findings.append(f"{rel}: a symbolic link in the output")
            continue
        if not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in HTML_SUFFIXES or suffix in OTHER_SUFFIXES:
            findings += scan_file(exists, rel, path.read_bytes())
        elif suffix == ".zip":
            findings += unsafe_archive(rel, path.read_bytes())
    return findings


def unsafe_archive(rel: str, data: bytes) -> list[str]:
    """The findings in a zip archive: its member names and attributes, and its members scanned in memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        return [f"{rel}: not a zip archive ({e})"]
    findings: list[str] = []
    members: dict[str, bytes] = {}
    tops: set[str] = set()
    for info in archive.infolist():
        name = info.filename
        where = f"{rel}:{name}"
        if name.startswith("/") or "\\" in name or ".." in name.split("/") or re.match(r"[A-Za-z]:", name):
            findings.append(f"{where}: a member name that could land outside the folder it is unpacked into")
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            findings.append(f"{where}: a symbolic link in the archive")
            continue
        tops.add(name.split("/", 1)[0] if "/" in name else "")
        if not info.is_dir():
            members[name] = archive.read(info)
    if len(tops) != 1 or "" in tops:
        findings.append(f"{rel}: members are not all in one top folder ({', '.join(sorted(tops))[:80]})")
    for top in tops - {""}:
        inside = {name[len(top) + 1:]: content for name, content in members.items() if name.startswith(top + "/")}
        for name, content in sorted(inside.items()):
            suffix = posixpath.splitext(name)[1].lower()
            if suffix in HTML_SUFFIXES or suffix in OTHER_SUFFIXES:
                findings += [f"{rel}:{top}/{f}" for f in scan_file(inside.__contains__, name, content)]
    return findings


def scan_file(exists: Exists, rel: str, data: bytes) -> list[str]:
    """The findings for one file of the site, by its kind."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"{rel}: not UTF-8 (byte {e.start})"]
    findings = _character_findings(rel, text)
    suffix = posixpath.splitext(rel)[1].lower()
    if suffix in HTML_SUFFIXES:
        findings += scan_html(exists, rel, text, page=suffix != ".svg")
    elif suffix in (".js", ".mjs"):
        if not rel.startswith(f"{STATIC}/"):
            findings.append(f"{rel}: JavaScript outside {STATIC}/ (only the theme's own scripts may run)")
        elif rel.startswith(SEARCH_INDEX):
            findings += index_findings(rel, text)
    elif suffix == ".css":
        findings += _css_findings(rel, text)
    elif suffix in (".json", ".webmanifest"):
        findings += _json_findings(rel, text)
    elif suffix == ".xml":
        findings += _xml_findings(exists, rel, text)
    return findings


def scan_html(exists: Exists, rel: str, text: str, page: bool = True) -> list[str]:
    """Findings in one HTML document; `page` requires the CSP meta tag."""
    scanner = _HtmlScanner(exists, rel)
    scanner.feed(text)
    scanner.close()
    if page:
        scanner.finish_page()
    return scanner.findings


# --- HTML ------------------------------------------------------------------------

@dataclass
class _Script:
    kind: str  # "data" (JSON-LD) or "other"
    line: int
    col: int
    body: list[str] = field(default_factory=list)


class _HtmlScanner(HTMLParser):
    def __init__(self, exists: Exists, rel: str) -> None:
        super().__init__(convert_charrefs=True)
        self.exists = exists
        self.rel = rel
        self.svg_depth = 0  # > 0 inside an <svg> element
        self.findings: list[str] = []
        self.csp: list[str] = []
        self.first_resource: tuple[int, int] | None = None
        self.csp_too_late = False
        self.script: _Script | None = None

    # -- reporting --
    def report(self, message: str) -> None:
        line, offset = self.getpos()
        self.findings.append(f"{self.rel}:{line}:{offset + 1}: {message}")

    # -- parser callbacks --
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.svg_depth += tag == "svg"
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "script":
            self._end_script()

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._end_script()
        elif tag == "svg":
            self.svg_depth = max(self.svg_depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.body.append(data)

    def handle_decl(self, decl: str) -> None:
        if "entity" in decl.lower():
            self.report(f"a DOCTYPE that declares entities: <!{decl[:60]}>")

    # -- checks --
    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._attributes(tag, attrs)
        if tag in FORBIDDEN_ELEMENTS:
            self.report(f"<{tag}> element")
        if tag in ("script", "link", "img", "style", "iframe", "object", "embed", "video", "audio",
                   "source") and self.first_resource is None:
            self.first_resource = self.getpos()
        if tag == "meta":
            self._meta(values)
        elif tag == "script":
            self._script(values)
        elif tag in ("a", "area"):
            self._external_link(tag, values)
        elif tag == "link":
            self._link(values)

    def _attributes(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        seen: set[str] = set()
        for name, raw in attrs:
            value = raw or ""
            if name in seen:
                self.report(f"<{tag}> has attribute '{name}' twice (broken escaping?)")
            seen.add(name)
            if name.startswith("on"):
                self.report(f"<{tag}> has event-handler attribute {name}={value[:60]!r}")
            elif self.svg_depth and (tag, name) in SVG_DRAWING_ATTRIBUTES:
                if not SVG_DRAWING_ATTRIBUTES[(tag, name)].fullmatch(value):
                    self.report(f"<{tag}> has {name}={value[:60]!r}, not a value that attribute takes")
            elif not (name in ALLOWED_ATTRIBUTES or name.startswith(("data-", "aria-"))
                      or (self.svg_depth and tag in SVG_ELEMENTS and name in SVG_ATTRIBUTES)):
                self.report(f"<{tag}> has unexpected attribute {name!r} (text broke out of an attribute?)")
            if name in URL_ATTRIBUTES:
                self._url(tag, name, value)
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    self._url(tag, name, candidate.strip().split(" ")[0])
            elif name == "style" and re.search(r"url\(|expression\(|@import|behavior:", value, re.IGNORECASE):
                self.report(f"<{tag}> style attribute loads or runs something: {value[:60]!r}")

    def _url(self, tag: str, name: str, value: str) -> None:
        scheme = url_scheme(value)
        if scheme in EXECUTING_SCHEMES:
            self.report(f"<{tag} {name}> has a {scheme}: URL: {value[:60]!r}")
        elif scheme not in NAVIGATION_SCHEMES:
            self.report(f"<{tag} {name}> has an unexpected URL scheme {scheme!r}: {value[:60]!r}")
        elif name in RESOURCE_ATTRIBUTES and is_external(value):
            self.report(f"<{tag} {name}> loads a resource from another origin: {value[:60]!r}")

    def _external_link(self, tag: str, values: dict[str, str]) -> None:
        href = values.get("href", "")
        if not href or url_scheme(href) not in ("http", "https", "") or not is_external(href):
            return
        rel = set(values.get("rel", "").lower().split())
        missing = {"noopener", "noreferrer"} - rel
        if missing:
            self.report(f"<{tag} href={href[:60]!r}> lacks rel {' '.join(sorted(missing))}")

    def _link(self, values: dict[str, str]) -> None:
        href = values.get("href", "")
        rel = values.get("rel", "").lower().split()
        if href and is_external(href) and not set(rel) <= {"alternate", "canonical", "license", "author"}:
            self.report(f"<link rel={' '.join(rel)!r}> loads from another origin: {href[:60]!r}")

    def _meta(self, values: dict[str, str]) -> None:
        equiv = values.get("http-equiv", "").strip().lower()
        if equiv == "refresh":
            self.report("<meta http-equiv=refresh> (redirects the reader)")
        elif equiv == "content-security-policy":
            if self.first_resource is not None:
                self.csp_too_late = True
            self.csp.append(values.get("content", ""))
        elif equiv == "set-cookie":
            self.report("<meta http-equiv=set-cookie>")

    def _script(self, values: dict[str, str]) -> None:
        kind = values.get("type", "").strip().lower()
        line, offset = self.getpos()
        if kind == "application/ld+json" and "src" not in values:
            self.script = _Script("data", line, offset + 1)
            return
        self.script = _Script("other", line, offset + 1)
        src = values.get("src")
        if src is None:
            self.report("inline <script> (only JSON-LD data blocks and the theme's own files are allowed)")
        elif not self._own_static_file(src):
            self.report(f"<script src={src[:60]!r}> is not one of the site's own static files")

    def _end_script(self) -> None:
        script, self.script = self.script, None
        if script is None:
            return
        body = "".join(script.body)
        if script.kind == "data":
            try:
                json.loads(body)
            except ValueError as e:
                self.findings.append(f"{self.rel}:{script.line}:{script.col}: JSON-LD block is not valid JSON "
                                     f"({e}); text may have broken out of it")
        elif body.strip():
            self.findings.append(f"{self.rel}:{script.line}:{script.col}: <script src> with an inline body")

    def _own_static_file(self, src: str) -> bool:
        if is_external(src) or "?" in src or "#" in src:
            return False
        if src.startswith("/"):
            # A page linking from the host's root (404.html, which any depth may serve) names its
            # script by the base path: '/dossiers/static/x.js'. It is the site's own file when the
            # path, from its 'static/' folder on, names one.
            head, sep, tail = src.partition(f"/{STATIC}/")
            return bool(sep) and "/." not in head and self.exists(f"{STATIC}/{tail}")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), src))
        return target.startswith(f"{STATIC}/") and self.exists(target)

    def finish_page(self) -> None:
        """Page-level rules, once the whole document is parsed."""
        where = f"{self.rel}:1:1"
        if not self.csp:
            self.findings.append(f"{where}: no Content-Security-Policy <meta> tag")
            return
        if self.csp_too_late:
            self.findings.append(f"{where}: the Content-Security-Policy <meta> comes after a resource "
                                 "it should cover (put it first in <head>)")
        for policy in self.csp:
            self.findings += [f"{where}: {problem}" for problem in csp_problems(policy)]


def csp_problems(policy: str) -> list[str]:
    """Why a Content-Security-Policy lets in too much; [] when it is strict enough."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), [w.lower() for w in words[1:]])
    problems = []
    for name, required in _CSP_REQUIRED.items():
        if name not in directives:
            problems.append(f"CSP has no {name} (default-src does not cover it)" if name != "default-src"
                            else "CSP has no default-src")
        elif required and directives[name] != [required]:
            problems.append(f"CSP {name} is {' '.join(directives[name])!r}, not {required}")
    for name, sources in directives.items():
        for source in sources:
            if source.startswith("'unsafe-") or source == "'wasm-unsafe-eval'":
                problems.append(f"CSP {name} allows {source}")
            elif source not in _CSP_SOURCES_ALLOWED:
                problems.append(f"CSP {name} lets in {source!r} (only 'self' and 'none' keep other origins out)")
    return problems


# --- other file kinds -------------------------------------------------------------

def _character_findings(rel: str, text: str) -> list[str]:
    findings = []
    for m in BAD_CHARACTER.finditer(text):
        before = text[: m.start()]
        line = before.count("\n") + 1
        col = m.start() - (before.rfind("\n") + 1) + 1
        findings.append(f"{rel}:{line}:{col}: control, bidirectional or non-character U+{ord(m.group()):04X}")
        if len(findings) >= 5:
            break
    return findings


def _css_findings(rel: str, text: str) -> list[str]:
    findings = []
    # IE's `behavior` property (an HTC file runs); not `scroll-behavior`, a standard property that runs nothing
    if re.search(r"expression\s*\(|(?<![\w-])behavior\s*:|-moz-binding", text, re.IGNORECASE):
        findings.append(f"{rel}: CSS that runs code (expression, behavior, -moz-binding)")
    for m in _CSS_URL.finditer(text):
        url = m.group(2) if m.group(2) is not None else m.group(4)
        if is_external(url) and not url.lower().startswith("data:image/"):
            findings.append(f"{rel}: CSS loads {url[:60]!r} from another origin or scheme")
    return findings


def index_findings(rel: str, text: str) -> list[str]:
    """A search index file must be the fixed wrapper around one JSON value, and nothing else."""
    if not text.startswith(INDEX_PREFIX) or not text.endswith(INDEX_SUFFIX):
        return [f"{rel}: a search index file that is not the fixed wrapper around JSON"]
    findings = []
    for m in INDEX_RAW.finditer(text):
        findings.append(f"{rel}:{m.start() + 1}: raw {m.group()!r} in a search index file (must be a \\u escape)")
        break
    keys: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        keys.extend(k for k, _ in items)
        return dict(items)

    try:
        json.loads(text[len(INDEX_PREFIX):-len(INDEX_SUFFIX)], object_pairs_hook=pairs)
    except ValueError as e:
        return findings + [f"{rel}: the search index is not one JSON value inside its wrapper ({e})"]
    if "__proto__" in keys:
        findings.append(f"{rel}: an object key __proto__ in the search index (JavaScript would set a prototype)")
    return findings


def _json_findings(rel: str, text: str) -> list[str]:
    try:
        json.loads(text)
    except ValueError as e:
        return [f"{rel}: not valid JSON ({e})"]
    return []


def _xml_findings(exists: Exists, rel: str, text: str) -> list[str]:
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        return [f"{rel}: XML with a DOCTYPE or entity declarations"]
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as e:
        return [f"{rel}: not well-formed XML ({e})"]
    findings = []
    for element in root.iter():
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in URL_ATTRIBUTES and url_scheme(value) not in NAVIGATION_SCHEMES:
                findings.append(f"{rel}: <{element.tag} {local}> has URL {value[:60]!r}")
        local_tag = element.tag.rsplit("}", 1)[-1]
        if local_tag in ("loc", "link", "uri", "id") and element.text and \
                url_scheme(element.text) in EXECUTING_SCHEMES:
            findings.append(f"{rel}: <{local_tag}> holds {element.text.strip()[:60]!r}")
        if element.attrib.get("type") in ("html", "xhtml") or local_tag in ("description", "encoded"):
            fragment = _HtmlScanner(exists, rel)
            fragment.feed(element.text or "")
            fragment.close()
            findings += fragment.findings
    return findings
