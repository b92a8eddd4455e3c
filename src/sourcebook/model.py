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
MARKS: tuple[str, ...] = ("contested", "unanswered", "unconfirmed")  # what Entry.mark can say
Standing = Literal["established", "reported", "ended"]
STANDINGS: tuple[str, ...] = ("established", "reported", "ended")
SCRIPTS: tuple[str, ...] = ("simplified", "traditional")
RESTRICTIONS: tuple[str, ...] = ("identity-facts",)
NONE_ON_RECORD = "none-on-record"
NOWHERE = Pos("")
LANG_OF_SCRIPT = {"simplified": "zh-Hans", "traditional": "zh-Hant"}


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
class NoReply:
    """The other side has not answered: cited ("did not respond to requests for comment", with the
    source that says so), or uncited (`text` None: "No reply is on record in the sources used")."""

    text: Markdown | None
    sources: tuple[SourceRef, ...] = ()
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)

    @property
    def cited(self) -> bool:
        return self.text is not None


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
    no_reply: NoReply | None = None
    according_to: str | None = None  # whose claim this is, said with the entry ("according to ...")
    former_ids: tuple[str, ...] = ()  # ids it had before a rename: their permalinks still lead here
    establishes: tuple[str, ...] = ()  # the comparison's facts this entry establishes (the compare page)
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)
    former_pos: tuple[Pos, ...] = field(default=(), compare=False)  # where each former id is written

    @property
    def mark(self) -> str | None:
        """What a reader is told of the entry's standing: "contested" (the other side answered),
        "unanswered" (contested, but no reply is on record), "unconfirmed", or None."""
        if self.status == "contested" and not self.responses and self.no_reply is not None:
            return "unanswered"
        return self.status


@dataclass(frozen=True)
class Relationship:
    dossier: str
    id: str
    type: str
    target: str | None               # another dossier's id ...
    party: str | None                # ... or a party's id (parties.yaml)
    text: Markdown | None
    as_of: When | None
    sources: tuple[SourceRef, ...]
    status: Status | None = None
    standing: Standing = "established"  # "reported": talks or a planned deal; "ended": it no longer holds
    former_ids: tuple[str, ...] = ()    # ids it had before a rename: their permalinks still lead here
    establishes: tuple[str, ...] = ()  # the comparison's facts this relationship establishes (the compare page)
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)
    target_pos: Pos = field(default=NOWHERE, compare=False)  # where its target (or party) value is
    former_pos: tuple[Pos, ...] = field(default=(), compare=False)  # where each former id is written


@dataclass(frozen=True)
class ProfileFact:
    key: str
    value: InlineMarkdown
    sources: tuple[SourceRef, ...]
    pos: Pos = field(default=NOWHERE, compare=False)
    text_pos: Pos = field(default=NOWHERE, compare=False)


StatementKind = Literal["profile fact", "claim", "event", "response", "no reply", "relationship"]
# The statements whose text links the first mention of another dossier's name automatically (text.Linker).
AUTOLINKED: tuple[str, ...] = ("claim", "event", "response")


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
    item: "ProfileFact | Entry | Response | NoReply | Relationship"
    of: "Entry | None" = None        # for a response or a no-reply note: the entry it belongs to

    @property
    def label(self) -> str:
        """How a message names it: "claim 'x'", "a response to event 'y'"."""
        if isinstance(self.item, ProfileFact):
            return f"profile fact '{self.item.key}'"
        if isinstance(self.item, NoReply) and self.of is not None:
            return f"the no-reply note of {self.of.kind} '{self.of.id}'"
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
    native_script: str = "simplified"   # the script of native_name
    text_script: str | None = None      # the script of Chinese runs in its texts, when the dossier says
    pos: Pos = field(default=NOWHERE, compare=False)

    @property
    def native_lang(self) -> str:
        """The language tag of the native name: zh-Hans, or zh-Hant for a traditional-script name."""
        return LANG_OF_SCRIPT[self.native_script]

    @property
    def text_lang(self) -> str:
        """The language tag of Chinese runs inside its texts: zh, unless the dossier says which script."""
        return LANG_OF_SCRIPT[self.text_script] if self.text_script else "zh"

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
            if entry.no_reply is not None and entry.no_reply.cited:
                yield Statement("no reply", self.id, anchors.reply(entry.id), entry.no_reply.text,
                                entry.no_reply.sources, entry.no_reply.pos, entry.no_reply.text_pos,
                                entry.no_reply, entry)
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
    restricted_to: str | None = None   # "identity-facts": the source supports basic identity facts only
    pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Party:
    """An outside organisation (or person) named once, so one agency is one party everywhere."""

    id: str
    name: str
    native_name: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
    pos: Pos = field(default=NOWHERE, compare=False)


@dataclass(frozen=True)
class Corpus:
    dossiers: tuple[Dossier, ...]  # sorted by id
    sources: tuple[Source, ...]    # in bibliography order
    about: Markdown | None = None  # about.md, when present
    about_pos: Pos = NOWHERE       # where about.md is, for problems
    parties: tuple[Party, ...] = ()  # parties.yaml, in file order

    def dossier(self, dossier_id: str) -> Dossier:
        return self._dossiers[dossier_id]

    def has_dossier(self, dossier_id: str) -> bool:
        return dossier_id in self._dossiers

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    def party(self, party_id: str) -> Party | None:
        return self._parties.get(party_id)

    @cached_property
    def _parties(self) -> dict[str, Party]:
        out: dict[str, Party] = {}
        for p in self.parties:
            out.setdefault(p.id, p)
        return out

    @cached_property
    def _dossiers(self) -> dict[str, Dossier]:
        return {d.id: d for d in self.dossiers}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        out: dict[str, Source] = {}
        for s in self.sources:
            out.setdefault(s.id, s)
        return out
