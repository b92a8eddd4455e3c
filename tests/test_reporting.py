"""Errors a newcomer can act on: every independent problem in one run, no cascades, each at the
value at fault, YAML syntax errors with a hint."""
from __future__ import annotations

from conftest import ALPHA, BETA, minimal_files, write_corpus

FIVE_MISTAKES = ALPHA.replace("topic: market", "topic: markets") \
    .replace("as_of: 2019-05", "as_of: 2019-13") \
    .replace("sources: [{id: src-a, locator: para 2}]", "sources: [{id: src-z, locator: para 2}]") \
    .replace("text: Added to a list.", "text: Added to a list with [[gama]].") \
    .replace("    target: beta\n", "    target: betta\n")


def check(tmp_path, run_cli, files):
    folder = write_corpus(tmp_path / "d", {**minimal_files(), **files})
    run = run_cli("check", "--dossiers", folder)
    # the fixtures carry no schema line (every line number here would shift): its warnings are not the point
    return run, [line.replace(str(folder) + "/", "") for line in run.lines if "[schema-modeline]" not in line]


def test_five_independent_mistakes_in_one_file_are_reported_in_one_run(tmp_path, run_cli):
    run, lines = check(tmp_path, run_cli, {"alpha.yaml": FIVE_MISTAKES})
    assert run.code == 1
    codes = [line.split("[")[1].split("]")[0] for line in lines]
    assert codes == ["unknown-value", "invalid-date", "unknown-source", "unknown-dossier", "unknown-dossier"], lines
    # each at the value at fault: the topic, the date, the citation, the link's line, the target
    assert [line.split(": ")[0] for line in lines] == [
        "alpha.yaml:8:12", "alpha.yaml:10:12", "alpha.yaml:11:15", "alpha.yaml:15:32", "alpha.yaml:20:13"]


def test_a_parse_error_in_one_dossier_is_one_error_and_no_cascade(tmp_path, run_cli):
    """beta.yaml cannot be parsed: alpha's [[beta]] link and target are not "names no dossier",
    and the sources only beta cites are not "cited by nothing"; one notice says checks were skipped."""
    broken = BETA.replace("  - id: founded\n", "  - id: founded\n   oops: [\n")
    sources = minimal_files()["sources.yaml"] + ("- id: src-c\n  title: C\n  publisher: P\n"
                                                 "  url: https://example.net/c\n  kind: ngo\n")
    run, lines = check(tmp_path, run_cli, {"beta.yaml": broken, "sources.yaml": sources})
    assert run.code == 1
    errors = [line for line in lines if "error[" in line]
    assert len(errors) == 1 and errors[0].startswith("beta.yaml:6:4: error[yaml-syntax]: "), lines
    assert lines[-1] == ("beta.yaml: notice[checks-skipped]: could not be read, so checks that depend on it "
                         "(links to it, the sources it cites) were skipped; fix it and check again")
    assert not [line for line in lines if "unknown-dossier" in line or "unused-source" in line]


def test_a_wiki_link_is_reported_at_its_line_inside_a_long_text(tmp_path, run_cli):
    long = ALPHA.replace("    text: Competes with [[beta]].\n",
                         "    text: >-\n      Competes with [[beta]]\n      and later with\n      [[gamma]] too.\n")
    run, lines = check(tmp_path, run_cli, {"alpha.yaml": long})
    assert lines == ["alpha.yaml:12:7: error[unknown-dossier]: [[gamma]] in claim 'rival' names no dossier"]


def test_a_relationship_target_is_reported_at_the_target(tmp_path, run_cli):
    run, lines = check(tmp_path, run_cli, {"alpha.yaml": ALPHA.replace("target: beta", "target: alpha")})
    assert lines == ["alpha.yaml:20:13: error[self-relationship]: relationship 'rival-beta' targets its own dossier"]


def test_yaml_syntax_errors_say_what_is_likely_wrong(tmp_path, run_cli):
    files = {"alpha.yaml": ALPHA.replace("  - id: rival\n", "\t- id: rival\n"),
             "beta.yaml": BETA.replace("    text: Founded in 2001.", "   text: Founded in 2001."),
             "gamma.yaml": BETA.replace("id: beta", "id: gamma").replace("Founded in 2001.", "Founded: in 2001.")}
    run, lines = check(tmp_path, run_cli, files)
    hints = [line for line in lines if "yaml-syntax" in line]
    assert hints == [
        "alpha.yaml:7:1: error[yaml-syntax]: found character that cannot start any token (while scanning for the "
        "next token); YAML does not allow tabs for indentation: indent with spaces",
        "beta.yaml:7:4: error[yaml-syntax]: did not find expected '-' indicator (while parsing a block collection); "
        "check the indentation: this line is indented 3 spaces, the line above it 4",
        "gamma.yaml:7:18: error[yaml-syntax]: mapping values are not allowed in this context; a value holding ': ' "
        "must be quoted (\"...\") or written as a block (>-)"]
