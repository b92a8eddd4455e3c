"""The validated model: plain, frozen, comparable data.

Every entry keeps the position it came from, so a later stage (or a diff of
two corpora) can point a reviewer at a file and line. Nothing here does I/O.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from .problems import Pos, shown

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
DATE_PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
WHEN_PATTERN = rf"{DATE_PATTERN}(?:\.\.{DATE_PATTERN})?"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; ValueError says what is wrong."""
        m = _DATE.fullmatch(text)
        if m is None:
            raise ValueError(f"'{shown(text)}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{shown(text)}' has month {month:02d}; months run 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]  # type: ignore[arg-type]
            if not 1 <= day <= last:
                raise ValueError(f"'{shown(text)}' is not a date: {MONTHS[month - 1]} {year} "  # type: ignore[operator]
                                 f"has {last} days")
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"  # type: ignore[operator]
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def last_day(self) -> tuple[int, int, int]:
        """The latest day this date can mean: what sorting by 'end' uses."""
        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def first_day(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True)
class When:
    """A date or a period START..END."""

    start: PartialDate
    end: PartialDate

    @classmethod
    def parse(cls, text: str) -> "When":
        if ".." in text:
            first, _, last = text.partition("..")
            start, end = PartialDate.parse(first.strip()), PartialDate.parse(last.strip())
            if end.last_day() < start.first_day():
                raise ValueError(f"period '{shown(text)}' ends before it starts")
            return cls(start, end)
        date = PartialDate.parse(text.strip())
        return cls(date, date)

    @property
    def is_period(self) -> bool:
        return self.start != self.end

    def sort_key(self) -> tuple[int, int, int]:
        return self.end.last_day()

    def iso(self) -> str:
        return f"{self.start.iso()}..{self.end.iso()}" if self.is_period else self.start.iso()

    def human(self) -> str:
        if not self.is_period:
            return self.start.human()
        return f"{self.start.human()} to {self.end.human()}"


Status = Literal["contested", "unconfirmed"]
STATUSES: tuple[str, ...] = ("contested", "unconfirmed")


@dataclass(frozen=True)
class SourceRef:
    id: str
    locator: str | None
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class Response:
    text: str
    sources: tuple[SourceRef, ...]
    pos: Pos = field(compare=False)


@dataclass(frozen=True)
class Entry:
    """A claim or an event (an event is a dated claim)."""

    kind: Literal["claim", "event"]
    dossier: str
    id: str
    topic: str | None
    text: str
    when: When
    sources: tuple[SourceRef, ...]
    tags: tuple[str, ...] = ()
    status: Status | None = None
    responses: tuple[Response, ...] = ()
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class Relationship:
    dossier: str
    id: str
    type: str
    target: str | None
    party: str | None
    text: str | None
    as_of: When | None
    sources: tuple[SourceRef, ...]
    status: Status | None = None
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class ProfileFact:
    key: str
    value: str
    sources: tuple[SourceRef, ...]
    pos: Pos = field(default=Pos(""), compare=False)


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
    pos: Pos = field(default=Pos(""), compare=False)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.claims + self.events

    def citations(self) -> Iterator[tuple[Pos, str, tuple[SourceRef, ...]]]:
        """Everything in the dossier that cites: (where, what it is, its citations)."""
        for fact in self.profile:
            yield fact.pos, f"profile fact '{fact.key}'", fact.sources
        for entry in self.entries:
            yield entry.pos, f"{entry.kind} '{entry.id}'", entry.sources
            for response in entry.responses:
                yield response.pos, f"a response to {entry.kind} '{entry.id}'", response.sources
        for rel in self.relationships:
            yield rel.pos, f"relationship '{rel.id}'", rel.sources

    def cited_source_ids(self) -> set[str]:
        return {ref.id for _, _, refs in self.citations() for ref in refs}


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
    pos: Pos = field(default=Pos(""), compare=False)


@dataclass(frozen=True)
class Corpus:
    dossiers: tuple[Dossier, ...]  # sorted by id
    sources: tuple[Source, ...]    # in bibliography order
    about: str | None = None       # Markdown of about.md, when present
    about_pos: Pos = Pos("")       # where about.md is, for problems

    def dossier(self, dossier_id: str) -> Dossier:
        return self._by_id[dossier_id]

    @cached_property
    def _by_id(self) -> dict[str, Dossier]:
        return {d.id: d for d in self.dossiers}
