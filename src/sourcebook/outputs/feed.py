"""``feed.xml``: an Atom feed (RFC 4287) of the dossiers' dated events, the latest first.

Written only with ``base_url`` (Atom ids and links are absolute), and only
when some dossier has an event: a feed's ``updated`` must be a real date, and
no clock is read. Every page's head announces it (`NonPage.alternate`).

- *Entries*: the `MAX_ENTRIES` latest events over all dossiers (a feed is
  read for what is new; the timeline pages hold every event). Claim changes
  join the feed with the history issue.
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

from ..dates import When
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


def alternate(inputs: Inputs) -> Alternate | None:
    if inputs.settings.base_url is None or not any(d.events for d in inputs.corpus.dossiers):
        return None
    return Alternate("application/atom+xml", f"{inputs.settings.title}: latest events", Target(PATH))


def files(build: Build) -> Iterator[Output]:
    inputs = build.inputs
    if alternate(inputs) is None:
        return
    settings, base_url = inputs.settings, inputs.settings.base_url
    events = latest(inputs.corpus)
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": settings.language})
    _text(feed, "id", base_url + PATH)
    _text(feed, "title", settings.title)
    _text(feed, "subtitle", "The latest dated events in the dossiers, each with its sources on its page.")
    _text(feed, "updated", updated(events[0][1].when))
    ElementTree.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": base_url + PATH})
    ElementTree.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": base_url})
    author = ElementTree.SubElement(feed, "author")
    _text(author, "name", settings.title)
    _text(author, "uri", base_url)
    _text(feed, "generator", "sourcebook")
    names = {d.id: d.name for d in inputs.corpus.dossiers}
    tags = settings.vocabulary("tags")
    targets = []
    for dossier, event in events:
        target = inputs.target("company", dossier.id, event.id)
        targets.append(target)
        feed.append(_entry(dossier, event, absolute(base_url, target), lambda d: names.get(d, d), tags))
    ElementTree.indent(feed)
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(feed, encoding="utf-8") + b"\n"
    yield Output(PATH, data, tuple(targets))


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
