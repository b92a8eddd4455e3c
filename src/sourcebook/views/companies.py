"""A company as cross-company pages head its group: name, native name, its page, and its entries.

Topic pages, their parts and sector pages group what they show by company,
each group under the company's name and native name with an id from the
anchor grammar (`group_<dossier>`), linking to the dossier.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import anchors
from ..model import Dossier, Entry
from ..reads import Reads
from ..urls import Target
from .citations import Numbering
from .entries import EntryView, entry_view


@dataclass(frozen=True)
class CompanyHead:
    id: str
    anchor: str                # group_<dossier> on this page
    heading: str               # its heading's id
    name: str
    native_name: str | None
    native_lang: str
    page: Target               # the dossier's page


def company_head(dossier: Dossier, reads: Reads) -> CompanyHead:
    anchor = anchors.group(dossier.id)
    return CompanyHead(dossier.id, anchor, anchors.heading(anchor), dossier.name, dossier.native_name,
                       dossier.native_lang, reads.inputs.target("company", dossier.id))


def claims_first(entries: Iterable[Entry]) -> tuple[list[Entry], list[Entry]]:
    """Claims as the dossier lists them within a topic (latest as_of first, ties in file order),
    then events as its timeline does (oldest first)."""
    entries = list(entries)
    claims = sorted((e for e in entries if e.kind == "claim"), key=lambda e: e.when.sort_key(), reverse=True)
    events = sorted((e for e in entries if e.kind == "event"), key=lambda e: (e.when.sort_key(), e.when.first_day()))
    return claims, events


def shown_elsewhere(entries: Iterable[Entry], numbering: Numbering, reads: Reads,
                    lang: str) -> tuple[EntryView, ...]:
    """Entries shown outside their dossier: foreign ids, this page's numbering."""
    return tuple(entry_view(e, anchors.foreign(e.dossier, e.id), numbering, reads, lang) for e in entries)
