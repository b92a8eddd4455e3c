"""Stage 3, link: the validated corpus -> a Site of pages with views ready to render.

Here the corpus becomes pages: claims grouped by topic (latest first),
events as a timeline, citations numbered per page in reading order,
backlinks ("mentioned in") and, for each source, everything that cites it.
Views are plain frozen data; templates only print them. Each page names the
inputs it depends on, so a later incremental build can re-render only what
an edit touches.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .config import Config
from .markdown import WIKILINK
from .model import Corpus, Dossier, Entry, ProfileFact, Relationship, Response, Source, SourceRef
from .problems import Pos
from .urls import ABOUT, HOME, SOURCES, company_path, source_path


@dataclass(frozen=True)
class Citation:
    number: int           # the source's number in this page's reference list
    source: Source
    locator: str | None
    marker_id: str        # the marker's element id, for the way back from the reference
    label: str            # what cites it, as the reference list names it


@dataclass(frozen=True)
class Cited:
    """Something rendered with its citation markers: a claim, event, relationship, fact or response."""

    item: Entry | Relationship | ProfileFact | Response
    anchor: str
    citations: tuple[Citation, ...]
    responses: tuple["Cited", ...] = ()


@dataclass(frozen=True)
class Reference:
    number: int
    source: Source
    uses: tuple[Citation, ...]


@dataclass(frozen=True)
class TopicGroup:
    id: str
    label: str
    entries: tuple[Cited, ...]


@dataclass(frozen=True)
class Mention:
    """Another dossier's entry that links to or targets this one."""

    dossier: Dossier
    anchor: str
    kind: str
    text: str | None


