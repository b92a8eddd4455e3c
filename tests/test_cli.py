"""The command line as people type it: mistyped commands, options before the command, the program's name."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, minimal_files, run_process, write_corpus

VENV_BIN = Path(sys.executable).parent


def test_a_mistyped_command_gets_a_suggestion(run_cli):
    run = run_cli("chek")
    assert run.code == 2
    assert run.lines[-1].endswith("error: unknown command 'chek' (did you mean 'check'?); "
                                  "commands: build, check, new, stats, diff, schema")


def test_options_before_the_command_are_honoured(tmp_path, run_cli):
    """The naive fix (the same options on the top parser and the subcommand) silently keeps the
    subcommand's default, dossiers/: this reads X."""
    folder = write_corpus(tmp_path / "x", {**minimal_files(), "beta.yaml": "id: beta\n"})
    run = run_cli("--dossiers", folder, "check")
    assert run.code == 1
    assert any(line.startswith(f"{folder}/beta.yaml:") for line in run.lines), run.err
    both = run_cli("-q", "--dossiers", folder, "check", "--format", "json")
    assert both.code == 1 and '"ok": false' in both.out


def test_no_command_means_build(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", minimal_files())
    run = run_cli("--dossiers", folder, "--out", tmp_path / "site", "-q")
    assert run.code == 0, run.err
    assert (tmp_path / "site/index.html").is_file()


def test_the_program_name_is_what_the_user_typed():
    sourcebook = subprocess.run([str(VENV_BIN / "sourcebook"), "--help"], capture_output=True, text=True)
    assert sourcebook.stdout.startswith("usage: sourcebook "), sourcebook.stdout
    assert run_process("--help").out.startswith("usage: build.py ")
    module = subprocess.run([sys.executable, "-m", "sourcebook", "check", "--help"], capture_output=True,
                            text=True, cwd=ROOT)
    assert module.stdout.startswith("usage: python -m sourcebook check "), module.stdout


def test_help_lists_every_registered_command():
    from sourcebook.commands import COMMANDS
    out = run_process("--help").out
    assert all(f"    {c.name} " in out for c in COMMANDS), out
