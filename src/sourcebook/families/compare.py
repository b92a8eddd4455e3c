"""The comparison (``compare/``): the companies against the key facts the `compare` setting declares.

A cell is filled only by entries that *establish* the fact (their
`establishes` field; a tag never fills a cell). A filled cell gives the
earliest date among them and links every establishing entry to its permalink,
with its citations (numbered for this page); support that is contested,
unanswered, unconfirmed, only reported or ended says so in words. An empty
cell says "No sourced claim": the site has no source for it, which is not
the same as "no".
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import anchors
from ..dates import When
from ..model import Dossier, Entry, Relationship
from ..reading import Field
from ..reads import Inputs, Reads
from ..urls import Route, Target
from ..views.citations import Citation, Numbering, Reference, backlink_label
from ..views.companies import CompanyHead, company_head
from .family import Family, NavEntry, Page

ROUTE = Route("compare/")
FACTS = Field("compare", "vocabulary", default={
    "entity-list": "Entity List", "fcc-covered-list": "FCC Covered List", "ndaa-889": "NDAA section 889",
    "dod-1260h": "Pentagon 1260H list", "ns-cmic": "NS-CMIC list", "state-ownership": "State ownership",
    "xinjiang": "Xinjiang allegations", "listing": "Stock listing",
}, example='{ entity-list = "Entity List" }',
    doc="The comparison page's key facts, id = label, in column order; an entry fills a cell by naming the "
        "fact's id in its `establishes` field.")
# How a cell says an entry's standing in words (claims and events: `Entry.mark`; relationships: status, standing).
STANDING_WORDS = {
    "contested": "contested", "unanswered": "an allegation not answered on the record",
    "unconfirmed": "unconfirmed", "reported": "reported, not shown to have happened", "ended": "ended",
}


@dataclass(frozen=True)
class Support:
    """One entry that establishes a fact: linked to its permalink, with its citations."""

    target: Target
    kind: str                  # "claim", "event", "relationship"
    label: str                 # the start of its words
    when: When | None
    standing: tuple[str, ...]  # words for a contested, unconfirmed, reported... entry; () when established
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Cell:
    fact: str
    label: str                 # the fact's label, for the cell's accessible name
    earliest: When | None      # the date of the earliest supporting entry (None: none is dated)
    earliest_claim: bool       # ... which is a claim's as_of ("as of May 2019"), not an event's date
    support: tuple[Support, ...]   # () for an empty cell
    qualified: bool            # every supporting entry is contested, unconfirmed, reported or ended


@dataclass(frozen=True)
class Row:
    head: CompanyHead
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CompareView:
    facts: tuple[tuple[str, str], ...]   # (id, label), in column order
    rows: tuple[Row, ...]
    filled: int
    references: tuple[Reference, ...]


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    facts = tuple(reads.vocabulary("compare").items())
    numbering = Numbering(reads)
    rows = tuple(_row(reads.dossier(d), facts, numbering, reads) for d in reads.dossier_ids())
    filled = sum(1 for row in rows for cell in row.cells if cell.support)
    yield Page(ROUTE.path(), "compare", "compare.html", "Compare", CompareView(facts, rows, filled,
                                                                                  numbering.references()), reads,
               description="The companies side by side against key facts (US lists, state ownership, Xinjiang, "
                           "listings); each filled cell cites the entries that establish it.")


def _row(dossier: Dossier, facts: tuple[tuple[str, str], ...], numbering: Numbering, reads: Reads) -> Row:
    cells = []
    items: list[Entry | Relationship] = [*dossier.claims, *dossier.events, *dossier.relationships]
    for fact, label in facts:
        found = sorted((item for item in items if fact in item.establishes), key=_earliest_first)
        support = tuple(_support(item, fact, numbering, reads) for item in found)
        dated = [s for s in support if s.when is not None]
        cells.append(Cell(fact, label, dated[0].when if dated else None, bool(dated) and dated[0].kind == "claim",
                          support, bool(support) and all(s.standing for s in support)))
    return Row(company_head(dossier, reads), tuple(cells))


def _when(item: Entry | Relationship) -> When | None:
    return item.when if isinstance(item, Entry) else item.as_of


def _earliest_first(item: Entry | Relationship) -> tuple[int, tuple[int, int, int]]:
    """By the first day a support's date can mean; undated support (a relationship without as_of) last."""
    when = _when(item)
    return (0, when.first_day()) if when else (1, (0, 0, 0))


def _support(item: Entry | Relationship, fact: str, numbering: Numbering, reads: Reads) -> Support:
    anchor = anchors.support(item.dossier, item.id, fact)
    if isinstance(item, Entry):
        label = backlink_label(item.text, item.id, reads.name)
        standing = (STANDING_WORDS[item.mark],) if item.mark else ()
        kind = item.kind
    else:
        types = reads.vocabulary("relationship_types")
        other = reads.name(item.target) if item.target else reads.party_name(item.party or "")
        label = backlink_label(item.text, f"{types.get(item.type, item.type)}: {other}", reads.name)
        standing = tuple(STANDING_WORDS[w] for w in (item.standing, item.status) if w in STANDING_WORDS)
        kind = "relationship"
    target = reads.inputs.target("company", item.dossier, item.id)
    return Support(target, kind, label, _when(item), standing, numbering.cite(item.sources, anchor, label))


FAMILY = Family("compare", ROUTE, "compare.html", pages, nav=NavEntry("Compare", "compare", ROUTE.target()),
                settings=(FACTS,))
