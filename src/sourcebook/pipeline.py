"""The build as a list of named steps.

    settings -> load -> validate -> extra files -> index -> history -> views (page families) -> render
        -> non-page outputs and extra files -> offline copy -> link check -> write

`check` runs the first three; `build` runs them all. The offline copy
(`offline.py`) rides along the hosted render: each page is rendered once and
written twice, to the folder and into the offline zip, which becomes the
folder's last file. Each step is a
function of the previous steps' results; problems are values, collected and
raised as one `BuildFailed`.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from . import extra
from .changes.compare import Side
from .changes.replay import Request, read_history
from .destinations import destination
from .destinations.folder import WriteStats
from .families import FAMILIES
from .families.family import Page
from .indexes import build_indexes
from .linkcheck import LinkCheck
from .load import Files, LoadedFolder, load_folder
from .model import Corpus
from .offline import OfflineCopy, zip_target
from .output import Output
from .outputs import OUTPUTS
from .outputs.output import Build
from .destinations.zip import ZipStats
from .problems import BuildFailed, Problem, errors, failing
from .reading import Field
from .reads import CHROME, Inputs
from .render import CSP, Chrome, PageRecord, Renderer
from .settings import (CORE_SETTINGS, Settings, base_url_notice, defaults, find_config, read_settings,
                       read_settings_text, with_base_url)
from .text import Linker
from .theme import Theme
from .urls import Flavour, Target
from .validate import validate


@dataclass(frozen=True)
class Options:
    dossiers: Path = Path("dossiers")
    templates: Path | None = None
    out: Path = Path("site")
    config: Path | None = None
    strict: bool = False
    flavour: Flavour = "hosted"  # "offline": links name index.html files, for file://
    offline_zip: bool = True     # a hosted build also writes <short_name>-offline.zip
    base_url: str | None = None  # --base-url: replaces the setting ("" unsets it); None: the setting's


@dataclass
class Result:
    corpus: Corpus
    settings: Settings
    warnings: list[Problem] = field(default_factory=list)  # warnings and notices: what did not fail
    pages: int = 0
    records: list[PageRecord] = field(default_factory=list)
    stats: WriteStats | None = None
    offline: ZipStats | None = None      # the offline zip, when the build wrote one
    seconds: float = 0.0


Progress = Callable[[int], None]  # pages rendered so far


def declared_settings() -> tuple[Field, ...]:
    """The core settings and every registered family's own."""
    return CORE_SETTINGS + tuple(f for family in FAMILIES for f in family.settings)


def read_options_settings(options: Options) -> tuple[Settings, list[Problem]]:
    path = options.config if options.config else find_config(options.dossiers)
    kinds = {k: v for family in FAMILIES for k, v in family.setting_kinds.items()}
    settings, notices = read_settings(path, declared_settings(), kinds)
    if options.base_url is not None:
        settings = with_base_url(settings, options.base_url)
    return settings, notices


def read_settings_from_text(text: str, display: str) -> tuple[Settings, list[Problem]]:
    """Settings from a settings file's text (`diff` reads one from a git revision)."""
    kinds = {k: v for family in FAMILIES for k, v in family.setting_kinds.items()}
    return read_settings_text(text, display, None, declared_settings(), kinds)


SettingsRead = Callable[[], tuple[Settings, list[Problem]]]


def side(role: str, label: str, commit: str | None, folder: str, files: Path | Files,
         read: SettingsRead) -> Side:
    """One side of a `diff`: settings, load and validate, then — when it validates — index and views,
    keeping only what each page read. Nothing is rendered. A side whose settings do not read is read
    with the defaults and reports why; a side with errors reports them and has no pages."""
    try:
        settings, notices = read()
    except BuildFailed as failed:
        settings, notices = defaults(declared_settings()), list(failed.problems)
    corpus, problems = validate(load_folder(files, settings.limits), settings)
    found = tuple(sorted(notices + problems, key=Problem.sort_key))
    if errors(found):
        return Side(role, label, commit, folder, settings.path, corpus, settings, found)
    inputs = index(corpus, settings)
    pages = {page.path: frozenset(page.reads.keys | {CHROME}) for page in views(inputs)}
    return Side(role, label, commit, folder, settings.path, corpus, settings, found, inputs, pages, chrome(inputs))


def check(options: Options) -> Result:
    """Settings, load and validate; raise BuildFailed on errors (or on warnings when strict)."""
    started = time.perf_counter()
    settings, notices = read_options_settings(options)
    loaded = load(options, settings)
    corpus, problems = validate(loaded, settings)
    problems = notices + problems
    if failing(problems, options.strict):
        raise BuildFailed(problems)
    return Result(corpus, settings, problems, seconds=time.perf_counter() - started)


def load(options: Options, settings: Settings) -> LoadedFolder:
    return load_folder(options.dossiers, settings.limits, "" if settings.folder is None else settings.path)


