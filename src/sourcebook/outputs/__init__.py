"""The outputs that are not pages, in the order they are written: one module each, registered here."""
from __future__ import annotations

from . import data, feed, robots, search, sitemap, static
from .output import NonPage

OUTPUTS: tuple[NonPage, ...] = (
    static.OUTPUT,
    search.OUTPUT,
    data.OUTPUT,
    sitemap.OUTPUT,
    robots.OUTPUT,
    feed.OUTPUT,
)
