"""`stats`: coverage per dossier, so a reviewer sees at a glance what a dossier rests on."""
from __future__ import annotations

import argparse

from .. import pipeline
from ..stats import dossier_stats, format_stats
from .command import Command, common_arguments, options, report


def run(args: argparse.Namespace) -> int:
    result = pipeline.check(options(args))
    report(result.warnings, quiet=True)
    print(format_stats(dossier_stats(result.corpus)))
    return 0


COMMAND = Command("stats", "per-dossier coverage: claims, events, relationships, sources, locators",
                  common_arguments, run)
