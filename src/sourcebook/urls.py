"""Every URL inside the site comes from here, never from string pasting in templates.

Output paths are POSIX paths relative to the site root (``companies/dji/index.html``).
Links between pages are relative, so one tree works under any base path. The
flavour decides how a page is named in a link: "hosted" links name folders
(``../dji/``), as static hosts serve ``index.html`` for them; "offline" links
name files (``../dji/index.html``), which is what ``file://`` needs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

Flavour = Literal["hosted", "offline"]


def company_path(dossier_id: str) -> str:
    return f"companies/{dossier_id}/index.html"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}/index.html"


HOME = "index.html"
SOURCES = "sources/index.html"
ABOUT = "about/index.html"


def static_path(name: str) -> str:
    return f"static/{name}"


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


@dataclass
class PageUrls:
    """URLs as seen from one page; records every internal target for the integrity check."""

    page: str
    flavour: Flavour = "hosted"
    targets: list[tuple[str, str]] = field(default_factory=list)  # (path, fragment)

    def to(self, path: str, fragment: str = "") -> str:
        self.targets.append((path, fragment))
        href = relative(self.page, path, self.flavour)
        if fragment:
            return f"{href}#{fragment}" if path != self.page else f"#{fragment}"
        return href

    def company(self, dossier_id: str, fragment: str = "") -> str:
        return self.to(company_path(dossier_id), fragment)

    def source(self, source_id: str, fragment: str = "") -> str:
        return self.to(source_path(source_id), fragment)

    def home(self) -> str:
        return self.to(HOME)

    def sources(self, fragment: str = "") -> str:
        return self.to(SOURCES, fragment)

    def about(self) -> str:
        return self.to(ABOUT)

    def static(self, name: str) -> str:
        return self.to(static_path(name))


def at_depth(depth: int, flavour: Flavour = "hosted") -> PageUrls:
    """URLs that are right from every page `depth` folders below the root.

    They climb to the root and back down (``../../sources/x/``), which lets a
    fragment be rendered once and reused by all pages at that depth.
    """
    return PageUrls("/".join(["_"] * depth + ["index.html"]), flavour)
