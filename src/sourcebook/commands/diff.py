"""`diff`: what changed between two revisions (or two folders), claim by claim, for a reviewer.

``diff BASE [TARGET]`` compares the dossiers folder at two git revisions
(TARGET defaults to the working tree; ``HEAD`` means the last commit), read
from git objects, never checked out; ``diff --dirs OLD NEW`` compares two
folders. Each side is read with its own settings: at a revision, the nearest
pyproject.toml at or above the dossiers folder in that revision (``--config
FILE`` inside the repository is read at each revision; outside it, from
disk). A side that does not validate is reported with its problems, as
`check` reports them, and the rest is compared. The exit status is 0 whatever
the differences — `check` is the gate — and 2 for a bad revision or folder.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import pipeline
from ..changes.compare import Side, compare
from ..changes.render import FORMATS, render
from ..limits import Limits
from ..problems import USAGE, BuildFailed, Pos, Problem
from ..revisions import GitError, GitTree, Repository, Unreadable, file_at, settings_at
from ..settings import CONFIG_UNREADABLE, defaults
from .command import Command

WORKING_TREE = "the working tree"


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sides", nargs="*", metavar="REVISION",
                        help="BASE [TARGET]: git revisions (TARGET defaults to the working tree; HEAD is the last "
                             "commit); with --dirs, the OLD and NEW folders")
    parser.add_argument("--dirs", action="store_true", help="compare two dossiers folders instead of revisions")
    parser.add_argument("--dossiers", type=Path, default=Path("dossiers"), metavar="DIR",
                        help="the dossiers folder in the repository (default: dossiers)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML file with [tool.sourcebook] (default: each side's nearest pyproject.toml at or "
                             "above its dossiers folder); inside the repository it is read at each revision")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), markdown (a pull-request comment or job summary) or json")
    parser.add_argument("--max-bytes", type=int, metavar="N",
                        help="keep a text or markdown report under N bytes (details dropped first, then cut), "
                             "as for a GitHub job summary (1 MiB)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but the report and errors")


def run(args: argparse.Namespace) -> int:
    try:
        base, target = _dirs(args) if args.dirs else _revisions(args)
    except GitError as e:
        print(Problem(Pos(str(args.dossiers) if not args.dirs else "diff"), USAGE, str(e)), file=sys.stderr)
        return 2
    report = compare(base, target)
    sys.stdout.write(render(report, args.format, args.max_bytes))
    return 0


def _dirs(args: argparse.Namespace) -> tuple[Side, Side]:
    if len(args.sides) != 2:
        raise GitError("--dirs compares two folders: diff --dirs OLD NEW")
    sides = []
    for role, folder in zip(("base", "target"), map(Path, args.sides)):
        if not folder.is_dir():
            raise GitError(f"{folder} is not a folder")
        sides.append(pipeline.side(role, str(folder), None, str(folder), folder, _disk_settings(folder, args.config)))
    return sides[0], sides[1]


def _revisions(args: argparse.Namespace) -> tuple[Side, Side]:
    if len(args.sides) not in (1, 2):
        raise GitError("give BASE [TARGET]: git revisions (or --dirs OLD NEW)")
    repository = Repository.containing(args.dossiers)
    folder = repository.relative(args.dossiers)
    base = _at_revision("base", args.sides[0], repository, folder, args.config)
    if len(args.sides) == 2:
        return base, _at_revision("target", args.sides[1], repository, folder, args.config)
    if not args.dossiers.is_dir():
        raise GitError(f"{args.dossiers} is not a folder in the working tree")
    head = repository.commit("HEAD") if repository.has_commits() else None
    return base, pipeline.side("target", WORKING_TREE, head, str(args.dossiers), args.dossiers,
                               _disk_settings(args.dossiers, args.config))


def _at_revision(role: str, revision: str, repository: Repository, folder: str, config: Path | None) -> Side:
    try:
        commit = repository.commit(revision)
    except GitError:
        raise GitError(f"'{revision}' names no commit in {repository.root}") from None
    with GitTree(repository, commit, folder, revision) as tree:
        return pipeline.side(role, revision, commit, f"{revision}:{folder or '.'}", tree,
                             lambda: _revision_settings(repository, commit, folder, revision, config))


def _revision_settings(repository: Repository, commit: str, folder: str, label: str, config: Path | None):
    try:
        return _read_revision_settings(repository, commit, folder, label, config)
    except Unreadable as e:
        raise BuildFailed([Problem(Pos(e.display), CONFIG_UNREADABLE, f"{e.reason}; read with the built-in "
                                   "defaults")], 2) from None


def _read_revision_settings(repository: Repository, commit: str, folder: str, label: str, config: Path | None):
    limit = Limits().max_file_bytes
    if config is not None:
        try:
            inside = repository.relative(config)
        except GitError:
            return pipeline.read_options_settings(pipeline.Options(config=config))  # outside: read from disk
        found = file_at(repository, commit, inside, label, limit)
        if found is None:
            raise BuildFailed([Problem(Pos(f"{label}:{inside}"), CONFIG_UNREADABLE,
                                       f"--config names {inside}, which is not a file at {label}; "
                                       "read with the built-in defaults")], 2)
    else:
        found = settings_at(repository, commit, folder, label, limit)
        if found is None:
            return defaults(pipeline.declared_settings()), []
    return pipeline.read_settings_from_text(found[1], found[0])


def _disk_settings(folder: Path, config: Path | None):
    return lambda: pipeline.read_options_settings(pipeline.Options(dossiers=folder, config=config))


COMMAND = Command("diff", "what changed between two revisions (or --dirs folders), claim by claim, and the pages "
                          "it changes; --format markdown for a pull request; exit 0 whatever it finds",
                  arguments, run, needs_dossiers=False)
