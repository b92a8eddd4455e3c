"""Sector pages (``sectors/<sector>/``): every company in the sector, each with its profile facts
(cited, numbered for this page), its other sectors and how much its dossier holds."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..reads import Inputs, Reads
from ..text import InlineMarkdown
from ..urls import Route, Target
from ..views.citations import Citation, Numbering, Reference
from ..views.companies import CompanyHead, company_head
from .family import Family, Page

ROUTE = Route("sectors/{}/")


@dataclass(frozen=True)
class Fact:
    anchor: str                # profile_<dossier>_<field>: a dossier's profile fact shown outside it
    label: str
    value: InlineMarkdown
    citations: tuple[Citation, ...]
    permalink: Target          # the fact on its dossier's page


@dataclass(frozen=True)
class SectorCompany:
    head: CompanyHead
    sectors: tuple[str, ...]   # labels of every sector it is in
    claims: int
    events: int
    profile: tuple[Fact, ...]
    lang: str


@dataclass(frozen=True)
class SectorView:
    id: str
    label: str
    index: Target
    companies: tuple[SectorCompany, ...]
    references: tuple[Reference, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    for sector in inputs.settings.vocabulary("sectors"):
        reads = Reads(inputs)
        labels = reads.vocabulary("sectors")
        fields = reads.vocabulary("profile_fields")
        numbering = Numbering(reads)
        companies = []
        for dossier_id in reads.sector(sector):
            d = reads.dossier(dossier_id)
            profile = tuple(Fact(anchors.structural("profile", d.id, f.key), fields.get(f.key, f.key), f.value,
                                 numbering.cite(f.sources, anchors.structural("profile", d.id, f.key),
                                                f"{d.name}: {fields.get(f.key, f.key)}"),
                                 inputs.target("company", d.id, anchors.profile(f.key)))
                            for f in d.profile)
            companies.append(SectorCompany(company_head(d, reads), tuple(labels.get(s, s) for s in d.sectors),
                                           len(d.claims), len(d.events), profile, d.text_lang))
        label = labels[sector]
        yield Page(ROUTE.path(sector), "sector", "sector.html", label,
                   SectorView(sector, label, inputs.target("sectors"), tuple(companies), numbering.references()), reads,
                   description=f"{label}: the {len(companies)} compan{'y' if len(companies) == 1 else 'ies'} in "
                               "this sector, with their sourced profiles.")


FAMILY = Family("sector", ROUTE, "sector.html", pages)
