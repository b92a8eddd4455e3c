"""Problems as GitHub Actions workflow commands: annotations on the pull request's lines.

``::error file=dossiers/dji.yaml,line=12,col=5,title=sourcebook: unknown-key::message``,
one line each, on stdout, where the runner reads them. GitHub's rules
(docs "Workflow commands for GitHub Actions"; actions/toolkit's
``command.ts``; the runner's ``ActionCommand.cs``): in the message, ``%``,
CR and LF are escaped; in a property also ``:`` and ``,``. So no value a
contributor wrote can end the line and start a command of its own, and a
``::`` in a message stays text (the runner splits at the first ``::`` after
the properties, which cannot hold one). A step shows at most ten annotations
of each severity; the rest are printed as plain lines, and `summary` lists
them for the job summary. Which file a path names, from the repository root,
is the command's business (`commands/check.py`).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .problems import Problem

PER_SEVERITY = 10  # GitHub shows ten error, ten warning and ten notice annotations per step
COMMANDS = {"error": "error", "warning": "warning", "notice": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(problem: Problem, file: str | None) -> str:
    """One workflow command for one problem; file: its path from the repository root (None: not a file)."""
    props = []
    if file is not None:
        props.append(f"file={escape_property(file)}")
        if problem.pos.line > 0:
            props += [f"line={problem.pos.line}", f"col={problem.pos.col}"]
    props.append(f"title={escape_property(f'sourcebook: {problem.code}')}")
    return f"::{COMMANDS[problem.severity]} {','.join(props)}::{escape_data(problem.message)}"


@dataclass(frozen=True)
class Annotations:
    commands: tuple[str, ...]        # at most PER_SEVERITY of each severity
    rest: tuple[Problem, ...]        # what GitHub would not show


def annotate(problems: Iterable[Problem], file: Callable[[str], str | None]) -> Annotations:
    """Commands for the first PER_SEVERITY problems of each severity; file(path) names a problem's file."""
    shown: dict[str, int] = {}
    commands, rest = [], []
    for problem in problems:
        shown[problem.severity] = shown.get(problem.severity, 0) + 1
        if shown[problem.severity] <= PER_SEVERITY:
            commands.append(command(problem, file(problem.pos.path)))
        else:
            rest.append(problem)
    return Annotations(tuple(commands), tuple(rest))


def summary(problems: list[Problem], rest: tuple[Problem, ...]) -> str:
    """The job summary (Markdown): the counts, and every problem the annotations left out."""
    counts = {s: sum(1 for p in problems if p.severity == s) for s in ("error", "warning", "notice")}
    head = ", ".join(f"{n} {s}{'' if n == 1 else 's'}" for s, n in counts.items())
    lines = [f"### sourcebook check: {head}", ""]
    if rest:
        body = "\n".join(str(p) for p in rest)
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall("`+", body)), default=0))
        lines += [f"GitHub shows {PER_SEVERITY} annotations of each kind per step; the other {len(rest)}:", "",
                  f"{fence}text", body, fence, ""]
    return "\n".join(lines) + "\n"


def lines(annotations: Annotations) -> Iterator[str]:
    """What to print: the commands, then the rest as plain problem lines (the log keeps them all)."""
    yield from annotations.commands
    yield from (str(p) for p in annotations.rest)
