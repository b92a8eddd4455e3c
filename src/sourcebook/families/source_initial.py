"""The sources of one kind whose titles start with one letter (``sources/kinds/<kind>/<initial>/``):
written only for a kind with more sources than `sources_page_size` (see `sources`)."""
from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..reads import Inputs, Reads
from ..urls import Route
from .family import Family, Page
from .sources import SourceGroup, SourcesView, initial_label, is_split, listed

ROUTE = Route("sources/kinds/{}/{}/")
INITIAL_WORDS = {"0-9": "a digit", "other": "neither a letter A\u2013Z nor a digit"}


def pages(inputs: Inputs) -> Iterator[Page]:
    for kind in inputs.settings.vocabulary("source_kinds"):
        letters = sorted({letter for letter, _ in inputs.indexes.source_kinds.get(kind, ())})
        for letter in letters:
            reads = Reads(inputs)
            members = reads.source_kind(kind)
            if not (is_split(len(reads.source_ids()), reads) and is_split(len(members), reads)):
                break
            label = reads.vocabulary("source_kinds")[kind]
            shown = [sid for first, sid in members if first == letter]
            anchor = anchors.group(letter)
            title = f"Sources: {label}, {initial_label(letter)}"
            group = SourceGroup(anchor, anchors.heading(anchor), initial_label(letter), listed(reads, shown), ())
            yield Page(ROUTE.path((kind, letter)), "source-initial", "sources.html", title,
                       SourcesView(title, f"The {len(shown)} sources of this kind whose titles start with "
                                   f"{INITIAL_WORDS.get(letter, letter.upper())}.", (f"Sources: {label}", inputs.target("source-kind", kind)), (group,)), reads)


FAMILY = Family("source-initial", ROUTE, "sources.html", pages)
