"""Every dossier file, sources.yaml and parties.yaml starts with the line that tells editors its schema (a warning):

    # yaml-language-server: $schema=../schema/dossier.schema.json

yaml-language-server (VS Code's YAML extension, and the editors that embed it)
validates and completes a file while it is typed when a comment names its
schema; without the line a contributor learns of a mistake only from `check`.
The line must be the first, name the schema for that kind of file, and (for a
path) name a file that exists and is the one `sourcebook schema` writes for
these settings: a schema left over from other vocabularies would flag correct
values. A missing or stale schema file is reported once, at the first file
that names it.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..problems import Code, Pos, shown
from ..schema import dump, json_schemas
from .rule import Context, Rule

SCHEMA_MODELINE = Code("schema-modeline", "a dossier file or sources.yaml whose first line does not name its JSON "
                       "Schema for editors, or names a missing, stale or wrong one (warning)")

# yaml-language-server's own test (services/modelineUtil.js): a comment "# yaml-language-server:" with $schema=...
MODELINE = re.compile(r"#\s+yaml-language-server\s*:.*?\$schema=(\S+)")
DEFAULT_FOLDER = "../schema"  # the dossiers folder's sibling, where `sourcebook schema` writes by default


@dataclass(frozen=True)
class Modeline:
    target: str  # what follows $schema=
    line: int
    col: int     # of the target


def find(text: str) -> Modeline | None:
    """The yaml-language-server modeline among the file's comment lines, if any (the first line first:
    where it belongs, and the one place looked at in a folder where every file has it)."""
    first = _modeline(text.split("\n", 1)[0], 1)
    if first is not None or "yaml-language-server" not in text:
        return first
    return next((m for m in (_modeline(line, n) for n, line in enumerate(text.split("\n"), 1)) if m), None)


def _modeline(line: str, number: int) -> Modeline | None:
    stripped = line.lstrip()
    m = MODELINE.match(stripped) if stripped.startswith("#") else None
    return Modeline(m.group(1), number, len(line) - len(stripped) + m.start(1) + 1) if m else None


def schema_name(display: str, bibliography: str, parties: str = "") -> str:
    if display == bibliography:
        return "sources.schema.json"
    return "parties.schema.json" if display == parties else "dossier.schema.json"


_WHAT = {"sources.schema.json": "sources.yaml", "parties.schema.json": "parties.yaml",
         "dossier.schema.json": "a dossier"}


def line_for(folder: str, name: str) -> str:
    """The modeline a file in this folder should start with (`folder`: where the schemas are, from it)."""
    return f"# yaml-language-server: $schema={folder}/{name}"


def schema_folder(texts: dict[str, str] | None = None) -> str:
    """Where this corpus's files find their schemas: the folder the first well-named modeline uses."""
    for display, text in sorted((texts or {}).items()):
        found = find(text)
        if found and PurePosixPath(found.target).name in _WHAT \
                and "://" not in found.target and not found.target.startswith("file:"):
            return str(PurePosixPath(found.target).parent)
    return DEFAULT_FOLDER


def check(context: Context) -> None:
    texts = dict(context.texts)
    folder = schema_folder(texts)
    named: dict[Path, list[tuple[str, Modeline]]] = {}
    for display in sorted(texts):
        name = schema_name(display, context.bibliography, context.parties_display)
        found = find(texts[display])
        pos = Pos(display, found.line, found.col) if found else Pos(display, 1, 1)
        if found is None:
            context.report.warn(pos, SCHEMA_MODELINE, f"the first line is not '{line_for(folder, name)}', so "
                                "editors cannot check this file as it is typed: add that line")
        elif found.line != 1:
            context.report.warn(Pos(display, found.line, 1), SCHEMA_MODELINE,
                                "the yaml-language-server line must be the file's first line: move it there")
        elif _file_name(found.target) != name:
            context.report.warn(pos, SCHEMA_MODELINE, f"names '{shown(found.target)}', but the schema for "
                                f"{_WHAT[name]} is {name}: write '{line_for(folder, name)}'")
        elif context.on_disk:  # a revision's files name schema files at that revision, not here
            path = _local_path(found.target, display)
            if path is not None:
                named.setdefault(path, []).append((display, found))
    _check_files(context, named)


def _check_files(context: Context, named: dict[Path, list[tuple[str, Modeline]]]) -> None:
    """Each schema file that modelines name: it exists and is the one these settings give."""
    if not named:
        return
    expected = {name: dump(schema) for name, schema in json_schemas(context.settings).items()}
    for path, users in sorted(named.items(), key=lambda item: item[1][0]):
        display, found = users[0]
        pos = Pos(display, found.line, found.col)
        n = len(users) - 1
        others = (" (as does 1 other file)" if n == 1 else f" (as do {n} other files)") if n else ""
        out = os.path.normpath(Path(display).parent / PurePosixPath(found.target).parent)
        want = expected[path.name].encode("utf-8")
        have = _read(path, len(want) + 1)
        if have is None:
            context.report.warn(pos, SCHEMA_MODELINE, f"names '{shown(found.target)}'{others}, which does not "
                                f"exist or cannot be read: write it with `sourcebook schema --out {out}`")
        elif have != want:
            context.report.warn(pos, SCHEMA_MODELINE, f"names '{shown(found.target)}'{others}, which is not the "
                                "schema these settings give, so editors would judge by other vocabularies or "
                                f"limits: rewrite it with `sourcebook schema --out {out}`")


def _read(path: Path, limit: int) -> bytes | None:
    """At most limit bytes of a regular file (a modeline may name any path: no FIFO, no device)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as f:
            return f.read(limit)
    except OSError:
        return None


def _file_name(target: str) -> str:
    return PurePosixPath(urlsplit(target).path if "://" in target else target.split("#", 1)[0]).name


def _local_path(target: str, display: str) -> Path | None:
    """The file a modeline names, as yaml-language-server resolves it (None: a web address)."""
    if target.startswith(("http://", "https://")):
        return None
    if target.startswith("file:"):
        return Path(os.path.normpath(unquote(urlsplit(target).path)))
    return Path(os.path.normpath(Path(display).parent / target.split("#", 1)[0]))


RULE = Rule("schema-modeline", (SCHEMA_MODELINE,), check)
