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

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Limits
from .ids import path_id_problem
from .problems import BuildFailed, Pos, Problem, shown

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
    plain: bool = True  # unquoted; an empty plain scalar means "no value"

    @property
    def is_null(self) -> bool:
        return self.plain and self.value == ""


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
    text = read_text(path, display, limits)
    return parse(text, display, limits)


def read_text(path: Path, display: str, limits: Limits) -> str:
    try:
        with path.open("rb") as f:
            data = f.read(limits.max_file_bytes + 1)
    except OSError as e:
        raise BuildFailed([Problem(Pos(display), "unreadable-file", e.strerror or str(e))], 3)
    if len(data) > limits.max_file_bytes:
        raise BuildFailed([Problem(Pos(display, 1, 1), "file-too-large",
                                   f"file is larger than {limits.max_file_bytes} bytes "
                                   "(raise [tool.sourcebook.limits] max_file_bytes to allow it)")])
    return decode(data, display)


def decode(data: bytes, display: str) -> str:
    """UTF-8 with or without BOM; CRLF and CR become LF; bad characters are errors."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line, col = _line_col(data[: e.start].decode("utf-8", "replace"), e.start)
        raise BuildFailed([Problem(Pos(display, line, col), "not-utf8",
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
    return Problem(Pos(display, line, col), "control-character",
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
    return Problem(Pos(display, line, col), "too-deep",
                   f"nesting is deeper than {max_depth} levels "
                   "(raise [tool.sourcebook.limits] max_depth to allow it)")


def parse(text: str, display: str, limits: Limits) -> Node:
    check_depth(text, display, limits.max_depth)
    try:
        return _build(yaml.parse(text, Loader=_Loader), text, display, limits)
    except yaml.MarkedYAMLError as e:
        raise BuildFailed([_syntax_problem(e, text, display)])
    except yaml.YAMLError as e:  # unmarked errors (rare): still no traceback
        raise BuildFailed([Problem(Pos(display, 1, 1), "yaml-syntax", str(e))])


def _syntax_problem(e: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark else 1
    col = mark.column + 1 if mark else 1
    message = (e.problem or e.context or "invalid YAML").strip()
    if e.context and e.problem:
        message = f"{message} ({e.context.strip()})"
    source_line = text.split("\n")[line - 1] if line - 1 < text.count("\n") + 1 else ""
    if re.search(r"(^|:\s|-\s)\s*\[\[", source_line):
        message += "; a value that starts with [[ is read as a list: quote a line that starts with [["
    return Problem(Pos(display, line, col), "yaml-syntax", message)


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
            raise BuildFailed([Problem(node.pos, "yaml-complex-key",
                                       "a mapping key must be plain text, not a list or mapping")])
        if node.value in parent.entries:
            first = parent.entries[node.value][0].pos
            raise BuildFailed([Problem(node.pos, "duplicate-key",
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
            raise BuildFailed([Problem(_pos(display, event), "time-budget",
                                       f"reading this file took longer than {limits.seconds_per_file:g} s "
                                       "(raise [tool.sourcebook.limits] seconds_per_file to allow it)")])
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_yaml_features(event, display)
            mark = event.start_mark
            if event.style == '"' and _BAD_CHAR.search(event.value):  # an escape such as "\x15"
                raise BuildFailed([_escaped_char_problem(event, display)])
            plain = event.style is None and event.implicit[0]
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
                raise BuildFailed([Problem(_pos(display, event), "multiple-documents",
                                           "a file holds one YAML document; remove the second '---'")])
    if builder.root is None:
        raise BuildFailed([Problem(Pos(display, 1, 1), "empty-file", "the file holds no YAML document")])
    return builder.root


def _escaped_char_problem(event: yaml.ScalarEvent, display: str) -> Problem:
    char = _BAD_CHAR.search(event.value).group()  # type: ignore[union-attr]
    return Problem(_pos(display, event), "control-character",
                   f"an escape in this quoted text makes the character U+{ord(char):04X}, "
                   "which is not allowed in dossier text")


def _refuse_yaml_features(event: yaml.Event, display: str) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise BuildFailed([Problem(_pos(display, event), "yaml-alias",
                                   f"aliases (*{event.anchor}) are not allowed; write the value out")])
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise BuildFailed([Problem(_pos(display, event), "yaml-anchor",
                                   f"anchors (&{anchor}) are not allowed; write each value out")])
    tag = getattr(event, "tag", None)
    if tag is not None:
        raise BuildFailed([Problem(_pos(display, event), "yaml-tag",
                                   f"YAML tags ({tag}) are not allowed; write plain values")])


# --- a folder of dossiers ---------------------------------------------------------

BIBLIOGRAPHY = "sources.yaml"
ABOUT = "about.md"


@dataclass
class LoadedFolder:
    """What load hands to validate: parsed trees by file, and what went wrong."""

    dossiers: list[tuple[str, Node]] = field(default_factory=list)  # (file stem, tree)
    sources: Node | None = None
    sources_display: str = ""
    about: str | None = None
    about_display: str = ""
    problems: list[Problem] = field(default_factory=list)


def load_folder(folder: Path, limits: Limits) -> LoadedFolder:
    """Load every <id>.yaml, sources.yaml and about.md; collect problems per file."""
    out = LoadedFolder()
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError as e:
        raise BuildFailed([Problem(Pos(str(folder)), "unreadable-file", e.strerror or str(e))], 3)
    for name in names:
        path, display = folder / name, _display(folder, name)
        stem, suffix = name.rsplit(".", 1) if "." in name else (name, "")
        if path.is_symlink() and suffix in ("yaml", "md"):
            out.problems.append(Problem(Pos(display), "symbolic-link",
                                        "is a symbolic link: dossier files must be regular files, so a "
                                        "contribution cannot pull in a file from elsewhere on the machine"))
            continue
        if name == BIBLIOGRAPHY:
            out.sources_display = display
            out.sources = _try(lambda: load_file(path, display, limits), out.problems)
        elif name == ABOUT:
            out.about_display = display
            out.about = _try(lambda: read_text(path, display, limits), out.problems)
        elif suffix == "yaml" and not name.startswith("."):
            problem = path_id_problem(stem)
            if problem:
                out.problems.append(Problem(Pos(display), "invalid-file-name",
                                            f"a dossier file is named <id>.yaml: {problem}"))
                continue
            node = _try(lambda: load_file(path, display, limits), out.problems)
            if node is not None:
                out.dossiers.append((stem, node))
        elif (suffix.lower() in ("yaml", "yml", "json", "md", "toml") and name != "pyproject.toml"
              and not name.startswith(".")):
            out.problems.append(Problem(Pos(display), "ignored-file",
                                        f"'{name}' is ignored: dossiers are <id>.yaml files", "warning"))
    if out.sources is None and not any(p.pos.path.endswith(BIBLIOGRAPHY) for p in out.problems):
        out.problems.append(Problem(Pos(_display(folder, BIBLIOGRAPHY)), "missing-bibliography",
                                    f"no {BIBLIOGRAPHY} in {folder}: every dossier cites sources from it"))
    return out


def _display(folder: Path, name: str) -> str:
    return str(folder / name)


def _try(read, problems: list[Problem]):
    try:
        return read()
    except BuildFailed as e:
        problems.extend(e.problems)
        return None
