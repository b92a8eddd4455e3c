"""``feed.xml``: an Atom feed (RFC 4287) of the dossiers' dated events and of their changes, the latest first.

Written only with ``base_url`` (Atom ids and links are absolute), and only
when some dossier has an event or the history lists a change: a feed's
``updated`` must be a real date, and no clock is read. Every page's head
announces it (`NonPage.alternate`).

- *Entries*: the `MAX_ENTRIES` latest of the events over all dossiers and of
  the entry changes of the listed commits (`changes.history`: a claim, event,
  relationship or profile fact added, removed or changed by a commit), by
  `updated` (a feed is read for what is new; the timeline pages hold every
  event, the changes pages every listed change).
- *A change's id and link*: its place on the changes pages,
  ``<base_url>changes/<YYYY-MM>/#commit_<commit>_<dossier>_<group>_<entry>``,
  which never changes (a commit's month is its date's); *updated*: the
  commit's date (its committer date, UTC), which is exact; *title*: the
  company, what happened and the commit's subject; *summary*: what changed, as
  `diff` says it.
- *id*: the event's permalink, ``<base_url>companies/<dossier>/#<event>``:
  it never changes while base_url and the event's id do not (the review
  issue keeps ids through renames), and it is the entry's link as well.
- *updated*, from a date known to the year, month or day (`updated`): the
  date that sorts the event (its end; for an ongoing period, its start), at
  the first day it can mean, midnight UTC: ``2019`` -> 2019-01-01, ``2019-05``
  -> 2019-05-01, ``2019-05-16`` -> 2019-05-16, ``2011..2017`` -> 2017-01-01,
  ``..2019`` -> 2019-01-01, ``2019..`` -> 2019-01-01. The first day, not the
  last, so a date of this year or month never lies in the future.
- *title*: the company and the date as pages show them, then the start of the
  event's plain text (`text.plain`); *summary*: the whole plain text, after
  "Contested." or "Unconfirmed." where the entry says so, as its page does.
  Tags become categories.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from xml.etree import ElementTree

from .. import anchors
from ..changes.history import Change, History
from ..changes.report import DossierReport, EntryReport
from ..dates import When
from ..families.history import GROUPS, Line, entry_lines
from ..model import Corpus, Dossier, Entry
from ..output import Output
from ..reads import Inputs
from ..render import Alternate
from ..text import Name, plain, snippet
from ..urls import Target, absolute
from .output import Build, NonPage

PATH = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
TITLE_CHARS = 100


def updated(when: When) -> str:
    """The Atom date for a date or period known to the year, month or day (the rule above)."""
    date = when.end if when.end is not None else when.start
    assert date is not None
    year, month, day = date.first_day()
    return f"{year:04d}-{month:02d}-{day:02d}T00:00:00Z"


def latest(corpus: Corpus, limit: int = MAX_ENTRIES) -> list[tuple[Dossier, Entry]]:
    """The latest events, by `updated`; ties by dossier id, then by the order of the file."""
    events = [(d, e) for d in corpus.dossiers for e in d.events]  # dossiers are sorted by id
    return sorted(events, key=lambda pair: updated(pair[1].when), reverse=True)[:limit]


def changed(history: History) -> list[tuple[Change, DossierReport, EntryReport]]:
    """Every entry change of the listed commits, newest commit first, then in the report's order."""
    return [(c, d, e) for c in history.changes for d in c.dossiers for e in d.entries]


def alternate(inputs: Inputs) -> Alternate | None:
    if inputs.settings.base_url is None or not (any(d.events for d in inputs.corpus.dossiers)
                                                or changed(inputs.history)):
        return None
    return Alternate("application/atom+xml", f"{inputs.settings.title}: latest events and changes", Target(PATH))


