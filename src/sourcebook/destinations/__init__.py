"""Where a build's files go, registered here. The folder (an atomic swap into --out) is the one
destination today; the offline zip and, later, an MkDocs plugin's files take the same stream."""
from __future__ import annotations

from . import folder
from .destination import Destination

DESTINATIONS: tuple[Destination, ...] = (
    Destination("folder", folder.write_site),
)


def destination(name: str) -> Destination:
    return next(d for d in DESTINATIONS if d.name == name)
