"""The legend: what each mark a page shows means, listed once near the top of every page that shows one.

A page lists only the marks it shows (contested, unanswered, unconfirmed,
reported, ended), in this order, so a reader is never taught a mark that is
not there. The meanings are the ones the marks' own notes give (templates'
`status_note` and `relationship_note`), shortened.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class LegendItem:
    mark: str      # the mark's name: the class the page's notes use (status-<mark>)
    label: str
    meaning: str


LEGEND = (
    LegendItem("contested", "Contested",
               "The parties disagree; the other side is given beside it, with its own sources."),
    LegendItem("unanswered", "Unanswered",
               "An allegation the other side has not answered on the record (a “No reply” note says so)."),
    LegendItem("unconfirmed", "Unconfirmed", "Found in a single weak or secondary source; not established."),
    LegendItem("reported", "Reported", "Talks or a planned deal, not shown to have been completed."),
    LegendItem("ended", "Ended", "A tie that no longer holds."),
)
MARKS = frozenset(item.mark for item in LEGEND)


def legend(marks: Iterable[str | None]) -> tuple[LegendItem, ...]:
    """The legend for a page showing `marks` (None and unknown words, such as "established", are ignored)."""
    shown = set(marks) & MARKS
    return tuple(item for item in LEGEND if item.mark in shown)

