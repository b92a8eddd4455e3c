"""The validated model: plain, frozen, comparable data.

Every entry keeps the position it came from (excluded from comparisons, so
moving lines changes nothing), so a later stage — or a diff of two corpora —
can point a reviewer at a file and line. Text values carry their format as
their type (`text.Markdown`, `text.InlineMarkdown` or plain `str`).
`Dossier.statements` is the one walk over everything a dossier says: the
rules, the indexes, the views and the exports all use it.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from . import anchors
from .dates import PartialDate, When
from .problems import Pos
from .text import InlineMarkdown, Markdown, Text

Status = Literal["contested", "unconfirmed"]
STATUSES: tuple[str, ...] = ("contested", "unconfirmed")
NOWHERE = Pos("")


@dataclass(frozen=True)
class SourceRef:
    id: str
    locator: str | None
    pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Response:
    text: Markdown
    sources: tuple[SourceRef, ...]
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Entry:
    """A claim or an event (an event is a dated claim)."""

    kind: Literal["claim", "event"]
    dossier: str
    id: str
    topic: str | None
    text: Markdown
    when: When
    sources: tuple[SourceRef, ...]
    tags: tuple[str, ...] = ()
    status: Status | None = None
    responses: tuple[Response, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Relationship:
    dossier: str
    id: str
    type: str
    target: str | None
    party: str | None
    text: Markdown | None
    as_of: When | None
    sources: tuple[SourceRef, ...]
    status: Status | None = None
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)
    target_pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class ProfileFact:
    key: str
    value: InlineMarkdown
    sources: tuple[SourceRef, ...]
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)


StatementKind = Literal["profile fact", "claim", "event", "response", "relationship"]


@dataclass(frozen=True)
class Statement:
    """One thing a dossier says, with its citations: a profile fact, claim, event, response or relationship."""

    kind: StatementKind
    dossier: str
    anchor: str                      # its element id on the dossier's page
    text: Text | None                # None: a relationship without text
    sources: tuple[SourceRef, ...]
    pos: Pos
    text_pos: Pos
    item: "ProfileFact | Entry | Response | Relationship"
    of: "Entry | None" = None        # for a response: the entry it answers

    @property
    def label(self) -> str:
        """How a message names it: "claim 'x'", "a response to event 'y'"."""
        if isinstance(self.item, ProfileFact):
            return f"profile fact '{self.item.key}'"
        if self.of is not None:
            return f"a response to {self.of.kind} '{self.of.id}'"
        return f"{self.kind} '{self.item.id}'"  # type: ignore[union-attr]


@dataclass(frozen=True)
class Dossier:
    id: str
    name: str
    native_name: str | None
    legal_name: str | None
    aliases: tuple[str, ...]
    sectors: tuple[str, ...]
    profile: tuple[ProfileFact, ...]
    claims: tuple[Entry, ...]
    events: tuple[Entry, ...]
    relationships: tuple[Relationship, ...]
    pos: Pos = field(default=NOWHERE, compare=False)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.claims + self.events

    def statements(self) -> Iterator[Statement]:
        """Everything the dossier says, in page order: profile, claims, events, relationships."""
        for fact in self.profile:
            yield Statement("profile fact", self.id, anchors.profile(fact.key), fact.value, fact.sources,
                            fact.pos, fact.text_pos, fact)
        for entry in self.entries:
            yield Statement(entry.kind, self.id, entry.id, entry.text, entry.sources, entry.pos,
                            entry.text_pos, entry)
            for i, response in enumerate(entry.responses, 1):
                yield Statement("response", self.id, anchors.response(entry.id, i), response.text,
                                response.sources, response.pos, response.text_pos, response, entry)
        for rel in self.relationships:
            yield Statement("relationship", self.id, rel.id, rel.text, rel.sources, rel.pos, rel.text_pos, rel)

    def cited_source_ids(self) -> set[str]:
        return {ref.id for statement in self.statements() for ref in statement.sources}


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    author: str | None = None
    published: PartialDate | None = None
    other_urls: tuple[str, ...] = ()
    archive_url: str | None = None
    accessed: PartialDate | None = None
    language: str | None = None
    note: str | None = None
    pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Corpus:
    dossiers: tuple[Dossier, ...]  # sorted by id
    sources: tuple[Source, ...]    # in bibliography order
    about: Markdown | None = None  # about.md, when present
    about_pos: Pos = NOWHERE       # where about.md is, for problems

    def dossier(self, dossier_id: str) -> Dossier:
        return self._dossiers[dossier_id]

    def has_dossier(self, dossier_id: str) -> bool:
        return dossier_id in self._dossiers

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    @cached_property
    def _dossiers(self) -> dict[str, Dossier]:
        return {d.id: d for d in self.dossiers}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for s in self.sources:
            out.setdefault(s.id, s)
        return out
