"""Problems are values: every stage reports bad input as `Problem`s, never as tracebacks.

A `Problem` prints as ``path:line:col: error[code]: message``. Codes are stable
kebab-case names; each one is documented with an example in ``docs/errors.md``
(a test keeps the two in step).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Pos:
    """Where something came from: a file and a 1-based line and column."""

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

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}[{self.code}]: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.pos.path,
            "line": self.pos.line,
            "column": self.pos.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.pos.path, self.pos.line, self.pos.col, self.code, self.message)


class BuildFailed(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem], exit_code: int = 1) -> None:
        self.problems = sorted(problems, key=Problem.sort_key)
        self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    match = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def one_of(choices: Iterable[str]) -> str:
    names = sorted(choices)
    return ", ".join(f"'{n}'" for n in names) if names else "(none declared)"
