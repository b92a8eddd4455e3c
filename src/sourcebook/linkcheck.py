"""The link check: every internal link a file holds names a file and an anchor the build writes,
and no page holds one element id twice.

`LinkCheck.watch` passes files through on their way to their destination,
keeping only each page's anchors and links; `problems()` runs before the
new tree is swapped in, so a template mistake fails the build (exit 1)
instead of publishing broken links, without holding every page in memory.
Links are the targets each page asked `urls.PageUrls` for, so nothing that
links — navigation, wiki-links, source cards, static files — escapes it.
"""
from __future__ import annotations

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
        if output.path.endswith(_PAGE_SUFFIXES) and not output.verbatim:
            ids = _ID.findall(output.data)
            unique = frozenset(ids)
            if len(unique) != len(ids):
                seen: set[bytes] = set()
                twice = sorted({i.decode() for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
                self.duplicates.append(Problem(Pos(output.path), DUPLICATE_ANCHOR,
                                               f"holds the id{'s' if len(twice) > 1 else ''} "
                                               f"{', '.join(repr(t) for t in twice[:5])} more than once"))
            self.anchors[output.path] = unique
        else:
            self.anchors[output.path] = frozenset()
        if output.targets:
            self.links[output.path] = output.targets

    def problems(self) -> list[Problem]:
        problems = list(self.duplicates)
        for page, links in self.links.items():
            for target in sorted(set(links), key=lambda t: (t.path, t.fragment)):
                if target.path not in self.anchors:
                    problems.append(Problem(Pos(page), OUTPUT_INTEGRITY,
                                            f"links to '{target.path}', which the build does not write"))
                elif target.fragment and target.fragment.encode() not in self.anchors[target.path]:
                    problems.append(Problem(Pos(page), OUTPUT_INTEGRITY, f"links to '{target.path}#"
                                            f"{target.fragment}', but that page has no such anchor"))
        return problems
