"""Topic pages (``topics/<topic>/``): every claim on a topic, and every event given that topic, by company.

Each company's claims come as its dossier lists them (latest `as_of` first),
then its events on the topic, oldest first; each entry with its citations,
numbered for this page, and a link to its permalink in the dossier. Past
`topic_page_size` entries the page lists the companies instead, each with its
own page (``topics/<topic>/<company>/``, the `topic-part` family): the URLs
name the topic and the company, never a page number, so they hold as entries
are added.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..reading import Field
from ..reads import Inputs, Reads
from ..urls import Route, Target
from ..views.citations import Numbering, Reference
from ..views.companies import CompanyHead, claims_first, company_head, shown_elsewhere
from ..views.entries import EntryView
from .family import Family, Page

ROUTE = Route("topics/{}/")
PAGE_SIZE = Field("topic_page_size", "positive-number", default=200, example="200",
                  doc="The most claims and events one topic page shows; a topic with more gets a page per "
                      "company (`topics/<topic>/<company>/`).")


@dataclass(frozen=True)
class CompanyGroup:
    head: CompanyHead
    count: int
    part: Target | None            # its own page, when the topic is split by company
    in_dossier: Target             # the topic's claims on the dossier's page
    claims: tuple[EntryView, ...]  # empty on a split topic page
    events: tuple[EntryView, ...]


@dataclass(frozen=True)
class TopicView:
    id: str
    label: str
    topic_page: Target             # the topic's own page (a part page links back to it)
    index: Target                  # the topics index
    company: str | None            # a part page: the company it is about
    total: int                     # entries on the topic, all companies
    split: bool
    groups: tuple[CompanyGroup, ...]
    references: tuple[Reference, ...]


def is_split(counts: tuple[tuple[str, int], ...], reads: Reads) -> bool:
    return sum(n for _, n in counts) > reads.setting("topic_page_size")


def company_group(topic: str, dossier_id: str, count: int, split: bool, numbering: Numbering | None,
                  reads: Reads) -> CompanyGroup:
    """One company's share of a topic: its entries (with `numbering`), or only its count and page."""
    inputs = reads.inputs
    if numbering is None:
        head = _head_by_name(dossier_id, reads)
        claims: tuple[EntryView, ...] = ()
        events: tuple[EntryView, ...] = ()
    else:
        dossier = reads.dossier(dossier_id)
        head = company_head(dossier, reads)
        on_topic, dated = claims_first(e for e in dossier.entries if e.topic == topic)
        claims = shown_elsewhere(on_topic, numbering, reads, dossier.text_lang)
        events = shown_elsewhere(dated, numbering, reads, dossier.text_lang)
    part = inputs.target("topic-part", (topic, dossier_id)) if split else None
    return CompanyGroup(head, count, part, inputs.target("company", dossier_id, anchors.topic(topic)), claims, events)


def _head_by_name(dossier_id: str, reads: Reads) -> CompanyHead:
    """A split topic page names each company and links it, without reading its dossier."""
    anchor = anchors.group(dossier_id)
    return CompanyHead(dossier_id, anchor, anchors.heading(anchor), reads.name(dossier_id), None, "zh",
                       reads.inputs.target("company", dossier_id))


def pages(inputs: Inputs) -> Iterator[Page]:
    for topic in inputs.settings.vocabulary("topics"):
        reads = Reads(inputs)
        label = reads.vocabulary("topics")[topic]
        counts = reads.topic(topic)
        split = is_split(counts, reads)
        numbering = None if split else Numbering(reads)
        groups = tuple(company_group(topic, d, n, split, numbering, reads) for d, n in counts)
        total = sum(n for _, n in counts)
        view = TopicView(topic, label, inputs.target("topic", topic), inputs.target("topics"), None, total, split,
                         groups, numbering.references() if numbering else ())
        yield Page(ROUTE.path(topic), "topic", "topic.html", label, view, reads,
                   description=f"{label}: {total} sourced claims and events from {len(groups)} "
                               f"compan{'y' if len(groups) == 1 else 'ies'}, each with its citations.")


FAMILY = Family("topic", ROUTE, "topic.html", pages, settings=(PAGE_SIZE,))