def build(options: Options, progress: Progress | None = None) -> Result:
    started = time.perf_counter()
    with _collect_garbage_later():
        result = check(options)
        extras = extra.find(result.settings, options.dossiers, options.out)
        inputs = index(result.corpus, result.settings)
        inputs, found = history(options, inputs)
        result.warnings += found
        if failing(found, options.strict):
            raise BuildFailed(result.warnings)
    theme = Theme.with_override(options.templates)
    copy = OfflineCopy(result.settings.values["short_name"], options.out.absolute()) \
        if options.flavour == "hosted" and options.offline_zip else None
    download = zip_target(result.settings.values["short_name"]) if copy else None
    renderer = Renderer(theme, chrome(inputs, download), options.flavour,
                        {d.id: d.name for d in inputs.corpus.dossiers},
                        lambda dossier_id: inputs.target("company", dossier_id),
                        result.settings.limits.seconds_per_file, linker=Linker(inputs.indexes.aliases))
    build_ = Build(inputs, theme, options.flavour, result.records, lambda record: inputs.history.modified(record.reads))
    files = chain(render_pages(views(inputs), renderer, result.records, progress, copy),
                  non_page_outputs(build_, extras, copy))
    links = LinkCheck()   # the offline copy's own check speaks only when the hosted tree's finds nothing
    try:
        result.stats = destination("folder").write(
            links.watch(files), options.out,
            lambda: _fail_on(links.problems() or (copy.problems() if copy else [])))
    finally:
        gc.unfreeze()
        if copy:
            copy.close()
    result.offline = copy.stats if copy else None
    result.warnings += base_url_notice(result.settings) + list(result.stats.notices)
    result.pages = len(result.records)
    result.seconds = time.perf_counter() - started
    return result


def index(corpus: Corpus, settings: Settings) -> Inputs:
    """The corpus-wide tables (mentions, citing) and the families' routes: what views read."""
    return Inputs(corpus, build_indexes(corpus), settings, {f.name: f.route for f in FAMILIES})


def history(options: Options, inputs: Inputs) -> tuple[Inputs, list[Problem]]:
    """The dossiers folder's git history (`changes.replay`): one pass over the commits that touched it,
    cached beside the settings file; nothing (and no problem) where the folder is not in a git checkout."""
    settings = inputs.settings
    path = options.config if options.config else find_config(options.dossiers)
    window = int(settings.values.get("changes_listed", 0) or 0)
    request = Request(options.dossiers, options.out, settings, path if settings.folder is not None else None,
                      lambda text, display: read_settings_from_text(text, display)[0], window, inputs)
    found, problems = read_history(request)
    return replace(inputs, history=found), problems


def views(inputs: Inputs) -> Iterator[Page]:
    """Every page of every family, in registry order, built lazily so pages stream."""
    for family in FAMILIES:
        if family.shown(inputs):
            yield from family.pages(inputs)


def chrome(inputs: Inputs, download: Target | None = None) -> Chrome:
    settings, corpus = inputs.settings, inputs.corpus
    nav = tuple(f.nav for f in FAMILIES if f.nav is not None and f.shown(inputs))
    about = inputs.target("about") if any(f.name == "about" and f.shown(inputs) for f in FAMILIES) else None
    alternates = tuple(a for a in (o.alternate(inputs) for o in OUTPUTS) if a is not None)
    return Chrome(settings.title, settings.description, settings.language, CSP, inputs.target("home"), nav, about,
                  download, settings.base_url, alternates)


def render_pages(pages: Iterator[Page], renderer: Renderer, records: list[PageRecord],
                 progress: Progress | None, copy: OfflineCopy | None = None) -> Iterator[Output]:
    """Each page rendered once; with an offline copy, its offline variant goes into the copy."""
    for done, page in enumerate(pages, 1):
        if copy is None:
            output, record = renderer.render(page)
        else:
            output, offline, record = renderer.render_both(page)
            copy.add(offline)
        records.append(record)
        yield output
        if progress:
            progress(done)


def non_page_outputs(build: Build, extras: extra.ExtraFiles = extra.NONE,
                     copy: OfflineCopy | None = None) -> Iterator[Output]:
    """The registered outputs, less the files an extra file replaces; then the extra files; then the offline
    copy, which gets each of them too (an output whose bytes depend on the links made again), and so holds
    what an --offline build writes. An extra file may replace the zip as it may any generated file."""
    generated: list[str] = []
    for output in OUTPUTS:
        for file in output.files(build):
            if not extras.replaces(file.path):
                generated.append(file.path)
                if copy is not None and not output.flavoured:
                    copy.add(file)
                yield file
        if copy is not None and output.flavoured:
            for file in output.files(replace(build, flavour="offline")):
                if not extras.replaces(file.path):
                    copy.add(file)
    if copy is not None and not extras.replaces(copy.name):
        generated.append(copy.name)
    for file in extras.outputs(build.records, generated):
        if copy is not None:
            copy.add(file)
        yield file
    if copy is not None and not extras.replaces(copy.name):
        yield from copy.files()


def _fail_on(problems: list[Problem]) -> None:
    if problems:
        raise BuildFailed(problems)


@contextmanager
def _collect_garbage_later() -> Iterator[None]:
    """Pause the cycle collector while the model is built, then freeze what was built.

    Loading allocates millions of small objects that live for the whole build
    and form no cycles; with the collector running, each collection rescans
    all of them, which tripled load time at 1,000 dossiers. Frozen objects
    are skipped by later collections during rendering.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
