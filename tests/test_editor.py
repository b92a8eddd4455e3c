"""What a contributor's editor says while they type, and that it agrees with `check --strict`.

The editor here is yaml-language-server itself (what VS Code's YAML extension
runs), driven over stdio by `editor.Editor`: it reads YAML 1.2 with the npm
`yaml` package, finds each file's schema from its first line, and validates
with its draft-07 validator. Each case is checked both ways: on a file the
editor flags, `check --strict` reports a problem on the same line; on a file
`check --strict` accepts, the editor reports nothing. Installed by
`make web-tools` (npm, into .tools/); skips without it, fails under
REQUIRE_BROWSER=1.
"""
from __future__ import annotations

import io
import json
import shutil
import subprocess
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ALPHA, BETA, DOSSIERS, ROOT, SOURCES, TOOLS, minimal_files, skip_or_fail, write_editor_corpus
from sourcebook import cli
from sourcebook.yaml12 import typed

SERVER = TOOLS / "node_modules/yaml-language-server/bin/yaml-language-server"
YAML_PACKAGE = TOOLS / "node_modules/yaml"
SHIPPED = sorted(DOSSIERS.glob("*.yaml"))


@dataclass(frozen=True)
class Case:
    name: str
    file: str        # the file changed (and opened in the editor)
    old: str
    new: str
    line: int = 0    # refused: the line (with the schema line first) both must point at
    extra: tuple[tuple[str, str], ...] = ()  # further files the case needs (a parties.yaml)

    def files(self) -> dict[str, str]:
        base = {"alpha.yaml": ALPHA, "beta.yaml": BETA, "sources.yaml": SOURCES}[self.file]
        assert self.old in base, self.old
        return {**minimal_files(), self.file: base.replace(self.old, self.new, 1), **dict(self.extra)}


