"""The offline copy: every hosted build also writes the site as a zip to read from file://.

`OfflineCopy` takes each file as the hosted build makes it: a page's
offline variant comes from the same render (`render.Renderer.render_both`:
links that name ``index.html`` files, hosted-only parts left out); a
non-page output that declares its bytes independent of the link flavour
(`outputs.output.NonPage.flavoured` False: the theme's static files, the
data exports) is taken as it is, and one that does not (a search index that
holds hrefs) is run again with the offline flavour. Files go into the zip
destination (`destinations.zip.Archive`) as they come, compressed, and into
a `linkcheck.FileLinks` check; `finish()` gives the archive as one more file
of the hosted tree, ``<short_name>-offline.zip``, whose members sit in a
``<short_name>/`` folder. The previous build's archive, if the folder
destination is replacing one, lends its unchanged members.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .destinations.zip import Archive, ZipStats
from .linkcheck import FileLinks
from .output import Output
from .problems import Problem
from .urls import Target

TREE = "the offline copy"


def zip_name(short_name: str) -> str:
    return f"{short_name}-offline.zip"


def zip_target(short_name: str) -> Target:
    return Target(zip_name(short_name))


class OfflineCopy:
    def __init__(self, short_name: str, previous_site: Path) -> None:
        self.name = zip_name(short_name)
        self.archive = Archive(short_name, previous_site / self.name, name=self.name)
        self.links = FileLinks(TREE)
        self.stats: ZipStats | None = None

    def add(self, output: Output) -> None:
        """One file of the offline tree."""
        self.links.see(output)
        self.archive.add(output)

    def files(self) -> Iterator[Output]:
        """The archive, as a file of the hosted tree: made when the stream reaches it, after every other file."""
        data, self.stats = self.archive.finish()
        yield Output(self.name, data)

    def problems(self) -> list[Problem]:
        return self.links.problems()

    def close(self) -> None:
        self.archive.close()
