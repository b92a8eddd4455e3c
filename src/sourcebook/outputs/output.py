"""What a non-page output is: a named generator of files, registered in `outputs.OUTPUTS`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..output import Output
from ..problems import Code
from ..reads import Inputs
from ..render import PageRecord
from ..theme import Theme
from ..urls import Flavour


@dataclass(frozen=True)
class Build:
    """What an output may use: the inputs, the theme, how links are written, and the pages.

    Outputs run after every page is rendered, so `records` lists every page
    (path, family, what it read) by then: a sitemap reads it.
    """

    inputs: Inputs
    theme: Theme
    flavour: Flavour
    records: list[PageRecord]
    # What an output keeps between its run for the hosted tree and its run for the offline copy, under
    # its own name: work that does not depend on `flavour` (the two runs share this dict).
    shared: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class NonPage:
    """A named generator of files. `flavoured`: its bytes may depend on `Build.flavour` (how links name
    pages), so the offline copy runs it again with the offline flavour; False: the offline copy takes the
    hosted files as they are. True is the safe default for a new output."""

    name: str
    files: Callable[[Build], Iterator[Output]]
    codes: tuple[Code, ...] = ()
    flavoured: bool = True
