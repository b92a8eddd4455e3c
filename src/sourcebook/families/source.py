"""Source pages (``sources/<id>/``): one per source, with everything on the site that cites it.
Also the source card, the way every reference list shows a source."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..dates import PartialDate
from ..model import AUTOLINKED
from ..reads import Inputs, Reads
from ..text import Text
from ..urls import Route, Target
from .family import Family, Page

ROUTE = Route("sources/{}/")


@dataclass(frozen=True)
class SourceCard:
    id: str
    page: Target
    title: str
    title_lang: str | None     # the title's language when it differs from the site's
    publisher: str
    author: str | None
    published: PartialDate | None
    kind: str
    kind_label: str
    url: str
    other_urls: tuple[str, ...]
    archive_url: str | None
    note: str | None
    accessed: PartialDate | None


def source_card(reads: Reads, source_id: str) -> SourceCard:
    s = reads.source(source_id)
    language = reads.setting("language")
    return SourceCard(s.id, reads.inputs.target("source", s.id), s.title,
                      s.language if s.language and s.language != language else None, s.publisher, s.author,
                      s.published, s.kind, reads.vocabulary("source_kinds").get(s.kind, s.kind), s.url,
                      s.other_urls, s.archive_url, s.note, s.accessed)


@dataclass(frozen=True)
class CitingView:
    target: Target      # the citing entry on its dossier's page
    dossier_name: str
    kind: str
    locator: str | None
    text: Text
    lang: str
    autolink: str | None  # a claim's, event's or response's text links other dossiers' names: whose text it is


@dataclass(frozen=True)
class SourceView:
    card: SourceCard
    citing: tuple[CitingView, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    for source in inputs.corpus.sources:
        reads = Reads(inputs)
        card = source_card(reads, source.id)
        citing = tuple(CitingView(inputs.target("company", c.dossier, c.anchor), c.dossier_name, c.kind, c.locator, c.text,
                                  c.lang, c.dossier if c.kind in AUTOLINKED else None)
                       for c in reads.citing(source.id))
        if any(c.autolink for c in citing):
            reads.aliases()  # those texts are matched against every dossier's names
        yield Page(ROUTE.path(source.id), "source", "source.html", source.title, SourceView(card, citing), reads,
                   source.pos, f"{source.title} ({source.publisher}): the source, and the {len(citing)} "
                   f"place{'s' if len(citing) != 1 else ''} on this site that cite it.")


FAMILY = Family("source", ROUTE, "source.html", pages)
