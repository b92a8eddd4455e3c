"""Stage 1, load: bytes on disk -> a tree of positioned YAML nodes.

Nothing here trusts the file. The text is size-checked, decoded and screened
(control characters, nesting depth) before libyaml sees it, because libyaml's
C loader can crash the process on very deep nesting. The tree is then built
from libyaml's *events*, not by a PyYAML constructor, so that:

- every scalar stays the text the author typed (``NO``, ``1:20`` and
  ``2023-02-30`` are strings; YAML 1.1 implicit typing never applies);
- anchors, aliases, tags, duplicate keys and extra documents are errors with a
  position, instead of being silently resolved;
- building is iterative, with a depth cap and a time budget.
"""
from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import yaml

from .ids import path_id_problem
from .limits import Limits, raise_hint
from .problems import UNREADABLE_FILE, BuildFailed, Code, Pos, Problem, shown
from .yaml12 import NULL_WORDS

FILE_TOO_LARGE = Code("file-too-large", "a file is over the max_file_bytes limit")
NOT_UTF8 = Code("not-utf8", "a file is not UTF-8")
CONTROL_CHARACTER = Code("control-character", "a control or bidirectional-override character in a file")
TOO_DEEP = Code("too-deep", "nesting deeper than the max_depth limit")
TIME_BUDGET = Code("time-budget", "reading one file, or rendering one page's text, took longer than seconds_per_file")
EMPTY_FILE = Code("empty-file", "a YAML file holds no document")
YAML_SYNTAX = Code("yaml-syntax", "the text is not valid YAML")
YAML_COMPLEX_KEY = Code("yaml-complex-key", "a mapping key that is a list or mapping")
YAML_ALIAS = Code("yaml-alias", "a YAML alias (*name)")
YAML_ANCHOR = Code("yaml-anchor", "a YAML anchor (&name)")
YAML_TAG = Code("yaml-tag", "a YAML tag (!!python/object, !foo)")
DUPLICATE_KEY = Code("duplicate-key", "the same key twice in one mapping")
MULTIPLE_DOCUMENTS = Code("multiple-documents", "more than one YAML document in a file")
INVALID_FILE_NAME = Code("invalid-file-name", "a dossier file whose name is not a valid id")
SYMBOLIC_LINK = Code("symbolic-link", "a file in the dossiers folder or the extra-files folder that is a "
                     "symbolic link")
MISSING_BIBLIOGRAPHY = Code("missing-bibliography", "the dossiers folder has no sources.yaml")
IGNORED_FILE = Code("ignored-file", "a file in the dossiers folder that is not read (warning)")
CODES = (FILE_TOO_LARGE, NOT_UTF8, CONTROL_CHARACTER, TOO_DEEP, TIME_BUDGET, EMPTY_FILE, YAML_SYNTAX,
         YAML_COMPLEX_KEY, YAML_ALIAS, YAML_ANCHOR, YAML_TAG, DUPLICATE_KEY, MULTIPLE_DOCUMENTS,
         INVALID_FILE_NAME, SYMBOLIC_LINK, MISSING_BIBLIOGRAPHY, IGNORED_FILE)

try:  # libyaml's parser when PyYAML was built with it; the pure-Python one otherwise
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(slots=True)
class Node:
    pos: Pos


@dataclass(slots=True)
class Scalar(Node):
    value: str
    plain: bool = True  # unquoted (neither quoted nor a block scalar), as the author typed it

    @property
    def is_null(self) -> bool:
        """No value: an empty plain scalar, or one YAML 1.2 reads as null (`~`, `null`), as editors do."""
        return self.plain and self.value in NULL_WORDS


@dataclass(slots=True)
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Map(Node):
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)


# C0 controls other than tab and newline, DEL, C1 controls, lone surrogates,
# non-characters, and the bidirectional overrides that make a diff read
# differently from the text it shows ("Trojan Source").
_BAD_CHAR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u202a-\u202e\u2066-\u2069]"
)
_FLOW_CHAR = re.compile(r"[\[\]{}]")
_INDENT = re.compile(r"^( *)(- +)*", re.MULTILINE)


