"""The build as a list of named steps: load -> validate -> link -> render -> check -> write."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config, find_config, load_config
from .integrity import check_links
from .link import link
from .load import load_folder
from .model import Corpus
from .problems import BuildFailed, Problem, errors
from .render import Progress, Theme, render_site
from .validate import validate
from .write import WriteStats, write_site


@dataclass(frozen=True)
class Options:
    dossiers: Path = Path("dossiers")
    templates: Path | None = None
    out: Path = Path("site")
    config: Path | None = None
    strict: bool = False


@dataclass
class Result:
    corpus: Corpus
    config: Config
    warnings: list[Problem] = field(default_factory=list)
    pages: int = 0
    stats: WriteStats | None = None
    seconds: float = 0.0


def read_config(options: Options) -> Config:
    return load_config(options.config if options.config else find_config(options.dossiers))


def check(options: Options) -> Result:
    """Load and validate; raise BuildFailed on errors (or on warnings when strict)."""
    started = time.perf_counter()
    config = read_config(options)
    loaded = load_folder(options.dossiers, config.limits)
    corpus, problems = validate(loaded, config)
    failing = problems if options.strict else errors(problems)
    if failing:
        raise BuildFailed(problems)
    assert corpus is not None
    return Result(corpus, config, problems, seconds=time.perf_counter() - started)


def build(options: Options, progress: Progress | None = None) -> Result:
    started = time.perf_counter()
    result = check(options)
    site = link(result.corpus, result.config)
    outputs, linked = render_site(site, Theme.with_override(options.templates), progress=progress)
    broken = check_links(outputs, linked)
    if broken:
        raise BuildFailed(broken)
    result.stats = write_site(outputs, options.out)
    result.pages = len(site.pages)
    result.seconds = time.perf_counter() - started
    return result
