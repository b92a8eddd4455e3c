"""`schema`: write the JSON Schemas for dossiers and sources.yaml (for editors)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import pipeline
from ..schema import FILES, dump, json_schemas
from ..settings import settings_markdown
from .command import Command, common_arguments, options


def arguments(parser: argparse.ArgumentParser) -> None:
    common_arguments(parser)
    parser.add_argument("--out", type=Path, default=Path("schema"), metavar="DIR",
                        help="folder for dossier, sources and parties .schema.json (default: schema)")
    parser.add_argument("--settings-doc", type=Path, metavar="FILE",
                        help="also write the settings' documentation, generated from their declarations, to FILE "
                             "(docs/settings.md)")


def run(args: argparse.Namespace) -> int:
    settings, _ = pipeline.read_options_settings(options(args))
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, schema in json_schemas(settings).items():
            (args.out / name).write_text(dump(schema), encoding="utf-8")
        if args.settings_doc:
            args.settings_doc.write_text(settings_markdown(pipeline.declared_settings()), encoding="utf-8")
    except OSError as e:
        print(f"{args.out}: error[write-failed]: {e.strerror or e}", file=sys.stderr)
        return 3
    if not args.quiet:
        print(f"wrote {', '.join(f'{args.out}/{name}' for name in FILES)}", file=sys.stderr)
    return 0


COMMAND = Command("schema", "write the JSON Schemas for dossiers and sources.yaml (for editors)", arguments, run,
                  needs_dossiers=False)
