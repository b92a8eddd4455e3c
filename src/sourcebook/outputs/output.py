"""What a non-page output is: a named generator of files, registered in `outputs.OUTPUTS`."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..output import Output
from ..problems import Code
from ..reads import Inputs
from ..render import Alternate, PageRecord
from ..theme import Theme
from ..urls import Flavour

# When a page last changed, as a W3C date or datetime ("2024-05-01"), or None where that is not known.
Modified = Callable[[PageRecord], "str | None"]


def no_history(record: PageRecord) -> None:
    """Today's answer for every page: not known. The history issue supplies one from git, through the
    page's record (the keys it read), and the sitemap writes <lastmod> wherever it answers; the
    build's own clock is never an answer."""
    return None


@dataclass(frozen=True)
class Build:
    """What an output may use: the inputs, the theme, how links are written, and the pages.

    Outputs run after every page is rendered, so `records` lists every page
    (path, family, what it read, whether it is indexed) by then: the sitemap
    reads it. The site's address is `inputs.settings.base_url` (None: unset).
    """

    inputs: Inputs
    theme: Theme
    flavour: Flavour
    records: list[PageRecord]
    modified: Modified = no_history
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
    # How every page's head announces this output (a feed), when it is written this build; None: it is not.
    alternate: Callable[[Inputs], Alternate | None] = lambda inputs: None
