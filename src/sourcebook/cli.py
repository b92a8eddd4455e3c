"""Command line: `sourcebook [command] [options]` (also `python build.py ...`, `python -m sourcebook`).

Commands come from `commands.COMMANDS`. Options may come before or after the
command (`--dossiers X check` reads X): the command word is moved to the
front before parsing. No command means `build`. Exit status: 0 success,
1 content errors (validation or output integrity), 2 usage and settings
errors, 3 I/O failure. Problems and warnings go to stderr.
"""
from __future__ import annotations

import argparse
import os
import sys
from importlib.metadata import PackageNotFoundError, version

from .commands import COMMANDS, DEFAULT
from .problems import BuildFailed, did_you_mean

EXIT_STATUS = "exit status: 0 success, 1 content errors, 2 usage or settings errors, 3 I/O failure"


def package_version() -> str:
    try:
        return version("sourcebook")
    except PackageNotFoundError:  # running from a checkout without installing
        return "unknown"


def program_name() -> str:
    """What the user typed: `sourcebook`, `build.py`, or `python -m sourcebook`."""
    path = sys.argv[0] if sys.argv and sys.argv[0] else "sourcebook"
    if os.path.basename(path) == "__main__.py":
        return "python -m sourcebook" if os.path.basename(os.path.dirname(path)) == "sourcebook" else "sourcebook"
    return os.path.basename(path)


def parser(prog: str) -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog=prog, description="sourcebook: YAML company dossiers in, a cited, cross-linked static site out.",
        epilog=f"no command means {DEFAULT}; options may come before or after the command "
               f"({prog} COMMAND --help for its options).\n{EXIT_STATUS}",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"sourcebook {package_version()}")
    sub = top.add_subparsers(dest="command", metavar="command")
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, help=command.help, description=command.help))
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    prog = program_name()
    top = parser(prog)
    found = _command_position(argv, top)
    if isinstance(found, str):
        print(f"{prog}: error: {found}", file=sys.stderr)
        return 2
    if found is None and not any(a in ("-h", "--help", "--version") for a in argv):
        argv = [DEFAULT, *argv]
    elif found is not None:
        argv = [argv[found], *argv[:found], *argv[found + 1:]]
    args = top.parse_args(argv)
    if args.command is None:
        top.print_help()
        return 0
    command = next(c for c in COMMANDS if c.name == args.command)
    if command.needs_dossiers and not args.dossiers.is_dir():
        print(f"{args.dossiers}: error[usage]: no such folder (give --dossiers DIR)", file=sys.stderr)
        return 2
    try:
        return command.run(args)
    except BuildFailed as failed:
        for problem in failed.problems:
            if not args.quiet or problem.severity == "error":
                print(problem, file=sys.stderr)
        return failed.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def _command_position(argv: list[str], top: argparse.ArgumentParser) -> int | str | None:
    """Where the command word is (None: no command), or why the first word is not one."""
    takes_value = _options_with_values(top)
    names = [c.name for c in COMMANDS]
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return None
        if word.startswith("-") and word != "-":
            i += 2 if word in takes_value else 1
            continue
        if word in names:
            return i
        return f"unknown command '{word}'{did_you_mean(word, names)}; commands: {', '.join(names)}"
    return None


def _options_with_values(top: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    parsers = [top, *(a.choices[c.name] for a in top._subparsers._group_actions  # type: ignore[union-attr]
                      for c in COMMANDS if isinstance(a, argparse._SubParsersAction) and c.name in a.choices)]
    for p in parsers:
        for action in p._actions:
            if action.option_strings and action.nargs != 0:
                found.update(action.option_strings)
    return found
