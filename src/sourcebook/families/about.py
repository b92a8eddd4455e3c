"""The About page (``about/``), from the dossiers folder's optional about.md."""
from __future__ import annotations

from collections.abc import Iterator

from ..model import Corpus
from ..reads import Inputs, Reads
from ..text import plain, snippet
from ..urls import Route
from .family import Family, NavEntry, Page

ROUTE = Route("about/")
DESCRIPTION_CHARS = 200  # search engines show about 160 characters of a description; cards a little more


def has_about(corpus: Corpus) -> bool:
    return corpus.about is not None


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    about = reads.about()
    if about is not None:
        yield Page(ROUTE.path(), "about", "about.html", "About", about, reads, inputs.corpus.about_pos,
                   snippet(plain(about, reads.name), DESCRIPTION_CHARS))


FAMILY = Family("about", ROUTE, "about.html", pages, nav=NavEntry("About", "about", ROUTE.target()),
                shown=has_about)
