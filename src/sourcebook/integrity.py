"""Output integrity: every link a page asked `urls` for names a file and an anchor that exist.

`LinkCheck.watch` passes rendered files through on their way to disk,
keeping only each file's anchors and links; `problems()` then runs before
the new tree is swapped in, so a template mistake fails the build (exit 1)
instead of publishing broken links, without holding every page in memory.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .problems import Pos, Problem
from .render import Output

_ID = re.compile(rb'\sid="([^"]+)"')


class LinkCheck:
    def __init__(self) -> None:
        self.anchors: dict[str, frozenset[bytes]] = {}
        self.links: dict[str, tuple[tuple[str, str], ...]] = {}

    def watch(self, outputs: Iterable[Output]) -> Iterator[Output]:
        for output in outputs:
            is_page = output.path.endswith((".html", ".xml", ".svg"))
            self.anchors[output.path] = frozenset(_ID.findall(output.data)) if is_page else frozenset()
            if output.links:
                self.links[output.path] = output.links
            yield output

    def problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for page, links in self.links.items():
            for path, fragment in sorted(set(links)):
                if path not in self.anchors:
                    problems.append(Problem(Pos(page), "output-integrity",
                                            f"links to '{path}', which the build does not write"))
                elif fragment and fragment.encode() not in self.anchors[path]:
                    problems.append(Problem(Pos(page), "output-integrity",
                                            f"links to '{path}#{fragment}', but that page has no such anchor"))
        return problems
