"""`new <id> --name "…" --sector S`: write a dossier skeleton that `check` accepts.

The skeleton starts with the editor's schema line (the one the folder's other
files use), gives the id, name and sectors, leaves every list empty, and
shows a commented example of every field the format declares
(`format.ENTITIES`), so a field added to the format appears here without a
change to this file (and a kind this file cannot show fails loudly, as in
`schema.py`). It never replaces a file: an existing one is refused (exit 2).
"""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import pipeline
from ..format import ENTITIES
from ..ids import path_id_problem
from ..limits import Limits
from ..load import BIBLIOGRAPHY, Map, Scalar, decode, parse
from ..problems import USAGE, BuildFailed, Pos, Problem, Report, did_you_mean, one_of, shown
from ..reading import Field
from ..rules.modeline import line_for, schema_folder
from ..settings import Settings
from ..validate import DOSSIER_KINDS, DossierReader, read_dossier
from ..yaml12 import typed
from ..model import NONE_ON_RECORD
from .command import Command, common_arguments, options

COMMENT_COLUMN = 40
# The composite kinds: which entity a list (or the profile) holds.
HOLDS = {"claims": "claim", "events": "event", "relationships": "relationship", "responses": "response"}


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", help="the new dossier's id, which names its file: <id>.yaml (e.g. zte)")
    parser.add_argument("--name", required=True, help='the company\'s name as shown (e.g. "ZTE")')
    parser.add_argument("--sector", required=True, action="append", metavar="SECTOR",
                        help="a sector from the sectors vocabulary; repeat for more")
    common_arguments(parser)


def run(args: argparse.Namespace) -> int:
    settings, _ = pipeline.read_options_settings(options(args))
    path = args.dossiers / f"{args.id}.yaml"
    display = str(path)
    _refuse_bad_arguments(args, settings, display)
    if os.path.lexists(path):
        _refuse(display, "already exists: `new` writes only new files (edit this one, or choose another id)")
    folder = schema_folder(_first_lines(args.dossiers))
    text = skeleton(args.id, args.name.strip(), tuple(args.sector), settings,
                    line_for(folder, "dossier.schema.json"), _first_source(args.dossiers, settings))
    _refuse_unreadable(text, args.id, display, settings)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:  # "x": never replaces a file
            f.write(text)
    except FileExistsError:
        _refuse(display, "already exists: `new` writes only new files (edit this one, or choose another id)")
    except OSError as e:
        print(f"{display}: error[write-failed]: {e.strerror or e}", file=sys.stderr)
        return 3
    if not args.quiet:
        print(f"wrote {display}: fill it in from sources in {args.dossiers / BIBLIOGRAPHY}, "
              "then run `sourcebook check`", file=sys.stderr)
    return 0


def _refuse(display: str, message: str) -> None:
    raise BuildFailed([Problem(Pos(display), USAGE, message)], 2)


def _refuse_bad_arguments(args: argparse.Namespace, settings: Settings, display: str) -> None:
    problem = path_id_problem(args.id)
    if problem:
        _refuse(display, f"the id names the file: {problem}")
    if not args.name.strip() or "\n" in args.name or "\r" in args.name:
        _refuse(display, "--name must be one line of text: the name the site shows")
    sectors = settings.vocabulary("sectors")
    for sector in args.sector:
        if sector not in sectors:
            _refuse(display, f"--sector '{shown(sector)}' is not in the sectors vocabulary"
                             f"{did_you_mean(sector, sectors)}; declared: {one_of(sectors)}")


def _refuse_unreadable(text: str, dossier_id: str, display: str, settings: Settings) -> None:
    """The skeleton is read as `check` reads it; anything it says (a name too long, a control character) is
    said now, and nothing is written."""
    try:
        node = parse(decode(text.encode("utf-8"), display), display, settings.limits)
    except BuildFailed as failed:
        raise BuildFailed(failed.problems, 2) from None
    report = Report()
    read_dossier(node, dossier_id, DossierReader(report, settings.limits, settings.vocabularies(),
                                                 kinds=dict(DOSSIER_KINDS)))
    if report.problems:
        raise BuildFailed(report.problems, 2)


