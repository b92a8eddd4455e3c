"""Every URL inside the site comes from here: routes, targets and relative hrefs.

A page family declares its `Route` (``Route("companies/{}/")``); a view
holds `Target`s (an output path and a fragment), never hrefs; a template
turns a target into an href with the page's `PageUrls`, which records every
target it is asked for, so the link check (`linkcheck.py`) sees every
internal link a page holds: navigation, wiki-links, source cards, static
files.

Output paths are POSIX paths relative to the site root
(``companies/dji/index.html``). Links are relative, so one tree works under
any base path. The flavour decides how a page is named in a link: "hosted"
links name folders (``../dji/``), as static hosts serve ``index.html`` for
them; "offline" links name files (``../dji/index.html``), which ``file://``
needs.

Two other kinds of URL, for what a relative link cannot do:

- *Absolute* URLs (`absolute`), from the site's ``base_url``: canonical
  links, Open Graph, the sitemap and the feed, which are read away from the
  site. They always name folders (the published site is hosted), and there
  are none without ``base_url``.
- *Rooted* hrefs (`rooted`), which start at the base URL's path
  (``/dossiers/companies/dji/``), or at ``/`` without ``base_url``: for
  404.html, which a host serves in place of any missing path at any depth,
  so no relative link in it could be right. Without ``base_url`` they work
  only when the site is at a host's root.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal
from urllib.parse import urlsplit

from .ids import ID_PATTERN

Flavour = Literal["hosted", "offline"]
STATIC = "static"


@dataclass(frozen=True)
class Target:
    """An internal link's destination: an output path and an optional element id."""

    path: str
    fragment: str = ""

    def at(self, fragment: str) -> "Target":
        return Target(self.path, fragment)


Key = str | tuple[str, ...] | None  # a route's key: one id, a tuple of ids for a route with several slots, or None


@dataclass(frozen=True)
class Route:
    """Where a family's pages go: a folder pattern with a ``{}`` slot for each part of the page's key.

    Keys are ids (`ids.ID_PATTERN`), so a route can never name a path outside
    its folder. A route with two slots (``topics/{}/{}/``) takes a tuple of two ids.
    """

    pattern: str  # "companies/{}/", "topics/{}/{}/", "sources/", "" (the home page), "404.html"

    @lru_cache(maxsize=65536)  # noqa: B019 (routes are few, frozen and live for the build)
    def path(self, key: Key = None) -> str:
        keys = () if key is None else (key,) if isinstance(key, str) else key
        slots = self.pattern.count("{}")
        if len(keys) != slots:
            raise ValueError(f"route {self.pattern!r} takes {slots} key part{'s' if slots != 1 else ''}, "
                             f"not {len(keys)}")
        for part in keys:
            if not ID_PATTERN.fullmatch(part):
                raise ValueError(f"{part!r} cannot name a folder")
        folder = self.pattern.format(*keys)
        return folder + "index.html" if folder == "" or folder.endswith("/") else folder

    def target(self, key: Key = None, fragment: str = "") -> Target:
        return Target(self.path(key), fragment)


def static_path(name: str) -> str:
    return f"{STATIC}/{name}"


def published(target: Target, base_url: str | None) -> str:
    """How a citation writes a page's address: absolute under `base_url` when it is set, else the
    site-relative path (``companies/dji/#entity-list-2020``). Both name folders, as hosts serve them,
    whatever the link flavour of the build."""
    path = target.path
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    where = f"{base_url or ''}{path}"
    return f"{where}#{target.fragment}" if target.fragment else (where or "./")


@lru_cache(maxsize=65536)
def relative(from_path: str, to_path: str, flavour: Flavour) -> str:
    """The relative href from one output file to another (both site-relative, no '..')."""
    here = from_path.split("/")[:-1]
    there = to_path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:])
    if flavour == "hosted" and (rel == "index.html" or rel.endswith("/index.html")):
        rel = rel[: -len("index.html")] or "./"
    return rel


