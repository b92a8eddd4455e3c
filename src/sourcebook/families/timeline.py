"""The timeline overview (``timeline/``): every year with dated events, and how many each company has.

Each year has its own page (``timeline/<year>/``, the `timeline-year`
family), so a year's URL never shifts as events are added. An event is
listed under the year it sorts by: a period's end, an ongoing period's start
(`indexes.year_of`).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

ROUTE = Route("timeline/")


@dataclass(frozen=True)
class YearRow:
    year: str
    target: Target
    total: int
    companies: tuple[tuple[str, int], ...]   # (name, events that year)


@dataclass(frozen=True)
class TimelineView:
    total: int
    companies: int
    years: tuple[YearRow, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    rows = []
    for year in reads.years():
        counts = reads.year(year)
        rows.append(YearRow(year, inputs.target("timeline-year", year), sum(n for _, n in counts),
                            tuple((reads.name(d), n) for d, n in counts)))
    dossiers = {d for year in reads.years() for d, _ in reads.year(year)}
    view = TimelineView(sum(r.total for r in rows), len(dossiers), tuple(rows))
    yield Page(ROUTE.path(), "timeline", "timeline.html", "Timeline", view, reads,
               description="Every dated event of every company, year by year, each with its citations.")


FAMILY = Family("timeline", ROUTE, "timeline.html", pages, nav=NavEntry("Timeline", "timeline", ROUTE.target()))
