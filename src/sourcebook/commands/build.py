"""`build`: load, validate and render the dossiers into a static site (the default command)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from .. import pipeline
from .command import Command, common_arguments, options, report


def arguments(parser: argparse.ArgumentParser) -> None:
    common_arguments(parser)
    parser.add_argument("--templates", type=Path, metavar="DIR",
                        help="folder of templates that replace the default theme's files of the same name")
    parser.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                        help="output folder, replaced atomically; only a folder sourcebook wrote (default: site)")
    parser.add_argument("--base-url", metavar="URL",
                        help="where the site is published, an absolute http(s) URL ending in '/': canonical "
                             "links, Open Graph, sitemap.xml, robots.txt and feed.xml need it "
                             "(default: base_url from the settings; '' for none)")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")
    parser.add_argument("--offline", action="store_true",
                        help="links name index.html files, so the folder itself reads from file:// "
                             "(a USB stick); default: links name folders, for hosting, and the build also "
                             "writes the offline copy, <short_name>-offline.zip")
    parser.add_argument("--no-offline-zip", dest="offline_zip", action="store_false",
                        help="leave out the offline zip (and the links to it): a faster build for previews")


def run(args: argparse.Namespace) -> int:
    progress = _Progress(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    result = pipeline.build(options(args), progress)
    if progress:
        progress.clear()
    report(result.warnings, quiet=args.quiet)
    if not args.quiet:
        corpus, stats = result.corpus, result.stats
        assert stats is not None
        claims = sum(len(d.claims) for d in corpus.dossiers)
        events = sum(len(d.events) for d in corpus.dossiers)
        offline = result.offline
        zipped = (f"; offline copy {_size(offline.bytes)}, {offline.deflated} of {offline.members} files "
                  f"compressed afresh" if offline else "")
        print(f"built {len(corpus.dossiers)} dossiers ({claims} claims, {events} events, "
              f"{len(corpus.sources)} sources) into {args.out}: {result.pages} pages, "
              f"{stats.written} files written, {stats.unchanged} unchanged{zipped}, in {result.seconds:.2f} s",
              file=sys.stderr)
    return 0


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{max(1, round(count / 1e3))} kB"


class _Progress:
    """A one-line progress counter for builds long enough to notice, on a terminal only."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int) -> None:
        if done % 50 == 0 and time.monotonic() - self.started > 0.5:
            self.stream.write(f"\rrendering pages: {done}")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


COMMAND = Command("build", "load, validate and render the dossiers into a static site (the default)",
                  arguments, run)