def _first_lines(folder: Path) -> dict[str, str]:
    """Each YAML file's first line: enough to see which schema line the folder uses."""
    lines = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            with path.open(encoding="utf-8", errors="replace") as f:
                lines[str(path)] = f.readline(4096)
        except OSError:
            continue
    return lines


def _first_source(folder: Path, settings: Settings) -> str:
    """The bibliography's first source id, so the examples cite something real."""
    try:
        with (folder / BIBLIOGRAPHY).open("rb") as f:
            node = parse(decode(f.read(settings.limits.max_file_bytes), BIBLIOGRAPHY), BIBLIOGRAPHY, settings.limits)
    except (OSError, BuildFailed):
        return "a-source-id"
    for item in getattr(node, "items", ()):
        if isinstance(item, Map) and "id" in item.entries and isinstance(item.entries["id"][1], Scalar):
            return item.entries["id"][1].value
    return "a-source-id"


# --- the skeleton, from the declarations ------------------------------------------------

@dataclass(frozen=True)
class _Part:
    """One top-level field: its example lines (shown as comments), and the lines written."""

    example: tuple[str, ...]
    written: tuple[str, ...]


def skeleton(dossier_id: str, name: str, sectors: tuple[str, ...], settings: Settings, modeline: str,
             source_id: str = "a-source-id", commented: bool = True) -> str:
    """The dossier `new` writes; commented=False writes the examples instead (what tests check)."""
    examples = _Examples(settings, source_id)
    given: dict[str, str] = {"id": dossier_id, "name": scalar(name), "sectors": _flow(list(sectors))}
    lines = [modeline,
             "# A new dossier. The commented lines show every field: copy an example above its empty",
             "# value, uncomment it, fill it in from a source in sources.yaml, then run `sourcebook check`."]
    for f in ENTITIES["dossier"]:
        part = _dossier_part(f, given, examples)
        if commented:
            lines += [f"# {line}" for line in part.example] + list(part.written)
        else:
            lines += list(part.example or part.written)
    return "\n".join(lines) + "\n"


def _dossier_part(f: Field, given: Mapping[str, str], examples: "_Examples") -> _Part:
    if f.name in given:
        return _Part((), (f"{f.name}: {given[f.name]}",))
    example = tuple(_lines(f.name, examples.value(f, "dossier"), examples.comment(f), 0))
    if f.required:  # a required field this command is not told: its example, to fill in, keeps `check` content
        return _Part((), example)
    empty = "{}" if f.kind == "profile" else "[]" if examples.is_list(f) else None
    return _Part(example, (f"{f.name}: {empty}",) if empty else ())