@dataclass(frozen=True)
class CompanyView:
    dossier: Dossier
    profile: tuple[Cited, ...]
    topics: tuple[TopicGroup, ...]
    timeline: tuple[Cited, ...]
    relationships: tuple[Cited, ...]
    mentioned_in: tuple[Mention, ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class CitingItem:
    dossier: Dossier
    anchor: str
    kind: str             # "claim", "event", "relationship", "profile fact", "response"
    text: str
    locator: str | None


@dataclass(frozen=True)
class SourceView:
    source: Source
    citing: tuple[CitingItem, ...]


@dataclass(frozen=True)
class CompanySummary:
    dossier: Dossier
    claims: int
    events: int
    relationships: int
    sources: int


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    title: str
    view: object
    inputs: frozenset[str] = field(default_factory=frozenset)
    origin: Pos = Pos("")  # the input file whose text the page renders, for problems


@dataclass(frozen=True)
class Site:
    config: Config
    corpus: Corpus
    pages: tuple[Page, ...]


def link(corpus: Corpus, config: Config) -> Site:
    sources = {s.id: s for s in corpus.sources}
    mentions = _mentions(corpus)
    citing = _citing_items(corpus)
    pages = [Page(HOME, "index.html", config.title, _summaries(corpus),
                  frozenset({"corpus"}))]
    for dossier in corpus.dossiers:
        view = company_view(dossier, config, sources, mentions.get(dossier.id, ()))
        pages.append(Page(company_path(dossier.id), "company.html", dossier.name, view,
                          _company_inputs(dossier, view), Pos(dossier.pos.path, 1, 1)))
    pages.append(Page(SOURCES, "sources.html", "Sources", _sources_by_kind(corpus, config, citing),
                      frozenset({"sources"})))
    for source in corpus.sources:
        view = SourceView(source, tuple(citing.get(source.id, ())))
        pages.append(Page(source_path(source.id), "source.html", source.title, view,
                          frozenset({f"source:{source.id}", *(f"dossier:{c.dossier.id}" for c in view.citing)}),
                          source.pos))
    if corpus.about is not None:
        pages.append(Page(ABOUT, "about.html", "About", corpus.about, frozenset({"about"}), corpus.about_pos))
    return Site(config, corpus, tuple(pages))


# --- the company page ---------------------------------------------------------------

class _Numbering:
    """Numbers sources in the order a reader first meets them on one page."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self.sources = sources
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, list[Citation]] = defaultdict(list)

    def cite(self, refs: Iterable[SourceRef], anchor: str, label: str = "") -> tuple[Citation, ...]:
        out = []
        for k, ref in enumerate(refs, 1):
            number = self.numbers.setdefault(ref.id, len(self.numbers) + 1)
            citation = Citation(number, self.sources[ref.id], ref.locator, f"cite_{anchor}_{k}", label or anchor)
            self.uses[ref.id].append(citation)
            out.append(citation)
        return tuple(out)

    def references(self) -> tuple[Reference, ...]:
        return tuple(Reference(n, self.sources[sid], tuple(self.uses[sid]))
                     for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1]))


def company_view(dossier: Dossier, config: Config, sources: dict[str, Source],
                 mentions: Iterable[Mention]) -> CompanyView:
    numbering = _Numbering(sources)
    profile = tuple(Cited(f, f"profile_{f.key}", numbering.cite(f.sources, f"profile_{f.key}",
                                                                config.profile_fields[f.key].lower()))
                    for f in dossier.profile)
    topics = tuple(TopicGroup(topic, label, tuple(_cite_entry(e, numbering) for e in entries))
                   for topic, label, entries in _by_topic(dossier.claims, config))
    timeline = tuple(_cite_entry(e, numbering)
                     for e in sorted(dossier.events, key=lambda e: (e.when.sort_key(), e.when.start.first_day())))
    relationships = tuple(Cited(r, r.id, numbering.cite(r.sources, r.id))
                          for r in _ordered_relationships(dossier.relationships, config))
    return CompanyView(dossier, profile, topics, timeline, relationships, tuple(mentions),
                       numbering.references())


def _cite_entry(entry: Entry, numbering: _Numbering) -> Cited:
    citations = numbering.cite(entry.sources, entry.id)
    responses = tuple(Cited(r, f"{entry.id}_response_{i}",
                            numbering.cite(r.sources, f"{entry.id}_r{i}", f"response to {entry.id}"))
                      for i, r in enumerate(entry.responses, 1))
    return Cited(entry, entry.id, citations, responses)


def _by_topic(claims: Iterable[Entry], config: Config) -> Iterator[tuple[str, str, list[Entry]]]:
    """Topics in vocabulary order; within one, the latest as_of first (stable for ties)."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for claim in claims:
        groups[claim.topic or ""].append(claim)
    for topic, label in config.topics.items():
        if groups.get(topic):
            yield topic, label, sorted(groups[topic], key=lambda e: e.when.sort_key(), reverse=True)


def _ordered_relationships(relationships: Iterable[Relationship], config: Config) -> list[Relationship]:
    order = list(config.relationship_types)
    return sorted(relationships, key=lambda r: order.index(r.type))


def _company_inputs(dossier: Dossier, view: CompanyView) -> frozenset[str]:
    inputs = {f"dossier:{dossier.id}", "config"}
    inputs |= {f"source:{ref.source.id}" for ref in view.references}
    inputs |= {f"dossier:{m.dossier.id}" for m in view.mentioned_in}
    return frozenset(inputs)


# --- cross-dossier indexes ------------------------------------------------------------

def _mentions(corpus: Corpus) -> dict[str, list[Mention]]:
    """For each dossier id, the entries of *other* dossiers that link to or target it."""
    out: dict[str, list[Mention]] = defaultdict(list)
    for dossier in corpus.dossiers:
        for entry in dossier.entries:
            texts = [entry.text, *(r.text for r in entry.responses)]
            for target in sorted({m.group(1).strip() for t in texts for m in WIKILINK.finditer(t)}):
                if target != dossier.id:
                    out[target].append(Mention(dossier, entry.id, entry.kind, entry.text))
        for rel in dossier.relationships:
            linked = {rel.target} if rel.target else set()
            linked |= {m.group(1).strip() for m in WIKILINK.finditer(rel.text or "")}
            for target in sorted(linked - {dossier.id}):
                out[target].append(Mention(dossier, rel.id, "relationship", rel.text))
    return out


def _citing_items(corpus: Corpus) -> dict[str, list[CitingItem]]:
    out: dict[str, list[CitingItem]] = defaultdict(list)
    for dossier in corpus.dossiers:
        for fact in dossier.profile:
            _add_citing(out, fact.sources, CitingItem(dossier, f"profile_{fact.key}", "profile fact",
                                                      fact.value, None))
        for entry in dossier.entries:
            _add_citing(out, entry.sources, CitingItem(dossier, entry.id, entry.kind, entry.text, None))
            for i, response in enumerate(entry.responses, 1):
                _add_citing(out, response.sources, CitingItem(dossier, f"{entry.id}_response_{i}", "response",
                                                              response.text, None))
        for rel in dossier.relationships:
            label = rel.text or (rel.party or rel.target or "")
            _add_citing(out, rel.sources, CitingItem(dossier, rel.id, "relationship", label, None))
    return out


def _add_citing(out: dict[str, list[CitingItem]], refs: Iterable[SourceRef], item: CitingItem) -> None:
    for ref in refs:
        out[ref.id].append(CitingItem(item.dossier, item.anchor, item.kind, item.text, ref.locator))


def _summaries(corpus: Corpus) -> tuple[CompanySummary, ...]:
    out = []
    for d in corpus.dossiers:
        out.append(CompanySummary(d, len(d.claims), len(d.events), len(d.relationships),
                                  len(d.cited_source_ids())))
    return tuple(out)


@dataclass(frozen=True)
class SourceGroup:
    kind: str
    label: str
    sources: tuple[tuple[Source, int], ...]  # (source, times cited)


def _sources_by_kind(corpus: Corpus, config: Config,
                     citing: dict[str, list[CitingItem]]) -> tuple[SourceGroup, ...]:
    groups = []
    for kind, label in config.source_kinds.items():
        members = sorted((s for s in corpus.sources if s.kind == kind), key=lambda s: (s.title.casefold(), s.id))
        if members:
            groups.append(SourceGroup(kind, label, tuple((s, len(citing.get(s.id, ()))) for s in members)))
    return tuple(groups)
