"""The page families, in the order their pages are written and their navigation entries shown.

A family is one module: its `Route`, template, navigation entry, settings,
codes, and a `pages(inputs)` generator (see `family.Family` and the recipe
in ARCHITECTURE.md). To add one: write its module and template, add one line.
"""
from __future__ import annotations

from . import about, companies, data, home, notfound, source, sources
from .family import Family

FAMILIES: tuple[Family, ...] = (
    home.FAMILY,
    companies.FAMILY,
    sources.FAMILY,
    source.FAMILY,
    data.FAMILY,
    about.FAMILY,
    notfound.FAMILY,
)
