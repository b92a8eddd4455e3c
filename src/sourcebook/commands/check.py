"""`check`: validate only, and print every problem in one run (as text, JSON or GitHub annotations)."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .. import annotations, pipeline
from ..problems import BuildFailed, Problem
from .command import Command, common_arguments, options, report

FORMATS = ("text", "json", "github")


def arguments(parser: argparse.ArgumentParser) -> None:
    common_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default, on stderr); json on stdout, for tools; github: workflow commands "
                             "on stdout, so a GitHub Actions step annotates the lines at fault")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def run(args: argparse.Namespace) -> int:
    try:
        result = pipeline.check(options(args))
        problems, code = result.warnings, 0
    except BuildFailed as failed:
        problems, code, result = failed.problems, failed.exit_code, None
    if args.format == "json":
        count = {severity: sum(1 for p in problems if p.severity == severity)
                 for severity in ("error", "warning", "notice")}
        print(json.dumps({"ok": code == 0, "errors": count["error"], "warnings": count["warning"],
                          "notices": count["notice"], "problems": [p.as_json() for p in problems]},
                         indent=2, ensure_ascii=False))
        return code
    if args.format == "github":
        _github([p for p in problems if not args.quiet or p.severity == "error"])
    else:
        report(problems, quiet=args.quiet)
    if not args.quiet and result is not None:
        warnings = sum(1 for p in problems if p.severity == "warning")
        print(f"ok: {len(result.corpus.dossiers)} dossiers, {len(result.corpus.sources)} sources"
              f"{f', {warnings} warnings' if warnings else ''}", file=sys.stderr)
    return code


def _github(problems: list[Problem]) -> None:
    """Annotations on stdout; past GitHub's ten of each kind, plain lines and the job summary."""
    root = repository_root(Path.cwd())
    found = annotations.annotate(problems, lambda path: file_in(path, root))
    for line in annotations.lines(found):
        print(line)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        try:
            with open(target, "a", encoding="utf-8") as f:
                f.write(annotations.summary(problems, found.rest))
        except OSError as e:
            print(f"{target}: warning[write-failed]: could not add to the job summary: {e.strerror or e}",
                  file=sys.stderr)


def repository_root(start: Path) -> Path:
    """The git work tree holding start, as `git rev-parse --show-toplevel` names it (the nearest folder
    with a .git: a clone, a worktree or a submodule), or start itself outside git."""
    start = start.resolve()
    return next((folder for folder in (start, *start.parents) if (folder / ".git").exists()), start)


def file_in(path: str, root: Path) -> str | None:
    """A problem's path as an annotation names it: from the repository root, with '/' (None: a folder)."""
    absolute = Path(os.path.abspath(path)).resolve()
    if not path or absolute.is_dir():
        return None
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()  # outside the repository: GitHub cannot place it, the log still names it


COMMAND = Command("check", "validate only; --format json for tools, github for pull-request annotations; "
                  "--strict to fail on warnings", arguments, run)
