"""``robots.txt``: every crawler welcome, and where the sitemap is.

Written only with ``base_url``: its one job beyond allowing everything (which
no file at all also says) is the ``Sitemap:`` line, whose URL must be
absolute. Crawlers read robots.txt only at a host's root
(``https://example.org/robots.txt``), so under a sub-path it is read by
nobody: submit the sitemap to the search engines instead (README). An extra
file named robots.txt replaces this one.
"""
from __future__ import annotations

from collections.abc import Iterator

from ..output import Output
from . import sitemap
from .output import Build, NonPage

PATH = "robots.txt"


def files(build: Build) -> Iterator[Output]:
    base_url = build.inputs.settings.base_url
    if base_url is None:
        return
    yield Output(PATH, f"User-agent: *\nAllow: /\n\nSitemap: {base_url}{sitemap.PATH}\n".encode("utf-8"))


OUTPUT = NonPage("robots", files, flavoured=False)  # absolute URLs only, whatever the flavour
