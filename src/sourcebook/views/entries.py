"""Claims and events as every page shows them: text, date, status, responses, tags, markers, cite this.

A page passes its own `Numbering` and the entry's anchor on that page (its
id on its dossier's page, `anchors.foreign` elsewhere), so the same entry
reads the same everywhere, numbered for the page it is on; and the anchors
of its former ids on that page, so links made before a rename still land on it.
Shown outside its dossier, an entry names its company and links to its
permalink there. Its texts (the entry's and its responses') are
automatically linked to other dossiers, so the view records the names
table (`Reads.aliases`).
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import anchors
from ..dates import When
from ..model import Entry
from ..reads import Reads
from ..text import Markdown
from ..urls import Target
from .citations import Citation, Numbering, backlink_label
from .cite import CiteThis, cite_this


@dataclass(frozen=True)
class ResponseView:
    anchor: str
    text: Markdown
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class NoReplyView:
    anchor: str
    text: Markdown | None      # None: "No reply is on record in the sources used"
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class EntryView:
    anchor: str
    kind: str                  # "claim" or "event"
    id: str
    when: When
    mark: str | None           # "contested", "unanswered", "unconfirmed" or None (model.Entry.mark)
    according_to: str | None
    text: Markdown
    citations: tuple[Citation, ...]
    responses: tuple[ResponseView, ...]
    no_reply: NoReplyView | None
    tags: tuple[str, ...]      # labels
    lang: str                  # the language tag of Chinese runs in its text
    dossier: str               # whose entry it is: its texts never link to that dossier automatically
    company: str               # that dossier's name
    company_page: Target       # that dossier's page
    permalink: Target          # the entry on its dossier's page
    foreign: bool              # shown outside its dossier (a topic page, the timeline, the comparison)
    cite: CiteThis
    former_anchors: tuple[str, ...] = ()  # its former ids' anchors on this page: old permalinks still land here


def entry_view(entry: Entry, anchor: str, numbering: Numbering, reads: Reads, lang: str = "zh",
               former_anchors: tuple[str, ...] = ()) -> EntryView:
    """The entry as shown with `anchor`: its own id on its dossier's page, a foreign id anywhere else."""
    name = reads.name
    reads.aliases()  # its texts are automatically linked against every dossier's names
    citations = numbering.cite(entry.sources, anchor, backlink_label(entry.text, entry.id, name))
    responses = []
    for i, response in enumerate(entry.responses, 1):
        response_anchor = anchors.response(anchor, i)
        label = "Response: " + backlink_label(response.text, f"response to {entry.id}", name)
        responses.append(ResponseView(response_anchor, response.text,
                                      numbering.cite(response.sources, response_anchor, label)))
    no_reply = None
    if entry.no_reply is not None:
        reply_anchor = anchors.reply(anchor)
        label = "No reply: " + backlink_label(entry.no_reply.text, f"no reply to {entry.id}", name)
        no_reply = NoReplyView(reply_anchor, entry.no_reply.text,
                               numbering.cite(entry.no_reply.sources, reply_anchor, label))
    tags = reads.vocabulary("tags")
    company = reads.name(entry.dossier)
    cite = cite_this(entry, company, citations, numbering, reads)
    return EntryView(anchor, entry.kind, entry.id, entry.when, entry.mark, entry.according_to, entry.text,
                     citations, tuple(responses), no_reply, tuple(tags.get(t, t) for t in entry.tags), lang,
                     entry.dossier, company, reads.inputs.target("company", entry.dossier), cite.permalink,
                     anchor != entry.id, cite, former_anchors)
