"""Problems are values: every stage reports bad input as `Problem`s, never as tracebacks.

A `Problem` prints as ``path:line:col: error[code]: message``. A code is a
`Code`: a string with its documentation, declared by the module that reports
it (`codes.registered()` gathers them; docs/errors.md shows each with an
example and tests/test_errors.py triggers each). Severities: an *error* fails
the command, a *warning* fails it only under ``--strict``, a *notice* never
fails (it says what the build left out or did on its own).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, Literal, NamedTuple

Severity = Literal["error", "warning", "notice"]
_SEVERITY_ORDER = {"error": 0, "warning": 1, "notice": 2}


class Code(str):
    """A stable kebab-case problem code with its one-line meaning."""

    __slots__ = ("doc",)

    def __new__(cls, name: str, doc: str) -> "Code":
        code = super().__new__(cls, name)
        code.doc = doc  # type: ignore[misc]
        return code

    def __reduce__(self):  # noqa: D105 - a Code pickles as its name and doc
        return (Code, (str(self), self.doc))


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
    code: Code
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):
            raise TypeError(f"problem code {self.code!r} is a plain string: declare it as a Code")

    def __str__(self) -> str:
        where = single_line(str(self.pos))
        if where.lstrip().startswith("::"):  # a file named "::error::x": never a CI workflow command
            where = "./" + where
        return f"{where}: {self.severity}[{self.code}]: {single_line(self.message)}"

    def as_json(self) -> dict[str, object]:
        return {"path": self.pos.path, "line": self.pos.line, "column": self.pos.col,
                "severity": self.severity, "code": str(self.code), "message": single_line(self.message)}

    def sort_key(self) -> tuple[str, bool, int, int, int, str, str]:
        """By file and place, errors before warnings at one place; a file's notices after its problems."""
        return (self.pos.path, self.severity == "notice", self.pos.line, self.pos.col,
                _SEVERITY_ORDER[self.severity], self.code, self.message)


@dataclass
class Report:
    """Collects problems as a stage finds them; nothing raises until the caller decides."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, pos: Pos, code: Code, message: str) -> None:
        self.problems.append(Problem(pos, code, message))

    def warn(self, pos: Pos, code: Code, message: str) -> None:
        self.problems.append(Problem(pos, code, message, "warning"))

    def notice(self, pos: Pos, code: Code, message: str) -> None:
        self.problems.append(Problem(pos, code, message, "notice"))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)


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


UNREADABLE_FILE = Code("unreadable-file", "a file or folder cannot be read")
WRITE_FAILED = Code("write-failed", "the site could not be written (disk full, read-only, ...)")
USAGE = Code("usage", "a command-line mistake")
IO_CODES = frozenset({UNREADABLE_FILE, WRITE_FAILED})
CODES = (UNREADABLE_FILE, WRITE_FAILED, USAGE)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def failing(problems: Iterable[Problem], strict: bool) -> list[Problem]:
    """The problems that fail a command: errors, and warnings too when strict; never notices."""
    return [p for p in problems if p.severity == "error" or (strict and p.severity == "warning")]


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_COMMAND_AT_START = re.compile(r"^(\s*)::", re.MULTILINE)


def escape_controls(text: str) -> str:
    """Line breaks and control characters written as escapes (a newline as the two characters \\n)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def single_line(text: str) -> str:
    """Escape line breaks and control characters, so one problem is one line; and `##[` as `log_safe`
    does, since problem lines quote contributed text and CI logs read `##[command]` anywhere in a line."""
    return escape_controls(text).replace("##[", "#\\#[")


def log_safe(text: str) -> str:
    """Text a CI runner will not read as workflow commands (GitHub Actions reads `::command::` opening a
    line, after spaces, and the older `##[command]` anywhere in one): both get a backslash (`\\::`,
    `#\\#[`), so they print but command nothing, `::stop-commands::` included."""
    return _COMMAND_AT_START.sub(lambda m: m.group(1) + "\\::", text).replace("##[", "#\\#[")


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
