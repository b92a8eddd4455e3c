"""A kind of source (``sources/kinds/<kind>/``): written only when the sources index is split (see
`sources`); a kind with more sources than `sources_page_size` lists its initials instead."""
from __future__ import annotations

from collections.abc import Iterator

from .. import anchors
from ..reads import Inputs, Reads
from ..urls import Route
from .family import Family, Page
from .sources import Part, SourceGroup, SourcesView, initial_label, is_split, listed

ROUTE = Route("sources/kinds/{}/")


def pages(inputs: Inputs) -> Iterator[Page]:
    for kind in inputs.settings.vocabulary("source_kinds"):
        reads = Reads(inputs)
        if not is_split(len(reads.source_ids()), reads):
            return
        members = reads.source_kind(kind)
        if not members:
            continue
        label = reads.vocabulary("source_kinds")[kind]
        if is_split(len(members), reads):
            counts: dict[str, int] = {}
            for letter, _ in members:
                counts[letter] = counts.get(letter, 0) + 1
            groups = tuple(SourceGroup(anchors.group(letter), anchors.heading(anchors.group(letter)),
                                       initial_label(letter), (),
                                       (Part(initial_label(letter), inputs.target("source-initial", (kind, letter)),
                                             n),))
                           for letter, n in sorted(counts.items(), key=lambda kv: _order(kv[0])))
        else:
            anchor = anchors.group(kind)
            groups = (SourceGroup(anchor, anchors.heading(anchor), label, listed(reads, (s for _, s in members)), ()),)
        lead = f"The {len(members)} sources of this kind cited on this site."
        yield Page(ROUTE.path(kind), "source-kind", "sources.html", f"Sources: {label}",
                   SourcesView(f"Sources: {label}", lead, ("All sources", inputs.target("sources")), groups), reads)


def _order(initial: str) -> tuple[int, str]:
    """0-9 first, then a to z, then other."""
    return ({"0-9": 0, "other": 2}.get(initial, 1), initial)


FAMILY = Family("source-kind", ROUTE, "sources.html", pages)
