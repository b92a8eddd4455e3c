"""`check`: validate only, and print every problem in one run."""
from __future__ import annotations

import argparse
import json
import sys

from .. import pipeline
from ..problems import BuildFailed
from .command import Command, common_arguments, options, report


def arguments(parser: argparse.ArgumentParser) -> None:
    common_arguments(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text (default) or json on stdout")
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
    report(problems, quiet=args.quiet)
    if not args.quiet and result is not None:
        warnings = sum(1 for p in problems if p.severity == "warning")
        print(f"ok: {len(result.corpus.dossiers)} dossiers, {len(result.corpus.sources)} sources"
              f"{f', {warnings} warnings' if warnings else ''}", file=sys.stderr)
    return code


COMMAND = Command("check", "validate only; --format json for tools, --strict to fail on warnings", arguments, run)
