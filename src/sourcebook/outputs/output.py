"""What a non-page output is: a named generator of files, registered in `outputs.OUTPUTS`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..output import Output
from ..problems import Code
from ..reads import Inputs
from ..render import PageRecord
from ..theme import Theme


@dataclass(frozen=True)
class Build:
    """What an output may use: the inputs, the theme, how links are written, and the pages.

    Outputs run after every page is rendered, so `records` lists every page
    (path, family, what it read) by then: a sitemap reads it.
    """

    inputs: Inputs
    theme: Theme
    flavour: str
    records: list[PageRecord]


@dataclass(frozen=True)
class NonPage:
    name: str
    files: Callable[[Build], Iterator[Output]]
    codes: tuple[Code, ...] = ()