class _Examples:
    """An example value of each kind, as a dossier would hold it."""

    def __init__(self, settings: Settings, source_id: str) -> None:
        self.settings = settings
        self.source_id = source_id
        self.explained: set[tuple[str, str]] = set()

    def is_list(self, f: Field) -> bool:
        return f.kind in ("texts", "urls", "vocabs", "sources", *HOLDS)

    def value(self, f: Field, entity: str) -> Any:
        if f.kind in HOLDS:
            return [self.entity(HOLDS[f.kind])]
        if f.kind == "profile":
            keys = self.settings.vocabulary("profile_fields")
            return {next(iter(keys), "founded"): _Commented(self.entity("profile_fact"),
                                                            f"One of: {', '.join(keys)}.")}
        if f.kind == "sources":
            return _Flow([_Flow({"id": self.source_id, "locator": "para 2"})])
        if f.kind == "vocab":
            return next(iter(self.settings.vocabulary(f.vocab)), "…")
        if f.kind == "vocabs":
            return _Flow([self.value(Field(f.name, "vocab", vocab=f.vocab), entity)])
        if f.kind == "choice":
            return f.choices[0]
        if f.kind == "no-reply":
            return NONE_ON_RECORD  # the uncited form; the comment names the cited one
        simple = {"id": f"example-{entity.replace('_', '-')}" if f.name == "id" else
                  "a-party-id" if f.name == "party" else "another-dossier-id",
                  "path-id": "an-id", "text": "…", "markdown": "…", "inline": "…", "date": "2019-10-09",
                  "when": "2019-05", "url": "https://example.org/page", "language": "en"}
        if f.kind in simple:
            return simple[f.kind]
        if f.kind == "texts":
            return _Flow(["…"])
        if f.kind == "urls":
            return _Flow(["https://example.org/page"])
        if f.kind == "ids":  # former ids: one per entity, so the uncommented skeleton repeats none
            return _Flow([f"an-old-{entity.replace('_', '-')}-id"])
        raise ValueError(f"`new` has no example for field kind '{f.kind}' ('{f.name}' of {entity}): add one to "
                         "commands/new.py _Examples.value, so the skeleton shows the field")

    def entity(self, entity: str) -> dict[str, Any]:
        return {f.name: _Commented(self.value(f, entity), self.comment(f)) for f in ENTITIES[entity]}

    def comment(self, f: Field) -> str:
        """Optional or not, the field's doc (the first time it appears) and the words it takes."""
        words = [] if f.required else ["Optional"]
        if f.doc and (f.name, f.doc) not in self.explained:
            self.explained.add((f.name, f.doc))
            words.append(f.doc)
        if f.kind in ("vocab", "vocabs"):
            words.append(f"One of: {', '.join(self.settings.vocabulary(f.vocab))}")
        elif f.kind == "choice":
            words.append(f"One of: {', '.join(f.choices)}")
        return ". ".join(w.rstrip(".") for w in words) + "." if words else ""


@dataclass(frozen=True)
class _Flow:
    """A list or mapping written on one line: [a, b], {id: x, locator: y}."""

    value: Any


@dataclass(frozen=True)
class _Commented:
    value: Any
    comment: str


def _lines(key: str, value: Any, comment: str, indent: int, bullet: bool = False) -> list[str]:
    """Block-style YAML for key: value, each line with its comment."""
    lead = " " * indent + ("- " if bullet else "")
    if isinstance(value, _Commented):
        return _lines(key, value.value, value.comment or comment, indent, bullet)
    if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
        out = [_with_comment(f"{lead}{key}:", comment)]
        items = value.items() if isinstance(value, dict) else [(None, item) for item in value]
        for sub_key, item in items:
            if sub_key is None:  # a list of mappings: "- " before the first key of each
                for i, (k, v) in enumerate(item.items()):
                    out += _lines(k, v, "", indent + 2 if i == 0 else indent + 4, bullet=i == 0)
            else:
                out += _lines(sub_key, item, "", indent + 2)
        return out
    return [_with_comment(f"{lead}{key}: {_flow(value)}", comment)]


def _with_comment(line: str, comment: str) -> str:
    return f"{line.ljust(COMMENT_COLUMN - 1)} # {comment}" if comment else line


def _flow(value: Any) -> str:
    value = value.value if isinstance(value, _Flow) else value
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    return scalar(str(value))


def scalar(text: str) -> str:
    """text as YAML that every reader reads as that text: plain where it can be, else double-quoted."""
    if typed(text) is None and text == text.strip() and _reads_back(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _reads_back(text: str) -> bool:
    """Does `k: text` (and `[text]`) parse back to exactly text, unquoted?"""
    for probe, pick in ((f"k: {text}\n", lambda n: n.entries["k"][1]), (f"k: [{text}]\n",
                                                                        lambda n: n.entries["k"][1].items[0])):
        try:
            node = pick(parse(probe, "probe", Limits()))
        except (BuildFailed, KeyError, AttributeError, IndexError):
            return False
        if not (isinstance(node, Scalar) and node.plain and node.value == text):
            return False
    return True


COMMAND = Command("new", "write a dossier skeleton <id>.yaml that check accepts, with examples of every field",
                  arguments, run)
