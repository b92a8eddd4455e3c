"""`new <id> --name … --sector …`: a skeleton that check accepts, with an example of every field."""
from __future__ import annotations

import re

import pytest

from conftest import minimal_files, write_corpus, write_editor_corpus
from sourcebook import pipeline
from sourcebook.commands.new import scalar, skeleton
from sourcebook.format import ENTITIES
from sourcebook.problems import BuildFailed
from sourcebook.reading import Field


@pytest.fixture
def folder(tmp_path):
    return write_editor_corpus(tmp_path / "dossiers", minimal_files())


def test_new_writes_a_dossier_check_accepts(folder, run_cli):
    result = run_cli("new", "gamma", "--name", "Gamma Corp", "--sector", "drones", "--sector", "cloud",
                     "--dossiers", folder)
    assert result.code == 0, result.err
    assert result.lines == [f"wrote {folder}/gamma.yaml: fill it in from sources in {folder}/sources.yaml, "
                            "then run `sourcebook check`"]
    text = (folder / "gamma.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/dossier.schema.json\n")
    assert "\nid: gamma\nname: Gamma Corp\n" in text and "\nsectors: [drones, cloud]\n" in text
    for empty in ("aliases: []", "profile: {}", "claims: []", "events: []", "relationships: []"):
        assert f"\n{empty}\n" in text
    assert run_cli("check", "--strict", "--dossiers", folder).code == 0
    corpus = pipeline.check(pipeline.Options(dossiers=folder, strict=True)).corpus
    assert corpus.dossier("gamma").name == "Gamma Corp" and corpus.dossier("gamma").sectors == ("drones", "cloud")


def test_every_declared_field_has_a_commented_example(folder, run_cli):
    run_cli("new", "gamma", "--name", "Gamma", "--sector", "drones", "--dossiers", folder)
    text = (folder / "gamma.yaml").read_text()
    commented = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    shown = set(re.findall(r"^#\s+(?:- )?([a-z_]+):", commented, re.MULTILINE))
    shown |= set(re.findall(r"[{,] *([a-z_]+):", commented))  # keys in {id: ..., locator: ...}
    for entity in ("dossier", "claim", "event", "relationship", "response", "profile_fact", "source_ref"):
        missing = {f.name for f in ENTITIES[entity]} - shown - {"id", "name", "sectors"}
        assert not missing, f"{entity}: {missing} have no example"
    assert "# sources: [{id: src-a, locator: para 2}]" in commented.replace("#     ", "# ")  # a real source


def test_the_examples_are_valid_values(folder):
    """Uncommented, every example is a value check reads (only cross-references — a dossier, a party —
    and the target-or-party choice are left to the author)."""
    settings = pipeline.read_options_settings(pipeline.Options(dossiers=folder))[0]
    text = skeleton("gamma", "Gamma", ("drones",), settings, "# yaml-language-server: "
                    "$schema=../schema/dossier.schema.json", "src-a", commented=False)
    (folder / "gamma.yaml").write_text(text)
    with pytest.raises(BuildFailed) as failed:
        pipeline.check(pipeline.Options(dossiers=folder, strict=True))
    codes = {str(p.code) for p in failed.value.problems if p.pos.path.endswith("gamma.yaml")}
    assert codes == {"target-or-party", "unknown-dossier", "unknown-party"}, [str(p) for p in failed.value.problems]
    assert "\n  - id: example-claim\n" in text and "\nclaims: []" not in text


def test_an_existing_file_is_refused(folder, run_cli):
    before = (folder / "alpha.yaml").read_bytes()
    result = run_cli("new", "alpha", "--name", "Alpha", "--sector", "drones", "--dossiers", folder)
    assert result.code == 2
    assert result.lines == [f"{folder}/alpha.yaml: error[usage]: already exists: `new` writes only new files "
                            "(edit this one, or choose another id)"]
    assert (folder / "alpha.yaml").read_bytes() == before


