"""Output integrity: every link a page asked `urls` for names a file and an anchor that exist.

It runs on the rendered files in memory, before anything is written, so a
template mistake fails the build (exit 1) instead of publishing broken links.
"""
from __future__ import annotations

from collections.abc import Iterable

from .problems import Pos, Problem
from .render import Output
from .urls import PageUrls


def check_links(outputs: Iterable[Output], linked: Iterable[PageUrls]) -> list[Problem]:
    files = {o.path: o.data for o in outputs}
    problems: list[Problem] = []
    for page in linked:
        for path, fragment in sorted(set(page.targets)):
            if path not in files:
                problems.append(Problem(Pos(page.page), "output-integrity",
                                        f"links to '{path}', which the build does not write"))
            elif fragment and f'id="{fragment}"'.encode() not in files[path]:
                problems.append(Problem(Pos(page.page), "output-integrity",
                                        f"links to '{path}#{fragment}', but that page has no such anchor"))
    return problems
