"""What a page family is: one module declaring its route, template, navigation entry,
settings and codes, and yielding its pages (registered in `families.FAMILIES`)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..model import Corpus
from ..problems import Code, Pos
from ..reading import Field
from ..reads import Inputs, Reads
from ..urls import Route, Target


@dataclass
class Page:
    """One page to render: where it goes, which template prints it, its view, and what it read."""

    path: str
    family: str
    template: str
    title: str
    view: Any
    reads: Reads
    origin: Pos = Pos("")      # the input file whose text the page shows, for the render time budget
    description: str = ""      # plain text (`text.plain`), for the meta description and Open Graph
    error_page: bool = False   # served by the host in place of any missing path (404.html): its links start
                               # at the base path (`urls.rooted`); not in the sitemap


@dataclass(frozen=True)
class NavEntry:
    label: str
    family: str
    target: Target


def always(corpus: Corpus) -> bool:
    return True


@dataclass(frozen=True)
class Family:
    name: str
    route: Route
    template: str
    pages: Callable[[Inputs], Iterator[Page]]
    nav: NavEntry | None = None                 # its entry in the site navigation, if any
    shown: Callable[[Corpus], bool] = always    # False: no pages this build, and no navigation entry
    settings: tuple[Field, ...] = ()
    setting_kinds: dict[str, Callable[..., Any]] = field(default_factory=dict)
    codes: tuple[Code, ...] = ()