@pytest.mark.parametrize("args,message", [
    (["Gamma", "--name", "G", "--sector", "drones"],
     "{d}/Gamma.yaml: error[usage]: the id names the file: 'Gamma' is not a valid id: use lowercase letters a-z, "
     "digits and single hyphens between them (e.g. 'entity-list-2019')"),
    (["gamma", "--name", "G", "--sector", "drone"],
     "{d}/gamma.yaml: error[usage]: --sector 'drone' is not in the sectors vocabulary (did you mean 'drones'?); "
     "declared: 'artificial-intelligence', 'cloud', 'consumer-electronics', 'drones', 'facial-recognition', "
     "'semiconductors', 'speech-recognition', 'telecommunications', 'video-surveillance'"),
    (["gamma", "--name", "  ", "--sector", "drones"],
     "{d}/gamma.yaml: error[usage]: --name must be one line of text: the name the site shows"),
    (["gamma", "--name", "G\nH", "--sector", "drones"],
     "{d}/gamma.yaml: error[usage]: --name must be one line of text: the name the site shows"),
    (["gamma", "--name", "G\x07", "--sector", "drones"],
     "{d}/gamma.yaml:5:9: error[control-character]: control character U+0007 is not allowed in dossier text"),
])
def test_bad_arguments_write_nothing(folder, run_cli, args, message):
    result = run_cli("new", *args, "--dossiers", folder)
    assert result.code == 2
    assert result.lines == [message.replace("{d}", str(folder))]
    assert sorted(p.name for p in folder.iterdir()) == ["alpha.yaml", "beta.yaml", "sources.yaml"]


@pytest.mark.parametrize("name", ["NO", "360", "1.50", "~", "Foo: Bar", "#1 Corp", "Foo #2", '"Quoted" Ltd',
                                  "a\\b", "[Bracket]", "- Dash", "中兴通讯", "O'Brien & Co", "@home", "Yes, Inc."])
def test_any_name_is_written_so_that_it_reads_back(folder, run_cli, name):
    assert run_cli("new", "gamma", "--name", name, "--sector", "drones", "--dossiers", folder).code == 0
    result = pipeline.check(pipeline.Options(dossiers=folder, strict=True))  # no needs-quotes warning either
    assert result.corpus.dossier("gamma").name == name


def test_plain_where_plain_is_safe():
    assert scalar("Gamma Corp") == "Gamma Corp" and scalar("中兴通讯") == "中兴通讯"
    assert scalar("NO") == '"NO"' and scalar("2006") == '"2006"' and scalar("a: b") == '"a: b"'


def test_the_schema_line_follows_the_folder(tmp_path, run_cli):
    """A folder whose files name ../../schemas/: the new file names the same place."""
    files = {name: f"# yaml-language-server: $schema=../../schemas/{'sources' if name == 'sources.yaml' else 'dossier'}"
                   f".schema.json\n{text}" for name, text in minimal_files().items()}
    folder = write_corpus(tmp_path / "site" / "dossiers", files)
    assert run_cli("new", "gamma", "--name", "Gamma", "--sector", "drones", "--dossiers", folder).code == 0
    assert (folder / "gamma.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../../schemas/dossier.schema.json\n")


def test_a_kind_new_cannot_show_fails_loudly(folder, monkeypatch):
    monkeypatch.setitem(ENTITIES, "event", ENTITIES["event"] + (Field("reply_form", "reply-form"),))
    settings = pipeline.read_options_settings(pipeline.Options(dossiers=folder))[0]
    with pytest.raises(ValueError, match=r"`new` has no example for field kind 'reply-form' \('reply_form' of "
                                         r"event\)"):
        skeleton("gamma", "Gamma", ("drones",), settings, "#")


def test_a_required_field_new_is_not_told_is_written_to_fill_in(folder, run_cli, monkeypatch):
    monkeypatch.setitem(ENTITIES, "dossier", ENTITIES["dossier"] + (Field("attribution", "text", True),))
    assert run_cli("new", "gamma", "--name", "Gamma", "--sector", "drones", "--dossiers", folder).code == 0
    assert "\nattribution: …\n" in (folder / "gamma.yaml").read_text()
    result = run_cli("check", "--strict", "--dossiers", folder)  # alpha and beta have no attribution
    assert not [line for line in result.lines if "gamma.yaml" in line], result.err
