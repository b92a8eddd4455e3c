"""sourcebook as people install it: the wheel, in a fresh virtual environment outside the repository.

The wheel is built from this checkout, installed with its pinned dependencies from the wheelhouse
`make test` fills from requirements.lock (--no-index: no network), and run from an unrelated folder.
It must build the shipped dossiers into the same bytes as the checkout does: the theme ships as
package data, and nothing depends on where the checkout is.
"""
from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import DOSSIERS, ROOT, skip_or_fail
from sourcebook import pipeline

WHEELHOUSE = ROOT / ".wheelhouse"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (WHEELHOUSE / ".filled").is_file():
        skip_or_fail("no wheelhouse: `make test` fills .wheelhouse/ from requirements.lock")
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next((work / "dist").glob("sourcebook-*.whl"))
    env = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    subprocess.run([str(env / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    "--no-index", "--find-links", str(WHEELHOUSE), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    return env


def test_the_wheel_carries_the_theme_and_only_the_runtime_dependencies(installed: Path):
    wheel = next(installed.parent.glob("dist/sourcebook-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"sourcebook/default_theme/index.html", "sourcebook/default_theme/company.html",
            "sourcebook/default_theme/static/style.css"} <= set(names)
    metadata = next(n for n in names if n.endswith("METADATA"))
    requires = [line for line in zipfile.ZipFile(wheel).read(metadata).decode().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert not [r for r in requires if "mkdocs" in r.lower()], requires
    frozen = subprocess.run([str(installed / "bin/python"), "-m", "pip", "freeze"], capture_output=True,
                            text=True, check=True).stdout
    installed_names = {line.split("==")[0].split(" @ ")[0].lower() for line in frozen.splitlines() if line}
    locked = {line.split("==")[0].lower() for line in (ROOT / "requirements.lock").read_text().splitlines()
              if line and not line.startswith("#")}
    assert installed_names == (locked - {"setuptools", "wheel"}) | {"sourcebook"}  # what a build needs, no more


def test_the_installed_tool_builds_the_shipped_dossiers_from_any_folder(installed: Path, tmp_path: Path):
    elsewhere = tmp_path / "somewhere else"
    elsewhere.mkdir()
    run = subprocess.run([str(installed / "bin/sourcebook"), "build", "--dossiers", str(DOSSIERS),
                          "--out", "site", "--config", str(ROOT / "pyproject.toml")],
                         cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    checkout = tmp_path / "checkout-site"
    pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=checkout, config=ROOT / "pyproject.toml"))
    built = {p.relative_to(elsewhere / "site").as_posix(): p.read_bytes()
             for p in (elsewhere / "site").rglob("*") if p.is_file()}
    expected = {p.relative_to(checkout).as_posix(): p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    assert built.keys() == expected.keys()
    assert [path for path in built if built[path] != expected[path]] == []


def test_the_installed_tool_answers_version_and_help(installed: Path):
    version = subprocess.run([str(installed / "bin/sourcebook"), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == "sourcebook 0.1.0"
    help_ = subprocess.run([str(installed / "bin/sourcebook"), "--help"], capture_output=True, text=True)
    assert help_.stdout.startswith("usage: sourcebook ")