def load_file(path: Path, display: str, limits: Limits) -> Node:
    """Load one YAML file; raise BuildFailed with positioned problems."""
    return parse(read_text(path, display, limits), display, limits)


def read_text(path: Path, display: str, limits: Limits) -> str:
    try:
        with path.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise BuildFailed([Problem(Pos(display), UNREADABLE_FILE, e.strerror or str(e))], 3)
    return decode(_capped(data, display, limits), display)


def _capped(data: bytes, display: str, limits: Limits) -> bytes:
    if len(data) > limits.max_file_bytes:
        raise BuildFailed([Problem(Pos(display, 1, 1), FILE_TOO_LARGE,
                                   f"file is larger than {limits.max_file_bytes} bytes {raise_hint('max_file_bytes')}")])
    return data


def decode(data: bytes, display: str) -> str:
    """UTF-8 with or without BOM; CRLF and CR become LF; bad characters are errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_col(data[: e.start].decode("utf-8", "replace"), e.start)
        raise BuildFailed([Problem(Pos(display, line, col), NOT_UTF8,
                                   f"byte 0x{data[e.start]:02x} is not valid UTF-8; save the file as UTF-8")])
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = [_bad_char_problem(text, m, display) for m in _BAD_CHAR.finditer(text)]
    if problems:
        raise BuildFailed(problems[:20])
    return text


def _bad_char_problem(text: str, m: re.Match[str], display: str) -> Problem:
    line, col = _line_col(text, m.start())
    char = m.group()
    kind = "bidirectional control" if "\u202a" <= char <= "\u2069" else "control"
    return Problem(Pos(display, line, col), CONTROL_CHARACTER,
                   f"{kind} character U+{ord(char):04X} is not allowed in dossier text")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    line = before.count("\n") + 1
    return line, offset - (before.rfind("\n") + 1) + 1


def check_depth(text: str, display: str, max_depth: int) -> None:
    """Refuse nesting deeper than max_depth before libyaml parses anything.

    Counts flow brackets where a flow collection can open (so "[[" inside a
    quoted claim does not count) and block indentation levels. Both scans are
    linear. The tree builder enforces the same limit exactly as it goes; this
    scan stops absurd inputs before any parsing at all.
    """
    depth = 0
    for m in _FLOW_CHAR.finditer(text):
        if m.group() in "[{":
            if not _opens_collection(text, m.start(), depth):
                continue
            depth += 1
            if depth > max_depth:
                line, col = _line_col(text, m.start())
                raise BuildFailed([_too_deep(display, line, col, max_depth)])
        elif depth > 0:
            depth -= 1
    levels: list[int] = []
    for m in _INDENT.finditer(text):
        indent = len(m.group(0))
        while levels and levels[-1] >= indent:
            levels.pop()
        levels.append(indent)
        if len(levels) > max_depth:
            line, col = _line_col(text, m.start())
            raise BuildFailed([_too_deep(display, line, col + indent, max_depth)])


def _opens_collection(text: str, at: int, depth: int) -> bool:
    """Can the bracket at `at` open a flow collection? Only at a value's start:
    first on its line, after "key: " or "- ", or (inside a collection) after
    another opener or a comma. A bracket inside a claim's text cannot."""
    j = at - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] == "\n":
        return True
    if text[j] in ":-" and j < at - 1:
        return True
    return depth > 0 and text[j] in "[{,"


def _too_deep(display: str, line: int, col: int, max_depth: int) -> Problem:
    return Problem(Pos(display, line, col), TOO_DEEP,
                   f"nesting is deeper than {max_depth} levels {raise_hint('max_depth')}")


