"""What `compare` reports: frozen values, rendered by `changes.render` (the `diff` command) and read by the
history pages (`changes.history`). Nothing here computes: see `changes.compare`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..problems import Problem
from .words import Words

Change = Literal["added", "removed", "changed", "renamed", "possibly renamed"]


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None                # None: it was not set
    new: str | None                # None: it is no longer set
    words: Words | None = None     # for texts: the word diff


@dataclass(frozen=True)
class Cited:
    id: str
    locator: str | None


@dataclass(frozen=True)
class EntryReport:
    """A claim, event, relationship or profile fact that was added, removed, changed or renamed."""

    kind: str                              # "claim", "event", "relationship", "profile fact"
    id: str                                # its id (a profile fact: its key) on the side that has it
    change: Change
    where: str                             # file:line on the target (on the base for a removed entry)
    old_id: str | None = None              # renamed, possibly renamed: the id it had
    text: str | None = None                # an added or removed entry: what it says (one line)
    sources: tuple[Cited, ...] = ()        # an added or removed entry: what it cites
    fields: tuple[FieldChange, ...] = ()   # text (with its word diff), topic, date, tags, status, ...
    status: str | None = None              # "newly contested", "no longer unconfirmed", "now unanswered (was ...)"
    sources_added: tuple[Cited, ...] = ()
    sources_removed: tuple[Cited, ...] = ()
    locators: tuple[FieldChange, ...] = ()  # name: the source id; old/new: its locator
    responses_added: tuple[str, ...] = ()
    responses_removed: tuple[str, ...] = ()
    weaker: tuple[str, ...] = ()           # why its sourcing is weaker: fewer sources, a lost locator


@dataclass(frozen=True)
class DossierReport:
    id: str
    name: str
    change: Literal["added", "removed", "changed"]
    where: str
    fields: tuple[FieldChange, ...] = ()   # name, native_name, legal_name, aliases, sectors, scripts
    entries: tuple[EntryReport, ...] = ()  # profile facts, claims, events, relationships

    def count(self, change: str) -> int:
        return sum(1 for e in self.entries if e.change == change)


@dataclass(frozen=True)
class RecordReport:
    """A source of the bibliography or a party of parties.yaml that was added, removed or edited."""

    kind: Literal["source", "party"]
    id: str
    change: Literal["added", "removed", "edited"]
    where: str
    title: str                     # a source's title, a party's name (on the side that has it)
    fields: tuple[FieldChange, ...] = ()
    cited_by: int = 0              # a source: how many statements cite it (on the side that has it)


@dataclass(frozen=True)
class SettingChange:
    name: str                                  # "topics", "title", "limits.max_depth"
    added: tuple[tuple[str, str], ...] = ()    # a vocabulary: (id, label) added
    removed: tuple[tuple[str, str], ...] = ()  # ... removed
    changed: tuple[FieldChange, ...] = ()      # ... relabelled (name: the id); another setting: its value


@dataclass(frozen=True)
class PageChange:
    path: str
    reasons: tuple[str, ...] = ()  # the changed keys it read: "dossier alpha", "source src-a", "chrome"


@dataclass(frozen=True)
class PagesReport:
    computed: bool                         # False: a side does not validate, so its pages were not made
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[PageChange, ...] = ()
    unchanged: int = 0


@dataclass(frozen=True)
class SideReport:
    role: str
    label: str
    commit: str | None
    folder: str
    settings_path: str
    dossiers: int
    sources: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class Report:
    base: SideReport
    target: SideReport
    dossiers: tuple[DossierReport, ...]
    sources: tuple[RecordReport, ...]
    parties: tuple[RecordReport, ...]
    settings: tuple[SettingChange, ...]
    about: FieldChange | None
    pages: PagesReport

    @property
    def empty(self) -> bool:
        """Nothing differs in the content (problems are not differences)."""
        return not (self.dossiers or self.sources or self.parties or self.settings or self.about)


