"""Render: pages (views) -> HTML files, one at a time, through the theme's Jinja2 templates.

Jinja2 runs with autoescape and StrictUndefined; content is only ever passed
to templates as data, never compiled as a template. A template sees its page
(`page`), its `view`, the site `chrome` (title, navigation, language, the
Content-Security-Policy), the `url` helper and the anchor grammar (`ids`),
and nothing else (the template interface, `INTERFACE`, listed in
ARCHITECTURE.md). Text values are printed with ``|html``, which renders each
the way the format declared it (`text.to_html`). Names of the interface
before version 2 fail with a message that names their replacement.

*One render, two trees.* A hosted render serves the offline copy too
(`Renderer.render_both`): its links are rewritten to name ``index.html``
files (`urls.offline_hrefs`), and what a template wraps in
``{% filter hosted_only %}`` (the link to the offline zip, which the copy
does not hold) is kept in the hosted page and left out of the copy. The
filter marks that part with two HTML comments, which contributed text cannot
hold (autoescape writes ``<`` as ``&lt;``); an offline render drops it.

*Fragments render once.* A text's HTML and a ``|fragment`` (a source card)
are rendered once per page depth and reused by every page at that depth:
their links climb to the root and back down (`urls.climbing`). A reused
fragment replays the reads and link targets of its first render onto the
page that reuses it, so the page's record and the link check see them.
"""
from __future__ import annotations

import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jinja2
from markupsafe import Markup

from . import anchors, text
from .families.family import NavEntry, Page
from .load import TIME_BUDGET
from .limits import raise_hint
from .output import Output
from .problems import BuildFailed, Code, Pos, Problem
from .reads import ALIASES, CHROME, Key, key
from .theme import Theme
from .urls import Flavour, PageUrls, Target, at_depth, offline_hrefs

TEMPLATE_ERROR = Code("template-error", "a template fails to compile or render")
CODES = (TEMPLATE_ERROR,)
INTERFACE = 2
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
       "base-uri 'none'; form-action 'none'")
REMOVED = {  # names of template interface 1, and what replaces each
    "site": "view (the page's own data) or chrome (title, nav, language, csp)",
    "config": "chrome.title and chrome.language, or the labels the view carries",
    "md": "the |html filter: {{ text|html }}",
    "md_inline": "the |html filter: {{ text|html }}",
    "source_card": "the |fragment filter: {{ ref.card|fragment('_source_card.html') }}",
    "csp": "chrome.csp",
}


@dataclass(frozen=True)
class Chrome:
    """What every page shows around its view; the same on every page of a build."""

    title: str
    description: str           # the site's; a page without its own description uses it
    language: str
    csp: str
    home: Target
    nav: tuple[NavEntry, ...]
    about: Target | None
    download: Target | None = None  # the offline zip, in the hosted tree of a build that writes one
    base_url: str | None = None        # where the site is published; None: nothing absolute is written
    alternates: tuple["Alternate", ...] = ()  # files every page's head announces (the Atom feed)


@dataclass(frozen=True)
class Alternate:
    """A `<link rel="alternate">` in every page's head: another form of the site, such as its feed."""

    type: str      # its media type, "application/atom+xml"
    title: str
    target: Target


@dataclass(frozen=True)
class PageInfo:
    path: str
    family: str
    title: str
    description: str


@dataclass(frozen=True)
class PageRecord:
    """A rendered page and everything it read: what an incremental build or `diff` needs of it."""

    path: str
    family: str
    reads: tuple[Key, ...]
    indexed: bool = True  # False for 404.html: no sitemap entry


@dataclass
class _State:
    """One page's render: its URLs, its reads, and where its Markdown time is charged."""

    urls: PageUrls
    reads: set[Key]
    depth: int
    origin: Pos
    deadline: float


