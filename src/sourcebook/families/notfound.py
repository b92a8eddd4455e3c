"""The page a host serves for a missing path (``404.html``), at any depth.

GitHub Pages, Netlify and Cloudflare Pages serve a site's ``404.html`` by
themselves; S3's website endpoint and nginx are told to (README). The host
sends the same bytes for ``/dossiers/no/such/page/`` as for ``/nope``, so
no relative link could be right in it: its links are rooted
(`urls.rooted`), starting at the base URL's path, or at ``/`` without
``base_url`` (right only when the site is at a host's root). It is
``noindex`` and not in the sitemap. Its view holds no Markdown, whose shared
fragments link relatively.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..reads import Inputs, Reads
from ..urls import Route, Target
from .family import Family, Page

ROUTE = Route("404.html")


@dataclass(frozen=True)
class NotFoundView:
    heading: str
    lead: str
    companies_label: str
    companies: tuple[tuple[Target, str], ...]   # every company's page, by name
    sources: tuple[Target, str]                 # the sources index


def pages(inputs: Inputs) -> Iterator[Page]:
    reads = Reads(inputs)
    companies = tuple((inputs.target("company", d), reads.name(d)) for d in reads.dossier_ids())
    view = NotFoundView("Page not found", "There is no page at this address. It may have moved, or the link "
                        "that led here may be mistyped. Every company on this site has a page of its own:",
                        "Companies", companies, (inputs.target("sources"), "All sources"))
    yield Page(ROUTE.path(), "notfound", "404.html", view.heading, view, reads, error_page=True)


FAMILY = Family("notfound", ROUTE, "404.html", pages)
