"""The home page: every company with its sectors and counts."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

ROUTE = Route("")


@dataclass(frozen=True)
class CompanyRow:
    target: Target
    name: str
    native_name: str | None
    native_lang: str
    sectors: tuple[str, ...]   # labels
    claims: int
    events: int
    relationships: int
    sources: int


@dataclass(frozen=True)
class HomeView:
    lead: str
    companies: tuple[CompanyRow, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    sectors = reads.vocabulary("sectors")
    rows = []
    for dossier_id in reads.dossier_ids():
        d = reads.dossier(dossier_id)
        rows.append(CompanyRow(inputs.target("company", d.id), d.name, d.native_name, d.native_lang, tuple(sectors.get(s, s) for s in d.sectors),
                               len(d.claims), len(d.events), len(d.relationships), len(d.cited_source_ids())))
    yield Page(ROUTE.path(), "home", "index.html", reads.setting("title"),
               HomeView(reads.setting("description"), tuple(rows)), reads)


FAMILY = Family("home", ROUTE, "index.html", pages, nav=NavEntry("Companies", "home", ROUTE.target()))