class Renderer:
    def __init__(self, theme: Theme, chrome: Chrome, flavour: Flavour, names: dict[str, str],
                 wikilink: Callable[[str], Target], seconds_per_file: float,
                 lang_of: Callable[[str], str] | None = None, linker: text.Linker | None = None) -> None:
        self.theme = theme
        self.chrome = chrome
        self.flavour = flavour
        self.names = names
        self.wikilink = wikilink
        self.budget = seconds_per_file
        self.linker = linker or text.Linker({})  # every dossier's name and aliases, for automatic links
        self.env = self._environment()
        self.texts: dict[tuple[type, str, int, str, str | None],
                         tuple[Markup, tuple[Target, ...], tuple[Key, ...]]] = {}
        self.fragments: dict[tuple[str, str, int], tuple[Markup, tuple[Target, ...], tuple[Key, ...]]] = {}
        self.closures: dict[str, tuple[Key, ...]] = {}

    def _environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=self.theme.loader(),
            autoescape=jinja2.select_autoescape(["html", "xml", "svg"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.filters["html"] = self._html_filter
        env.filters["fragment"] = self._fragment_filter
        env.filters["zh"] = _zh
        env.filters["hosted_only"] = self._hosted_only_filter
        return env

    # --- pages ----------------------------------------------------------------------

    def render(self, page: Page) -> tuple[Output, PageRecord]:
        """The page for this renderer's flavour, and what it read."""
        html, targets, record = self._render(page, rooted=page.error_page and self.flavour == "hosted")
        return Output(page.path, hosted_part(html) if self.flavour == "hosted" else html, targets), record

    def render_both(self, page: Page) -> tuple[Output, Output, PageRecord]:
        """One hosted render, two trees: the hosted page and its offline copy, and what it read.

        An error page (404.html) is the exception: its hosted links are rooted, which no rewrite turns
        into the offline copy's, so it is rendered a second time with relative links for the copy."""
        assert self.flavour == "hosted", "the offline copy is made from a hosted render"
        html, targets, record = self._render(page, rooted=page.error_page)
        hosted = Output(page.path, hosted_part(html), targets)
        if page.error_page:
            html, targets, _ = self._render(page, rooted=False)
        return hosted, Output(page.path, offline_part(html), targets), record

    def _render(self, page: Page, rooted: bool) -> tuple[bytes, tuple[Target, ...], PageRecord]:
        urls = PageUrls(page.path, self.flavour, base_url=self.chrome.base_url, rooted=rooted)
        reads = page.reads.keys
        reads.add(CHROME)
        reads.update(self._template_reads(page.template))
        state = _State(urls, reads, page.path.count("/"), page.origin, time.monotonic() + self.budget)
        info = PageInfo(page.path, page.family, page.title, page.description or self.chrome.description)
        context = {"page": info, "view": page.view, "chrome": self.chrome, "url": urls, "ids": anchors.IDS,
                   "_sourcebook": state, **_removed()}
        html = self._render_template(page.template, context, page.path)
        return (html.encode("utf-8"), tuple(urls.targets),
                PageRecord(page.path, page.family, tuple(reads), not page.error_page))

    def _template_reads(self, name: str) -> tuple[Key, ...]:
        found = self.closures.get(name)
        if found is None:
            found = self.closures[name] = tuple(key("template", t) for t in self.theme.closure(name))
        return found

    def _render_template(self, name: str, context: dict, where: str) -> str:
        try:
            return self.env.get_template(name).render(context)
        except jinja2.TemplateSyntaxError as e:
            raise BuildFailed([Problem(Pos(e.filename or name, e.lineno or 0, 1), TEMPLATE_ERROR,
                                       e.message or str(e))], 1) from None
        except jinja2.TemplateError as e:
            raise BuildFailed([Problem(_template_pos(e, name), TEMPLATE_ERROR,
                                       f"{e} (while rendering {where})")], 1) from None

    # --- text and fragments, memoised per page depth -------------------------------------

    @jinja2.pass_context
    def _html_filter(self, context: jinja2.runtime.Context, value: object, lang: str = "zh",
                     autolink: str | None = None) -> Markup:
        """``{{ text|html(lang) }}``; ``autolink=<dossier id>`` (claim, event and response texts) also links
        the first mention of every other dossier's name, and records the names table it matched against."""
        if value is None:
            return Markup("")
        if not isinstance(value, text.Markdown):
            return _zh(value, lang)
        state: _State = context["_sourcebook"]
        cache_key = (type(value), str(value), state.depth, lang, autolink)
        hit = self.texts.get(cache_key)
        if hit is None:
            urls = at_depth(state.depth, self.flavour)
            reads: set[Key] = {ALIASES} if autolink is not None else set()

            def resolve(dossier_id: str) -> tuple[str, str]:
                reads.add(key("name", dossier_id))
                return urls(self.wikilink(dossier_id)), self.names.get(dossier_id, dossier_id)

            auto = None if autolink is None else text.AutoLink(
                self.linker, autolink, lambda dossier_id: urls(self.wikilink(dossier_id)))
            hit = self.texts[cache_key] = (Markup(text.to_html(value, resolve, lang, auto)), tuple(urls.targets),
                                           tuple(reads))
            if time.monotonic() > state.deadline:
                raise BuildFailed([Problem(state.origin, TIME_BUDGET,
                                           f"rendering the text of this file took longer than {self.budget:g} s "
                                           f"{raise_hint('seconds_per_file')}")])
        html, targets, reads_ = hit
        state.urls.targets.extend(targets)
        state.reads.update(reads_)
        return html

    @jinja2.pass_context
    def _fragment_filter(self, context: jinja2.runtime.Context, view: object, template: str) -> Markup:
        state: _State = context["_sourcebook"]
        cache_key = (template, getattr(view, "id"), state.depth)
        hit = self.fragments.get(cache_key)
        if hit is None:
            urls = at_depth(state.depth, self.flavour)
            inner = _State(urls, set(self._template_reads(template)), state.depth, state.origin, state.deadline)
            html = self._render_template(template, {"view": view, "chrome": self.chrome, "url": urls,
                                                    "ids": anchors.IDS, "_sourcebook": inner, **_removed()},
                                         f"{template} for {getattr(view, 'id')}")
            hit = self.fragments[cache_key] = (Markup(html.strip()), tuple(urls.targets), tuple(inner.reads))
        html, targets, reads = hit
        state.urls.targets.extend(targets)
        state.reads.update(reads)
        return html


    def _hosted_only_filter(self, value: object) -> Markup:
        """``{% filter hosted_only %}...{% endfilter %}``: shown in the hosted tree only (see the module doc)."""
        if self.flavour != "hosted":
            return Markup("")
        return Markup(HOSTED_ONLY[0].decode() + str(value) + HOSTED_ONLY[1].decode())


HOSTED_ONLY = (b"<!--hosted-only-->", b"<!--/hosted-only-->")
_HOSTED_ONLY_PART = re.compile(re.escape(HOSTED_ONLY[0]) + b".*?" + re.escape(HOSTED_ONLY[1]), re.DOTALL)


def hosted_part(html: bytes) -> bytes:
    """A hosted render as the hosted tree gets it: hosted-only parts kept, their marks removed."""
    if HOSTED_ONLY[0] not in html:
        return html
    return html.replace(HOSTED_ONLY[0], b"").replace(HOSTED_ONLY[1], b"")


def offline_part(html: bytes) -> bytes:
    """A hosted render as the offline copy gets it: hosted-only parts left out, links naming files."""
    return offline_hrefs(_HOSTED_ONLY_PART.sub(b"", html))


def _zh(value: object, lang: str = "zh") -> Markup:
    """`{{ name|zh }}`: escape, then mark runs of Chinese with lang="zh" (or the tag given)."""
    return Markup(text.mark_chinese(str(Markup.escape(value)), lang))


_REMOVED = {name: jinja2.StrictUndefined(
    hint=f"'{name}' was removed in template interface {INTERFACE}: use {instead}", name=name)
    for name, instead in REMOVED.items()}


def _removed() -> dict[str, jinja2.StrictUndefined]:
    return _REMOVED


def _template_pos(error: BaseException, fallback: str) -> Pos:
    """The innermost template line in the traceback, Jinja2-style."""
    frames: Iterator[traceback.FrameSummary] = reversed(traceback.extract_tb(error.__traceback__))
    for frame in frames:
        if frame.filename.endswith((".html", ".xml", ".txt", ".svg")):
            return Pos(frame.filename, frame.lineno or 0, 1)
    return Pos(fallback)