def files(build: Build) -> Iterator[Output]:
    inputs = build.inputs
    if alternate(inputs) is None:
        return
    settings, base_url = inputs.settings, inputs.settings.base_url
    names = {d.id: d.name for d in inputs.corpus.dossiers}
    tags = settings.vocabulary("tags")
    made: list[tuple[str, Target, ElementTree.Element]] = []
    for dossier, event in latest(inputs.corpus):
        target = inputs.target("company", dossier.id, event.id)
        made.append((updated(event.when), target, _entry(dossier, event, absolute(base_url, target),
                                                         lambda d: names.get(d, d), tags)))
    for change, dossier, entry in changed(inputs.history)[:MAX_ENTRIES]:
        target = inputs.target("changes-month", change.commit.month, anchors.commit(
            change.commit.id, dossier.id, GROUPS.get(entry.kind, "entry"), entry.id))
        made.append((change.commit.date, target, _change(change, dossier, entry, absolute(base_url, target))))
    made = sorted(made, key=lambda m: m[0], reverse=True)[:MAX_ENTRIES]  # stable: ties keep their order
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": settings.language})
    _text(feed, "id", base_url + PATH)
    _text(feed, "title", settings.title)
    _text(feed, "subtitle", "The latest dated events in the dossiers and the latest changes to them, each with "
                            "its sources on its page.")
    _text(feed, "updated", made[0][0])
    ElementTree.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base_url + PATH})
    ElementTree.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": base_url})
    author = ElementTree.SubElement(feed, "author")
    _text(author, "name", settings.title)
    _text(author, "uri", base_url)
    _text(feed, "generator", "sourcebook")
    for _, _, entry in made:
        feed.append(entry)
    ElementTree.indent(feed)
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="utf-8") + b"\n"
    yield Output(PATH, data, tuple(target for _, target, _ in made))


def _change(change: Change, dossier: DossierReport, entry: EntryReport, permalink: str) -> ElementTree.Element:
    """An entry change: the company, what happened to which entry, the commit's subject; what changed."""
    element = ElementTree.Element("entry")
    _text(element, "id", permalink)
    _text(element, "title", snippet(f"{dossier.name}, {entry.kind} {entry.id} {entry.change}: "
                                    f"{change.commit.subject}", TITLE_CHARS))
    _text(element, "updated", change.commit.date)
    ElementTree.SubElement(element, "link", {"rel": "alternate", "type": "text/html", "href": permalink})
    lines = [f"{line.label}: {_words(line)}" for line in entry_lines(entry)]
    _text(element, "summary", f"{entry.kind.capitalize()} {entry.change} in {dossier.name} ({change.commit.human()}"
                              f"): " + ("; ".join(lines) if lines else change.commit.subject))
    return element


def _words(line: Line) -> str:
    """A line as text: a word diff as its removed words in [-…-] and added ones in {+…+}, as `diff` prints it."""
    if not line.words:
        return line.text
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in line.words)


def _entry(dossier: Dossier, event: Entry, permalink: str, name: Name,
           tags: Mapping[str, str]) -> ElementTree.Element:
    words = plain(event.text, name)
    entry = ElementTree.Element("entry")
    _text(entry, "id", permalink)
    _text(entry, "title", f"{dossier.name}, {event.when.human()}: {snippet(words, TITLE_CHARS)}")
    _text(entry, "updated", updated(event.when))
    ElementTree.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": permalink})
    _text(entry, "summary", f"{event.status.capitalize()}. {words}" if event.status else words)
    for tag in event.tags:
        ElementTree.SubElement(entry, "category", {"term": tag, "label": tags.get(tag, tag)})
    return entry


def _text(parent: ElementTree.Element, tag: str, value: str) -> None:
    ElementTree.SubElement(parent, tag, {"type": "text"} if tag in ("title", "subtitle", "summary") else {}
                           ).text = value


# Absolute URLs only (`urls.absolute` names folders whatever the flavour): the offline copy takes it as it is.
OUTPUT = NonPage("feed", files, alternate=alternate, flavoured=False)
