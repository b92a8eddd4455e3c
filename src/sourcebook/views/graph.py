"""Relationships as a graph to draw: the site's (every company and every party) and one company's.

Both read the corpus through the page's `Reads` and hand `graphs.draw` plain
values: names, relationship types, standings, statuses and `Target`s. A
party is keyed by its id in parties.yaml, so one agency is one node however
many dossiers name it. Every edge links to the cited relationship on the page
of the dossier that records it, and is named the way that page's list names
the relationship (the list is the drawing's text alternative).

A company's graph shows the relationships its own dossier records: exactly
the list beside it. A tie another dossier records with it (Dahua naming
Huawei as its supplier) is drawn on that company's graph and on the site's.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .. import graphs
from ..graphs import Centre, Drawing, Graph, Outer, Tie
from ..model import Dossier, Relationship
from ..reads import Reads
from ..urls import Target

COMPANY_WIDTH = 736   # the theme's text column: 48rem less its padding, at 16 px
SITE_WIDTH = 960      # the graph page lets its drawing take up to 60rem


def company_key(dossier_id: str) -> graphs.Key:
    return ("dossier", dossier_id)


def party_key(party_id: str) -> graphs.Key:
    return ("party", party_id)


def _marks(rel: Relationship) -> str:
    marks = [m for m in (rel.standing if rel.standing != "established" else None, rel.status) if m]
    return f" ({', '.join(marks)})" if marks else ""


def other_name(rel: Relationship, reads: Reads) -> str:
    return reads.name(rel.target) if rel.target else reads.party_name(rel.party or "")


def tie(dossier: Dossier, rel: Relationship, reads: Reads, named: str) -> Tie:
    """`named`: the link's accessible name, the relationship as a list names it."""
    other = company_key(rel.target) if rel.target else party_key(rel.party or "")
    return Tie(company_key(dossier.id), other, rel.type, rel.standing, rel.status,
               reads.inputs.target("company", dossier.id, rel.id), named)


def outer(rel: Relationship, reads: Reads) -> Outer:
    if rel.target:
        return Outer(company_key(rel.target), reads.name(rel.target), reads.inputs.target("company", rel.target))
    return Outer(party_key(rel.party or ""), reads.party_name(rel.party or ""), None)


def _sides_said(drawing: Drawing, types: dict[str, str]) -> str:
    said = [f"{_and([types.get(k, k) for k in kinds])} on the {side}"
            for side, kinds in (("left", drawing.left_kinds), ("right", drawing.right_kinds)) if kinds]
    return "; ".join(said)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def company_graph(dossier: Dossier, relationships: Iterable[Relationship], reads: Reads) -> Drawing | None:
    """The company in the middle, the parties and companies its dossier names around it."""
    rels = tuple(relationships)
    if not rels:
        return None
    types = reads.vocabulary("relationship_types")
    outers = {o.key: o for o in (outer(r, reads) for r in rels)}
    ties = tuple(tie(dossier, r, reads, f"{types.get(r.type, r.type)}: {other_name(r, reads)}{_marks(r)}")
                 for r in rels)
    title = f"Relationships of {dossier.name}: a graph"
    drawing = graphs.draw(Graph(title, tuple(types.items()),
                                (Centre(company_key(dossier.id), dossier.name, None),),
                                tuple(outers[k] for k in sorted(outers)), ties, COMPANY_WIDTH))
    description = (f"{dossier.name} in the middle, and the {len(outers)} "
                   f"{'party or company' if len(outers) == 1 else 'parties and companies'} its dossier names "
                   f"in {len(rels)} relationship{'s' if len(rels) != 1 else ''}, grouped by type: "
                   f"{_sides_said(drawing, types)}. Each line ends at its type inside {dossier.name}'s box and "
                   f"links to the relationship in the list below, which gives the same ties as text, with "
                   f"their citations.")
    return replace(drawing, description=description)


@dataclass(frozen=True)
class TieRow:
    """One relationship in the graph page's text list: the dossier that records it, linked to it."""

    target: Target
    dossier_name: str
    standing: str
    status: str | None


@dataclass(frozen=True)
class TypeRow:
    type_label: str
    ties: tuple[TieRow, ...]


@dataclass(frozen=True)
class Counterpart:
    """A party or company named in relationships, with the dossiers that name it, by type."""

    name: str
    target: Target | None       # a company's page; None for a party
    types: tuple[TypeRow, ...]


@dataclass(frozen=True)
class SiteGraph:
    drawing: Drawing | None
    counterparts: tuple[Counterpart, ...]   # by name: the text alternative
    companies: int
    parties: int
    relationships: int


def site_graph(reads: Reads) -> SiteGraph:
    """Every company in the middle column (in id order), every party it names around them."""
    types = reads.vocabulary("relationship_types")
    order = list(types)
    dossiers = [reads.dossier(d) for d in reads.dossier_ids()]
    centres = tuple(Centre(company_key(d.id), d.name, reads.inputs.target("company", d.id)) for d in dossiers)
    outers: dict[graphs.Key, Outer] = {}
    ties: list[Tie] = []
    rows: dict[graphs.Key, dict[str, list[TieRow]]] = {}
    names: dict[graphs.Key, tuple[str, Target | None]] = {}
    for d in dossiers:
        for r in ordered(d.relationships, reads):
            name = other_name(r, reads)
            t = tie(d, r, reads, f"{d.name} — {types.get(r.type, r.type)}: {name}{_marks(r)}")
            ties.append(t)
            if r.party:
                outers.setdefault(t.other, outer(r, reads))
            names[t.other] = (name, reads.inputs.target("company", r.target) if r.target else None)
            rows.setdefault(t.other, {}).setdefault(r.type, []).append(TieRow(t.target, d.name, r.standing, r.status))
    parties = len(outers)
    title = f"Relationship graph: {len(centres)} compan{'y' if len(centres) == 1 else 'ies'}, {parties} outside " \
            f"part{'y' if parties == 1 else 'ies'}, {len(ties)} relationship{'s' if len(ties) != 1 else ''}"
    drawing = None
    if ties:
        drawing = graphs.draw(Graph(title, tuple(types.items()), centres,
                                    tuple(outers[k] for k in sorted(outers)), tuple(ties), SITE_WIDTH))
        drawing = replace(drawing, description=(
            f"The {len(centres)} companies in the middle column and the {parties} outside parties their "
            f"dossiers name, grouped by relationship type: {_sides_said(drawing, types)}; ties between two "
            f"companies are arcs beside the middle column. Each line ends at its type inside the box of the "
            f"company whose dossier records it, and links to that relationship on the company's page. The "
            f"list below the graph gives the same ties as text."))
    counterparts = tuple(
        Counterpart(names[key][0], names[key][1],
                    tuple(TypeRow(types.get(k, k), tuple(rows[key][k])) for k in sorted(rows[key], key=_rank(order))))
        for key in sorted(rows, key=lambda k: (names[k][0].casefold(), k)))
    return SiteGraph(drawing, counterparts, len(centres), parties, len(ties))


def _rank(order: list[str]):
    return lambda kind: (order.index(kind) if kind in order else len(order), kind)


def ordered(relationships: Iterable[Relationship], reads: Reads) -> list[Relationship]:
    """In the order of the relationship types, as a company page lists them (stable within a type)."""
    rank = _rank(list(reads.vocabulary("relationship_types")))
    return sorted(relationships, key=lambda r: rank(r.type)[0])