REFUSED = [
    Case("month 13", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-13", 11),
    Case("month 13 in a period", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-01..2019-13", 11),
    Case("month 00", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-00", 11),
    Case("30 February", "alpha.yaml", "date: 2019-10-09", "date: 2023-02-30", 15),
    Case("29 February, not a leap year", "alpha.yaml", "date: 2019-10-09", "date: 2023-02-29", 15),
    Case("29 February 1900", "alpha.yaml", "date: 2019-10-09", "date: 1900-02-29", 15),
    Case("31 April", "alpha.yaml", "date: 2019-10-09", "date: 2019-04-31", 15),
    Case("day 32", "alpha.yaml", "date: 2019-10-09", "date: 2019-10-32", 15),
    Case("words for a date", "alpha.yaml", "as_of: 2019-05", "as_of: May 2019", 11),
    Case("a year YAML 1.2 reads as 999", "alpha.yaml", "as_of: 2019-05", "as_of: 0999", 11),
    Case("a date in sources.yaml", "sources.yaml", "published: 2020-01-02", "published: 2020-13-02", 5),
    Case("unknown topic", "alpha.yaml", "topic: market", "topic: markets", 9),
    Case("unknown sector", "alpha.yaml", "sectors: [drones]", "sectors: [drone]", 4),
    Case("unknown tag", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-05\n    tags: [nope]", 12),
    Case("unknown status", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-05\n    status: disputed", 12),
    Case("unknown relationship type", "alpha.yaml", "type: competitor", "type: rival", 20),
    Case("unknown source kind", "sources.yaml", "kind: news", "kind: blog", 12),
    Case("unknown key", "alpha.yaml", "    type: competitor\n", "    type: competitor\n    colour: red\n", 21),
    Case("unknown profile fact", "alpha.yaml", "  founded:", "  foundd:", 6),
    Case("an id with capitals", "alpha.yaml", "  - id: rival\n", "  - id: Rival\n", 8),
    Case("an id with a double hyphen", "alpha.yaml", "  - id: rival\n", "  - id: rival--two\n", 8),
    Case("a reserved id", "alpha.yaml", "  - id: rival\n", "  - id: references\n", 8),
    Case("a source id that names a device", "sources.yaml", "- id: src-b", "- id: con", 8),
    Case("a cited source id with a space", "alpha.yaml", "sources: [src-b]", "sources: [src b]", 22),
    Case("a missing key", "alpha.yaml", "    as_of: 2019-05\n", "", 8),
    Case("no sources", "alpha.yaml", "sources: [{id: src-a, locator: para 2}]", "sources: []", 12),
    Case("both target and party", "alpha.yaml", "    target: beta\n", "    target: beta\n    party: Beta Holdings\n",
         19),
    Case("neither target nor party", "alpha.yaml", "    target: beta\n", "", 19),
    Case("a name YAML 1.2 reads as a number", "alpha.yaml", "name: Alpha", "name: 2001", 3),
    Case("a name YAML 1.2 reads as true", "alpha.yaml", "name: Alpha", "name: true", 3),
    Case("a text YAML 1.2 reads as null", "alpha.yaml", "text: Competes with [[beta]].", "text: ~", 10),
    Case("a locator YAML 1.2 reads as a number", "alpha.yaml", "locator: para 2", "locator: 12", 12),
    Case("a profile value YAML 1.2 reads as false", "alpha.yaml", 'value: "2006"', "value: false", 6),
    Case("an empty name", "alpha.yaml", "name: Alpha", 'name: "  "', 3),
    Case("a list for a text", "alpha.yaml", "name: Alpha", "name: [Alpha]", 3),
    Case("a text for a list", "beta.yaml", "sectors: [drones]", "sectors: drones", 4),
    Case("too many brackets", "alpha.yaml", "text: Competes with [[beta]].", "text: '" + "[" * 300 + "'", 10),
    Case("a javascript: URL", "sources.yaml", "url: https://example.org/a", "url: javascript:alert(1)", 6),
    Case("a language that is no tag", "sources.yaml", "kind: news", "kind: news\n  language: chinese!", 13),
]

ACCEPTED = [
    Case("a bare year", "alpha.yaml", "as_of: 2019-05", "as_of: 2019"),
    Case("a bare year in sources.yaml", "sources.yaml", "published: 2020-01-02", "published: 2020"),
    Case("a bare profile value", "alpha.yaml", 'value: "2006"', "value: 2006"),
    Case("a quoted year", "alpha.yaml", "as_of: 2019-05", 'as_of: "2019"'),
    Case("a day, plain (a string to YAML 1.2)", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-05-31"),
    Case("29 February in a leap year", "alpha.yaml", "date: 2019-10-09", "date: 2024-02-29"),
    Case("29 February 2000", "alpha.yaml", "date: 2019-10-09", "date: 2000-02-29"),
    Case("a period", "alpha.yaml", "as_of: 2019-05", "as_of: 2011..2017"),
    Case("a period with spaces", "alpha.yaml", "as_of: 2019-05", "as_of: 2011-03 .. 2017"),
    Case("until", "alpha.yaml", "as_of: 2019-05", "as_of: ..2019"),
    Case("since", "alpha.yaml", "as_of: 2019-05", "as_of: 2019-05.."),
    Case("an empty list", "beta.yaml", "claims:\n", "aliases:\nclaims:\n"),
    Case("a list that is null", "alpha.yaml", "relationships:\n", "aliases: ~\nrelationships:\n"),
    Case("quoted words YAML would type", "alpha.yaml", "name: Alpha", 'name: "NO"\nlegal_name: "null"'),
    Case("a quoted number for a locator", "alpha.yaml", "locator: para 2", 'locator: "12"'),
    Case("a quoted id with spaces", "alpha.yaml", "  - id: rival\n", '  - id: " rival "\n'),
    Case("a block of Markdown", "alpha.yaml", "text: Competes with [[beta]].",
         "text: |\n      Competes with [[beta]].\n\n      - a list item"),
    Case("a party instead of a target", "alpha.yaml", "    target: beta\n", "    party: beta-holdings\n",
         extra=(("parties.yaml", "- id: beta-holdings\n  name: Beta Holdings\n"),)),
    Case("a status, tags and a response", "alpha.yaml", "as_of: 2019-05",
         "as_of: 2019-05\n    status: contested\n    tags: [entity-list, seed]\n    responses:\n"
         "      - text: Alpha denies it.\n        sources: [{id: src-b, locator: para 9}]"),
]

# `check --strict` refuses these, the editor cannot tell: YAML 1.2 reads them as the same thing either way.
CHECK_ALONE = [
    Case("a YAML 1.1 boolean", "alpha.yaml", "name: Alpha", "name: NO", 3),
    Case("a number that does not read back", "alpha.yaml", 'value: "2006"', "value: 1.50", 6),
    Case("a period that ends before it starts", "alpha.yaml", "as_of: 2019-05", "as_of: 2017..2011", 11),
    Case("a link to no dossier", "alpha.yaml", "[[beta]]", "[[gamma]]", 10),
    Case("a Markdown image", "alpha.yaml", "text: Competes with [[beta]].", 'text: "![x](https://e.example/x.png)"', 10),
    Case("a dossier id that is not its file name", "alpha.yaml", "id: alpha", "id: alfa", 2),
]


@pytest.fixture(scope="module")
def editor():
    if shutil.which("node") is None or not SERVER.is_file():
        skip_or_fail(f"yaml-language-server not found at {SERVER}: `make web-tools` installs it (needs npm)")
    from editor import Editor
    server = Editor(SERVER, ROOT)
    yield server
    server.close()


@pytest.fixture(scope="module")
def judged(editor, tmp_path_factory):
    """Every case, as the editor and as `check --strict` see it: name -> (editor lines, check lines)."""
    out = {}
    folders = {}
    for case in REFUSED + ACCEPTED + CHECK_ALONE:
        folders[case.name] = write_editor_corpus(tmp_path_factory.mktemp("case") / "dossiers", case.files())
    opened = editor.diagnostics({folders[c.name] / c.file: (folders[c.name] / c.file).read_text()
                                 for c in REFUSED + ACCEPTED + CHECK_ALONE})
    for case in REFUSED + ACCEPTED + CHECK_ALONE:
        path = folders[case.name] / case.file
        out[case.name] = (opened[path], _check_strict(folders[case.name], case.file))
    return out


def _check_strict(folder: Path, file: str) -> list[int]:
    """The lines of `file` at which `check --strict` reports an error or a warning."""
    with redirect_stdout(io.StringIO()) as out:
        code = cli.main(["check", "--strict", "--format", "json", "--dossiers", str(folder)])
    problems = json.loads(out.getvalue())["problems"]
    lines = [p["line"] for p in problems if p["path"] == str(folder / file) and p["severity"] != "notice"]
    assert (code == 0) == (not [p for p in problems if p["severity"] != "notice"]), problems
    return lines


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_editor_and_check_refuse_the_same_line(judged, case):
    editor_lines, check_lines = judged[case.name]
    assert case.line in {d.line for d in editor_lines}, f"editor: {[str(d) for d in editor_lines]}"
    assert case.line in check_lines, f"check --strict: lines {check_lines}"


@pytest.mark.parametrize("case", ACCEPTED, ids=[c.name for c in ACCEPTED])
def test_editor_accepts_what_check_accepts(judged, case):
    editor_lines, check_lines = judged[case.name]
    assert check_lines == [], "check --strict refused it"
    assert [str(d) for d in editor_lines] == []


@pytest.mark.parametrize("case", CHECK_ALONE, ids=[c.name for c in CHECK_ALONE])
def test_what_only_check_can_tell(judged, case):
    """The schema cannot see these (docs/errors.md says why); if the editor starts to, say so there."""
    editor_lines, check_lines = judged[case.name]
    assert case.line in check_lines
    assert [str(d) for d in editor_lines] == []


def test_shipped_dossiers_have_no_editor_problems(editor):
    """The issue's 93 "Incorrect type" errors: none left. Each file is also opened once more with an
    unknown key added at its end, under a name beside it, to show its schema line was followed."""
    texts = {path: path.read_text(encoding="utf-8") for path in SHIPPED}
    assert len(texts) == 8  # six dossiers, sources.yaml, parties.yaml
    broken = {path.with_name(f"{path.stem}-with-a-mistake.yaml"): text + ("- not-a-source: 1\n" if path.name in
              ("sources.yaml", "parties.yaml") else "not_a_field: 1\n") for path, text in texts.items()}
    seen = editor.diagnostics({**texts, **broken})
    assert {path.name: [str(d) for d in seen[path]] for path in texts} == {path.name: [] for path in texts}
    for path, text in broken.items():
        assert {d.line for d in seen[path]} == {text.count("\n")}, (path.name, [str(d) for d in seen[path]])


def test_the_editor_accepts_what_new_writes(editor, tmp_path, run_cli):
    folder = write_editor_corpus(tmp_path / "dossiers", minimal_files())
    assert run_cli("new", "gamma", "--name", "Gamma Corp", "--sector", "drones", "--dossiers", folder).code == 0
    path = folder / "gamma.yaml"
    assert [str(d) for d in editor.diagnostics({path: path.read_text()})[path]] == []
    assert run_cli("check", "--strict", "--dossiers", folder).code == 0


WORDS = ["2015", "007", "-0", "+5", "1.50", "1.5", "2006.0", "1e3", "1E-7", "1e21", "1e+21", "0.000001",
         "0.0000001", "123456789012345678901", "9007199254740993", "0x1F", "0o17", "0o8", ".inf", "-.Inf",
         "+.INF", ".nan", ".NaN", "~", "null", "Null", "NULL", "nUll", "true", "True", "TRUE", "tRue", "false",
         "yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
         "2019-10-09", "2019-05", "2019..", "..2019", "2011..2017", "1:20", "0b101", "1_000", ".5", "5.", "-.5e3",
         "3.14159265358979323846", "1e400", "0.1", "100", "12e-1", "0e0", "00.5", "Norway", "2001 A"]


def test_yaml12_types_plain_words_as_the_npm_yaml_package_does():
    """`yaml12.typed` against the package editors use, in its YAML 1.2 (core) and 1.1 schemas."""
    if shutil.which("node") is None or not (YAML_PACKAGE / "package.json").is_file():
        skip_or_fail(f"the npm yaml package not found at {YAML_PACKAGE}: `make web-tools` installs it (needs npm)")
    script = ("const YAML = require(process.argv[1]); const words = JSON.parse(require('fs').readFileSync(0));"
              "const as = (v) => v === null ? ['null', 'null'] : typeof v === 'string' ? ['string', v]"
              " : [typeof v, String(v)];"
              "console.log(JSON.stringify(words.map((w) => [as(YAML.parse('v: ' + w).v),"
              " as(YAML.parse('v: ' + w, {version: '1.1'}).v)])));")
    p = subprocess.run(["node", "-e", script, str(YAML_PACKAGE)], input=json.dumps(WORDS), capture_output=True,
                       text=True, timeout=60, check=True)
    for word, (core, yaml11) in zip(WORDS, json.loads(p.stdout)):
        found = typed(word)
        mine = ["string", word] if found is None or found.reader == "YAML 1.1" else [found.kind, found.shown]
        assert mine == core, word
        if found is not None and found.reader == "YAML 1.1":
            assert yaml11 == ["boolean", found.shown], word
