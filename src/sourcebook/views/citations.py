"""Citations, numbered per page in the order a reader first meets each source.

A `Numbering` belongs to one page: `cite` turns an entry's source refs into
`Citation` markers (each with its element id from the anchor grammar), and
`references` lists each source once with every place that cites it, for the
page's reference list. The same claim shown on two pages gets each page's
numbers; its source ids and locators stay the same (tests compare them).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import anchors
from ..model import SourceRef
from ..reads import Reads
from ..text import Text, plain, snippet
from ..families.source import SourceCard, source_card  # the card is the source family's


@dataclass(frozen=True)
class Citation:
    number: int           # the source's number in this page's reference list
    source_id: str
    title: str            # for the marker's tooltip
    locator: str | None
    marker: str           # the marker's element id, for the way back from the reference
    reference: str        # the reference's element id (ref_<n>)
    label: str            # what cites it, as the reference list names it
    lang: str = "zh"      # the language tag of Chinese runs in that label (the citing text's)


@dataclass(frozen=True)
class Reference:
    number: int
    anchor: str
    card: SourceCard
    uses: tuple[Citation, ...]


BACKLINK_CHARS = 60


class Numbering:
    def __init__(self, reads: Reads) -> None:
        self.reads = reads
        self.numbers: dict[str, int] = {}
        self.uses: dict[str, list[Citation]] = {}
        self.cards: dict[str, SourceCard] = {}

    def cite(self, refs: Iterable[SourceRef], anchor: str, label: str, lang: str = "zh") -> tuple[Citation, ...]:
        out = []
        for k, ref in enumerate(refs, 1):
            number = self.numbers.get(ref.id)
            if number is None:
                number = self.numbers[ref.id] = len(self.numbers) + 1
                self.cards[ref.id] = source_card(self.reads, ref.id)
                self.uses[ref.id] = []
            citation = Citation(number, ref.id, self.cards[ref.id].title, ref.locator, anchors.cite(anchor, k),
                                anchors.ref(number), label, lang)
            self.uses[ref.id].append(citation)
            out.append(citation)
        return tuple(out)

    def references(self) -> tuple[Reference, ...]:
        return tuple(Reference(n, anchors.ref(n), self.cards[sid], tuple(self.uses[sid]))
                     for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1]))


def backlink_label(text: Text | None, fallback: str, name=lambda i: i) -> str:
    """How a reference names a place that cites it: the start of that place's words."""
    words = plain(text, name) if text is not None else ""
    return snippet(words, BACKLINK_CHARS) if words else fallback


def fact_label(field: str, value: Text, name=lambda i: i) -> str:
    """How a reference names a profile fact citing it: the field and the start of its value
    ("Founded: 1987"), so a reader sees what the source is cited for, not only where."""
    return f"{field}: {backlink_label(value, '', name)}".rstrip(": ")
