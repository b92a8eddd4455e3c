"""The theme's static/ files (style sheet, scripts), copied as they are."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..output import Output
from ..problems import UNREADABLE_FILE, BuildFailed, Pos, Problem
from ..urls import static_path
from .output import Build, NonPage


def files(build: Build) -> Iterator[Output]:
    for name, path in build.theme.static_files().items():
        yield Output(static_path(name), _read(path))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise BuildFailed([Problem(Pos(str(path)), UNREADABLE_FILE, e.strerror or str(e))], 3) from None


OUTPUT = NonPage("static", files, flavoured=False)
