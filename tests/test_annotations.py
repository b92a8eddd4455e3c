"""`check --format github`: workflow commands GitHub turns into annotations on the pull request.

Each line printed is read back with a port of the runner's own parser
(actions/runner, src/Runner.Common/ActionCommand.cs, `TryParseV2` and its
unescaping), so the test shows what GitHub would make of it: which command,
which file and line, and the message as the contributor wrote it.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ALPHA, minimal_files, write_corpus
from sourcebook.annotations import PER_SEVERITY, annotate, command, escape_data, escape_property, summary
from sourcebook.problems import USAGE, Pos, Problem


@dataclass(frozen=True)
class Parsed:
    command: str
    properties: dict[str, str]
    data: str


def runner_parse(line: str) -> Parsed | None:
    """What the GitHub runner makes of one line of output (TryParseV2), or None: not a command."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties = {}
    for prop in (p for p in props.strip().split(",") if p):
        key, sep, value = prop.partition("=")
        if sep and key and value:
            properties[key] = _unescape(value, ("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","))
    return Parsed(name, properties, _unescape(line[end + 2:], ("%0D", "\r"), ("%0A", "\n")))


def _unescape(text: str, *mappings: tuple[str, str]) -> str:
    for escaped, token in (*mappings, ("%25", "%")):  # the runner replaces %25 last
        text = text.replace(escaped, token)
    return text


TRICKY = "a :: b, c %0A 100% d\nnext line\r::warning::forged"


def test_escaping_round_trips_through_the_runner():
    problem = Problem(Pos("dossiers/a,b:c%.yaml", 3, 7), USAGE, TRICKY)
    line = command(problem, "dossiers/a,b:c%.yaml")
    assert "\n" not in line and "\r" not in line
    assert line == ("::error file=dossiers/a%2Cb%3Ac%25.yaml,line=3,col=7,title=sourcebook%3A usage::"
                    "a :: b, c %250A 100%25 d%0Anext line%0D::warning::forged")
    parsed = runner_parse(line)
    assert parsed == Parsed("error", {"file": "dossiers/a,b:c%.yaml", "line": "3", "col": "7",
                                      "title": "sourcebook: usage"}, TRICKY)


def test_escape_rules_are_githubs():
    assert escape_data("%\r\n:,") == "%25%0D%0A:,"
    assert escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"
    assert escape_data("%0A") == "%250A"  # an escape typed as text stays text


def test_a_problem_about_a_whole_file_or_no_file():
    assert command(Problem(Pos("dossiers/x.yaml"), USAGE, "m", "warning"), "dossiers/x.yaml") == \
        "::warning file=dossiers/x.yaml,title=sourcebook%3A usage::m"
    assert command(Problem(Pos("."), USAGE, "m", "notice"), None) == "::notice title=sourcebook%3A usage::m"


def _git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


def test_check_annotates_the_line_at_fault_from_the_repository_root(tmp_path, run_cli, monkeypatch):
    """A key holding '::', ',' and '%', from a subfolder of the repository: file= is from its root."""
    repo = _git_repo(tmp_path / "repo")
    folder = write_corpus(repo / "data" / "dossiers",
                          {**minimal_files(), "alpha.yaml": ALPHA.replace("    type: competitor\n",
                                                                          "    type: competitor\n    'x::error::y, 100%': 1\n")})
    (repo / "data" / "tools").mkdir()
    monkeypatch.chdir(repo / "data" / "tools")
    summary_file = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    result = run_cli("check", "--format", "github", "--dossiers", "../dossiers")
    assert result.code == 1
    parsed = [runner_parse(line) for line in result.out.splitlines()]
    assert all(parsed), result.out
    errors = [p for p in parsed if p.command == "error"]
    assert errors == [Parsed("error", {"file": "data/dossiers/alpha.yaml", "line": "20", "col": "5",
                                       "title": "sourcebook: unknown-key"},
                             "unknown key 'x::error::y, 100%' in a relationship in dossier 'alpha'")]
    assert {p.command for p in parsed} == {"error", "warning"}  # and the schema-line warnings
    assert f"{folder}" not in result.out  # no absolute paths: GitHub could not place them
    assert summary_file.read_text().startswith("### sourcebook check: 1 error, 3 warnings, 0 notices\n")


def test_ten_of_each_kind_then_the_rest_in_the_log_and_the_summary(tmp_path, run_cli, monkeypatch):
    repo = _git_repo(tmp_path / "repo")
    extra = "".join(f"    bad_{i}: 1\n" for i in range(12))
    write_corpus(repo / "dossiers", {**minimal_files(), "alpha.yaml": ALPHA.replace(
        "    type: competitor\n", "    type: competitor\n" + extra)})
    monkeypatch.chdir(repo)
    summary_file = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    result = run_cli("check", "--format", "github")
    lines = result.out.splitlines()
    commands = [runner_parse(line) for line in lines if runner_parse(line)]
    assert [c.command for c in commands].count("error") == PER_SEVERITY
    assert [c.command for c in commands].count("warning") == 3  # three files without a schema line
    rest = [line for line in lines if not runner_parse(line)]
    assert rest == [f"dossiers/alpha.yaml:{20 + i}:5: error[unknown-key]: unknown key 'bad_{i}' in a relationship "
                    "in dossier 'alpha'" for i in (10, 11)]
    text = summary_file.read_text()
    assert text.startswith("### sourcebook check: 12 errors, 3 warnings, 0 notices\n")
    assert "GitHub shows 10 annotations of each kind per step; the other 2:\n\n```text\n" + "\n".join(rest) + \
        "\n```\n" in text


def test_without_a_summary_file_the_rest_is_still_in_the_log(tmp_path, run_cli, monkeypatch):
    """Outside git, paths are from the current folder; no $GITHUB_STEP_SUMMARY, no summary file."""
    extra = "".join(f"    bad_{i}: 1\n" for i in range(11))
    write_corpus(tmp_path / "dossiers", {**minimal_files(), "alpha.yaml": ALPHA.replace(
        "    type: competitor\n", "    type: competitor\n" + extra)})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli("check", "--format", "github")
    first_error = next(line for line in result.out.splitlines() if line.startswith("::error"))
    assert first_error.startswith("::error file=dossiers/alpha.yaml,line=20,col=5,")
    assert result.out.splitlines()[-1] == ("dossiers/alpha.yaml:30:5: error[unknown-key]: unknown key 'bad_10' in "
                                           "a relationship in dossier 'alpha'")


def test_the_summary_fence_outlasts_any_backticks_in_a_message():
    problems = [Problem(Pos("a.yaml", 1, 1), USAGE, "x ```` y")]
    text = summary(problems, tuple(problems))
    assert "\n`````text\na.yaml:1:1: error[usage]: x ```` y\n`````\n" in text


def test_annotate_counts_each_severity_apart():
    problems = [Problem(Pos("a.yaml", n, 1), USAGE, "m", severity)
                for severity in ("error", "warning", "notice") for n in range(1, 13)]
    found = annotate(problems, lambda path: path)
    assert len(found.commands) == 3 * PER_SEVERITY
    assert [(p.severity, p.pos.line) for p in found.rest] == [(s, n) for s in ("error", "warning", "notice")
                                                             for n in (11, 12)]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_file_named_like_a_workflow_command_is_no_command(tmp_path, run_cli, monkeypatch, fmt):
    """`--dossiers .` prints file names bare: one named '::warning::x.yml' must not start a line."""
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "::warning::forged.yml": "x\n"})
    monkeypatch.chdir(folder)
    result = run_cli("check", "--format", fmt, "--dossiers", ".")
    lines = (result.out if fmt == "github" else result.err).splitlines()
    forged = [line for line in lines if "forged" in line]
    assert len(forged) == 1
    parsed = runner_parse(forged[0])
    if fmt == "text":
        assert parsed is None and forged[0].startswith("./::warning::forged.yml: warning[ignored-file]")
    else:
        assert parsed is not None and parsed.command == "warning"
        assert parsed.properties["file"] == "::warning::forged.yml"


def test_quiet_annotates_errors_only(tmp_path, run_cli, monkeypatch):
    write_corpus(tmp_path / "dossiers", {**minimal_files(), "alpha.yaml": ALPHA.replace("topic: market",
                                                                                         "topic: markets")})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = run_cli("check", "--format", "github", "-q")
    assert result.code == 1 and result.err == ""
    assert [runner_parse(line).command for line in result.out.splitlines()] == ["error"]  # no schema-line warnings
