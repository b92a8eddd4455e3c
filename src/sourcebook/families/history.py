"""The changes pages: ``changes/`` (the index) and ``changes/<YYYY-MM>/`` (one page per month).

They list the latest commits of the history (`changes.history`; at most
`changes_listed` of them, the setting), newest first, each summarised claim
by claim as `changes.compare` found it between the commit's first parent and
the commit. A month's URL names the month of the commit's date (UTC), so a
commit's place never moves; its element id is ``commit_<full id>``. Old texts
are shown as the words they were, never rendered as Markdown: a link in an
old revision may name a page that no longer exists. Commit messages are
contributed text, printed escaped, and refused (a placeholder) when they hold
control or bidirectional characters (`changes.replay.commit_of`). The pages
exist only where at least one commit is listed.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .. import anchors
from ..changes.history import Change, Commit
from ..changes.report import Cited, DossierReport, EntryReport, FieldChange, RecordReport
from ..reading import Field
from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, NavEntry, Page

INDEX = Route("changes/")
MONTH = Route("changes/{}/")
LISTED = Field("changes_listed", "positive-number", default=100, example="100",
               doc="How many of the latest commits that changed the dossiers folder the changes pages list "
                   "(`changes/`, one page per month), each summarised claim by claim; a commit's changes also "
                   "date its entries and join feed.xml. Dates come from the whole history whatever this says.")
LABELS = {"text": "Text", "value": "Value", "as_of": "As of", "date": "Date", "topic": "Topic", "tags": "Tags",
          "according_to": "According to", "no_reply": "No reply", "type": "Type", "target": "Company",
          "party": "Party", "standing": "Standing", "former_ids": "Former ids", "kind": "Kind",
          "permalink": "Permalink", "status": "Status", "name": "Name", "native_name": "Native name",
          "legal_name": "Legal name", "aliases": "Aliases", "sectors": "Sectors", "native_script": "Native script",
          "text_script": "Script of its texts", "title": "Title", "publisher": "Publisher", "url": "URL"}
KINDS = {"claim": "Claim", "event": "Event", "relationship": "Relationship", "profile fact": "Profile fact"}
GROUPS = {"claim": "entry", "event": "entry", "relationship": "relationship", "profile fact": "fact"}


@dataclass(frozen=True)
class Line:
    """One thing that changed: a label, then a value, or a word diff (runs of "=", "-", "+" and words)."""

    label: str
    text: str = ""
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EntryChange:
    anchor: str
    kind: str                  # "Claim", "Event", "Relationship", "Profile fact"
    id: str
    change: str                # "added", "changed", "renamed from x (its former_ids)", ...
    target: Target | None      # the entry on its dossier's page, while that page has it
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class DossierChange:
    anchor: str
    id: str
    name: str                  # as it was at the commit
    change: str                # "added", "removed", "changed"
    target: Target | None      # its page, while it exists
    lines: tuple[Line, ...]
    entries: tuple[EntryChange, ...]


@dataclass(frozen=True)
class RecordChange:
    anchor: str
    kind: str                  # "Source", "Party"
    id: str
    title: str
    change: str
    target: Target | None      # a source's page, while it exists
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class CommitView:
    anchor: str
    heading: str
    commit: Commit             # id, date (UTC), human(), subject, body; refused: a placeholder is the subject
    dossiers: tuple[DossierChange, ...]
    records: tuple[RecordChange, ...]
    about: Line | None
    unreadable: tuple[str, ...]   # files not compared at this commit (they do not read under today's format)
    empty: bool                   # nothing the site shows changed (formatting, comments)


@dataclass(frozen=True)
class Listed:
    """A commit as the index lists it."""

    target: Target
    commit: Commit
    dossiers: tuple[str, ...]  # the names of the dossiers it changed (as they were)


@dataclass(frozen=True)
class MonthLink:
    target: Target
    label: str
    commits: tuple[Listed, ...] = ()
    heading: str = ""          # its heading's id on the index


@dataclass(frozen=True)
class IndexView:
    months: tuple[MonthLink, ...]
    listed: int
    total: int
    window: int
    shallow: bool


@dataclass(frozen=True)
class MonthView:
    month: str
    label: str                 # "November 2026"
    commits: tuple[CommitView, ...]
    newer: MonthLink | None
    older: MonthLink | None
    index: Target
    cut: int                   # commits of this month older than the listed ones


def shown(inputs: Inputs) -> bool:
    return inputs.history.shown


def index_pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    history = reads.changes()
    months = tuple(MonthLink(inputs.target("changes-month", m), month_label(m),
                             tuple(Listed(inputs.target("changes-month", m, anchors.commit(c.commit.id)), c.commit,
                                          tuple(d.name for d in c.dossiers))
                                   for c in history.changes if c.commit.month == m),
                             anchors.heading(anchors.group(m)))
                   for m in history.months())
    view = IndexView(months, len(history.changes), history.total, history.window, history.shallow)
    yield Page(INDEX.path(), "changes", "changes.html", "Changes", view, reads,
               description=f"The latest {len(history.changes)} changes to the dossiers, claim by claim, by month.")


def month_pages(inputs: Inputs) -> Iterator[Page]:
    for month in inputs.history.months():
        reads = Reads(inputs)
        found = reads.month(month)
        existing = set(reads.dossier_ids())
        commits = tuple(commit_view(c, reads, existing) for c in found.changes)
        link = (lambda m: MonthLink(inputs.target("changes-month", m), month_label(m)) if m else None)
        view = MonthView(month, found.human(), commits, link(found.newer), link(found.older), inputs.target("changes"),
                         found.cut)
        yield Page(MONTH.path(month), "changes-month", "changes_month.html", f"Changes, {found.human()}", view, reads,
                   description=f"Changes to the dossiers in {found.human()}: {len(commits)} "
                               f"commit{'s' if len(commits) != 1 else ''}, claim by claim.")


def month_label(month: str) -> str:
    from ..changes.history import MONTHS
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


# --- one commit ---------------------------------------------------------------------------------

def commit_view(change: Change, reads: Reads, existing: set[str]) -> CommitView:
    commit = change.commit
    dossiers = tuple(_dossier(commit, d, reads, existing) for d in change.dossiers)
    records = tuple(_record(commit, r, reads) for r in (*change.sources, *change.parties))
    about = _field(change.about) if change.about else None
    return CommitView(anchors.commit(commit.id), anchors.heading(anchors.commit(commit.id)), commit, dossiers,
                      records, about, change.unreadable, change.empty)


def _dossier(commit: Commit, report: DossierReport, reads: Reads, existing: set[str]) -> DossierChange:
    here = report.id in existing
    now = set(reads.anchors(report.id)) if here else set()
    target = reads.inputs.target("company", report.id) if here else None
    entries = tuple(_entry(commit, report.id, e, now, target) for e in report.entries)
    return DossierChange(anchors.commit(commit.id, report.id), report.id, report.name, report.change, target,
                         tuple(_field(f) for f in report.fields), entries)


def _entry(commit: Commit, dossier: str, entry: EntryReport, now: set[str], page: Target | None) -> EntryChange:
    group = GROUPS.get(entry.kind, "entry")
    anchor_now = anchors.profile(entry.id) if entry.kind == "profile fact" else entry.id
    target = page.at(anchor_now) if page is not None and anchor_now in now else None
    change = entry.change
    if entry.change == "renamed":
        change = f"renamed from {entry.old_id} (its former ids)"
    elif entry.change == "possibly renamed":
        change = f"added, and {entry.old_id} removed, with the same content"
    return EntryChange(anchors.commit(commit.id, dossier, group, entry.id), KINDS.get(entry.kind, entry.kind),
                       entry.id, change, target, tuple(entry_lines(entry)))


def entry_lines(entry: EntryReport) -> Iterator[Line]:
    """What changed in one entry, line by line (the `diff` command's report, as a page shows it)."""
    if entry.change in ("added", "removed"):
        placement = [f"{LABELS.get(c.name, c.name).lower()} {c.new}" for c in entry.fields if c.name != "permalink"]
        if placement:
            yield Line("Filed", "; ".join(placement))
        if entry.text:
            yield Line("Value" if entry.kind == "profile fact" else "Text", entry.text)
        if entry.sources:
            yield Line("Sources", _cited(entry.sources))
        for c in entry.fields:
            if c.name == "permalink":
                yield Line("Permalink", c.new or "")
        return
    for c in entry.fields:
        yield _field(c)
    if entry.status:
        yield Line("Status", entry.status)
    if entry.sources_added:
        yield Line("Sources added", _cited(entry.sources_added))
    if entry.sources_removed:
        yield Line("Sources removed", _cited(entry.sources_removed))
    for c in entry.locators:
        yield Line(f"Locator of {c.name}", f"{c.old or '(none)'} → {c.new or '(none)'}")
    if entry.weaker:
        yield Line("Weaker sourcing", "; ".join(entry.weaker))
    for r in entry.responses_added:
        yield Line("Response added", r)
    for r in entry.responses_removed:
        yield Line("Response removed", r)


def _field(c: FieldChange) -> Line:
    label = LABELS.get(c.name, c.name)
    if c.words is not None:
        return Line(label, words=c.words.elided().runs)
    return Line(label, f"{c.old or '(none)'} → {c.new or '(none)'}")


def _cited(cited: Iterable[Cited]) -> str:
    return ", ".join(f"{c.id} ({c.locator})" if c.locator else c.id for c in cited)


def _record(commit: Commit, record: RecordReport, reads: Reads) -> RecordChange:
    target = None
    if record.kind == "source" and record.change != "removed":
        target = reads.inputs.target("source", record.id) if record.id in reads.source_ids() else None
    return RecordChange(anchors.commit(commit.id, record.kind, record.id), record.kind.capitalize(), record.id,
                        record.title, record.change, target, tuple(_field(f) for f in record.fields))


INDEX_FAMILY = Family("changes", INDEX, "changes.html", index_pages, nav=NavEntry("Changes", "changes", INDEX.target()),
                      shown=shown, settings=(LISTED,))
MONTH_FAMILY = Family("changes-month", MONTH, "changes_month.html", month_pages, shown=shown)
