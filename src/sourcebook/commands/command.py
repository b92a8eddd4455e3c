"""What a command is, and the options every command shares."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import pipeline
from ..problems import Problem


@dataclass(frozen=True)
class Command:
    name: str
    help: str                                          # one line, for --help
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    needs_dossiers: bool = True                        # refuse a --dossiers folder that does not exist


def common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dossiers", type=Path, default=Path("dossiers"), metavar="DIR",
                        help="folder of <id>.yaml dossiers and sources.yaml (default: dossiers)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML file with [tool.sourcebook] (default: the nearest pyproject.toml "
                             "at or above the dossiers folder; built-in defaults without one)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


def options(args: argparse.Namespace) -> pipeline.Options:
    return pipeline.Options(dossiers=args.dossiers, templates=getattr(args, "templates", None),
                            out=getattr(args, "out", Path("site")), config=args.config,
                            strict=getattr(args, "strict", False),
                            flavour="offline" if getattr(args, "offline", False) else "hosted",
                            offline_zip=getattr(args, "offline_zip", True),
                            base_url=getattr(args, "base_url", None))


def report(problems: Iterable[Problem], quiet: bool) -> None:
    """Problems on stderr: errors always, warnings and notices unless quiet."""
    for problem in problems:
        if not quiet or problem.severity == "error":
            print(problem, file=sys.stderr)
