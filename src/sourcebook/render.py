"""Stage 4, render: a linked Site -> output files in memory (path, bytes).

Jinja2 runs with autoescape and StrictUndefined; content is only ever passed
to templates as data, never compiled as a template. Claim text is rendered
from Markdown once per (text, page folder) and reused by every page that
shows it. The theme is the default ``templates/`` folder with an optional
override folder in front of it that holds only the files it replaces.
"""
from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import markdown
from .link import Page, Site
from .problems import BuildFailed, Pos, Problem
from .model import Source
from .urls import Flavour, PageUrls, at_depth, company_path, relative

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "templates"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
       "base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Output:
    path: str
    data: bytes
    links: tuple[tuple[str, str], ...] = ()  # (path, fragment) of every internal link asked for


@dataclass(frozen=True)
class Theme:
    folders: tuple[Path, ...]  # the override first, then the default theme

    @classmethod
    def with_override(cls, override: Path | None) -> "Theme":
        return cls((override, DEFAULT_THEME) if override else (DEFAULT_THEME,))

    def static_files(self) -> dict[str, Path]:
        """static/ files by name; an override's file replaces the default's."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))


def environment(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in theme.folders]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["csp"] = CSP
    env.filters["zh"] = _mark_chinese_filter
    return env


def _mark_chinese_filter(value: object) -> Markup:
    """`{{ text|zh }}`: escape, then mark runs of Chinese with lang="zh"."""
    return Markup(markdown.mark_chinese(str(Markup.escape(value))))


class Fragments:
    """Markdown -> HTML, memoised per (text, page depth).

    Wiki-links are written root-relative for the page's depth
    (``../../companies/dji/``), so every page at one depth shares a fragment.
    """

    def __init__(self, site: Site, flavour: Flavour, env: jinja2.Environment) -> None:
        self.site = site
        self.env = env
        self.names = {d.id: d.name for d in site.corpus.dossiers}
        self.flavour = flavour
        self.cache: dict[tuple[str, int, bool], Markup] = {}
        self.budget = site.config.limits.seconds_per_file
        self.deadline = float("inf")
        self.origin = Pos("")
        self.cards: dict[tuple[str, int], tuple[Markup, list[tuple[str, str]]]] = {}

    def source_card(self, source: Source, urls: PageUrls) -> Markup:
        """_source_card.html for one source, once per page depth."""
        depth = urls.page.count("/")
        key = (source.id, depth)
        if key not in self.cards:
            card_urls = at_depth(depth, self.flavour)
            html = self.env.get_template("_source_card.html").render(
                s=source, url=card_urls, config=self.site.config, site=self.site)
            self.cards[key] = (Markup(html.strip()), card_urls.targets)
        html, targets = self.cards[key]
        urls.targets.extend(targets)  # the page links to what its cards link to
        return html

    def render(self, text: str, page: str, inline: bool = False) -> Markup:
        depth = page.count("/")
        key = (text, depth, inline)
        html = self.cache.get(key)
        if html is None:
            resolve = self._resolver(depth)
            html = Markup(markdown.render_inline(text, resolve) if inline else markdown.render(text, resolve))
            self.cache[key] = html
            if time.monotonic() > self.deadline:
                raise BuildFailed([Problem(self.origin, "time-budget",
                                           f"rendering the text of this file took longer than {self.budget:g} s "
                                           "(raise [tool.sourcebook.limits] seconds_per_file to allow it)")])
        return html

    def start_page(self, page: Page) -> None:
        """Each page's Markdown gets seconds_per_file, charged to the file it comes from."""
        self.deadline = time.monotonic() + self.budget
        self.origin = page.origin

    def _resolver(self, depth: int) -> Callable[[str], tuple[str, str]]:
        root = "../" * depth

        def resolve(dossier_id: str) -> tuple[str, str]:
            return root + relative("index.html", company_path(dossier_id), self.flavour), self.names[dossier_id]
        return resolve


Progress = Callable[[int, int], None]  # (pages done, pages in all)


def render_site(site: Site, theme: Theme, flavour: Flavour = "hosted",
                progress: Progress | None = None) -> Iterator[Output]:
    """Every page, then every static file, one at a time, so pages stream to disk."""
    env = environment(theme)
    fragments = Fragments(site, flavour, env)
    for done, page in enumerate(site.pages, 1):
        fragments.start_page(page)
        urls = PageUrls(page.path, flavour)
        data = _render_page(env, site, page, urls, fragments)
        yield Output(page.path, data, tuple(urls.targets))
        if progress:
            progress(done, len(site.pages))
    for name, path in theme.static_files().items():
        yield Output(f"static/{name}", _read_static(path))


def _render_page(env: jinja2.Environment, site: Site, page: Page, urls: PageUrls, fragments: Fragments) -> bytes:
    def md(text: str) -> Markup:
        return fragments.render(text, page.path)

    def md_inline(text: str) -> Markup:
        return fragments.render(text, page.path, inline=True)

    def source_card(source: Source) -> Markup:
        return fragments.source_card(source, urls)

    try:
        template = env.get_template(page.template)
        html = template.render(page=page, view=page.view, site=site, config=site.config,
                               url=urls, md=md, md_inline=md_inline, source_card=source_card)
    except jinja2.TemplateSyntaxError as e:
        raise BuildFailed([Problem(Pos(e.filename or page.template, e.lineno or 0, 1), "template-error",
                                   e.message or str(e))], 1) from None
    except jinja2.TemplateError as e:
        raise BuildFailed([Problem(_template_pos(e, page.template), "template-error",
                                   f"{e} (while rendering {page.path})")], 1) from None
    return html.encode("utf-8")


def _template_pos(error: BaseException, fallback: str) -> Pos:
    """The innermost template line in the traceback, Jinja2-style."""
    frames: Iterator[traceback.FrameSummary] = reversed(traceback.extract_tb(error.__traceback__))
    for frame in frames:
        if frame.filename.endswith((".html", ".xml", ".txt")):
            return Pos(frame.filename, frame.lineno or 0, 1)
    return Pos(fallback)


def _read_static(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise BuildFailed([Problem(Pos(str(path)), "unreadable-file", e.strerror or str(e))], 3) from None
