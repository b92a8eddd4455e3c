"""The history of the dossiers folder, as pages read it: frozen values, made by `changes.replay`.

*History* is defined exactly: the commits reachable from HEAD along first
parents whose dossiers folder differs from their first parent's (``git log
--first-parent -- <dossiers>``), oldest first. A merged branch is one change,
dated by its merge: that is when it reached the site. Dates are committer
dates, in UTC. What changed is decided by parsed values, never by lines:

- an *entry* (claim, event, relationship) changed when what it says or how it
  is sourced changed (`fingerprint`): its text (as words), date, sources and
  their locators, status, responses, no-reply note, whose claim it is; for a
  relationship, its type, other end and standing. Its id is not part of it
  (an entry renamed with `former_ids` keeps its dates), nor its topic or tags
  (where it is filed);
- a *dossier* changed when anything in its file's parsed value did;
- a recorded read *key* changed when `reads.value_of` would give another
  value (`History.dated`): the sitemap's ``<lastmod>`` is the latest change
  among the keys a page read that history can date (`History.modified`).

A date is left out rather than guessed: before a shallow clone's boundary, and
across revisions that no longer read under today's format. A value that
differs from the last commit's (a dirty working tree) is *uncommitted*: it
carries no date.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from .. import anchors
from ..dates import PartialDate
from ..model import Dossier, Entry, Relationship
from .report import DossierReport, FieldChange, RecordReport

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
Key = tuple[str, str]  # as reads.Key (which this module cannot import: reads imports it)


@dataclass(frozen=True)
class Commit:
    """A commit of the history, as pages show it. Its message is contributed text: `refused` says why it is
    not shown (a control or bidirectional character, or bytes that are not UTF-8), and then `subject` is
    our placeholder and `body` is empty."""

    id: str
    date: str                      # committer date in UTC: "2026-11-03T12:00:00Z"
    subject: str
    body: tuple[str, ...] = ()     # the message's paragraphs after its first line, whitespace collapsed
    refused: str | None = None

    @property
    def month(self) -> str:
        return self.date[:7]

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def short(self) -> str:
        return self.id[:12]

    def human(self) -> str:
        """"3 November 2026", as pages print a date (UTC)."""
        year, month, day = self.date[:10].split("-")
        return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


@dataclass(frozen=True)
class Dates:
    """When an entry was added and last changed; None where history cannot say."""

    added: Commit | None = None
    changed: Commit | None = None
    uncommitted: bool = False      # it differs from the last commit: no date is true yet


@dataclass(frozen=True)
class Change:
    """One commit of the history, summarised claim by claim (what `changes.compare` found between the
    dossiers folder at its first parent and at it)."""

    commit: Commit
    dossiers: tuple[DossierReport, ...] = ()
    sources: tuple[RecordReport, ...] = ()
    parties: tuple[RecordReport, ...] = ()
    about: FieldChange | None = None
    unreadable: tuple[str, ...] = ()   # files not compared: they do not read under today's format here or before

    @property
    def empty(self) -> bool:
        return not (self.dossiers or self.sources or self.parties or self.about or self.unreadable)


@dataclass(frozen=True)
class DossierHistory:
    """What a dossier's page shows of history (the value of ``("history", id)``)."""

    changed: Commit | None = None                  # its last change; None: not known
    uncommitted: bool = False                      # its file differs from the last commit's
    entries: Mapping[tuple[str, str], Dates] = field(default_factory=dict)  # (group, id) -> dates
    changes: tuple[Commit, ...] = ()               # the listed commits that changed it, newest first
    total: int = 0                                 # every commit of the history that changed it

    def dates(self, group: str, entry_id: str) -> Dates:
        return self.entries.get((group, entry_id), Dates())


@dataclass(frozen=True)
class Month:
    """One page of the changes (the value of ``("changes", "YYYY-MM")``)."""

    month: str
    changes: tuple[Change, ...]    # newest first
    newer: str | None              # the months before and after it that are listed
    older: str | None
    cut: int = 0                   # commits of this month older than the listed ones

    def human(self) -> str:
        year, month = self.month.split("-")
        return f"{MONTHS[int(month) - 1]} {year}"


