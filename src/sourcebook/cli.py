"""Command line: `python build.py [command]` (also installed as `sourcebook`).

Exit status: 0 success, 1 content errors (validation or output integrity),
2 usage errors, 3 I/O failure. Problems and warnings go to stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TextIO

from . import pipeline
from .problems import BuildFailed, Problem, errors
from .schema import dump, json_schemas
from .stats import dossier_stats, format_stats

EPILOG = """\
commands:
  build     load, validate and render the dossiers into a static site (the default)
  check     validate only; --format json for tools, --strict to fail on warnings
  stats     per-dossier coverage: claims, events, relationships, sources, locators
  schema    write the JSON Schemas for dossiers and sources.yaml (for editors)

exit status: 0 success, 1 content errors, 2 usage errors, 3 I/O failure
"""


def _version() -> str:
    try:
        return version("sourcebook")
    except PackageNotFoundError:  # running from a checkout without installing
        return "unknown"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="build.py", description="sourcebook: YAML company dossiers in, a cited, cross-linked static site out.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    top.add_argument("--version", action="version", version=f"sourcebook {_version()}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dossiers", type=Path, default=Path("dossiers"), metavar="DIR",
                        help="folder of <id>.yaml dossiers and sources.yaml (default: dossiers)")
    common.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML file with [tool.sourcebook] (default: the nearest pyproject.toml "
                             "at or above the dossiers folder; built-in defaults without one)")
    common.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    commands = top.add_subparsers(dest="command", metavar="command")

    build = commands.add_parser("build", parents=[common], help="build the site (default)")
    build.add_argument("--templates", type=Path, metavar="DIR",
                       help="folder of templates that replace the default theme's files of the same name")
    build.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                       help="output folder, replaced atomically (default: site)")
    build.add_argument("--strict", action="store_true", help="fail on warnings too")
    build.add_argument("--offline", action="store_true",
                       help="links name index.html files, so the site reads from file:// "
                            "(a folder, a USB stick, an unpacked zip); default: links name folders, for hosting")

    check = commands.add_parser("check", parents=[common], help="validate only")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="text (default) or json on stdout")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")

    commands.add_parser("stats", parents=[common], help="coverage per dossier")

    schema = commands.add_parser("schema", parents=[common], help="write the JSON Schemas")
    schema.add_argument("--out", type=Path, default=Path("schema"), metavar="DIR",
                        help="folder for dossier.schema.json and sources.schema.json (default: schema)")
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        argv = ["build", *argv]  # no command: build
    args = parser().parse_args(argv)
    if not args.dossiers.is_dir() and args.command != "schema":
        print(f"{args.dossiers}: error[usage]: no such folder (give --dossiers DIR)", file=sys.stderr)
        return 2
    try:
        return COMMANDS[args.command](args)
    except BuildFailed as failed:
        _report(failed.problems, quiet=args.quiet)
        return failed.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous site is unchanged", file=sys.stderr)
        return 130


def _options(args: argparse.Namespace) -> pipeline.Options:
    return pipeline.Options(dossiers=args.dossiers, templates=getattr(args, "templates", None),
                            out=getattr(args, "out", Path("site")), config=args.config,
                            strict=getattr(args, "strict", False),
                            flavour="offline" if getattr(args, "offline", False) else "hosted")


def cmd_build(args: argparse.Namespace) -> int:
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    result = pipeline.build(_options(args), progress)
    if progress:
        progress.clear()
    _report(result.warnings, quiet=args.quiet)
    if not args.quiet:
        corpus, stats = result.corpus, result.stats
        assert stats is not None
        claims = sum(len(d.claims) for d in corpus.dossiers)
        events = sum(len(d.events) for d in corpus.dossiers)
        print(f"built {len(corpus.dossiers)} dossiers ({claims} claims, {events} events, "
              f"{len(corpus.sources)} sources) into {args.out}: {result.pages} pages, "
              f"{stats.written} files written, {stats.unchanged} unchanged, in {result.seconds:.2f} s",
              file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    try:
        result = pipeline.check(_options(args))
        problems, code = result.warnings, 0
    except BuildFailed as failed:
        problems, code = failed.problems, failed.exit_code
    if args.format == "json":
        report = {"ok": code == 0, "errors": len(errors(problems)),
                  "warnings": len(problems) - len(errors(problems)),
                  "problems": [p.as_json() for p in problems]}
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return code
    _report(problems, quiet=args.quiet)
    if not args.quiet and code == 0:
        n_warn = len(problems)
        print(f"ok: {len(result.corpus.dossiers)} dossiers, {len(result.corpus.sources)} sources"
              f"{f', {n_warn} warnings' if n_warn else ''}", file=sys.stderr)
    return code


def cmd_stats(args: argparse.Namespace) -> int:
    result = pipeline.check(_options(args))
    _report(result.warnings, quiet=True)
    print(format_stats(dossier_stats(result.corpus)))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    config = pipeline.read_config(_options(args))
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, schema in json_schemas(config).items():
            (args.out / name).write_text(dump(schema), encoding="utf-8")
    except OSError as e:
        print(f"{args.out}: error[write-failed]: {e.strerror or e}", file=sys.stderr)
        return 3
    if not args.quiet:
        print(f"wrote {args.out}/dossier.schema.json and {args.out}/sources.schema.json", file=sys.stderr)
    return 0


COMMANDS = {"build": cmd_build, "check": cmd_check, "stats": cmd_stats, "schema": cmd_schema}


def _report(problems: list[Problem], quiet: bool) -> None:
    for problem in problems:
        if not quiet or problem.severity == "error":
            print(problem, file=sys.stderr)


class _Progress:
    """A one-line progress counter for builds long enough to notice, on a terminal only."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started > 0.5 and (done % 50 == 0 or done == total):
            self.stream.write(f"\rrendering pages: {done}/{total}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
