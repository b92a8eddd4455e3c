"""The relationship graph (``graph/``): every company and every outside party, and the ties between them.

One drawing (`views.graph.site_graph`, laid out by `graphs.draw`) printed as
inline SVG, and the same ties as a list, by the party or company named: the
drawing's text alternative. Shown when some dossier has a relationship.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..reads import Inputs, Reads
from ..urls import Route
from ..views.graph import site_graph
from .family import Family, NavEntry, Page

ROUTE = Route("graph/")


def has_relationships(inputs: Inputs) -> bool:
    return any(d.relationships for d in inputs.corpus.dossiers)


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    view = site_graph(reads)
    yield Page(ROUTE.path(), "graph", "graph.html", "Relationship graph", view, reads,
               description=f"Who owns, supplies, invests in and acts against whom: {view.companies} companies, "
                           f"{view.parties} outside parties and {view.relationships} cited relationships, drawn "
                           f"as one graph and listed by party.")


FAMILY = Family("graph", ROUTE, "graph.html", pages, nav=NavEntry("Relationships", "graph", ROUTE.target()),
                shown=has_relationships)
