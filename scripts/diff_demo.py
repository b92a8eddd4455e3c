"""`make diff-demo`: build a small git repository in a temporary folder, commit two versions of its
dossiers, and print what `sourcebook diff v1 v2` reports (the report README.md shows).

The repository has its own identity and fixed dates and reads no git configuration
(HOME is the temporary folder, GIT_CONFIG_NOSYSTEM is set), so the commit ids, and the
report, are the same on every machine. tests/test_diff.py checks README.md's copy.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def hermetic(home: Path) -> dict[str, str]:
    """An environment in which git reads no configuration but the repository's own."""
    return {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
            "LC_ALL": "C", "TZ": "UTC"}


class Repo:
    """A git repository with fixed identity and dates: each commit is one second after the last."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ticks = 0
        folder.mkdir(parents=True, exist_ok=True)
        self.env = hermetic(folder)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", "-c", "user.name=Demo Reviewer", "-c", "user.email=reviewer@example.org",
                               "-c", "commit.gpgsign=false", *args], cwd=self.folder, env=self.env,
                              capture_output=True, text=True, check=True)
        return done.stdout

    def write(self, files: dict[str, str | None]) -> None:
        """Write (or, for None, delete) files, given as dedented text."""
        for name, text in files.items():
            path = self.folder / name
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")

    def commit(self, message: str, tag: str | None = None, add: bool = True) -> str:
        """Commit everything in the work tree (add=False: only what is staged already)."""
        self.ticks += 1
        date = f"2024-01-01T12:00:{self.ticks:02d}+00:00"
        self.env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        if add:
            self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        if tag:
            self.git("tag", tag)
        return self.git("rev-parse", "HEAD").strip()


SETTINGS = """\
[tool.sourcebook]
title = "Demo dossiers"

[tool.sourcebook.topics]
market = "Products and market position"
ownership = "Ownership"
"""

SOURCES = """\
- id: annual-report-2019
  title: Annual report 2019
  publisher: Alpha Ltd
  url: https://example.org/alpha-2019.pdf
  kind: company
- id: trade-press
  title: Alpha and Beta compete for drones
  publisher: Example Trade News
  url: https://example.com/drones
  kind: news
- id: register-2019
  title: Addition of entities to the list
  publisher: Federal Register
  published: 2019-10-09
  url: https://example.gov/2019-22210
  kind: government
"""

ALPHA = """\
id: alpha
name: Alpha
sectors: [drones]
profile:
  founded: {value: "2006", sources: [{id: annual-report-2019, locator: p. 3}]}
claims:
  - id: rival
    topic: market
    text: Competes with [[beta]] for consumer drones.
    as_of: 2019
    sources: [{id: trade-press, locator: para 2}]
  - id: revenue
    topic: market
    text: Reported revenue of 2 billion dollars.
    as_of: 2019
    sources: [{id: annual-report-2019, locator: p. 12}, {id: trade-press, locator: para 5}]
  - id: hq-move
    topic: ownership
    text: Moved its headquarters to Shenzhen.
    as_of: 2018
    sources: [{id: annual-report-2019, locator: p. 4}]
events:
  - id: listed
    date: 2019-10-09
    text: Added to a US list of restricted entities.
    sources: [{id: register-2019, locator: Supplementary information}]
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
    sources: [{id: trade-press, locator: para 7}]
  - id: old-claim
    topic: market
    text: Sells mostly to farmers.
    as_of: 2015
    sources: [{id: trade-press, locator: para 8}]
"""


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


def build(folder: Path) -> Repo:
    """v1, then v2: a claim added, one removed, one edited and contested with a reply, an event renamed
    with former_ids, a claim renamed without them, a source edited, an entry with weaker sourcing, a topic added."""
    repo = Repo(folder)
    repo.write({"pyproject.toml": SETTINGS, "dossiers/sources.yaml": SOURCES, "dossiers/alpha.yaml": ALPHA,
                "dossiers/beta.yaml": BETA})
    repo.commit("v1: two dossiers", tag="v1")
    repo.write({
        "pyproject.toml": SETTINGS + 'research = "Research and development"\n',
        "dossiers/sources.yaml": edit(SOURCES, ("title: Alpha and Beta compete for drones",
                                                "title: Alpha and Beta compete for the drone market")),
        "dossiers/alpha.yaml": edit(
            ALPHA,
            ("text: Competes with [[beta]] for consumer drones.\n    as_of: 2019\n",
             "text: Competes with [[beta]] for consumer and farm drones.\n    as_of: 2019\n    status: contested\n"
             "    responses:\n      - text: Beta says it does not sell consumer drones.\n"
             "        sources: [{id: trade-press, locator: para 3}]\n"),
            ("sources: [{id: annual-report-2019, locator: p. 12}, {id: trade-press, locator: para 5}]",
             "sources: [annual-report-2019]"),
            ("  - id: hq-move\n", "  - id: headquarters-move\n"),
            ("  - id: listed\n", "  - id: entity-list-2019\n    former_ids: [listed]\n"),
            ("events:\n", "  - id: lab\n    topic: research\n    text: Opened a research lab in Shenzhen.\n"
                          "    as_of: 2020\n    sources: [{id: annual-report-2019, locator: p. 20}]\nevents:\n")),
        "dossiers/beta.yaml": edit(BETA, ("  - id: old-claim\n    topic: market\n    text: Sells mostly to farmers.\n"
                                          "    as_of: 2015\n    sources: [{id: trade-press, locator: para 8}]\n", "")),
    })
    repo.commit("v2: review these", tag="v2")
    return repo


def report(folder: Path, *options: str) -> str:
    """`sourcebook diff v1 v2` in the demo repository, as a separate process would print it."""
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "diff", "v1", "v2", "--dossiers", "dossiers",
                           *options], cwd=folder, env=hermetic(folder), capture_output=True, text=True,
                          check=True)
    return done.stdout


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sourcebook-diff-demo-") as tmp:
        folder = Path(tmp) / "repo"
        build(folder)
        print("$ sourcebook diff v1 v2")
        sys.stdout.write(report(folder, *sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
