"""The sources index (``sources/``): every source, grouped by kind, with how often each is cited.

Past `sources_page_size` sources the index lists the kinds instead, each
with its own page (``sources/kinds/<kind>/``, the `source-kind` family), and
a kind with more sources than that is split again by the initial of the
title (``sources/kinds/<kind>/<initial>/``, `source-initial`). The URLs name
a kind and a letter, never a page number, so they hold as sources are added.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import anchors
from ..reading import Field
from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page
from .source import SourceCard, source_card

ROUTE = Route("sources/")
PAGE_SIZE = Field("sources_page_size", "positive-number", default=500, example="500",
                  doc="The most sources one list of sources shows; past it the sources index links a page per "
                      "kind (`sources/kinds/<kind>/`), and a kind with more a page per initial "
                      "(`sources/kinds/<kind>/<initial>/`).")
INITIAL_LABELS = {"0-9": "0\u20139", "other": "Other"}


@dataclass(frozen=True)
class Listed:
    card: SourceCard
    cited: int


@dataclass(frozen=True)
class Part:
    """A page of the list, named by what it holds: a kind, or an initial within a kind."""

    label: str
    target: Target
    count: int


@dataclass(frozen=True)
class SourceGroup:
    anchor: str
    heading: str
    label: str
    sources: tuple[Listed, ...]    # the sources, when they are on this page
    parts: tuple[Part, ...]        # else the pages that hold them


@dataclass(frozen=True)
class SourcesView:
    title: str
    lead: str
    up: tuple[str, Target] | None  # the page this part belongs to, and its name (None on the index)
    groups: tuple[SourceGroup, ...]


LEAD = ("Every source cited on this site, by kind. Each source's page lists every claim, event and relationship "
        "that cites it.")


def is_split(count: int, reads: Reads) -> bool:
    return count > reads.setting("sources_page_size")


def listed(reads: Reads, source_ids: Iterable[str]) -> tuple[Listed, ...]:
    cards = sorted((source_card(reads, sid) for sid in source_ids), key=lambda c: (c.title.casefold(), c.id))
    return tuple(Listed(c, len(reads.citing(c.id))) for c in cards)


def initial_label(initial: str) -> str:
    return INITIAL_LABELS.get(initial, initial.upper())


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    split = is_split(len(reads.source_ids()), reads)
    groups = []
    for kind, label in reads.vocabulary("source_kinds").items():
        members = [sid for _, sid in reads.source_kind(kind)]
        if not members:
            continue
        anchor = anchors.group(kind)
        if split:
            part = Part(label, inputs.target("source-kind", kind), len(members))
            groups.append(SourceGroup(anchor, anchors.heading(anchor), label, (), (part,)))
        else:
            groups.append(SourceGroup(anchor, anchors.heading(anchor), label, listed(reads, members), ()))
    lead = LEAD + (" There are too many to list on one page: each kind has its own." if split else "")
    yield Page(ROUTE.path(), "sources", "sources.html", "Sources", SourcesView("Sources", lead, None, tuple(groups)),
               reads)


FAMILY = Family("sources", ROUTE, "sources.html", pages, nav=NavEntry("Sources", "sources", ROUTE.target()),
                settings=(PAGE_SIZE,))