# A hosted href to a page names its folder ("../dji/", "./", "../../"), optionally with a
# fragment; nothing else in a page ends a relative path with "/" (other files
# end in their name, external URLs start with a scheme). The offline flavour
# names the index.html file instead.
_HOSTED_HERE = re.compile(rb'href="\./(?=["#])')
_HOSTED_FOLDER = re.compile(rb'href="((?:\.\./|[A-Za-z0-9_][A-Za-z0-9._-]*/)+)(?=["#])')


def offline_hrefs(html: bytes) -> bytes:
    """A page rendered with hosted links, as the offline flavour would have written it.

    Only double-quoted ``href`` attributes are rewritten, which is how the
    templates print `PageUrls`' hrefs (contributed text cannot hold a raw
    ``href="``: autoescape writes its quote as ``&#34;``). The result is the
    offline render byte for byte (tests/test_offline.py compares whole
    trees); the offline link check (`linkcheck.FileLinks`) fails a build on
    any link the rewrite missed. Rewriting costs about 3 % of rendering the
    page again (0.11 s against 2.9 s for 2,203 pages).
    """
    return _HOSTED_FOLDER.sub(rb'href="\1index.html', _HOSTED_HERE.sub(b'href="index.html', html))


@lru_cache(maxsize=65536)
def climbing(depth: int, to_path: str, flavour: Flavour) -> str:
    """The href from any page `depth` folders below the root: up to the root, then down.

    Shared fragments (a claim's Markdown, a source card) use these, so one
    rendering serves every page at that depth.
    """
    down = relative("index.html", to_path, flavour)
    return ("../" * depth + ("" if down == "./" else down)) or "./"


def absolute(base_url: str, target: Target) -> str:
    """A target's absolute URL under the site's base_url (which ends in '/'); folders, as hosts serve them."""
    down = relative("index.html", target.path, "hosted")
    url = base_url + ("" if down == "./" else down)
    return f"{url}#{target.fragment}" if target.fragment else url


def base_path(base_url: str | None) -> str:
    """Where the site starts on its host: the base URL's path ('/dossiers/'), or '/' without one."""
    return urlsplit(base_url).path if base_url else "/"


def rooted(base: str, to_path: str, flavour: Flavour) -> str:
    """The href from the host's root: the base path, then down to the file (for 404.html)."""
    down = relative("index.html", to_path, flavour)
    return base + ("" if down == "./" else down)


@dataclass
class PageUrls:
    """URLs as seen from one page; records every internal target for the link check.

    Templates call it: ``{{ url(target) }}``, ``{{ url.static('style.css') }}``,
    ``{{ url.canonical() }}``, ``{{ url.absolute_static('social.png') }}``.
    """

    page: str
    flavour: Flavour = "hosted"
    targets: list[Target] = field(default_factory=list)
    shared: bool = False  # hrefs that climb to the root, right from any page at this depth
    base_url: str | None = None  # the site's published address: absolute URLs come from it
    rooted: bool = False  # hrefs start at the base path (404.html, served in place of any missing path)

    def __call__(self, target: Target) -> str:
        self.targets.append(target)
        if self.rooted:
            href = rooted(base_path(self.base_url), target.path, self.flavour)
        elif self.shared:
            href = climbing(self.page.count("/"), target.path, self.flavour)
        elif target.path == self.page:
            href = ""
        else:
            href = relative(self.page, target.path, self.flavour)
        if target.fragment:
            return f"{href}#{target.fragment}"
        return href or relative(self.page, target.path, self.flavour)

    def static(self, name: str) -> str:
        return self(Target(static_path(name)))

    def absolute(self, target: Target) -> str:
        """The target's absolute URL; '' without base_url (so a template leaves out what needs one)."""
        if self.base_url is None:
            return ""
        self.targets.append(target)
        return absolute(self.base_url, target)

    def canonical(self) -> str:
        """This page's absolute URL; '' without base_url."""
        return self.absolute(Target(self.page))

    def absolute_static(self, name: str) -> str:
        return self.absolute(Target(static_path(name)))


def at_depth(depth: int, flavour: Flavour = "hosted") -> PageUrls:
    """URLs right from every page `depth` folders below the root (for shared fragments)."""
    return PageUrls("/".join(["_"] * depth + ["index.html"]), flavour, shared=True)
