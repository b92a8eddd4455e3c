"""Stage 4, render: a linked Site -> output files in memory (path, bytes).

Jinja2 runs with autoescape and StrictUndefined; content is only ever passed
to templates as data, never compiled as a template. Claim text is rendered
from Markdown once per (text, page folder) and reused by every page that
shows it. The theme is the default ``templates/`` folder with an optional
override folder in front of it that holds only the files it replaces.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import markdown
from .link import Page, Site
from .problems import BuildFailed, Pos, Problem
from .urls import Flavour, PageUrls, company_path, relative

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "templates"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
       "base-uri 'none'; form-action 'none'")


@dataclass(frozen=True)
class Output:
    path: str
    data: bytes


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
    return env


class Fragments:
    """Markdown -> HTML, memoised per (text, page folder): wiki-links are relative."""

    def __init__(self, site: Site, flavour: Flavour) -> None:
        self.names = {d.id: d.name for d in site.corpus.dossiers}
        self.flavour = flavour
        self.cache: dict[tuple[str, str, bool], Markup] = {}

    def render(self, text: str, page: str, inline: bool = False) -> Markup:
        folder = page.rsplit("/", 1)[0] if "/" in page else ""
        key = (text, folder, inline)
        if key not in self.cache:
            resolve = self._resolver(page)
            html = markdown.render_inline(text, resolve) if inline else markdown.render(text, resolve)
            self.cache[key] = Markup(html)
        return self.cache[key]

    def _resolver(self, page: str) -> Callable[[str], tuple[str, str]]:
        def resolve(dossier_id: str) -> tuple[str, str]:
            return relative(page, company_path(dossier_id), self.flavour), self.names[dossier_id]
        return resolve


Progress = Callable[[int, int], None]  # (pages done, pages in all)


def render_site(site: Site, theme: Theme, flavour: Flavour = "hosted",
                progress: Progress | None = None) -> tuple[list[Output], list[PageUrls]]:
    """Every page and static file, sorted by path; and the URLs each page asked for."""
    env = environment(theme)
    fragments = Fragments(site, flavour)
    outputs: list[Output] = []
    linked: list[PageUrls] = []
    for page in site.pages:
        urls = PageUrls(page.path, flavour)
        outputs.append(Output(page.path, _render_page(env, site, page, urls, fragments)))
        linked.append(urls)
        if progress:
            progress(len(linked), len(site.pages))
    for name, path in theme.static_files().items():
        outputs.append(Output(f"static/{name}", _read_static(path)))
    return sorted(outputs, key=lambda o: o.path), linked


def _render_page(env: jinja2.Environment, site: Site, page: Page, urls: PageUrls, fragments: Fragments) -> bytes:
    def md(text: str) -> Markup:
        return fragments.render(text, page.path)

    def md_inline(text: str) -> Markup:
        return fragments.render(text, page.path, inline=True)

    try:
        template = env.get_template(page.template)
        html = template.render(page=page, view=page.view, site=site, config=site.config,
                               url=urls, md=md, md_inline=md_inline)
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
