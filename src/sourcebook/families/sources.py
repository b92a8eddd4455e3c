"""The sources index (``sources/``): every source, grouped by kind, with how often each is cited."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..reads import Inputs, Reads
from ..urls import Route
from .family import Family, NavEntry, Page
from .source import SourceCard, source_card

ROUTE = Route("sources/")


@dataclass(frozen=True)
class Listed:
    card: SourceCard
    cited: int


@dataclass(frozen=True)
class SourceGroup:
    anchor: str
    heading: str
    label: str
    sources: tuple[Listed, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    cards = [source_card(reads, sid) for sid in reads.source_ids()]
    groups = []
    for kind, label in reads.vocabulary("source_kinds").items():
        members = sorted((c for c in cards if c.kind == kind), key=lambda c: (c.title.casefold(), c.id))
        if members:
            groups.append(SourceGroup(anchors.group(kind), anchors.heading(anchors.group(kind)), label,
                                      tuple(Listed(c, len(reads.citing(c.id))) for c in members)))
    yield Page(ROUTE.path(), "sources", "sources.html", "Sources", tuple(groups), reads)


FAMILY = Family("sources", ROUTE, "sources.html", pages, nav=NavEntry("Sources", "sources", ROUTE.target()))
