"""The link check: every internal link a file holds names a file and an anchor the build writes,
and no page holds one element id twice.

`LinkCheck.watch` passes files through on their way to their destination,
keeping only each page's anchors and links; `problems()` runs before the
new tree is swapped in, so a template mistake fails the build (exit 1)
instead of publishing broken links, without holding every page in memory.
Links are the targets each page asked `urls.PageUrls` for, so nothing that
links — navigation, wiki-links, source cards, static files — escapes it.

`FileLinks` checks a tree that is read from ``file://`` (the offline copy)
the way a browser follows it there: links are read from each page's own
``href`` and ``src`` attributes, so a link the offline rewrite missed is
seen, and each must name a file the tree holds, never a folder.
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator

from .output import Output
from .problems import Code, Pos, Problem
from .urls import Target

OUTPUT_INTEGRITY = Code("output-integrity", "a page links to a file or anchor the build does not write")
DUPLICATE_ANCHOR = Code("duplicate-anchor", "a page holds the same element id twice")
CODES = (OUTPUT_INTEGRITY, DUPLICATE_ANCHOR)
_ID = re.compile(rb'\sid="([^"]+)"')
_PAGE_SUFFIXES = (".html", ".xml", ".svg")
# Double or single quotes: a theme that single-quotes an href escapes the offline rewrite, and so is caught here.
_ATTRIBUTE = re.compile(rb"""\s(id|href|src)=(?:"([^"]*)"|'([^']*)')""")
# The same, fast: patterns that start with a literal are found by a byte search, seven times faster than one
# that starts with \s over every byte of every page. Pages that write these attributes any other way (after a
# line break or a tab, single-quoted) take _ATTRIBUTE.
_FAST = tuple(re.compile(rb' %s="([^"]*)"' % name) for name in (b"id", b"href", b"src"))
_NAMES = (b"id=", b"href=", b"src=")
_EXTERNAL = re.compile(rb"[A-Za-z][A-Za-z0-9+.-]*:|//")


class LinkCheck:
    def __init__(self) -> None:
        self.anchors: dict[str, frozenset[bytes]] = {}
        self.links: dict[str, tuple[Target, ...]] = {}
        self.duplicates: list[Problem] = []

    def watch(self, outputs: Iterable[Output]) -> Iterator[Output]:
        for output in outputs:
            self.see(output)
            yield output

    def see(self, output: Output) -> None:
        page = output.path.endswith(_PAGE_SUFFIXES) and not output.verbatim
        self._record(output.path, _ID.findall(output.data) if page else [], output.targets)

    def _record(self, path: str, ids: list[bytes], targets: tuple[Target, ...]) -> None:
        unique = frozenset(ids)
        if len(unique) != len(ids):
            seen: set[bytes] = set()
            twice = sorted({i.decode() for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
            self.duplicates.append(Problem(Pos(path), DUPLICATE_ANCHOR,
                                           f"{self._prefix}holds the id{'s' if len(twice) > 1 else ''} "
                                           f"{', '.join(repr(t) for t in twice[:5])} more than once"))
        self.anchors[path] = unique
        if targets:
            self.links[path] = targets

    def problems(self) -> list[Problem]:
        problems = list(self.duplicates)
        for page, links in self.links.items():
            for target in sorted(set(links), key=lambda t: (t.path, t.fragment)):
                if target.path not in self.anchors:
                    problems.append(Problem(Pos(page), OUTPUT_INTEGRITY, self._missing(target.path)))
                elif target.fragment and target.fragment.encode() not in self.anchors[target.path]:
                    problems.append(Problem(Pos(page), OUTPUT_INTEGRITY, f"{self._prefix}links to '{target.path}#"
                                            f"{target.fragment}', but that page has no such anchor"))
        return problems

    _prefix = ""

    def _missing(self, path: str) -> str:
        return f"links to '{path}', which the build does not write"


class FileLinks(LinkCheck):
    """The links of a tree read from file://, parsed from its pages; each must name a file it holds."""

    def __init__(self, tree: str) -> None:
        super().__init__()
        self.tree = tree                    # what messages call it: "the offline copy"
        self._prefix = f"in {tree}, "
        self.found: list[Problem] = []     # found while reading pages: folders, links outside, page fragments
        self._resolved: dict[tuple[object, str], str | None] = {}

    def see(self, output: Output) -> None:
        if not output.path.endswith(".html") or output.verbatim:   # an extra file: only that it exists
            super().see(output)
            return
        ids, hrefs = _ids_and_links(output.data)
        here = {h[1:] for h in hrefs if h.startswith(b"#")}   # most links: checked as a set, below
        self._record(output.path, ids, tuple(self._links(output.path, hrefs)))
        for fragment in sorted(here - self.anchors[output.path] - {b""}):
            self.found.append(Problem(Pos(output.path), OUTPUT_INTEGRITY, f"{self._prefix}links to "
                                        f"'#{fragment.decode()}', but the page has no such anchor"))

    def problems(self) -> list[Problem]:
        return self.found + super().problems()

    def _missing(self, path: str) -> str:
        return f"{self._prefix}links to '{path}', which it does not hold"

    def _links(self, page: str, hrefs: Iterable[bytes]) -> Iterator[Target]:
        folder = page.split("/")[:-1]
        climb = "../" * len(folder)
        for raw in hrefs:
            if not raw or raw.startswith(b"#") or _EXTERNAL.match(raw):
                continue
            path, _, fragment = raw.decode("utf-8", "replace").partition("#")
            # A link that climbs to the root (most: navigation, source cards, static files) names the same
            # file from every page at its depth, so it is resolved once per depth.
            key = (len(folder), path) if path.startswith(climb) else (page, path)
            if key not in self._resolved:
                self._resolved[key] = self._resolve(folder, path, page)
            resolved = self._resolved[key]
            if resolved is not None:
                yield Target(resolved, fragment)

    def _resolve(self, folder: list[str], path: str, page: str) -> str | None:
        """The file a relative link names from a page in `folder`, or None (and a problem)."""
        if path.endswith("/") or path in (".", ".."):
            self.found.append(Problem(Pos(page), OUTPUT_INTEGRITY, f"{self._prefix}links to '{path}', a folder: "
                                      "read from file://, a link must name a file (its index.html)"))
            return None
        up = 0
        while path.startswith("../", 3 * up):
            up += 1
        rest = path[3 * up:]
        if "./" in rest or rest.endswith("/."):   # not how urls.relative spells links; resolve it the long way
            rest = posixpath.normpath(rest)
        if up > len(folder) or rest == ".." or rest.startswith("../"):
            self.found.append(Problem(Pos(page), OUTPUT_INTEGRITY,
                                      f"{self._prefix}links to '{path}', outside the tree"))
            return None
        return "/".join([*folder[: len(folder) - up], rest])


def _ids_and_links(page: bytes) -> tuple[list[bytes], set[bytes]]:
    """A page's element ids (in order, repeats kept) and the distinct values of its href and src attributes."""
    found = [pattern.findall(page) for pattern in _FAST]
    if any(page.count(name) != len(values) for name, values in zip(_NAMES, found)):  # written some other way
        ids: list[bytes] = []
        links: set[bytes] = set()
        for attribute, double, single in _ATTRIBUTE.findall(page):
            value = double or single
            if attribute != b"id":
                links.add(value)
            elif value:
                ids.append(value)
        return ids, links
    ids_found, hrefs, srcs = found
    return [i for i in ids_found if i], {*hrefs, *srcs}
