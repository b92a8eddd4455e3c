"""Where a build's files go, registered here: the folder (an atomic swap into --out) and a zip archive
(`zip.write_zip`; the build's offline copy is a zip whose bytes become one file of the folder). An MkDocs
plugin's files will take the same stream."""
from __future__ import annotations

from . import folder, zip
from .destination import Destination

DESTINATIONS: tuple[Destination, ...] = (
    Destination("folder", folder.write_site),
    Destination("zip", zip.write_zip),
)


def destination(name: str) -> Destination:
    return next(d for d in DESTINATIONS if d.name == name)
