"""Problems are values: every stage reports bad input as `Problem`s, never as tracebacks.

A `Problem` prints as ``path:line:col: error[code]: message``. Codes are stable
kebab-case names; each one is documented with an example in ``docs/errors.md``
(a test keeps the two in step).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Literal, NamedTuple

Severity = Literal["error", "warning"]

# Every code a problem can carry, with what it means. docs/errors.md shows
# each with an example; tests/test_errors.py triggers each one.
CODES: dict[str, str] = {
    # reading files
    "unreadable-file": "a file or folder cannot be read",
    "file-too-large": "a file is over the max_file_bytes limit",
    "not-utf8": "a file is not UTF-8",
    "control-character": "a control or bidirectional-override character in a file",
    "too-deep": "nesting deeper than the max_depth limit",
    "time-budget": "reading one file took longer than seconds_per_file",
    "empty-file": "a YAML file holds no document",
    "yaml-syntax": "the text is not valid YAML",
    "yaml-complex-key": "a mapping key that is a list or mapping",
    "yaml-alias": "a YAML alias (*name)",
    "yaml-anchor": "a YAML anchor (&name)",
    "yaml-tag": "a YAML tag (!!python/object, !foo)",
    "duplicate-key": "the same key twice in one mapping",
    "multiple-documents": "more than one YAML document in a file",
    "invalid-file-name": "a dossier file whose name is not a valid id",
    "symbolic-link": "a dossier file that is a symbolic link",
    "missing-bibliography": "the dossiers folder has no sources.yaml",
    "no-dossiers": "the dossiers folder has no <id>.yaml",
    "ignored-file": "a file in the dossiers folder that is not read (warning)",
    # the dossier format
    "wrong-type": "a value of the wrong shape (text, list or mapping)",
    "unknown-key": "a key the format does not define",
    "missing-key": "a required key is absent",
    "missing-sources": "something that must cite a source cites none",
    "empty-text": "a text value is empty",
    "text-too-long": "a text value is over the max_text_chars limit",
    "too-many-entries": "a list is over the max_entries limit",
    "invalid-id": "an id that does not match ^[a-z0-9]+(-[a-z0-9]+)*$",
    "reserved-id": "an id the page uses for itself",
    "id-mismatch": "a dossier id that differs from its file name",
    "duplicate-id": "an id used twice in its scope",
    "invalid-date": "a date or period that is not YYYY[-MM[-DD]][..YYYY[-MM[-DD]]] or does not exist",
    "invalid-url": "a URL that is not absolute http(s) with a host",
    "invalid-language": "a language that is not a BCP 47 tag",
    "unknown-value": "a value outside its vocabulary",
    "markdown-image": "an image in Markdown text",
    "markdown-too-complex": "Markdown text with more brackets than the parser handles in bounded time",
    "target-or-party": "a relationship without exactly one of target and party",
    # references between files
    "unknown-source": "a citation of a source that sources.yaml does not define",
    "unknown-dossier": "a [[link]] or relationship target that names no dossier",
    "self-relationship": "a relationship of a dossier with itself",
    "unused-source": "a source nothing cites (warning)",
    "missing-locator": "a claim or event none of whose citations has a locator (warning)",
    # settings
    "config-unreadable": "the settings file cannot be read",
    "config-invalid": "the settings file is not valid TOML",
    "config-unknown-key": "an unknown setting",
    "config-type": "a setting of the wrong type",
    # rendering and writing
    "template-error": "a template fails to compile or render",
    "output-integrity": "a page links to a file or anchor the build does not write",
    "unsafe-output": "--out names a folder that is not an earlier build",
    "write-failed": "the site could not be written (disk full, read-only, ...)",
    "usage": "a command-line mistake",
}


class Pos(NamedTuple):
    """Where something came from: a file and a 1-based line and column (0: the whole file).

    A named tuple rather than a dataclass: loading makes one per YAML node,
    and tuples are several times cheaper to create.
    """

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    pos: Pos
    code: str
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unregistered problem code {self.code!r}: add it to problems.CODES")

    def __str__(self) -> str:
        return f"{single_line(str(self.pos))}: {self.severity}[{self.code}]: {single_line(self.message)}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.pos.path,
            "line": self.pos.line,
            "column": self.pos.col,
            "severity": self.severity,
            "code": self.code,
            "message": single_line(self.message),
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.pos.path, self.pos.line, self.pos.col, self.code, self.message)


IO_CODES = frozenset({"unreadable-file", "write-failed"})


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far.

    The exit status is 3 when an I/O failure is among the errors, else 1,
    unless the stage says otherwise (2 for usage and settings).
    """

    def __init__(self, problems: Iterable[Problem], exit_code: int | None = None) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        if exit_code is None:
            exit_code = 3 if any(p.code in IO_CODES for p in errors(self.problems)) else 1
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(text: str) -> str:
    """Escape line breaks and control characters, so one problem is one line."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def shown(value: str, limit: int = 60) -> str:
    """A value as a message quotes it: one line, and not too long to read."""
    value = single_line(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def one_of(choices: Iterable[str]) -> str:
    names = sorted(choices)
    return ", ".join(f"'{n}'" for n in names) if names else "(none declared)"
