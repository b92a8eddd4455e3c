"""A year of the timeline (``timeline/<year>/``): every dated event of every company, in order.

Events sort as on a company's timeline (by the end of a period; an ongoing
period by its start), ties by their first day, then by company, then in the
dossier's order. Every event is on the page; the theme's ``timeline.js``
adds a company filter, and without JavaScript the whole list stays readable.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..indexes import year_of
from ..reads import Inputs, Reads
from ..urls import Route, Target
from ..views.citations import Numbering, Reference
from ..views.entries import EntryView, entry_view
from .family import Family, Page

ROUTE = Route("timeline/{}/")


@dataclass(frozen=True)
class Company:
    id: str
    name: str
    count: int


@dataclass(frozen=True)
class YearView:
    year: str
    overview: Target
    previous: tuple[str, Target] | None
    next: tuple[str, Target] | None
    companies: tuple[Company, ...]     # the companies with events this year, by name
    events: tuple[EntryView, ...]
    references: tuple[Reference, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    for year in tuple(inputs.indexes.years):
        reads = Reads(inputs)
        years = reads.years()
        at = years.index(year)
        found = []
        for order, (dossier_id, _) in enumerate(reads.year(year)):
            dossier = reads.dossier(dossier_id)
            found += [((e.when.sort_key(), e.when.first_day(), order, i), e, dossier.text_lang)
                      for i, e in enumerate(dossier.events) if year_of(e.when) == year]
        numbering = Numbering(reads)
        events = tuple(entry_view(e, anchors.foreign(e.dossier, e.id), numbering, reads, lang)
                       for _, e, lang in sorted(found, key=lambda f: f[0]))
        companies = tuple(sorted((Company(d, reads.name(d), n) for d, n in reads.year(year)),
                                 key=lambda c: (c.name.casefold(), c.id)))
        view = YearView(year, inputs.target("timeline"),
                        _year(years, at - 1, inputs), _year(years, at + 1, inputs),
                        companies, events, numbering.references())
        yield Page(ROUTE.path(year), "timeline-year", "timeline_year.html", f"Timeline: {year}", view, reads,
                   description=f"{year}: {len(events)} dated event{'s' if len(events) != 1 else ''} of "
                               f"{len(companies)} compan{'y' if len(companies) == 1 else 'ies'}, in order, "
                               "each with its citations.")


def _year(years: tuple[str, ...], at: int, inputs: Inputs) -> tuple[str, Target] | None:
    return (years[at], inputs.target("timeline-year", years[at])) if 0 <= at < len(years) else None


FAMILY = Family("timeline-year", ROUTE, "timeline_year.html", pages)
