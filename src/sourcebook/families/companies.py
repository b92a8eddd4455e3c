"""Company pages (``companies/<id>/``): the dossier, cited claim by claim.

Profile, claims by topic (the vocabulary's order; within a topic the latest
`as_of` first, ties in file order), the timeline (oldest first), relationships
(in the order of the relationship types), related companies (every other
dossier tied to this one by a relationship or a wiki-link, either way),
"mentioned in" (entries of other dossiers that link here) and the
references, numbered in reading order.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from .. import anchors
from ..changes.history import Commit, Dates, DossierHistory
from ..dates import When
from ..graphs import Drawing
from ..indexes import Related
from ..model import AUTOLINKED, Dossier, Relationship
from ..reads import Inputs, Reads
from ..text import InlineMarkdown, Markdown, Text
from ..urls import Route, Target
from ..views.citations import Citation, Numbering, Reference, backlink_label, fact_label
from ..views.entries import NO_DATES, EntryView, entry_view
from ..views.graph import company_graph, ordered as relationships_in_order
from ..views.jsonld import organization
from ..views.legend import LegendItem, legend
from .family import Family, Page

ROUTE = Route("companies/{}/")


@dataclass(frozen=True)
class Head:
    name: str
    native_name: str | None
    native_lang: str           # zh-Hans, or zh-Hant for a traditional-script name
    legal_name: str | None
    aliases: tuple[str, ...]
    sectors: tuple[str, ...]   # labels
    text_lang: str = "zh"      # the tag of Chinese runs in its legal name, aliases and profile values


@dataclass(frozen=True)
class FactView:
    anchor: str
    label: str
    value: InlineMarkdown
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class TopicGroup:
    anchor: str
    heading: str
    label: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True)
class RelationshipView:
    anchor: str
    type_label: str
    target: Target | None      # another dossier's page, or None for an outside party
    name: str                  # the other dossier's name, or the party's
    as_of: When | None
    status: str | None
    standing: str              # "established", "reported" or "ended"
    text: Markdown | None
    citations: tuple[Citation, ...]
    lang: str
    former_anchors: tuple[str, ...] = ()  # its former ids: links made before a rename still land here
    dates: Dates = NO_DATES    # when it was added and last changed


@dataclass(frozen=True)
class MentionView:
    target: Target
    dossier_name: str
    kind: str
    anchor: str
    text: Text | None
    autolink: str | None       # a claim's or event's text links other dossiers' names: whose text it is


@dataclass(frozen=True)
class TieView:
    label: str                 # "Competitor", or "claim “xinjiang-contracts”"
    target: Target             # the entry, on whichever page holds it


@dataclass(frozen=True)
class RelatedView:
    target: Target             # the other dossier's page
    name: str
    relationships: tuple[TieView, ...]   # relationships between the two, this dossier's first
    here: tuple[TieView, ...]            # this dossier's entries that link the other
    there: tuple[TieView, ...]           # the other's entries that link this one (also under "mentioned in")


@dataclass(frozen=True)
class Contents:
    label: str
    anchor: str


@dataclass(frozen=True)
class ChangeLink:
    """A listed commit that changed the dossier, linked at its part of the changes page."""

    target: Target
    commit: Commit


@dataclass(frozen=True)
class HistoryView:
    """What the page says of its history: its last change and the listed commits that changed it."""

    changed: Commit | None     # None: not known (or uncommitted)
    uncommitted: bool          # the file differs from the last commit
    changes: tuple[ChangeLink, ...]
    total: int                 # commits of the history that changed it
    listed: bool               # the site has changes pages at all

    @property
    def shown(self) -> bool:
        return bool(self.changed or self.uncommitted or self.changes)


@dataclass(frozen=True)
class CompanyView:
    id: str
    head: Head
    profile: tuple[FactView, ...]
    contents: tuple[Contents, ...]
    topics: tuple[TopicGroup, ...]
    timeline: tuple[EntryView, ...]
    relationships: tuple[RelationshipView, ...]
    related: tuple[RelatedView, ...]
    mentioned_in: tuple[MentionView, ...]
    references: tuple[Reference, ...]
    json_ld: Markup            # the page's JSON-LD, serialised and escaped (views/jsonld.py)
    history: HistoryView = HistoryView(None, False, (), 0, False)
    graph: Drawing | None = None   # the relationships drawn (templates/_graph.html); None without any
    legend: tuple[LegendItem, ...] = ()   # what the marks it shows mean


def pages(inputs: Inputs) -> Iterator[Page]:
    for dossier_id in (d.id for d in inputs.corpus.dossiers):
        reads = Reads(inputs)
        dossier = reads.dossier(dossier_id)
        view = company_view(dossier, reads)
        yield Page(ROUTE.path(dossier_id), "company", "company.html", dossier.name, view, reads,
                   dossier.pos._replace(line=1, col=1), _description(dossier))


def company_view(dossier: Dossier, reads: Reads) -> CompanyView:
    numbering = Numbering(reads)
    past = reads.history(dossier.id)
    fields = reads.vocabulary("profile_fields")
    profile = tuple(FactView(anchors.profile(f.key), fields.get(f.key, f.key), f.value,
                             numbering.cite(f.sources, anchors.profile(f.key),
                                            fact_label(fields.get(f.key, f.key), f.value, reads.name),
                                            dossier.text_lang))
                    for f in dossier.profile)
    topics = tuple(_topics(dossier, numbering, reads, past))
    lang = dossier.text_lang
    timeline = tuple(entry_view(e, e.id, numbering, reads, lang, _former(e.former_ids), past.dates("entry", e.id))
                     for e in sorted(dossier.events, key=lambda e: (e.when.sort_key(), e.when.first_day())))
    ordered = relationships_in_order(dossier.relationships, reads)
    relationships = tuple(_relationship(r, numbering, reads, lang, past.dates("relationship", r.id))
                          for r in ordered)
    related = tuple(_related(dossier.id, r, reads) for r in reads.related(dossier.id))
    mentioned = tuple(MentionView(reads.inputs.target("company", m.dossier, m.anchor), m.dossier_name, m.kind, m.anchor,
                                  m.text, m.dossier if m.kind in AUTOLINKED else None)
                      for m in reads.mentions(dossier.id))
    if any(m.autolink for m in mentioned):
        reads.aliases()  # their texts are matched against every dossier's names
    sectors = reads.vocabulary("sectors")
    head = Head(dossier.name, dossier.native_name, dossier.native_lang, dossier.legal_name, dossier.aliases,
                tuple(sectors.get(s, s) for s in dossier.sectors), dossier.text_lang)
    contents = tuple(Contents(label, anchor) for label, anchor, present in (
        ("Profile", anchors.section("profile"), bool(profile)),
        *((g.label, g.anchor, True) for g in topics),
        ("Timeline", anchors.section("timeline"), bool(timeline)),
        ("Relationships", anchors.section("relationships"), bool(relationships)),
        ("Related companies", anchors.section("related"), bool(related)),
        ("Mentioned in", anchors.section("mentioned-in"), bool(mentioned)),
        ("History", anchors.section("history"), bool(past.changes)),
        ("References", anchors.section("references"), True)) if present)
    history = HistoryView(past.changed, past.uncommitted,
                          tuple(ChangeLink(reads.inputs.target("changes-month", c.month,
                                                               anchors.commit(c.id, dossier.id)), c)
                                for c in past.changes), past.total, bool(past.changes))
    marks = legend([*(e.mark for g in topics for e in g.entries), *(e.mark for e in timeline),
                    *(m for r in relationships for m in (r.status, r.standing))])
    return CompanyView(dossier.id, head, profile, contents, topics, timeline, relationships, related, mentioned,
                       numbering.references(), organization(dossier, reads, ROUTE.path(dossier.id)), history,
                       company_graph(dossier, ordered, reads), marks)


def _topics(dossier: Dossier, numbering: Numbering, reads: Reads, past: DossierHistory) -> Iterator[TopicGroup]:
    """Topics in vocabulary order; within one, the latest as_of first (stable for ties)."""
    groups = defaultdict(list)
    for claim in dossier.claims:
        groups[claim.topic or ""].append(claim)
    for topic, label in reads.vocabulary("topics").items():
        if groups.get(topic):
            claims = sorted(groups[topic], key=lambda e: e.when.sort_key(), reverse=True)
            yield TopicGroup(anchors.topic(topic), anchors.heading(anchors.topic(topic)), label,
                             tuple(entry_view(c, c.id, numbering, reads, dossier.text_lang, _former(c.former_ids),
                                              past.dates("entry", c.id))
                                   for c in claims))


def _relationship(rel: Relationship, numbering: Numbering, reads: Reads, lang: str, dates: Dates) -> RelationshipView:
    types = reads.vocabulary("relationship_types")
    name = reads.name(rel.target) if rel.target else reads.party_name(rel.party or "")
    label = backlink_label(rel.text, f"{types.get(rel.type, rel.type)}: {name}", reads.name)
    target = reads.inputs.target("company", rel.target) if rel.target else None
    return RelationshipView(rel.id, types.get(rel.type, rel.type), target, name, rel.as_of, rel.status,
                            rel.standing, rel.text, numbering.cite(rel.sources, rel.id, label, lang), lang,
                            _former(rel.former_ids), dates)


def _former(former_ids: tuple[str, ...]) -> tuple[str, ...]:
    """On its own dossier's page an entry's former ids are content ids, like its id (check keeps them unique)."""
    return tuple(anchors.content(f) for f in former_ids)


def _related(dossier_id: str, related: Related, reads: Reads) -> RelatedView:
    types = reads.vocabulary("relationship_types")
    rels, here, there = [], [], []
    for tie in related.ties:
        target = reads.inputs.target("company", tie.dossier, tie.anchor)
        if tie.relationship is not None:
            whose = "" if tie.dossier == dossier_id else f" (in the {related.dossier_name} dossier)"
            rels.append(TieView(types.get(tie.relationship, tie.relationship) + whose, target))
        else:
            (here if tie.dossier == dossier_id else there).append(TieView(f"{tie.kind} \u201c{tie.anchor}\u201d", target))
    return RelatedView(reads.inputs.target("company", related.dossier), related.dossier_name, tuple(rels),
                       tuple(here), tuple(there))


def _description(dossier: Dossier) -> str:
    return (f"{dossier.name}: {len(dossier.claims)} sourced claims, {len(dossier.events)} dated events and "
            f"{len(dossier.relationships)} relationships, each with its citations.")


FAMILY = Family("company", ROUTE, "company.html", pages)
