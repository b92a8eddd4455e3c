"""Shared fixtures: tiny corpora on disk, running the CLI, the shipped site, and a browser.

Browser fixtures drive Debian's /usr/bin/chromium through Playwright (never a
Playwright browser download). Where Chromium or a checker is missing the
tests that need it skip with a message; with REQUIRE_BROWSER=1 (set by
.ci/run) they fail instead.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from sourcebook import cli, pipeline

ROOT = Path(__file__).resolve().parents[1]
DOSSIERS = ROOT / "dossiers"
NOT_DOSSIERS = ("sources.yaml", "parties.yaml")  # the shipped folder's other YAML files


def dossier_files(folder: Path = DOSSIERS) -> list[Path]:
    """The dossier files of a folder: every <id>.yaml but the bibliography and the parties."""
    return sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_DOSSIERS)
REQUIRE_BROWSER = os.environ.get("REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TOOLS = Path(os.environ.get("WEB_TOOLS", ROOT / ".tools"))
AXE_JS = TOOLS / "node_modules/axe-core/axe.min.js"
VNU_JAR = TOOLS / "node_modules/vnu-jar/build/dist/vnu.jar"

SOURCES = """\
- id: src-a
  title: A report
  publisher: Example Agency
  published: 2020-01-02
  url: https://example.org/a
  kind: government
- id: src-b
  title: B article
  publisher: Example News
  url: https://example.com/b
  kind: news
"""

ALPHA = """\
id: alpha
name: Alpha
sectors: [drones]
profile:
  founded: {value: "2006", sources: [{id: src-a, locator: p. 1}]}
claims:
  - id: rival
    topic: market
    text: Competes with [[beta]].
    as_of: 2019-05
    sources: [{id: src-a, locator: para 2}]
events:
  - id: listed
    date: 2019-10-09
    text: Added to a list.
    sources: [{id: src-b, locator: para 1}]
relationships:
  - id: rival-beta
    type: competitor
    target: beta
    sources: [src-b]
"""

BETA = """\
id: beta
name: Beta
sectors: [drones]
claims:
  - id: founded
    topic: ownership
    text: Founded in 2001.
    as_of: 2001
    sources: [{id: src-b, locator: para 3}]
"""


def minimal_files() -> dict[str, str]:
    return {"sources.yaml": SOURCES, "alpha.yaml": ALPHA, "beta.yaml": BETA}


def without_modeline_warnings(lines: list[str]) -> list[str]:
    """The minimal corpus has no yaml-language-server first lines (so its line numbers stay those of
    the texts above): leave out the warnings that says so."""
    return [line for line in lines if "warning[schema-modeline]: the first line is not" not in line]


def with_modelines(files: dict[str, str]) -> dict[str, str]:
    """The same files as editors should see them: each YAML file starts with its schema line."""
    kind = {"sources.yaml": "sources", "parties.yaml": "parties"}
    return {name: f"# yaml-language-server: $schema=../schema/"
                  f"{kind.get(name, 'dossier')}.schema.json\n{textwrap.dedent(text)}"
            if name.endswith(".yaml") else text for name, text in files.items()}


def write_editor_corpus(folder: Path, files: dict[str, str], config: Path | None = None) -> Path:
    """A corpus with schema lines, and the schemas `sourcebook schema` writes beside it (../schema/)."""
    from sourcebook.schema import dump, json_schemas
    write_corpus(folder, with_modelines(files))
    settings = pipeline.read_options_settings(pipeline.Options(dossiers=folder, config=config))[0]
    (folder.parent / "schema").mkdir(exist_ok=True)
    for name, schema in json_schemas(settings).items():
        (folder.parent / "schema" / name).write_text(dump(schema), encoding="utf-8")
    return folder


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write files (name -> text or bytes) into folder; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: run_cli("check", "--dossiers", dir) -> Run."""
    def run(*args: object) -> Run:
        code = cli.main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)
    return run


def run_process(*args: object, cwd: Path | None = None, timeout: float = 120) -> Run:
    """Run `python build.py ...` in a separate process."""
    p = subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)], cwd=cwd,
                       capture_output=True, text=True, timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_corpus(tmp_path / "dossiers", minimal_files())


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped dossiers, built once for the session."""
    out = tmp_path_factory.mktemp("shipped") / "site"
    pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=out, config=ROOT / "pyproject.toml"))
    return out


PUBLISHED_AT = "https://example.org/dossiers/"


@pytest.fixture(scope="session")
def published_site(tmp_path_factory) -> Path:
    """The shipped dossiers built with base_url (PUBLISHED_AT): canonical links, sitemap, feed."""
    out = tmp_path_factory.mktemp("published") / "site"
    pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=out, config=ROOT / "pyproject.toml",
                                    base_url=PUBLISHED_AT))
    return out


SPLIT_SETTINGS = "topic_page_size = 20\nsources_page_size = 30\n"


@pytest.fixture(scope="session")
def split_site(tmp_path_factory) -> Path:
    """The shipped dossiers with small page sizes, so big topics split by company and the sources
    index by kind and initial: the pages of the topic-part, source-kind and source-initial families."""
    folder = tmp_path_factory.mktemp("split")
    settings = (ROOT / "pyproject.toml").read_text(encoding="utf-8").replace(
        "[tool.sourcebook]\n", "[tool.sourcebook]\n" + SPLIT_SETTINGS, 1)
    (folder / "settings.toml").write_text(settings, encoding="utf-8")
    out = folder / "site"
    pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=out, config=folder / "settings.toml"))
    return out


# --- serving a built site -----------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass


@contextmanager
def serve(folder: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler,
          server_class: type[http.server.ThreadingHTTPServer] = http.server.ThreadingHTTPServer,
          ) -> Iterator[str]:
    """Serve folder on 127.0.0.1 (an ephemeral port) from a thread; yield its root URL."""
    server = server_class(("127.0.0.1", 0), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- the browser ------------------------------------------------------------------

def skip_or_fail(message: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"{message} [REQUIRE_BROWSER=1]", pytrace=False)
    pytest.skip(f"{message} (set REQUIRE_BROWSER=1 to make this an error)")


def _find_chromium() -> str | None:
    if os.environ.get("CHROMIUM_PATH"):
        path = os.environ["CHROMIUM_PATH"]
        return path if os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _find_chromium()
    if path is None:
        skip_or_fail("Chromium not found: apt-get install -y --no-install-recommends chromium "
                     "(or set CHROMIUM_PATH)")
    return path  # type: ignore[return-value]


try:
    import pytest_playwright  # noqa: F401  (provides the browser, context and page fixtures)
except ImportError:
    @pytest.fixture
    def page():
        skip_or_fail("playwright/pytest-playwright not installed: make test installs them")
else:
    @pytest.fixture(scope="session")
    def browser_type_launch_args(browser_type_launch_args, chromium_path):
        """pytest-playwright's fixture, pointed at Debian's Chromium."""
        return {**browser_type_launch_args, "executable_path": chromium_path,
                "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}
