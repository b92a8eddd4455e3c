"""The schema line every dossier file and sources.yaml starts with (rules/modeline.py): each way it can be
missing or wrong, with its exact warning; and a line naming an odd file cannot hang or mislead check."""
from __future__ import annotations

import os

import pytest

from conftest import minimal_files, with_modelines, write_editor_corpus
from sourcebook.rules.modeline import find

SCHEMA_LINE = "# yaml-language-server: $schema=../schema/dossier.schema.json"


def _warnings(run_cli, folder) -> list[str]:
    """The schema-line warnings, with {d} for the dossiers folder and {t} for the folder holding it."""
    result = run_cli("check", "--dossiers", folder)
    assert result.code == 0, result.err
    return [line.replace(str(folder), "{d}").replace(str(folder.parent), "{t}")
            for line in result.lines if "[schema-modeline]" in line]


def test_a_corpus_whose_files_name_their_schemas_is_clean(tmp_path, run_cli):
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    assert run_cli("check", "--strict", "--dossiers", folder).code == 0


@pytest.mark.parametrize("alpha_first_lines,expected", [
    ("# notes\n" + SCHEMA_LINE + "\n",
     "{d}/alpha.yaml:2:1: warning[schema-modeline]: the yaml-language-server line must be the file's first line: "
     "move it there"),
    ("# yaml-language-server: $schema=../schema/sources.schema.json\n",
     "{d}/alpha.yaml:1:33: warning[schema-modeline]: names '../schema/sources.schema.json', but the schema for a "
     "dossier is dossier.schema.json: write '# yaml-language-server: $schema=../schema/dossier.schema.json'"),
    ("# yaml-language-server: $schema=https://example.org/other.json\n",
     "{d}/alpha.yaml:1:33: warning[schema-modeline]: names 'https://example.org/other.json', but the schema for a "
     "dossier is dossier.schema.json: write '# yaml-language-server: $schema=../schema/dossier.schema.json'"),
    ("# yaml-language-server: $schema=../schemas/dossier.schema.json\n",
     "{d}/alpha.yaml:1:33: warning[schema-modeline]: names '../schemas/dossier.schema.json', which does not exist "
     "or cannot be read: write it with `sourcebook schema --out {t}/schemas`"),
    ("# no schema line at all\n",
     "{d}/alpha.yaml:1:1: warning[schema-modeline]: the first line is not '# yaml-language-server: "
     "$schema=../schema/dossier.schema.json', so editors cannot check this file as it is typed: add that line"),
])
def test_each_wrong_schema_line_has_its_warning(tmp_path, run_cli, alpha_first_lines, expected):
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    alpha = folder / "alpha.yaml"
    alpha.write_text(alpha_first_lines + alpha.read_text().split("\n", 1)[1])
    assert _warnings(run_cli, folder) == [expected]


def test_a_web_address_or_file_url_with_the_right_name_is_accepted(tmp_path, run_cli):
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    alpha, beta = folder / "alpha.yaml", folder / "beta.yaml"
    alpha.write_text("# yaml-language-server: $schema=https://example.org/schema/dossier.schema.json\n"
                     + alpha.read_text().split("\n", 1)[1])
    beta.write_text(f"# yaml-language-server: $schema={(tmp_path / 'schema' / 'dossier.schema.json').as_uri()}\n"
                    + beta.read_text().split("\n", 1)[1])
    assert _warnings(run_cli, folder) == []


def test_a_stale_schema_is_reported_once_for_all_the_files_that_name_it(tmp_path, run_cli):
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    config = folder / "settings.toml"
    config.write_text("[tool.sourcebook.topics]\nmarket = 'Markets'\nownership = 'Owners'\n")
    result = run_cli("check", "--dossiers", folder, "--config", config)
    lines = [line.replace(str(folder), "{d}") for line in result.lines if "[schema-modeline]" in line]
    assert lines == [
        "{d}/alpha.yaml:1:33: warning[schema-modeline]: names '../schema/dossier.schema.json' (as does 1 other file), "
        "which is not the schema these settings give, so editors would judge by other vocabularies or limits: "
        f"rewrite it with `sourcebook schema --out {tmp_path}/schema`"]


def test_a_schema_line_naming_a_pipe_does_not_hang_check(tmp_path, run_cli):
    """A contribution may name any path; check reads only a regular file of the expected name, at most
    the expected size, and prints nothing of it."""
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    os.mkfifo(tmp_path / "dossier.schema.json")
    big = tmp_path / "big" / "dossier.schema.json"
    big.parent.mkdir()
    big.write_bytes(b"secret " * 2_000_000)
    alpha, beta = folder / "alpha.yaml", folder / "beta.yaml"
    alpha.write_text("# yaml-language-server: $schema=../dossier.schema.json\n" + alpha.read_text().split("\n", 1)[1])
    beta.write_text("# yaml-language-server: $schema=../big/dossier.schema.json\n" + beta.read_text().split("\n", 1)[1])
    lines = _warnings(run_cli, folder)
    assert len(lines) == 2 and "does not exist or cannot be read" in lines[0] and "not the schema" in lines[1]
    assert not any("secret" in line for line in lines)


def test_find_reads_the_line_as_yaml_language_server_does():
    """Its test: a comment '# yaml-language-server:' (space after #) holding $schema=<no spaces>."""
    assert find("# yaml-language-server: $schema=a.json\n").target == "a.json"
    assert find("#  yaml-language-server : x $schema=b.json y\n").target == "b.json"
    assert find("#yaml-language-server: $schema=a.json\n") is None
    assert find("id: x # yaml-language-server: $schema=a.json\n") is None
    assert find("id: x\n").__class__ is type(None)


def test_with_modelines_names_each_files_schema():
    files = with_modelines(minimal_files())
    assert files["alpha.yaml"].startswith(SCHEMA_LINE + "\n")
    assert files["sources.yaml"].startswith("# yaml-language-server: $schema=../schema/sources.schema.json\n")