def parse(text: str, display: str, limits: Limits) -> Node:
    check_depth(text, display, limits.max_depth)
    try:
        return _build(yaml.parse(text, Loader=_Loader), text, display, limits)
    except yaml.MarkedYAMLError as e:
        raise BuildFailed([_syntax_problem(e, text, display)])
    except yaml.YAMLError as e:  # unmarked errors (rare): still no traceback
        raise BuildFailed([Problem(Pos(display, 1, 1), YAML_SYNTAX, str(e))])


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    message = (e.problem or e.context or "invalid YAML").strip()
    if e.context and e.problem:
        message = f"{message} ({e.context.strip()})"
    lines = text.split("\n")
    hint = syntax_hint(message, lines[line - 1] if 0 < line <= len(lines) else "", lines[: line - 1])
    return Problem(Pos(display, line, col), YAML_SYNTAX, message + hint)


def syntax_hint(message: str, line: str, before: list[str]) -> str:
    """What is most likely wrong, for libyaml's terse messages (the first hint that fits)."""
    if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in message:
        return "; YAML does not allow tabs for indentation: indent with spaces"
    if re.search(r"(^|:\s|-\s)\s*\[\[", line):
        return "; a value that starts with [[ is read as a list: quote a line that starts with [["
    if "mapping values are not allowed" in message:
        return "; a value holding ': ' must be quoted (\"...\") or written as a block (>-)"
    if any(words in message for words in ("expected <block end>", "did not find expected key",
                                          "did not find expected '-' indicator")):
        indent = len(line) - len(line.lstrip(" "))
        above = next((b for b in reversed(before) if b.strip() and not b.lstrip().startswith("#")), "")
        above_indent = len(above) - len(above.lstrip(" "))
        return (f"; check the indentation: this line is indented {indent} spaces, "
                f"the line above it {above_indent}")
    return ""


def _pos(display: str, event: yaml.Event) -> Pos:
    return Pos(display, event.start_mark.line + 1, event.start_mark.column + 1)