@dataclass(frozen=True)
class History:
    """Everything pages read of history; `NO_HISTORY` where there is none (not a git checkout, git
    failing, no commit touching the dossiers folder yet)."""

    changes: tuple[Change, ...] = ()                        # the listed commits, newest first
    total: int = 0                                          # commits in the history
    window: int = 0                                         # how many are listed at most (the setting)
    shallow: bool = False                                   # a shallow clone: older history is missing
    dossiers: Mapping[str, DossierHistory] = field(default_factory=dict)
    dated: Mapping[Key, str | None] = field(default_factory=dict)  # key -> its last change (UTC), None: unknown
    uncommitted: frozenset[Key] = frozenset()               # keys whose value differs from the last commit's
    present: bool = False                                   # there is a history (even one listing nothing)
    month_totals: Mapping[str, int] = field(default_factory=dict)  # commits per month in the whole history

    @property
    def shown(self) -> bool:
        """The changes pages exist: at least one commit is listed."""
        return bool(self.changes)

    def dossier(self, dossier_id: str) -> DossierHistory:
        return self.dossiers.get(dossier_id, DossierHistory())

    def months(self) -> tuple[str, ...]:
        """The months with listed commits, newest first."""
        return tuple(dict.fromkeys(c.commit.month for c in self.changes))

    def month(self, name: str) -> Month | None:
        months = self.months()
        if name not in months:
            return None
        i = months.index(name)
        return Month(name, tuple(c for c in self.changes if c.commit.month == name),
                     months[i - 1] if i > 0 else None, months[i + 1] if i + 1 < len(months) else None,
                     self._cut(name))

    def index(self) -> tuple:
        """The value of ``("changes", "")``: every listed commit by month, and what the index says of them."""
        return (tuple((m, tuple(c.commit for c in self.changes if c.commit.month == m)) for m in self.months()),
                self.total, self.window, self.shallow)

    def _cut(self, name: str) -> int:
        return self.month_totals.get(name, 0) - sum(1 for c in self.changes if c.commit.month == name)

    def modified(self, keys: Iterable[Key]) -> str | None:
        """The sitemap's ``<lastmod>`` for a page that read `keys`: the latest last change among the keys
        history dates (those read from the dossiers folder, and the history pages' own); None when one of
        them changed since the last commit, when a date is not known and no later one is, or when it read
        none of them. Settings, templates and the chrome are not content: they never date a page."""
        latest: str | None = None
        for k in keys:
            if k in self.uncommitted:
                return None
            when = self.dated.get(k)
            # An unknown date lies before every known one (before the shallow boundary, or before the
            # revisions that read again), so a known later date is still the last change.
            if when is not None and (latest is None or when > latest):
                latest = when
        return latest


DATED_KINDS = frozenset({"dossier", "name", "dossiers", "source", "sources", "party", "parties", "about",
                         "mentions", "citing", "history", "changes", "anchors"})
NO_HISTORY = History()


# --- what counts as a change: fingerprints and digests ----------------------------------------

def fingerprint(item: Entry | Relationship) -> tuple:
    """What an entry says and how it is sourced: equal fingerprints mean it did not change (see above)."""
    if isinstance(item, Relationship):
        return ("relationship", item.type, item.target, item.party, _words(item.text),
                item.as_of.iso() if item.as_of else None, _sources(item.sources), item.status, item.standing)
    return (item.kind, _words(item.text), item.when.iso(), _sources(item.sources), item.mark, item.according_to,
            tuple((_words(r.text), _sources(r.sources)) for r in item.responses),
            None if item.no_reply is None else (_words(item.no_reply.text), _sources(item.no_reply.sources)))


def _words(text: str | None) -> str | None:
    return None if text is None else " ".join(text.split())


def _sources(refs: Iterable[Any]) -> tuple:
    """Sources as a set of (id, locator): their order is the page's citation order, not a change of content."""
    return tuple(sorted({(r.id, " ".join(r.locator.split()) if r.locator else None) for r in refs},
                        key=lambda p: (p[0], p[1] or "")))


def anchors_of(dossier: Dossier) -> tuple[str, ...]:
    """The element ids an entry of this dossier can be linked at on its page: its entries' ids and former ids,
    and its profile facts (the value of ``("anchors", id)``, which pages linking into it read)."""
    found = [anchors.profile(f.key) for f in dossier.profile]
    for item in (*dossier.claims, *dossier.events, *dossier.relationships):
        found += [item.id, *item.former_ids]
    return tuple(sorted(set(found)))


def group(item: Entry | Relationship) -> str:
    """Claims and events share ids (one may become the other); relationships have their own."""
    return "relationship" if isinstance(item, Relationship) else "entry"


def digest(value: Any) -> str:
    """A stable digest of a value, positions excluded (fields declared with compare=False), the same in
    every process: what the cache keeps to tell whether a value changed since the last commit."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, value)
    return h.hexdigest()


def _feed(h: Any, value: Any) -> None:
    if value is None or isinstance(value, (bool, int, float)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(f"{type(value).__name__}:{len(data)}:".encode())
        h.update(data)
    elif isinstance(value, PartialDate):
        h.update(f"date:{value.iso()};".encode())
    elif isinstance(value, Dossier):
        _feed_dataclass(h, value, {"profile": tuple(sorted(value.profile, key=lambda f: f.key))})
    elif is_dataclass(value):
        _feed_dataclass(h, value, {})
    elif isinstance(value, Mapping):
        h.update(f"map:{len(value)}(".encode())
        for k in sorted(value, key=repr):
            _feed(h, k)
            _feed(h, value[k])
        h.update(b")")
    elif isinstance(value, (tuple, list, frozenset, set)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        h.update(f"seq:{len(items)}(".encode())
        for item in items:
            _feed(h, item)
        h.update(b")")
    else:
        raise TypeError(f"cannot digest a {type(value).__name__}")


def _feed_dataclass(h: Any, value: Any, replaced: dict[str, Any]) -> None:
    h.update(f"{type(value).__name__}(".encode())
    for f in fields(value):
        if f.compare:
            h.update(f.name.encode() + b"=")
            _feed(h, replaced.get(f.name, getattr(value, f.name)))
    h.update(b")")
