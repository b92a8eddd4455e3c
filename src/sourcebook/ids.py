"""Identifiers: the one pattern every content id follows.

Ids become folder names (``companies/<id>/``) and element ids (``#<id>``), so
the pattern is deliberately narrow: lowercase ASCII letters and digits in
groups joined by single hyphens. That rules out path traversal, case- and
Unicode-normalising collisions, and the ``_`` and ``--`` that the anchor
grammar (`anchors.py`) keeps for ids the pages make themselves.
"""
from __future__ import annotations

import re

from .problems import shown

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Names Windows will not create as files or folders, whatever the extension.
DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)

MAX_ID_LENGTH = 100  # well under the 255 bytes file systems allow in a name


def id_problem(value: str) -> str | None:
    """Why value is not a usable id, or None when it is."""
    if len(value) > MAX_ID_LENGTH:
        return f"'{shown(value)}' is {len(value)} characters long; an id has at most {MAX_ID_LENGTH}"
    if not ID_PATTERN.fullmatch(value):
        return (f"'{shown(value)}' is not a valid id: use lowercase letters a-z, digits and single "
                "hyphens between them (e.g. 'entity-list-2019')")
    return None


def path_id_problem(value: str) -> str | None:
    """Like id_problem, for ids that also name a folder in the output."""
    if value in DEVICE_NAMES:
        return f"'{shown(value)}' is a reserved device name on Windows and cannot name a folder"
    return id_problem(value)