class _Builder:
    """Turns a stream of parser events into Nodes, one event at a time."""

    def __init__(self, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.stack: list[tuple[Node, Scalar | None]] = []  # container, pending key
        self.root: Node | None = None
        self.documents = 0
        self.problems: list[Problem] = []

    def add(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent, key = self.stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
        elif key is None:
            self._set_key(parent, node)
        else:
            assert isinstance(parent, Map)
            parent.entries[key.value] = (key, node)
            self.stack[-1] = (parent, None)

    def _set_key(self, parent: Node, node: Node) -> None:
        assert isinstance(parent, Map)
        if not isinstance(node, Scalar):
            raise BuildFailed([Problem(node.pos, YAML_COMPLEX_KEY,
                                       "a mapping key must be plain text, not a list or mapping")])
        if node.value in parent.entries:
            first = parent.entries[node.value][0].pos
            raise BuildFailed([Problem(node.pos, DUPLICATE_KEY,
                                       f"duplicate key '{shown(node.value)}' (first defined at line {first.line})")])
        self.stack[-1] = (parent, node)

    def push(self, node: Map | Seq) -> None:
        self.add(node)
        self.stack.append((node, None))
        if len(self.stack) > self.limits.max_depth:
            raise BuildFailed([_too_deep(self.display, node.pos.line, node.pos.col, self.limits.max_depth)])

    def pop(self) -> None:
        self.stack.pop()


def _build(events, text: str, display: str, limits: Limits) -> Node:
    builder = _Builder(display, limits)
    deadline = time.monotonic() + limits.seconds_per_file
    for count, event in enumerate(events):
        if count % 1024 == 0 and time.monotonic() > deadline:
            raise BuildFailed([Problem(_pos(display, event), TIME_BUDGET,
                                       f"reading this file took longer than {limits.seconds_per_file:g} s "
                                       f"{raise_hint('seconds_per_file')}")])
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_yaml_features(event, display)
            mark = event.start_mark
            if event.style == '"' and _BAD_CHAR.search(event.value):  # an escape such as "\x15"
                raise BuildFailed([_escaped_char_problem(event, display)])
            # A plain scalar's style is None from PyYAML's Python parser but "" from
            # libyaml's: both mean unquoted.
            plain = not event.style and event.implicit[0]
            builder.add(Scalar(Pos(display, mark.line + 1, mark.column + 1), event.value, plain))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_yaml_features(event, display)
            node_type = Map if kind is yaml.MappingStartEvent else Seq
            builder.push(node_type(_pos(display, event)))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            builder.pop()
        elif kind is yaml.AliasEvent:
            _refuse_yaml_features(event, display)
        elif kind is yaml.DocumentStartEvent:
            builder.documents += 1
            if builder.documents > 1:
                raise BuildFailed([Problem(_pos(display, event), MULTIPLE_DOCUMENTS,
                                           "a file holds one YAML document; remove the second '---'")])
    if builder.root is None:
        raise BuildFailed([Problem(Pos(display, 1, 1), EMPTY_FILE, "the file holds no YAML document")])
    return builder.root


def _escaped_char_problem(event: yaml.ScalarEvent, display: str) -> Problem:
    char = _BAD_CHAR.search(event.value).group()  # type: ignore[union-attr]
    return Problem(_pos(display, event), CONTROL_CHARACTER,
                   f"an escape in this quoted text makes the character U+{ord(char):04X}, "
                   "which is not allowed in dossier text")


def _refuse_yaml_features(event: yaml.Event, display: str) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise BuildFailed([Problem(_pos(display, event), YAML_ALIAS,
                                   f"aliases (*{event.anchor}) are not allowed; write the value out")])
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise BuildFailed([Problem(_pos(display, event), YAML_ANCHOR,
                                   f"anchors (&{anchor}) are not allowed; write each value out")])
    tag = getattr(event, "tag", None)
    if tag is not None:
        raise BuildFailed([Problem(_pos(display, event), YAML_TAG,
                                   f"YAML tags ({tag}) are not allowed; write plain values")])


# --- a folder of dossiers ---------------------------------------------------------

BIBLIOGRAPHY = "sources.yaml"
PARTIES = "parties.yaml"
ABOUT = "about.md"
FileKind = Literal["file", "symlink", "other"]


class Files(Protocol):
    """Where a dossiers folder's files come from: a folder on disk, or (for diff) a git tree."""

    def display(self, name: str) -> str: ...
    def names(self) -> list[str]: ...
    def kind(self, name: str) -> FileKind: ...
    def read(self, name: str, limit: int) -> bytes: ...  # at most limit + 1 bytes; OSError on failure


@dataclass(frozen=True)
class FolderFiles:
    """A folder on disk. Symbolic links are reported, never followed."""

    folder: Path

    def display(self, name: str) -> str:
        return str(self.folder / name)

    def names(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir())

    def kind(self, name: str) -> FileKind:
        mode = os.lstat(self.folder / name).st_mode
        return "symlink" if stat.S_ISLNK(mode) else "file" if stat.S_ISREG(mode) else "other"

    def read(self, name: str, limit: int) -> bytes:
        with (self.folder / name).open("rb") as f:
            return f.read(limit + 1)


@dataclass
class LoadedFolder:
    """What load hands to validate: parsed trees by file, and what went wrong.

    `unread` names the dossier files that could not be parsed: validation
    skips the checks that depend on them (and says so once) rather than
    reporting their absence as mistakes elsewhere. `texts` keeps each file's
    text, so a problem can point inside a multi-line value.
    """

    dossiers: list[tuple[str, Node]] = field(default_factory=list)  # (file stem, tree)
    sources: Node | None = None
    sources_display: str = ""
    parties: Node | None = None
    parties_display: str = ""
    about: str | None = None
    about_display: str = ""
    problems: list[Problem] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # (stem, display) of dossiers not parsed
    texts: dict[str, str] = field(default_factory=dict)          # display -> text
    on_disk: bool = True  # read from a folder (not from git objects): paths in it name files here

    @property
    def sources_unread(self) -> bool:
        return self.sources is None

    @property
    def parties_unread(self) -> bool:
        """parties.yaml exists but could not be parsed (a folder without one has no parties)."""
        return bool(self.parties_display) and self.parties is None


def load_folder(folder: Path | Files, limits: Limits, settings_file: str = "") -> LoadedFolder:
    """Load every <id>.yaml, sources.yaml, parties.yaml and about.md; collect problems per file.

    `settings_file` is the settings file in use: when it lies in the folder it is read, not "ignored"."""
    files = FolderFiles(folder) if isinstance(folder, Path) else folder
    out = LoadedFolder(on_disk=isinstance(files, FolderFiles))
    try:
        names = files.names()
    except OSError as e:
        raise BuildFailed([Problem(Pos(files.display("").rstrip("/") or "."), UNREADABLE_FILE,
                                   e.strerror or str(e))], 3)
    for name in names:
        display = files.display(name)
        stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
        if name.startswith("."):
            continue
        if suffix == "yaml" or name == ABOUT:
            try:
                kind = files.kind(name)
            except OSError as e:
                out.problems.append(Problem(Pos(display), UNREADABLE_FILE, e.strerror or str(e)))
                continue
            if kind == "symlink":
                out.problems.append(Problem(Pos(display), SYMBOLIC_LINK,
                                            "is a symbolic link: dossier files must be regular files, so a "
                                            "contribution cannot pull in a file from elsewhere on the machine"))
            elif kind == "other":
                out.problems.append(Problem(Pos(display), UNREADABLE_FILE, "is not a regular file"))
            if kind != "file":
                if name == BIBLIOGRAPHY:
                    out.sources_display = display
                elif name == PARTIES:
                    out.parties_display = display
                elif suffix == "yaml":
                    out.unread.append((stem, display))
                continue
        if name == BIBLIOGRAPHY:
            out.sources_display = display
            out.sources = _try(lambda: _load(files, name, display, limits, out), out.problems)
        elif name == PARTIES:
            out.parties_display = display
            out.parties = _try(lambda: _load(files, name, display, limits, out), out.problems)
        elif name == ABOUT:
            out.about_display = display
            out.about = _try(lambda: _text(files, name, display, limits), out.problems)
        elif suffix == "yaml":
            problem = path_id_problem(stem)
            if problem:
                out.problems.append(Problem(Pos(display), INVALID_FILE_NAME,
                                            f"a dossier file is named <id>.yaml: {problem}"))
                continue
            node = _try(lambda: _load(files, name, display, limits, out), out.problems)
            if node is None:
                out.unread.append((stem, display))
            else:
                out.dossiers.append((stem, node))
        elif (suffix.lower() in ("yaml", "yml", "json", "md", "toml") and name != "pyproject.toml"
              and not _same_file(display, settings_file)):
            out.problems.append(Problem(Pos(display), IGNORED_FILE,
                                        f"'{name}' is ignored: dossiers are <id>.yaml files", "warning"))
    if out.sources is None and not out.sources_display:
        out.problems.append(Problem(Pos(files.display(BIBLIOGRAPHY)), MISSING_BIBLIOGRAPHY,
                                    f"no {BIBLIOGRAPHY} in {files.display('').rstrip('/') or '.'}: "
                                    "every dossier cites sources from it"))
    return out


def _same_file(display: str, settings_file: str) -> bool:
    return bool(settings_file) and Path(display).resolve() == Path(settings_file).resolve()


def _text(files: Files, name: str, display: str, limits: Limits) -> str:
    try:
        data = files.read(name, limits.max_file_bytes)
    except OSError as e:
        raise BuildFailed([Problem(Pos(display), UNREADABLE_FILE, e.strerror or str(e))], 3)
    return decode(_capped(data, display, limits), display)


def _load(files: Files, name: str, display: str, limits: Limits, out: LoadedFolder) -> Node:
    text = _text(files, name, display, limits)
    out.texts[display] = text
    return parse(text, display, limits)


def _try(read, problems: list[Problem]):
    try:
        return read()
    except BuildFailed as e:
        problems.extend(e.problems)
        return None
