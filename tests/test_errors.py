"""Every problem code, triggered by a small failing fixture, with its exact message.

Each case starts from the minimal valid corpus (conftest.minimal_files),
replaces or adds files, runs `check`, and compares the whole first matching
stderr line. A test also keeps problems.CODES, these cases and docs/errors.md
in step, so a new code cannot ship undocumented or untested.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ALPHA, BETA, ROOT, minimal_files, without_modeline_warnings, write_corpus
from sourcebook.codes import registered

CODES = registered()

D = "{d}"  # replaced by the dossiers folder in expected lines


def alpha(old: str, new: str) -> dict[str, str]:
    assert old in ALPHA, old
    return {"alpha.yaml": ALPHA.replace(old, new)}


CASES: list[tuple[str, dict[str, str | bytes], str]] = [
    # --- reading files ---
    ("file-too-large", {"limits.toml": "[tool.sourcebook.limits]\nmax_file_bytes = 100\n"},
     "{d}/alpha.yaml:1:1: error[file-too-large]: file is larger than 100 bytes "
     "(raise [tool.sourcebook.limits] max_file_bytes to allow it)"),
    ("not-utf8", {"beta.yaml": BETA.encode() + b"# caf\xe9\n"},
     "{d}/beta.yaml:10:6: error[not-utf8]: byte 0xe9 is not valid UTF-8; save the file as UTF-8"),
    ("control-character", {"beta.yaml": BETA.replace("Founded in", "Founded\x07 in")},
     "{d}/beta.yaml:7:18: error[control-character]: control character U+0007 is not allowed in dossier text"),
    ("control-character", {"beta.yaml": BETA.replace("Founded in", "Founded \u202e in")},
     "{d}/beta.yaml:7:19: error[control-character]: bidirectional control character U+202E "
     "is not allowed in dossier text"),
    ("control-character", {"beta.yaml": BETA.replace("name: Beta", 'name: "Be\\x15ta"')},
     "{d}/beta.yaml:2:7: error[control-character]: an escape in this quoted text makes the character U+0015, "
     "which is not allowed in dossier text"),
    ("too-deep", {"beta.yaml": BETA + "x: " + "[" * 70 + "]" * 70 + "\n"},
     "{d}/beta.yaml:10:68: error[too-deep]: nesting is deeper than 64 levels "
     "(raise [tool.sourcebook.limits] max_depth to allow it)"),
    ("time-budget", {"limits.toml": "[tool.sourcebook.limits]\nseconds_per_file = 0.0000001\n"},
     "{d}/alpha.yaml:1:1: error[time-budget]: reading this file took longer than 1e-07 s "
     "(raise [tool.sourcebook.limits] seconds_per_file to allow it)"),
    ("empty-file", {"beta.yaml": "# nothing here\n"},
     "{d}/beta.yaml:1:1: error[empty-file]: the file holds no YAML document"),
    ("yaml-syntax", alpha("text: Competes with [[beta]].", "text: [[beta]] is a rival."),
     "{d}/alpha.yaml:9:20: error[yaml-syntax]: did not find expected key (while parsing a block mapping); "
     "a value that starts with [[ is read as a list: quote a line that starts with [["),
    ("yaml-complex-key", {"beta.yaml": BETA + "? [a, b]\n: c\n"},
     "{d}/beta.yaml:10:3: error[yaml-complex-key]: a mapping key must be plain text, not a list or mapping"),
    ("yaml-alias", {"beta.yaml": BETA.replace("sectors: [drones]", "sectors: [drones]\naliases: *s")},
     "{d}/beta.yaml:4:10: error[yaml-alias]: aliases (*s) are not allowed; write the value out"),
    ("yaml-anchor", {"beta.yaml": BETA.replace("sectors: [drones]", "sectors: &s [drones]")},
     "{d}/beta.yaml:3:10: error[yaml-anchor]: anchors (&s) are not allowed; write each value out"),
    ("yaml-tag", {"beta.yaml": BETA.replace("name: Beta", "name: !!python/object/apply:os.system [ls]")},
     "{d}/beta.yaml:2:7: error[yaml-tag]: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) "
     "are not allowed; write plain values"),
    ("duplicate-key", {"beta.yaml": BETA.replace("name: Beta", "name: Beta\nname: Beta Corp")},
     "{d}/beta.yaml:3:1: error[duplicate-key]: duplicate key 'name' (first defined at line 2)"),
    ("multiple-documents", {"beta.yaml": BETA + "---\nid: beta\n"},
     "{d}/beta.yaml:10:1: error[multiple-documents]: a file holds one YAML document; remove the second '---'"),
    ("invalid-file-name", {"Gamma.yaml": "id: gamma\n"},
     "{d}/Gamma.yaml: error[invalid-file-name]: a dossier file is named <id>.yaml: 'Gamma' is not a valid id: "
     "use lowercase letters a-z, digits and single hyphens between them (e.g. 'entity-list-2019')"),
    ("invalid-file-name", {"con.yaml": "id: con\n"},
     "{d}/con.yaml: error[invalid-file-name]: a dossier file is named <id>.yaml: "
     "'con' is a reserved device name on Windows and cannot name a folder"),
    ("ignored-file", {"gamma.yml": "id: gamma\n"},
     "{d}/gamma.yml: warning[ignored-file]: 'gamma.yml' is ignored: dossiers are <id>.yaml files"),
    ("ignored-file", {"gamma.YAML": "id: gamma\n"},
     "{d}/gamma.YAML: warning[ignored-file]: 'gamma.YAML' is ignored: dossiers are <id>.yaml files"),
    # --- the dossier format ---
    ("wrong-type", alpha("name: Alpha", "name: [Alpha]"),
     "{d}/alpha.yaml:2:7: error[wrong-type]: 'name' of dossier {d}/alpha.yaml must be text, not a list"),
    ("wrong-type", alpha("text: Competes with [[beta]].", "text: [[beta]]"),
     "{d}/alpha.yaml:9:11: error[wrong-type]: 'text' of a claim in dossier 'alpha' must be text, not a list: "
     "a value that starts with [[ is read as a list, so quote a line that starts with [["),
    ("unknown-key", alpha("as_of: 2019-05", "as_of: 2019-05\n    topik: market"),
     "{d}/alpha.yaml:11:5: error[unknown-key]: unknown key 'topik' in a claim in dossier 'alpha' "
     "(did you mean 'topic'?)"),
    ("unknown-key", alpha("  founded:", "  foundd:"),
     "{d}/alpha.yaml:5:3: error[unknown-key]: unknown profile fact 'foundd' (did you mean 'founded'?); "
     "declared: 'employees', 'founded', 'founders', 'headquarters', 'leadership', 'listing', 'ownership'"),
    ("missing-key", alpha("    as_of: 2019-05\n", ""),
     "{d}/alpha.yaml:7:5: error[missing-key]: a claim in dossier 'alpha' has no 'as_of'"),
    ("missing-sources", alpha("    sources: [{id: src-a, locator: para 2}]\n", ""),
     "{d}/alpha.yaml:7:5: error[missing-sources]: a claim in dossier 'alpha' cites no source: add 'sources'"),
    ("missing-sources", alpha("sources: [{id: src-a, locator: para 2}]", "sources: []"),
     "{d}/alpha.yaml:11:14: error[missing-sources]: 'sources' of a claim in dossier 'alpha' is empty: "
     "cite at least one source"),
    ("empty-text", alpha("text: Competes with [[beta]].", "text: ''"),
     "{d}/alpha.yaml:9:11: error[empty-text]: 'text' of a claim in dossier 'alpha' is empty"),
    ("text-too-long", {"limits.toml": "[tool.sourcebook.limits]\nmax_text_chars = 10\n"},
     "{d}/alpha.yaml:9:11: error[text-too-long]: 'text' of a claim in dossier 'alpha' has 23 characters; "
     "the limit is 10 (raise [tool.sourcebook.limits] max_text_chars to allow it)"),
    ("too-many-entries", {"limits.toml": "[tool.sourcebook.limits]\nmax_entries = 1\n"},
     "{d}/sources.yaml:1:1: error[too-many-entries]: the bibliography {d}/sources.yaml "
     "has 2 items; the limit is 1 (raise [tool.sourcebook.limits] max_entries to allow it)"),
    ("invalid-id", alpha("  - id: rival\n", "  - id: ../rival\n"),
     "{d}/alpha.yaml:7:9: error[invalid-id]: 'id' of a claim in dossier 'alpha': '../rival' is not a valid id: "
     "use lowercase letters a-z, digits and single hyphens between them (e.g. 'entity-list-2019')"),
    ("reserved-id", alpha("  - id: rival\n", "  - id: references\n"),
     "{d}/alpha.yaml:7:5: error[reserved-id]: claim id 'references' is used by the page itself; reserved: "
     "'cited-by', 'claims', 'content', 'contents', 'data', 'footer', 'graph', 'history', 'legend', 'main', "
     "'mentioned-in', 'nav', 'profile', 'references', 'related', 'relationships', 'search', 'search-results', "
     "'sources', 'timeline', 'top'"),
    ("reserved-id", alpha("  - id: rival\n", "  - id: rival\n    former_ids: [timeline]\n"),
     "{d}/alpha.yaml:8:18: error[reserved-id]: former id 'timeline' of claim 'rival' is used by the page itself; "
     "reserved: 'cited-by', 'claims', 'content', 'contents', 'data', 'footer', 'graph', 'history', 'legend', "
     "'main', 'mentioned-in', 'nav', 'profile', 'references', 'related', 'relationships', 'search', "
     "'search-results', 'sources', 'timeline', 'top'"),
    ("former-id-in-use", alpha("  - id: rival\n", "  - id: rival\n    former_ids: [old-rival, listed]\n"),
     "{d}/alpha.yaml:8:29: error[former-id-in-use]: former id 'listed' of claim 'rival' is the id of event "
     "'listed' (line 14): an old permalink must lead to one entry"),
    ("former-id-in-use", alpha("  - id: rival\n", "  - id: rival\n    former_ids: [rival]\n"),
     "{d}/alpha.yaml:8:18: error[former-id-in-use]: claim 'rival' lists its own id among its former ids"),
    ("duplicate-former-id", {"alpha.yaml": ALPHA.replace("  - id: rival\n", "  - id: rival\n    former_ids: [old-rival]\n").replace(
         "  - id: listed\n", "  - id: listed\n    former_ids: [old-rival]\n")},
     "{d}/alpha.yaml:15:18: error[duplicate-former-id]: former id 'old-rival' of event 'listed' is also a former "
     "id of claim 'rival' (line 8): an old permalink must lead to one entry"),
    ("duplicate-former-id", alpha("  - id: rival-beta\n", "  - id: rival-beta\n    former_ids: [rival-b, rival-b]\n"),
     "{d}/alpha.yaml:19:27: error[duplicate-former-id]: former id 'rival-b' of relationship 'rival-beta' is listed "
     "twice (first at line 19)"),
    ("id-mismatch", alpha("id: alpha", "id: alfa"),
     "{d}/alpha.yaml:1:5: error[id-mismatch]: dossier id 'alfa' differs from its file name 'alpha.yaml'"),
    ("duplicate-id", alpha("  - id: listed\n", "  - id: rival\n"),
     "{d}/alpha.yaml:13:5: error[duplicate-id]: event id 'rival' is already used at line 7 "
     "(claims, events and relationships share one set of ids per dossier)"),
    ("duplicate-id", {"sources.yaml": minimal_files()["sources.yaml"].replace("id: src-b", "id: src-a")},
     "{d}/sources.yaml:7:3: error[duplicate-id]: source 'src-a' is already defined at line 1"),
    ("invalid-date", alpha("as_of: 2019-05", "as_of: 2023-02-30"),
     "{d}/alpha.yaml:10:12: error[invalid-date]: 'as_of' of a claim in dossier 'alpha': '2023-02-30' is not a "
     "date: February 2023 has 28 days (a period is START..END, e.g. 2011..2017; ..END means until, "
     "START.. means since)"),
    ("invalid-date", alpha("as_of: 2019-05", "as_of: 2017..2011"),
     "{d}/alpha.yaml:10:12: error[invalid-date]: 'as_of' of a claim in dossier 'alpha': period '2017..2011' "
     "ends before it starts (a period is START..END, e.g. 2011..2017; ..END means until, START.. means since)"),
    ("invalid-date", alpha("as_of: 2019-05", "as_of: 1:20"),
     "{d}/alpha.yaml:10:12: error[invalid-date]: 'as_of' of a claim in dossier 'alpha': '1:20' is not a date: "
     "write YYYY, YYYY-MM or YYYY-MM-DD (a period is START..END, e.g. 2011..2017; ..END means until, "
     "START.. means since)"),
    ("invalid-url", {"sources.yaml": SOURCES_JS} if (SOURCES_JS := minimal_files()["sources.yaml"].replace(
        "https://example.org/a", "javascript:alert(1)")) else {},
     "{d}/sources.yaml:5:8: error[invalid-url]: 'url' of a source 'javascript:alert(1)' is not an absolute "
     "http(s) URL with a host"),
    ("invalid-url", alpha("text: Competes with [[beta]].", "text: See [this](javascript:alert(1))."),
     "{d}/alpha.yaml:9:22: error[invalid-url]: 'text' of a claim in dossier 'alpha' links to "
     "'javascript:alert(1)': links in text must be absolute http(s) URLs; link a dossier with [[id]]"),
    ("invalid-language", {"sources.yaml": minimal_files()["sources.yaml"] + "  language: chinese!\n"},
     "{d}/sources.yaml:12:13: error[invalid-language]: 'language' of a source 'chinese!' is not a language "
     "tag such as en or zh-Hans"),
    ("unknown-value", alpha("topic: market", "topic: markets"),
     "{d}/alpha.yaml:8:12: error[unknown-value]: 'topic' of a claim in dossier 'alpha' 'markets' is not in the "
     "topics vocabulary (did you mean 'market'?); declared: 'finances', 'human-rights', 'market', "
     "'ownership', 'security', 'supply-chain', 'us-government'"),
    ("unknown-value", alpha("as_of: 2019-05", "as_of: 2019-05\n    status: disputed"),
     "{d}/alpha.yaml:11:13: error[unknown-value]: 'status' of a claim in dossier 'alpha' 'disputed' must be "
     "one of 'contested', 'unconfirmed'"),
    ("needs-quotes", alpha("name: Alpha", "name: NO"),
     "{d}/alpha.yaml:2:7: warning[needs-quotes]: 'name' of dossier {d}/alpha.yaml is NO, which YAML 1.1 (PyYAML "
     "and other older readers) reads as the boolean false: quote it (\"NO\") to keep it text"),
    ("needs-quotes", alpha("locator: para 2", "locator: 1.10"),
     "{d}/alpha.yaml:11:36: warning[needs-quotes]: 'locator' of a source in 'sources' of a claim in dossier 'alpha' "
     "is 1.10, which YAML 1.2 (what editors read) reads as the number 1.1: quote it (\"1.10\") to keep it text"),
    ("needs-quotes", alpha("text: Competes with [[beta]].", "text: ~"),
     "{d}/alpha.yaml:9:11: warning[needs-quotes]: 'text' of a claim in dossier 'alpha' is ~, which YAML 1.2 "
     "(what editors read) reads as null (no value): quote it (\"~\") to keep it text"),
    ("unknown-value", alpha("    sources: [{id: src-a, locator: para 2}]",
                            "    establishes: [entity-lists]\n    sources: [{id: src-a, locator: para 2}]"),
     "{d}/alpha.yaml:11:19: error[unknown-value]: an item of 'establishes' of a claim in dossier 'alpha' 'entity-lists' "
     "is not in the compare vocabulary (did you mean 'entity-list'?); declared: 'dod-1260h', 'entity-list', "
     "'fcc-covered-list', 'listing', 'ndaa-889', 'ns-cmic', 'state-ownership', 'xinjiang'"),
    ("markdown-image", alpha("text: Competes with [[beta]].", 'text: "![x](https://evil.example/t.png)"'),
     "{d}/alpha.yaml:9:17: error[markdown-image]: 'text' of a claim in dossier 'alpha' embeds an image "
     "(https://evil.example/t.png); images would load from another site: link to it instead"),
    ("markdown-too-complex", alpha("text: Competes with [[beta]].", "text: '" + "![" * 300 + "'"),
     "{d}/alpha.yaml:9:11: error[markdown-too-complex]: 'text' of a claim in dossier 'alpha' has 300 '[' "
     "characters; the limit is 256 (links and brackets in one text)"),
    ("target-or-party", alpha("    target: beta\n", "    target: beta\n    party: Beta Holdings\n"),
     "{d}/alpha.yaml:18:5: error[target-or-party]: relationship 'rival-beta' needs exactly one of 'target' "
     "(a dossier id) or 'party' (an organisation without a dossier)"),
    # --- references between files ---
    ("unknown-source", alpha("sources: [{id: src-a, locator: para 2}]", "sources: [src-c]"),
     "{d}/alpha.yaml:11:15: error[unknown-source]: claim 'rival' cites 'src-c', which is not in sources.yaml "
     "(did you mean 'src-b'?)"),
    ("unknown-dossier", alpha("text: Competes with [[beta]].", "text: Competes with [[betta]]."),
     "{d}/alpha.yaml:9:25: error[unknown-dossier]: [[betta]] in claim 'rival' names no dossier "
     "(did you mean 'beta'?)"),
    ("unknown-dossier", alpha("target: beta", "target: gamma"),
     "{d}/alpha.yaml:20:13: error[unknown-dossier]: relationship 'rival-beta' targets 'gamma', which has no "
     "dossier; an organisation without a dossier is a 'party'"),
    ("self-relationship", alpha("target: beta", "target: alpha"),
     "{d}/alpha.yaml:20:13: error[self-relationship]: relationship 'rival-beta' targets its own dossier"),
    ("unused-source", {"sources.yaml": minimal_files()["sources.yaml"] + "- id: src-c\n  title: C\n  "
                       "publisher: P\n  url: https://example.net/c\n  kind: ngo\n"},
     "{d}/sources.yaml:12:3: warning[unused-source]: source 'src-c' is cited by nothing"),
    ("schema-modeline", {},
     "{d}/alpha.yaml:1:1: warning[schema-modeline]: the first line is not '# yaml-language-server: "
     "$schema=../schema/dossier.schema.json', so editors cannot check this file as it is typed: add that line"),
    ("missing-locator", alpha("sources: [{id: src-a, locator: para 2}]", "sources: [src-a]"),
     "{d}/alpha.yaml:7:5: warning[missing-locator]: claim 'rival' cites no source with a locator; add one "
     "({id: ..., locator: para 3}), or 'whole article' where the whole source supports it"),
    ("unknown-party", alpha("    target: beta\n", "    party: beta-holding\n"),
     "{d}/alpha.yaml:20:12: error[unknown-party]: relationship 'rival-beta' names party 'beta-holding', which is "
     "not in parties.yaml"),
    ("unknown-party", {**alpha("    target: beta\n", "    party: beta-holding\n"),
                       "parties.yaml": "- id: beta-holdings\n  name: Beta Holdings\n"},
     "{d}/alpha.yaml:20:12: error[unknown-party]: relationship 'rival-beta' names party 'beta-holding', which is "
     "not in parties.yaml (did you mean 'beta-holdings'?)"),
    ("unused-party", {"parties.yaml": "- id: beta-holdings\n  name: Beta Holdings\n"},
     "{d}/parties.yaml:1:3: warning[unused-party]: party 'beta-holdings' is named by no relationship"),
    # --- the sourcing policy ---
    ("contested-unanswered", alpha("    as_of: 2019-05\n", "    as_of: 2019-05\n    status: contested\n"),
     "{d}/alpha.yaml:7:5: warning[contested-unanswered]: claim 'rival' is contested but gives the other side no "
     "response: add its response with its sources, or no_reply: none-on-record (or a cited no_reply: "
     "{text, sources}) when none is on record"),
    ("silence-as-response", alpha("    as_of: 2019-05\n", "    as_of: 2019-05\n    status: contested\n"
                                  "    responses:\n      - text: Alpha declined to comment.\n"
                                  "        sources: [src-b]\n"),
     "{d}/alpha.yaml:13:9: warning[silence-as-response]: a response to claim 'rival' only says there was no reply; "
     "write it as no_reply: {text, sources}, so the entry reads as unanswered"),
    ("wrong-type", alpha("    as_of: 2019-05\n", "    as_of: 2019-05\n    no_reply: none\n"),
     "{d}/alpha.yaml:11:15: error[wrong-type]: 'no_reply' of a claim in dossier 'alpha' must be 'none-on-record' "
     "or a mapping of text and sources (the source that says there was no reply), not 'none'"),
    ("restricted-source", {"sources.yaml": minimal_files()["sources.yaml"].replace(
        "  kind: government\n", "  kind: government\n  restricted_to: identity-facts\n")},
     "{d}/alpha.yaml:7:5: warning[restricted-source]: claim 'rival' rests only on 'src-a', restricted to identity "
     "facts: cite another source, say whose claim it is (according_to), or mark it status: unconfirmed"),
    ("standing-unexplained", alpha("    type: competitor\n", "    type: competitor\n    standing: reported\n"),
     "{d}/alpha.yaml:18:5: warning[standing-unexplained]: relationship 'rival-beta' is reported, not established, "
     "but says nothing of what was reported: add text (the talks, the planned deal)"),
    ("standing-unexplained", alpha("    type: competitor\n", "    type: competitor\n    standing: ended\n"),
     "{d}/alpha.yaml:18:5: warning[standing-unexplained]: relationship 'rival-beta' has ended but gives no as_of: "
     "say when it held or ended (2015..2019, ..2019)"),
    ("mixed-script-host", {"sources.yaml": minimal_files()["sources.yaml"].replace(
        "https://example.com/b", "https://www.r\u0435uters.com/b")},
     "{d}/sources.yaml:7:3: warning[mixed-script-host]: source 'src-b': url: host 'www.r\u0435uters.com' mixes "
     "Cyrillic and Latin letters (www.xn--ruters-3of.com): check it is the site it claims to be"),
    ("mixed-script-host", alpha("text: Competes with [[beta]].", "text: See [this](https://\u0430pple.com/x)."),
     "{d}/alpha.yaml:9:30: warning[mixed-script-host]: a link in claim 'rival': host '\u0430pple.com' mixes "
     "Cyrillic and Latin letters (xn--pple-43d.com): check it is the site it claims to be"),
    ("unknown-value", {"limits.toml": "[tool.sourcebook]\nidentity_fields = ['founded', 'headquater']\n"},
     "{d}/limits.toml:2:1: error[unknown-value]: identity_fields names 'headquater', which is not in "
     "profile_fields (did you mean 'headquarters'?)"),
    # --- settings ---
    ("config-invalid", {"limits.toml": "[tool.sourcebook\n"},
     "{d}/limits.toml: error[config-invalid]: Expected ']' at the end of a table declaration (at line 1, column 17)"),
    ("unknown-key", {"limits.toml": "[tool.sourcebook]\ntitel = 'x'\n"},
     "{d}/limits.toml:2:1: error[unknown-key]: unknown key 'titel' in [tool.sourcebook] (did you mean 'title'?)"),
    ("wrong-type", {"limits.toml": "[tool.sourcebook]\ntopics = 'market'\n"},
     "{d}/limits.toml:2:1: error[wrong-type]: 'topics' of [tool.sourcebook] must be a table of id = \"label\", "
     "not a text"),
    ("invalid-id", {"limits.toml": "[tool.sourcebook.sectors]\nnul = 'Null devices'\n"},
     "{d}/limits.toml:2:1: error[invalid-id]: a key of 'sectors' of [tool.sourcebook]: 'nul' is a reserved "
     "device name on Windows and cannot name a folder"),
    ("invalid-number", {"limits.toml": "[tool.sourcebook.limits]\nmax_depth = -3\n"},
     "{d}/limits.toml:2:1: error[invalid-number]: 'max_depth' of [tool.sourcebook.limits] must be a positive "
     "number, not '-3'"),
    ("invalid-url", {"limits.toml": "[tool.sourcebook]\nbase_url = 'https://example.org/dossiers'\n"},
     "{d}/limits.toml:2:1: error[invalid-url]: 'base_url' of [tool.sourcebook] 'https://example.org/dossiers' "
     "must be an absolute http(s) URL ending in '/', such as 'https://example.org/dossiers/'"),
    ("invalid-url", {"limits.toml": "[tool.sourcebook]\nbase_url = 'https://example.org//dossiers/'\n"},
     "{d}/limits.toml:2:1: error[invalid-url]: 'base_url' of [tool.sourcebook] 'https://example.org//dossiers/' "
     "must be an absolute http(s) URL ending in '/', such as 'https://example.org/dossiers/'"),
    ("wrong-type", {"limits.toml": "[tool.sourcebook]\nextra_files = ['extra']\n"},
     "{d}/limits.toml:2:1: error[wrong-type]: 'extra_files' of [tool.sourcebook] must be text, not a list"),
]


def _run_check(tmp_path: Path, files: dict[str, str | bytes], run_cli) -> tuple[int, list[str], Path]:
    folder = write_corpus(tmp_path / "d", {**minimal_files(), **files})
    args = ["check", "--dossiers", folder]
    if "limits.toml" in files:
        args += ["--config", folder / "limits.toml"]
    result = run_cli(*args)
    return result.code, result.lines, folder


@pytest.mark.parametrize("code,files,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_problem_message(code, files, expected, tmp_path, run_cli):
    exit_code, lines, folder = _run_check(tmp_path, files, run_cli)
    want = expected.replace("{d}", str(folder))
    assert want in lines, "\n".join(lines)
    is_warning = "warning[" in want
    settings_error = expected.startswith("{d}/limits.toml")
    assert exit_code == (0 if is_warning else 2 if settings_error else 1)


def test_every_error_line_is_positioned_and_sorted(tmp_path, run_cli):
    files = {**alpha("topic: market", "topic: markets"),
             "beta.yaml": BETA.replace("name: Beta", "name: Beta\nname: B")}
    exit_code, lines, folder = _run_check(tmp_path, files, run_cli)
    assert exit_code == 1
    pattern = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning)\[[a-z0-9-]+\]: \S")
    parsed = [pattern.match(line) for line in lines if "notice[" not in line]
    assert all(parsed), lines
    keys = [(m["path"], int(m["line"]), int(m["col"])) for m in parsed]  # type: ignore[index]
    assert keys == sorted(keys)
    errors = {m["path"] for m in parsed if m[4] == "error"}  # type: ignore[index]
    assert len(errors) == 2  # both files reported in one run


def test_missing_bibliography(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {"alpha.yaml": ALPHA, "beta.yaml": BETA})
    result = run_cli("check", "--dossiers", folder)
    assert result.code == 1
    assert (f"{folder}/sources.yaml: error[missing-bibliography]: no sources.yaml in {folder}: "
            "every dossier cites sources from it") in result.lines


def test_no_dossiers(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", {"sources.yaml": minimal_files()["sources.yaml"]})
    result = run_cli("check", "--dossiers", folder)
    assert result.code == 1
    assert f"{folder}/sources.yaml: error[no-dossiers]: the folder holds no <id>.yaml dossier" in result.lines


def test_unreadable_file(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", minimal_files())
    (folder / "gamma.yaml").mkdir()  # a folder where a file should be: unreadable even as root
    result = run_cli("check", "--dossiers", folder)
    assert result.code == 3
    assert f"{folder}/gamma.yaml: error[unreadable-file]: is not a regular file" in result.lines


def test_symbolic_links_are_refused(tmp_path, run_cli):
    secret = write_corpus(tmp_path / "elsewhere", {"secret.txt": "password: hunter2\n"}) / "secret.txt"
    folder = write_corpus(tmp_path / "d", minimal_files())
    (folder / "gamma.yaml").symlink_to(secret)
    (folder / "about.md").symlink_to(secret)
    result = run_cli("build", "--dossiers", folder, "--out", tmp_path / "site")
    assert result.code == 1
    message = ("error[symbolic-link]: is a symbolic link: dossier files must be regular files, so a "
               "contribution cannot pull in a file from elsewhere on the machine")
    assert without_modeline_warnings(result.lines) == [f"{folder}/about.md: {message}", f"{folder}/gamma.yaml: {message}",
                            f"{folder}/gamma.yaml: notice[checks-skipped]: could not be read, so checks that "
                            "depend on it (links to it, the sources it cites) were skipped; fix it and check again"]
    assert "hunter2" not in result.err and not (tmp_path / "site").exists()


def test_config_unreadable(tmp_path, run_cli, corpus):
    result = run_cli("check", "--dossiers", corpus, "--config", tmp_path / "nope.toml")
    assert result.code == 2
    assert result.lines[0].startswith(f"{tmp_path}/nope.toml: error[config-unreadable]: ")


def test_usage_error_for_a_missing_folder(tmp_path, run_cli):
    result = run_cli("check", "--dossiers", tmp_path / "nope")
    assert result.code == 2
    assert result.lines == [f"{tmp_path}/nope: error[usage]: no such folder (give --dossiers DIR)"]


def test_template_error_names_the_template_and_line(tmp_path, run_cli, corpus):
    theme = write_corpus(tmp_path / "theme", {"index.html": "line one\n{{ no_such_variable.x }}\n"})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == [f"{theme}/index.html:2:1: error[template-error]: 'no_such_variable' is undefined "
                            "(while rendering index.html)"]
    assert not (tmp_path / "site").exists()


def test_template_syntax_error(tmp_path, run_cli, corpus):
    theme = write_corpus(tmp_path / "theme", {"index.html": "ok\n{% if %}\n"})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == [f"{theme}/index.html:2:1: error[template-error]: Expected an expression, got 'end of statement block'"]


def test_output_integrity(tmp_path, run_cli, corpus):
    """A template linking to an anchor the page lacks fails the build and writes nothing."""
    theme = write_corpus(tmp_path / "theme", {"index.html": (
        "{% extends 'base.html' %}{% block main %}"
        "<a href=\"{{ url(view.companies[0].target.at('no-such-claim')) }}\">x</a>{% endblock %}")})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == ["index.html: error[output-integrity]: links to "
                            "'companies/alpha/index.html#no-such-claim', but that page has no such anchor"]
    assert not (tmp_path / "site").exists()


def test_unsafe_output_is_refused(tmp_path, run_cli, corpus):
    precious = write_corpus(tmp_path / "docs", {"notes.txt": "keep me"})
    result = run_cli("build", "--dossiers", corpus, "--out", precious)
    assert result.code == 2
    assert result.lines == [f"{precious}: error[unsafe-output]: will not replace '{precious}': it is not empty "
                            "and was not written by sourcebook (no .sourcebook-manifest.json): it holds notes.txt; "
                            "choose another --out"]
    assert (precious / "notes.txt").read_text() == "keep me"


def test_write_failed(tmp_path, run_cli, corpus, monkeypatch):
    from sourcebook.destinations import folder as write

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "x"))
    monkeypatch.setattr(write.tempfile, "mkdtemp", no_space)
    result = run_cli("build", "--dossiers", corpus, "--out", tmp_path / "site")
    assert result.code == 3
    assert result.lines == [f"{tmp_path}/x: error[write-failed]: could not write the site: No space left on "
                            "device; the previous site is unchanged"]


# --- keeping codes, tests and docs in step ------------------------------------------

TESTED_ELSEWHERE = {"missing-bibliography", "no-dossiers", "unreadable-file", "config-unreadable", "usage",
                    "symbolic-link", "checks-skipped", "base-url-unset", "output-migrated", "duplicate-anchor",
                    "template-error", "output-integrity", "unsafe-output", "write-failed",
                    "zip-too-large",  # test_offline.py::test_an_archive_over_its_size_limit_is_refused_with_a_problem
                    # the extra-files folder, in tests/test_publish.py (a build, not a check, meets it)
                    "invalid-extra-files", "extra-file-collision",
                    # the history of a git checkout, in tests/test_history.py (real repositories)
                    "history-unavailable", "history-shallow", "history-unreadable", "commit-message-refused"}


def test_every_code_has_a_failing_fixture():
    assert {c for c, _, _ in CASES} | TESTED_ELSEWHERE == set(CODES)


def test_every_code_is_documented():
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([a-z0-9-]+)`", text, re.MULTILINE))
    assert documented == set(CODES)


def test_documented_examples_are_the_fixtures_messages():
    """docs/errors.md shows, under each code that has a fixture here, that fixture's exact line."""
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    examples = dict(re.findall(r"^### `([a-z0-9-]+)`\n\n.*?\n\n```\n(.*?)\n```", text, re.MULTILINE | re.DOTALL))
    for code, _, expected in CASES:
        if code in examples and examples[code] == expected.replace("{d}", "dossiers"):
            continue
        first = next(e for c, _, e in CASES if c == code).replace("{d}", "dossiers")
        assert examples.get(code) == first, f"docs/errors.md: the example for {code} is not its fixture's message"


def test_a_template_naming_a_removed_variable_is_told_its_replacement(tmp_path, run_cli, corpus):
    """Template interface 2: `site` and `config` are gone; a template still using them fails with the
    name and what replaces it."""
    theme = write_corpus(tmp_path / "theme", {"index.html": "{{ site.corpus.dossiers|length }}\n"})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == [f"{theme}/index.html:1:1: error[template-error]: 'site' was removed in template "
                            "interface 2: use view (the page's own data) or chrome (title, nav, language, csp) "
                            "(while rendering index.html)"]
