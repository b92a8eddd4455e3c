"""What the build produces, one file at a time, for a destination to write."""
from __future__ import annotations

from dataclasses import dataclass

from .urls import Target


@dataclass(frozen=True)
class Output:
    path: str                          # POSIX path inside the site, e.g. "companies/dji/index.html"
    data: bytes
    targets: tuple[Target, ...] = ()   # every internal link the file holds, for the link check
    verbatim: bool = False             # copied as it is (an extra file): the link check notes only that it exists
