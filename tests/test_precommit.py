"""The pre-commit hook, as a dossier repository uses it: `pre-commit try-repo` with this repository as the
hook's source, in a new git repository of dossiers.

pre-commit installs the hook (`language: python`) into a virtualenv of its own
by pip-installing this repository. With no network: pip reads only the wheels
`make test` downloads into .wheelhouse (`--no-index`), and where the
machine lets us (root, `unshare -n`), the whole run is in a network namespace
with no interface but loopback, so a download would fail the test.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, TOOLS, minimal_files, skip_or_fail, write_editor_corpus

WHEELHOUSE = ROOT / ".wheelhouse"
HOOK = "sourcebook-check"


@pytest.fixture(scope="module")
def pre_commit() -> list[str]:
    if shutil.which("git") is None:
        skip_or_fail("git not found")
    if not (WHEELHOUSE / ".filled").exists():
        skip_or_fail(f"no wheels in {WHEELHOUSE}: `make test` downloads them (pip download -r requirements.lock)")
    try:
        import pre_commit  # noqa: F401  (run as python -m pre_commit below)
    except ImportError:
        skip_or_fail("pre-commit not installed: make test installs it (requirements-test.lock)")
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        skip_or_fail(f"{ROOT} is not a git repository, so pre-commit cannot use it as a hook repository")
    isolate = ["unshare", "-n"] if _unshare_works() else []
    return [*isolate, sys.executable, "-m", "pre_commit"]


def _unshare_works() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUALENV_", "PRE_COMMIT"))}
    return {**env, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE), "PIP_CONFIG_FILE": os.devnull,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
            "HOME": str(tmp_path / "home"), "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def dossier_repo(tmp_path) -> Path:
    """A repository as a dossier project keeps one: dossiers/ and schema/, committed."""
    repo = tmp_path / "project"
    write_editor_corpus(repo / "dossiers", minimal_files())
    (repo / "notes.txt").write_text("notes\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "dossiers")
    return repo


def _try_repo(pre_commit: list[str], repo: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.run([*pre_commit, "try-repo", str(ROOT), HOOK, "--color", "never", *extra], cwd=repo,
                          env=_env(tmp_path), capture_output=True, text=True, timeout=300)


def test_try_repo_runs_the_hook_and_fails_on_a_broken_dossier(pre_commit, dossier_repo, tmp_path):
    """Only sources.yaml changes, yet alpha.yaml breaks: the hook checks the whole folder."""
    sources = dossier_repo / "dossiers" / "sources.yaml"
    sources.write_text(sources.read_text().replace("- id: src-a", "- id: src-aa"))
    _git(dossier_repo, "add", "dossiers/sources.yaml")
    run = _try_repo(pre_commit, dossier_repo, tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "sourcebook check" in run.stdout and "Failed" in run.stdout, run.stdout
    assert ("dossiers/alpha.yaml:6:38: error[unknown-source]: profile fact 'founded' cites 'src-a', which is not "
            "in sources.yaml (did you mean 'src-aa'?)") in run.stdout, run.stdout


def test_the_hook_runs_when_yaml_or_markdown_changes_and_only_then(pre_commit, dossier_repo, tmp_path):
    """The same hook from a .pre-commit-config.yaml, as a project pins it (installed once, run twice)."""
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                         check=True).stdout.strip()
    (dossier_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: {HOOK}\n")
    env = {**_env(tmp_path), "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    (tmp_path / "home").mkdir(exist_ok=True)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit, "run", "--color", "never"], cwd=dossier_repo, env=env,
                              capture_output=True, text=True, timeout=300)

    (dossier_repo / "dossiers" / "about.md").write_text("# About\n\nThese dossiers.\n")
    _git(dossier_repo, "add", ".pre-commit-config.yaml", "dossiers/about.md")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "sourcebook check" in passed.stdout and "Passed" in passed.stdout, passed.stdout
    _git(dossier_repo, "commit", "-q", "-m", "about")
    (dossier_repo / "notes.txt").write_text("more notes\n")
    _git(dossier_repo, "add", "notes.txt")
    skipped = run()
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout, skipped.stdout
