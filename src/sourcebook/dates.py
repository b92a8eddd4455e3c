"""Dates as dossiers give them: known to the year, the month or the day; and periods.

A `When` is a date, a period ``START..END``, or an open period: ``..2019``
(until 2019: ended by then, start unknown) or ``2019..`` (since 2019,
ongoing). Sorting ("a period sorts by its end") uses `When.sort_key`: the
last day the end can mean; an ongoing period, whose end is not known, sorts
by its start, the one date it gives. No clock is ever read.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .problems import shown

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
DATE_PATTERN = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
WHEN_PATTERN = rf"{DATE_PATTERN}(?:\.\.(?:{DATE_PATTERN})?)?|\.\.{DATE_PATTERN}"
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse YYYY, YYYY-MM or YYYY-MM-DD; ValueError says what is wrong."""
        m = _DATE.fullmatch(text)
        if m is None:
            raise ValueError(f"'{shown(text)}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{shown(text)}' has month {month:02d}; months run 01 to 12")
        if day is not None:
            last = calendar.monthrange(year, month)[1]  # type: ignore[arg-type]
            if not 1 <= day <= last:
                raise ValueError(f"'{shown(text)}' is not a date: {MONTHS[month - 1]} {year} "  # type: ignore[operator]
                                 f"has {last} days")
        return cls(year, month, day)

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def human(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"  # type: ignore[operator]
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def last_day(self) -> tuple[int, int, int]:
        """The latest day this date can mean: what sorting by 'end' uses."""
        month = self.month or 12
        return (self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def first_day(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)


@dataclass(frozen=True)
class When:
    """A date (start == end), a period, or an open period (start or end None, never both)."""

    start: PartialDate | None
    end: PartialDate | None

    @classmethod
    def parse(cls, text: str) -> "When":
        text = text.strip()
        if ".." not in text:
            date = PartialDate.parse(text)
            return cls(date, date)
        first, _, last = (part.strip() for part in text.partition(".."))
        if not first and not last:
            raise ValueError("'..' needs a date on at least one side: '..2019' (until) or '2019..' (since)")
        start = PartialDate.parse(first) if first else None
        end = PartialDate.parse(last) if last else None
        if start and end and end.last_day() < start.first_day():
            raise ValueError(f"period '{shown(text)}' ends before it starts")
        return cls(start, end)

    @property
    def is_period(self) -> bool:
        return self.start != self.end

    @property
    def is_open(self) -> bool:
        return self.start is None or self.end is None

    def sort_key(self) -> tuple[int, int, int]:
        """The end's last day; an ongoing period ('2019..') sorts by its start."""
        if self.end is not None:
            return self.end.last_day()
        assert self.start is not None
        return self.start.first_day()

    def first_day(self) -> tuple[int, int, int]:
        """For ties: the earliest day the value can mean (an 'until' period: its end's first day)."""
        date = self.start or self.end
        assert date is not None
        return date.first_day()

    def datetime(self) -> str:
        """The one date an HTML <time datetime> can carry: the start, or the end when open-started."""
        date = self.start or self.end
        assert date is not None
        return date.iso()

    def iso(self) -> str:
        if not self.is_period:
            return self.start.iso()  # type: ignore[union-attr]
        return f"{self.start.iso() if self.start else ''}..{self.end.iso() if self.end else ''}"

    def human(self) -> str:
        if self.start is None:
            return f"until {self.end.human()}"  # type: ignore[union-attr]
        if self.end is None:
            return f"since {self.start.human()}"
        if not self.is_period:
            return self.start.human()
        return f"{self.start.human()} to {self.end.human()}"

    def phrase(self, prefix: str = "") -> str:
        """How a page introduces it: "As of May 2019" (with prefix "As of"), but "Until 2019" and
        "Since 2021" for open periods, which carry their own word."""
        if self.is_open:
            words = self.human()
            return words[0].upper() + words[1:] if prefix[:1].isupper() or not prefix else words
        return f"{prefix} {self.human()}".strip()

    def as_json(self) -> dict[str, str | None]:
        return {"start": self.start.iso() if self.start else None, "end": self.end.iso() if self.end else None}
