"""The page families, in the order their pages are written and their navigation entries shown.

A family is one module: its `Route`, template, navigation entry, settings,
codes, and a `pages(inputs)` generator (see `family.Family` and the recipe
in ARCHITECTURE.md). To add one: write its module and template, add one line.
"""
from __future__ import annotations

from . import (about, companies, compare, data, graph, history, home, notfound, sector, sectors, source,
               source_initial, source_kind, sources, timeline, timeline_year, topic, topic_part, topics)
from .family import Family

FAMILIES: tuple[Family, ...] = (
    home.FAMILY,
    companies.FAMILY,
    topics.FAMILY,
    topic.FAMILY,
    topic_part.FAMILY,
    sectors.FAMILY,
    sector.FAMILY,
    timeline.FAMILY,
    timeline_year.FAMILY,
    compare.FAMILY,
    graph.FAMILY,
    sources.FAMILY,
    source_kind.FAMILY,
    source_initial.FAMILY,
    source.FAMILY,
    history.INDEX_FAMILY,
    history.MONTH_FAMILY,
    data.FAMILY,
    about.FAMILY,
    notfound.FAMILY,
)
