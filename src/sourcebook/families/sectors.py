"""The sectors index (``sectors/``): every sector, with the companies in it."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

ROUTE = Route("sectors/")


@dataclass(frozen=True)
class SectorRow:
    id: str
    label: str
    target: Target
    companies: tuple[tuple[Target, str], ...]   # each company's page and name


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    rows = tuple(SectorRow(sector, label, inputs.target("sector", sector),
                           tuple((inputs.target("company", d), reads.name(d)) for d in reads.sector(sector)))
                 for sector, label in reads.vocabulary("sectors").items())
    yield Page(ROUTE.path(), "sectors", "sectors.html", "Sectors", rows, reads,
               description="Every sector, with the companies in it.")


FAMILY = Family("sectors", ROUTE, "sectors.html", pages, nav=NavEntry("Sectors", "sectors", ROUTE.target()))
