"""The topics index (``topics/``): every topic, with how many claims and events each company has on it."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

ROUTE = Route("topics/")


@dataclass(frozen=True)
class CompanyCount:
    name: str
    target: Target     # the company's share of the topic, on the topic page
    count: int


@dataclass(frozen=True)
class TopicRow:
    id: str
    label: str
    target: Target
    total: int
    company_count: int
    companies: tuple[CompanyCount, ...]   # each company's share, unless the topic is split by company


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    rows = []
    for topic, label in reads.vocabulary("topics").items():
        counts = reads.topic(topic)
        # A topic split by company lists its companies on its own page; here it is one line, so the
        # index stays one line per topic however many dossiers there are.
        split = sum(n for _, n in counts) > reads.setting("topic_page_size")
        companies = () if split else tuple(CompanyCount(reads.name(d), inputs.target("topic", topic, anchors.group(d)),
                                                        n) for d, n in counts)
        rows.append(TopicRow(topic, label, inputs.target("topic", topic), sum(n for _, n in counts), len(counts),
                             companies))
    yield Page(ROUTE.path(), "topics", "topics.html", "Topics", tuple(rows), reads,
               description="Every topic the dossiers cover, with the claims and events of each company on it.")


FAMILY = Family("topics", ROUTE, "topics.html", pages, nav=NavEntry("Topics", "topics", ROUTE.target()))
