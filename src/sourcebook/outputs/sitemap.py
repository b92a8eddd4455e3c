"""``sitemap.xml`` (the Sitemaps protocol, sitemaps.org 0.9): every page's absolute URL, for crawlers.

Written only with ``base_url``: the protocol wants absolute URLs. Every page
is listed, in the order pages are written, but those that are not indexed
(404.html); links name folders, as the pages' canonical links do. A site of
more than `MAX_URLS` pages (or `MAX_BYTES` in one file) gets
``sitemap-1.xml``, ``sitemap-2.xml``... and ``sitemap.xml`` becomes their
index, as the protocol asks.

``<lastmod>`` comes from `Build.modified` (the page's last change, which the
history issue will read from git) and is left out wherever that is not known:
never the build's own clock, which would tell crawlers every page changed at
every build. No ``changefreq`` or ``priority``: crawlers ignore both.
"""
from __future__ import annotations

from collections.abc import Iterator
from xml.sax.saxutils import escape

from ..output import Output
from ..urls import Target, absolute
from .output import Build, NonPage

PATH = "sitemap.xml"
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000          # the protocol's limits for one file
MAX_BYTES = 50 * 1024 * 1024


def files(build: Build) -> Iterator[Output]:
    base_url = build.inputs.settings.base_url
    if base_url is None:
        return
    pages = [r for r in build.records if r.indexed]
    entries = [_url(absolute(base_url, Target(r.path)), build.modified(r)) for r in pages]
    parts = list(_parts(entries))
    if len(parts) == 1:
        yield Output(PATH, _document("urlset", entries), tuple(Target(r.path) for r in pages))
        return
    names = [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    start = 0
    for name, part in zip(names, parts):
        yield Output(name, _document("urlset", part), tuple(Target(r.path) for r in pages[start:start + len(part)]))
        start += len(part)
    yield Output(PATH, _document("sitemapindex", [_sitemap(base_url + name) for name in names]),
                 tuple(Target(name) for name in names))


def _url(loc: str, lastmod: str | None) -> bytes:
    # Escaped by hand rather than through ElementTree: one line per page, and a tenth of the time.
    when = f"<lastmod>{escape(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(loc)}</loc>{when}</url>".encode("utf-8")


def _sitemap(loc: str) -> bytes:
    return f"<sitemap><loc>{escape(loc)}</loc></sitemap>".encode("utf-8")


def _parts(entries: list[bytes]) -> Iterator[list[bytes]]:
    """Entries in runs that each fit one file (count and bytes); one run, perhaps empty, at least."""
    part: list[bytes] = []
    size = len(_document("urlset", []))
    for entry in entries:
        if part and (len(part) == MAX_URLS or size + len(entry) + 1 > MAX_BYTES):
            yield part
            part, size = [], len(_document("urlset", []))
        part.append(entry)
        size += len(entry) + 1
    yield part


def _document(root: str, children: list[bytes]) -> bytes:
    body = b"".join(child + b"\n" for child in children)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            + f'<{root} xmlns="{NAMESPACE}">\n'.encode() + body + f"</{root}>\n".encode())


OUTPUT = NonPage("sitemap", files, flavoured=False)  # absolute URLs only, whatever the flavour
