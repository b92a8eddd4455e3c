"""Cite this: every claim's permalink and a ready citation line, on every page that shows the claim.

The line names the company, the claim's words (`text.plain`, with its
attribution and its standing), its sources (publisher, title, date and the
locator cited), the site's title and the claim's address: absolute under
`base_url` when the setting is given, else site-relative
(``companies/dji/#entity-list-2020``). No access date is written at build time,
so the page stays byte-for-byte deterministic; the theme's ``cite.js`` adds
the reader's date when copying.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Entry
from ..reads import Reads
from ..text import plain
from ..urls import Target, published
from .citations import Citation, Numbering

MARK_WORDS = {"contested": "contested", "unanswered": "contested, unanswered", "unconfirmed": "unconfirmed"}


@dataclass(frozen=True)
class CiteThis:
    permalink: Target    # the claim on its dossier's page
    address: str         # how the line writes it: absolute under base_url, else site-relative
    line: str            # the citation, plain text


def cite_this(entry: Entry, company: str, citations: tuple[Citation, ...], numbering: Numbering,
              reads: Reads) -> CiteThis:
    permalink = reads.inputs.target("company", entry.dossier, entry.id)
    address = published(permalink, reads.setting("base_url"))
    when = f"as of {entry.when.human()}" if entry.kind == "claim" else entry.when.human()
    mark = f" ({MARK_WORDS[entry.mark]})" if entry.mark in MARK_WORDS else ""
    words = plain(entry.text, reads.name)
    if entry.according_to:
        words = f"According to {entry.according_to}: {words}"
    sources = "; ".join(_source(numbering, c) for c in citations)
    label = "Source" if len(citations) == 1 else "Sources"
    line = (f"{company}, {when}{mark}: \u201c{words}\u201d {label}: {sources}. "
            f"{reads.setting('title')}, {address}")
    return CiteThis(permalink, address, line)


def _source(numbering: Numbering, citation: Citation) -> str:
    card = numbering.cards[citation.source_id]
    parts = [card.publisher, f"\u201c{card.title}\u201d"]
    if card.published:
        parts.append(card.published.human())
    if citation.locator:
        parts.append(citation.locator)
    return ", ".join(parts)
