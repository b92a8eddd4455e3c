"""`diff`: claim-level reports between git revisions (real repositories, real commits) and folders.

Every repository here is built by `scripts/diff_demo.Repo`: its own identity,
fixed dates, and no git configuration but its own (HOME is the temporary
folder, GIT_CONFIG_NOSYSTEM and GIT_CONFIG_GLOBAL are set, for git and for
the `diff` that runs it), so commit ids and reports are the same everywhere.
Reports are compared whole, line by line.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

import pytest
from markdown_it import MarkdownIt

from conftest import ALPHA, BETA, ROOT, SOURCES, minimal_files
from sourcebook import pipeline
from sourcebook.changes.render import md
from sourcebook.problems import log_safe
from sourcebook.revisions import GitTree, Repository

sys.path.insert(0, str(ROOT / "scripts"))
from diff_demo import Repo, edit, hermetic  # noqa: E402

DEFAULTS = "(built-in defaults)"


@pytest.fixture(autouse=True)
def no_git_config(tmp_path, monkeypatch):
    """The in-process `diff` runs git too: it must not read this machine's configuration either."""
    for name, value in hermetic(tmp_path).items():
        if name.startswith(("HOME", "GIT_", "LC_ALL", "TZ")):
            monkeypatch.setenv(name, value)


# --- one repository, a commit per kind of change ----------------------------------------------

ADDED_CLAIM = ("  - id: drones-2020\n    topic: market\n    text: Sold a million drones.\n    as_of: 2020\n"
               "    sources: [{id: src-b, locator: para 9}]\n")


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Repo:
    """base -> add -> remove -> edit -> rename -> rename-guess -> source -> weaker -> broken (tags)."""
    repo = Repo(tmp_path_factory.mktemp("history") / "repo")
    repo.write({f"dossiers/{name}": text for name, text in minimal_files().items()})
    repo.commit("base", "base")
    alpha = edit(ALPHA, ("events:\n", ADDED_CLAIM + "events:\n"))
    repo.write({"dossiers/alpha.yaml": alpha})
    repo.commit("add a claim", "add")
    repo.write({"dossiers/beta.yaml": edit(BETA, (BETA[BETA.index("claims:"):], "claims: []\n"))})
    repo.commit("remove a claim", "remove")
    alpha = edit(alpha, ("text: Competes with [[beta]].", "text: Competes with [[beta]] in farm drones."),
                 ("as_of: 2019-05\n", "as_of: 2019-06\n    status: contested\n    no_reply: none-on-record\n"))
    repo.write({"dossiers/alpha.yaml": alpha})
    repo.commit("edit a claim", "edit")
    alpha = edit(alpha, ("  - id: drones-2020\n", "  - id: million-drones\n    former_ids: [drones-2020]\n"))
    repo.write({"dossiers/alpha.yaml": alpha})
    repo.commit("rename a claim, keeping its permalink", "rename")
    alpha = edit(alpha, ("  - id: listed\n", "  - id: listing\n"))
    repo.write({"dossiers/alpha.yaml": alpha})
    repo.commit("rename an event without former_ids", "rename-guess")
    repo.write({"dossiers/sources.yaml": edit(SOURCES, ("title: B article", "title: B article, updated"),
                                              ("url: https://example.com/b", "url: https://example.com/b2"))})
    repo.commit("edit a source", "source")
    alpha = edit(alpha, ("    sources: [{id: src-a, locator: para 2}]\n", "    sources: [src-a]\n"))
    repo.write({"dossiers/alpha.yaml": alpha})
    repo.commit("make a claim weaker", "weaker")
    repo.write({"dossiers/alpha.yaml": edit(alpha, ("    sources: [src-a]\n", "    sources: [src-a, src-z]\n"))})
    repo.commit("break a reference", "broken")
    return repo


def diff(run_cli, repo: Repo, *args: str):
    cwd = os.getcwd()
    os.chdir(repo.folder)
    try:
        return run_cli("diff", *args)
    finally:
        os.chdir(cwd)


def header(repo: Repo, base: str, target: str, dossiers: tuple[int, int] = (2, 2)) -> list[str]:
    lines = ["sourcebook diff"]
    for role, tag, count in (("base:", base, dossiers[0]), ("target:", target, dossiers[1])):
        commit = repo.git("rev-parse", tag).strip()
        lines.append(f"{role.ljust(8)}{tag} (commit {commit}): {tag}:dossiers ({count} dossiers, 2 sources; "
                     f"settings {DEFAULTS})")
    return lines + [""]


MISSING_LOCATOR = ("warning[missing-locator]: claim 'rival' cites no source with a locator; add one ({id: ..., "
                   "locator: para 3}), or 'whole article' where the whole source supports it")

EXPECTED = {
    ("base", "add"): [
        "summary: dossiers 1 changed; entries 1 added; pages 11 changed",
        "",
        "dossier alpha (Alpha): changed",
        "  + claim drones-2020: added [add:dossiers/alpha.yaml:12:5]",
        "      topic market; as_of 2020",
        "      text: Sold a million drones.",
        "      sources: src-b (para 9)",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 11 change, 0 added, 0 removed, 19 unchanged",
        "  ~ companies/alpha/index.html (dossier alpha)",
        "  ~ compare/index.html (dossier alpha)",
        "  ~ data/index.html (dossier alpha)",
        "  ~ graph/index.html (dossier alpha)",
        "  ~ index.html (dossier alpha)",
        "  ~ sectors/drones/index.html (dossier alpha)",
        "  ~ sources/index.html (citing src-b)",
        "  ~ sources/src-b/index.html (citing src-b)",
        "  ~ timeline/2019/index.html (dossier alpha)",
        "  ~ topics/index.html (topic market)",
        "  ~ topics/market/index.html (dossier alpha, topic market)",
    ],
    ("add", "remove"): [
        "summary: dossiers 1 changed; entries 1 removed; pages 9 changed",
        "",
        "dossier beta (Beta): changed",
        "  - claim founded: removed [add:dossiers/beta.yaml:5:5]",
        "      text: Founded in 2001.",
        "      sources: src-b (para 3)",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 9 change, 0 added, 0 removed, 21 unchanged",
        "  ~ companies/beta/index.html (dossier beta)",
        "  ~ compare/index.html (dossier beta)",
        "  ~ graph/index.html (dossier beta)",
        "  ~ index.html (dossier beta)",
        "  ~ sectors/drones/index.html (dossier beta)",
        "  ~ sources/index.html (citing src-b)",
        "  ~ sources/src-b/index.html (citing src-b)",
        "  ~ topics/index.html (topic ownership)",
        "  ~ topics/ownership/index.html (dossier beta, topic ownership)",
    ],
    ("remove", "edit"): [
        "summary: dossiers 1 changed; entries 1 changed; pages 11 changed",
        "",
        "dossier alpha (Alpha): changed",
        "  ~ claim rival: changed [edit:dossiers/alpha.yaml:7:5]",
        "      text: Competes with [-[[beta]].-] {+[[beta]] in farm drones.+}",
        "      as_of: 2019-05 → 2019-06",
        "      no_reply: (none) → none on record",
        "      status: newly unanswered",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 11 change, 0 added, 0 removed, 19 unchanged",
        "  ~ companies/alpha/index.html (dossier alpha)",
        "  ~ companies/beta/index.html (mentions beta)",
        "  ~ compare/index.html (dossier alpha)",
        "  ~ data/index.html (citing src-a, dossier alpha)",
        "  ~ graph/index.html (dossier alpha)",
        "  ~ index.html (dossier alpha)",
        "  ~ sectors/drones/index.html (dossier alpha)",
        "  ~ sources/index.html (citing src-a)",
        "  ~ sources/src-a/index.html (citing src-a)",
        "  ~ timeline/2019/index.html (dossier alpha)",
        "  ~ topics/market/index.html (dossier alpha)",
    ],
    ("edit", "rename"): [
        "summary: dossiers 1 changed; entries 1 renamed; pages 10 changed",
        "",
        "dossier alpha (Alpha): changed",
        "  > claim million-drones: renamed from drones-2020 (its former_ids) [rename:dossiers/alpha.yaml:14:5]",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 10 change, 0 added, 0 removed, 20 unchanged",
        "  ~ companies/alpha/index.html (dossier alpha)",
        "  ~ compare/index.html (dossier alpha)",
        "  ~ data/index.html (dossier alpha)",
        "  ~ graph/index.html (dossier alpha)",
        "  ~ index.html (dossier alpha)",
        "  ~ sectors/drones/index.html (dossier alpha)",
        "  ~ sources/index.html (citing src-b)",
        "  ~ sources/src-b/index.html (citing src-b)",
        "  ~ timeline/2019/index.html (dossier alpha)",
        "  ~ topics/market/index.html (dossier alpha)",
    ],
    ("rename", "rename-guess"): [
        "summary: dossiers 1 changed; entries 1 possibly renamed; pages 10 changed",
        "",
        "dossier alpha (Alpha): changed",
        "  ? event listing: possibly renamed from listed (its content matches; list listed in former_ids to keep "
        "its permalink) [rename-guess:dossiers/alpha.yaml:21:5]",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 10 change, 0 added, 0 removed, 20 unchanged",
        "  ~ companies/alpha/index.html (dossier alpha)",
        "  ~ compare/index.html (dossier alpha)",
        "  ~ data/index.html (dossier alpha)",
        "  ~ graph/index.html (dossier alpha)",
        "  ~ index.html (dossier alpha)",
        "  ~ sectors/drones/index.html (dossier alpha)",
        "  ~ sources/index.html (citing src-b)",
        "  ~ sources/src-b/index.html (citing src-b)",
        "  ~ timeline/2019/index.html (dossier alpha)",
        "  ~ topics/market/index.html (dossier alpha)",
    ],
    ("rename-guess", "source"): [
        "summary: sources 1 edited; pages 5 changed",
        "",
        "sources.yaml:",
        "  ~ source src-b: edited \"B article, updated\" (cited 3 times) [source:dossiers/sources.yaml:7:3]",
        "      title: B article → B article, updated",
        "      url: https://example.com/b → https://example.com/b2",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 5 change, 0 added, 0 removed, 25 unchanged",
        "  ~ companies/alpha/index.html (source src-b)",
        "  ~ sources/index.html (source src-b)",
        "  ~ sources/src-b/index.html (source src-b)",
        "  ~ timeline/2019/index.html (source src-b)",
        "  ~ topics/market/index.html (source src-b)",
    ],
    ("source", "weaker"): [
        "summary: dossiers 1 changed; entries 1 changed; 1 with weaker sourcing; pages 10 changed",
        "",
        "problems in the target (1 new warning):",
        f"  weaker:dossiers/alpha.yaml:7:5: {MISSING_LOCATOR}",
        "",
        "dossier alpha (Alpha): changed",
        "  ~ claim rival: changed [weaker:dossiers/alpha.yaml:7:5]",
        "      locator of src-a: para 2 → (none)",
        "      weaker sourcing: src-a lost its locator (para 2)",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 10 change, 0 added, 0 removed, 20 unchanged",
        "  ~ companies/alpha/index.html (dossier alpha)",
        "  ~ compare/index.html (dossier alpha)",
        "  ~ data/index.html (citing src-a, dossier alpha)",
        "  ~ graph/index.html (dossier alpha)",
        "  ~ index.html (dossier alpha)",
        "  ~ sectors/drones/index.html (dossier alpha)",
        "  ~ sources/index.html (citing src-a)",
        "  ~ sources/src-a/index.html (citing src-a)",
        "  ~ timeline/2019/index.html (dossier alpha)",
        "  ~ topics/market/index.html (dossier alpha)",
    ],
    ("weaker", "broken"): [
        "summary: dossiers 1 changed; entries 1 changed",
        "",
        "problems in the target (1 error; it does not validate, so its pages are not compared "
        "(check is the gate)):",
        "  broken:dossiers/alpha.yaml:13:22: error[unknown-source]: claim 'rival' cites 'src-z', which is not in "
        "sources.yaml (did you mean 'src-b'?)",
        "",
        "dossier alpha (Alpha): changed",
        "  ~ claim rival: changed [broken:dossiers/alpha.yaml:7:5]",
        "      sources: +src-z",
        "",
        "pages: not compared: the target does not validate",
    ],
}


@pytest.mark.parametrize("base,target", list(EXPECTED), ids=[f"{b}-{t}" for b, t in EXPECTED])
def test_each_kind_of_change_is_reported_exactly(history, run_cli, base, target):
    result = diff(run_cli, history, base, target)
    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == header(history, base, target) + EXPECTED[(base, target)]


def test_the_markdown_report(history, run_cli):
    result = diff(run_cli, history, "remove", "rename", "--format", "markdown")
    commit = {tag: history.git("rev-parse", tag).strip() for tag in ("remove", "rename")}
    assert result.code == 0
    assert result.out.splitlines() == [
        "## sourcebook diff",
        "",
        f"**Base:** `remove` (commit `{commit['remove']}`): `remove:dossiers`, 2 dossiers, 2 sources; "
        f"settings `{DEFAULTS}`  ",
        f"**Target:** `rename` (commit `{commit['rename']}`): `rename:dossiers`, 2 dossiers, 2 sources; "
        f"settings `{DEFAULTS}`",
        "",
        "**Summary:** dossiers 1 changed; entries 1 changed, 1 renamed; pages 12 changed",
        "",
        "### `alpha` Alpha: changed",
        "",
        "- **claim `million-drones`**: renamed from `drones-2020` (its `former_ids`)",
        "- **claim `rival`**: changed",
        r"  - text: Competes with <del>\[\[beta\]\].</del> <ins>\[\[beta\]\] in farm drones.</ins>",
        "  - as_of: 2019-05 → 2019-06",
        "  - no_reply: (none) → none on record",
        "  - status: **newly unanswered**",
        "",
        "### Pages",
        "",
        "From the pages' recorded reads (nothing rendered): 12 change, 0 added, 0 removed, 18 unchanged.",
        "",
        "<details><summary>Pages that change</summary>",
        "",
        "- `companies/alpha/index.html` (dossier alpha)",
        "- `companies/beta/index.html` (mentions beta)",
        "- `compare/index.html` (dossier alpha)",
        "- `data/index.html` (citing src-a, dossier alpha)",
        "- `graph/index.html` (dossier alpha)",
        "- `index.html` (dossier alpha)",
        "- `sectors/drones/index.html` (dossier alpha)",
        "- `sources/index.html` (citing src-a, citing src-b)",
        "- `sources/src-a/index.html` (citing src-a)",
        "- `sources/src-b/index.html` (citing src-b)",
        "- `timeline/2019/index.html` (dossier alpha)",
        "- `topics/market/index.html` (dossier alpha)",
        "",
        "</details>",
    ]


def test_the_markdown_of_a_side_that_does_not_validate(history, run_cli):
    lines = diff(run_cli, history, "weaker", "broken", "--format", "markdown").out.splitlines()
    start = lines.index("> [!CAUTION]")
    assert lines[start:start + 5] == [
        "> [!CAUTION]",
        "> **Problems in the target** (1 error; it does not validate, so its pages are not compared "
        "(check is the gate))",
        ">",
        r"> - broken\:dossiers/alpha.yaml\:13\:22\: error\[unknown-source\]\: claim 'rival' cites 'src-z', which "
        "is not in sources.yaml (did you mean 'src-b'?)",
        "",
    ]
    assert lines[-3:] == ["### Pages", "", "pages: not compared: the target does not validate"]


def test_the_json_report(history, run_cli):
    result = diff(run_cli, history, "source", "weaker", "--format", "json")
    report = json.loads(result.out)
    for role in ("base", "target"):  # every problem is kept; the fixtures' missing schema lines are not the point
        report[role]["problems"] = [p for p in report[role]["problems"] if p["code"] != "schema-modeline"]
    commit = {tag: history.git("rev-parse", tag).strip() for tag in ("source", "weaker")}
    side = {"dossiers": 2, "sources": 2, "settings": DEFAULTS}
    assert report == {
        "base": {"role": "base", "label": "source", "commit": commit["source"], "folder": "source:dossiers",
                 **side, "errors": 0, "problems": []},
        "target": {"role": "target", "label": "weaker", "commit": commit["weaker"], "folder": "weaker:dossiers",
                   **side, "errors": 0, "problems": [
                       {"path": "weaker:dossiers/alpha.yaml", "line": 7, "column": 5, "severity": "warning",
                        "code": "missing-locator", "message": MISSING_LOCATOR.split(": ", 1)[1]}]},
        "empty": False,
        "dossiers": [{"id": "alpha", "name": "Alpha", "change": "changed", "where": "weaker:dossiers/alpha.yaml:1:1",
                      "fields": [], "entries": [{
                          "kind": "claim", "id": "rival", "change": "changed",
                          "where": "weaker:dossiers/alpha.yaml:7:5", "old_id": None, "text": None, "sources": [],
                          "fields": [], "status": None, "sources_added": [], "sources_removed": [],
                          "locators": [{"source": "src-a", "old": "para 2", "new": None}],
                          "responses_added": [], "responses_removed": [],
                          "weaker": ["src-a lost its locator (para 2)"]}]}],
        "sources": [], "parties": [], "settings": [], "about": None,
        "pages": {"computed": True, "added": [], "removed": [], "unchanged": 20, "changed": [
            {"path": "companies/alpha/index.html", "reasons": ["dossier alpha"]},
            {"path": "compare/index.html", "reasons": ["dossier alpha"]},
            {"path": "data/index.html", "reasons": ["citing src-a", "dossier alpha"]},
            {"path": "graph/index.html", "reasons": ["dossier alpha"]},
            {"path": "index.html", "reasons": ["dossier alpha"]},
            {"path": "sectors/drones/index.html", "reasons": ["dossier alpha"]},
            {"path": "sources/index.html", "reasons": ["citing src-a"]},
            {"path": "sources/src-a/index.html", "reasons": ["citing src-a"]},
            {"path": "timeline/2019/index.html", "reasons": ["dossier alpha"]},
            {"path": "topics/market/index.html", "reasons": ["dossier alpha"]}]},
    }


def test_the_json_of_a_word_diff_and_a_rename(history, run_cli):
    report = json.loads(diff(run_cli, history, "remove", "rename", "--format", "json").out)
    entries = report["dossiers"][0]["entries"]
    assert [(e["kind"], e["id"], e["change"], e["old_id"]) for e in entries] == [
        ("claim", "million-drones", "renamed", "drones-2020"), ("claim", "rival", "changed", None)]
    assert entries[1]["fields"][0] == {
        "name": "text", "old": "Competes with [[beta]].", "new": "Competes with [[beta]] in farm drones.",
        "words": [["=", "Competes with"], ["-", "[[beta]]."], ["+", "[[beta]] in farm drones."]]}
    assert entries[1]["status"] == "newly unanswered"


# --- what is compared -------------------------------------------------------------------------------

def test_the_working_tree_is_the_default_target_and_head_is_the_commit(run_cli, tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.write({f"dossiers/{name}": text for name, text in minimal_files().items()})
    head = repo.commit("one")
    repo.write({"dossiers/beta.yaml": BETA.replace("Founded in 2001.", "Founded in 2002.")})  # not committed
    dirty = diff(run_cli, repo, "HEAD")
    assert dirty.out.splitlines()[:11] == [
        "sourcebook diff",
        f"base:   HEAD (commit {head}): HEAD:dossiers (2 dossiers, 2 sources; settings {DEFAULTS})",
        f"target: the working tree (on commit {head}): dossiers (2 dossiers, 2 sources; settings {DEFAULTS})",
        "",
        "summary: dossiers 1 changed; entries 1 changed; pages 8 changed",
        "",
        "dossier beta (Beta): changed",
        "  ~ claim founded: changed [dossiers/beta.yaml:5:5]",
        "      text: Founded in [-2001.-] {+2002.+}",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 8 change, 0 added, 0 removed, 22 unchanged",
    ]
    committed = diff(run_cli, repo, "HEAD", "HEAD")
    assert committed.out.splitlines()[4] == ("summary: no differences in the dossiers, sources, parties or "
                                             "settings; pages unchanged")


def test_two_folders(run_cli, tmp_path):
    from conftest import write_corpus
    old = write_corpus(tmp_path / "old", minimal_files())
    new = write_corpus(tmp_path / "new", {**minimal_files(), "beta.yaml": BETA.replace("2001", "2002"),
                                          "alpha.yaml": ALPHA.replace('"2006", sources: [{id: src-a, locator: p. 1}]',
                                                                      '"2007", sources: [src-a, src-b]')})
    result = run_cli("diff", "--dirs", old, new)
    assert result.code == 0
    assert result.out.splitlines()[:18] == [
        "sourcebook diff",
        f"base:   {old}: {old} (2 dossiers, 2 sources; settings {DEFAULTS})",
        f"target: {new}: {new} (2 dossiers, 2 sources; settings {DEFAULTS})",
        "",
        "summary: dossiers 2 changed; entries 2 changed; 1 with weaker sourcing; pages 13 changed",
        "",
        "dossier alpha (Alpha): changed",
        f"  ~ profile fact founded: changed [{new}/alpha.yaml:5:12]",
        "      value: [-2006-] {+2007+}",
        "      sources: +src-b",
        "      locator of src-a: p. 1 → (none)",
        "      weaker sourcing: src-a lost its locator (p. 1)",
        "",
        "dossier beta (Beta): changed",
        f"  ~ claim founded: changed [{new}/beta.yaml:5:5]",
        "      text: Founded in [-2001.-] {+2002.+}",
        "      as_of: 2001 → 2002",
        "",
    ]


@pytest.mark.parametrize("args,message", [
    (("nope",), "dossiers: error[usage]: 'nope' names no commit in {root}"),
    (("--", "--output=x"), "dossiers: error[usage]: '--output=x' names no commit in {root}"),
    (("base", "add", "remove"), "dossiers: error[usage]: give BASE [TARGET]: git revisions (or --dirs OLD NEW)"),
    (("--dossiers", "elsewhere", "base", "add"), "elsewhere: error[usage]: 'elsewhere' is not a folder at commit "
                                                 "{base}"),
    (("--dirs", "a"), "diff: error[usage]: --dirs compares two folders: diff --dirs OLD NEW"),
    (("--dirs", "a", "b"), "diff: error[usage]: a is not a folder"),
])
def test_a_bad_revision_or_folder_is_exit_2(history, run_cli, args, message):
    result = diff(run_cli, history, *args)
    base = history.git("rev-parse", "base").strip()
    assert (result.code, result.out) == (2, "")
    assert result.lines == [message.format(root=history.folder, base=base)]


def test_each_side_reads_its_own_settings(tmp_path, run_cli):
    """A topic the target's settings add, and a claim using it: the target validates under its own."""
    repo = Repo(tmp_path / "repo")
    repo.write({"pyproject.toml": "[tool.sourcebook.topics]\nmarket = 'Market'\nownership = 'Ownership'\n",
                **{f"dossiers/{n}": t for n, t in minimal_files().items()}})
    repo.commit("one", "one")
    repo.write({"pyproject.toml": "[tool.sourcebook.topics]\nmarket = 'Markets'\nownership = 'Ownership'\n"
                                  "space = 'Space'\n",
                "dossiers/beta.yaml": BETA.replace("topic: ownership", "topic: space")})
    repo.commit("two", "two")
    out = diff(run_cli, repo, "one", "two").out.splitlines()
    assert out[1].endswith("settings one:pyproject.toml)") and out[2].endswith("settings two:pyproject.toml)")
    assert "problems in the target" not in "\n".join(out)
    start = out.index("settings:")
    assert out[start:start + 5] == ["settings:", "  topics:", "    + space: Space", "    ~ market: Market → Markets", ""]
    assert "      topic: ownership → space" in out


def test_settings_that_do_not_read_are_a_problem_of_their_side(tmp_path, run_cli):
    repo = Repo(tmp_path / "repo")
    repo.write({f"dossiers/{n}": t for n, t in minimal_files().items()})
    repo.commit("one", "one")
    repo.write({"pyproject.toml": "[tool.sourcebook\n"})
    repo.commit("two", "two")
    result = diff(run_cli, repo, "one", "two")
    assert result.code == 0
    assert ("  two:pyproject.toml: error[config-invalid]: Expected ']' at the end of a table declaration "
            "(at line 1, column 17)") in result.out.splitlines()


# --- read from git objects, with the loader's defences ----------------------------------------------

def test_symbolic_links_and_submodules_at_a_revision_are_refused_as_on_disk(tmp_path, run_cli):
    repo = Repo(tmp_path / "repo")
    repo.write({f"dossiers/{n}": t for n, t in minimal_files().items()})
    repo.commit("one", "one")
    (repo.folder / "dossiers" / "gamma.yaml").symlink_to("/etc/passwd")
    commit = repo.git("rev-parse", "HEAD").strip()
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{commit},dossiers/delta.yaml")
    repo.git("add", "dossiers/gamma.yaml")
    repo.commit("a symlink and a submodule", "two", add=False)  # add -A would drop the gitlink: no folder holds it
    out = diff(run_cli, repo, "one", "two").out.splitlines()
    start = out.index("problems in the target (2 errors, 2 new notices; it does not validate, so its pages are not "
                      "compared (check is the gate)):")
    skipped = ("notice[checks-skipped]: could not be read, so checks that depend on it (links to it, the sources "
               "it cites) were skipped; fix it and check again")
    assert out[start + 1:start + 6] == [
        "  two:dossiers/delta.yaml: error[unreadable-file]: is not a regular file",
        f"  two:dossiers/delta.yaml: {skipped}",
        "  two:dossiers/gamma.yaml: error[symbolic-link]: is a symbolic link: dossier files must be regular files, "
        "so a contribution cannot pull in a file from elsewhere on the machine",
        f"  two:dossiers/gamma.yaml: {skipped}",
        "",
    ]
    assert "root:" not in "\n".join(out)


def test_a_blob_over_the_cap_is_refused_without_being_read(tmp_path, run_cli):
    repo = Repo(tmp_path / "repo")
    repo.write({"pyproject.toml": "[tool.sourcebook.limits]\nmax_file_bytes = 2000\n",
                **{f"dossiers/{n}": t for n, t in minimal_files().items()}})
    repo.commit("one", "one")
    repo.write({"dossiers/beta.yaml": BETA + "# " + "x" * 3000 + "\n"})
    commit = repo.commit("too large", "two")
    out = diff(run_cli, repo, "one", "two").out.splitlines()
    assert ("  two:dossiers/beta.yaml:1:1: error[file-too-large]: file is larger than 2000 bytes (raise "
            "[tool.sourcebook.limits] max_file_bytes to allow it)") in out
    with GitTree(Repository(repo.folder), commit, "dossiers", "two") as tree:
        assert len(tree.read("beta.yaml", 2000)) == 2001
        assert tree._batch is None  # no blob was asked of git
        assert tree.read("alpha.yaml", 2000) == ALPHA.encode()
        assert tree._batch is not None


# --- the pages, from records alone, against two real builds --------------------------------------------

def test_the_pages_listed_are_the_pages_whose_bytes_change(tmp_path, history, run_cli):
    """Build both sides for real and compare every page: each page whose bytes differ is listed."""
    for base, target in [("base", "add"), ("add", "remove"), ("remove", "edit"), ("edit", "rename"),
                         ("rename-guess", "source")]:
        report = json.loads(diff(run_cli, history, base, target, "--format", "json").out)["pages"]
        listed = {p["path"] for p in report["changed"]} | set(report["added"]) | set(report["removed"])
        sites = {}
        for tag in (base, target):
            folder = tmp_path / tag
            data = subprocess.run(["git", "archive", tag, "dossiers"], cwd=history.folder, env=history.env,
                                  capture_output=True, check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(data)) as archive:
                archive.extractall(folder, filter="data")
            pipeline.build(pipeline.Options(dossiers=folder / "dossiers", out=folder / "site"))
            sites[tag] = {p.relative_to(folder / "site").as_posix(): p.read_bytes()
                          for p in (folder / "site").rglob("*.html")}
        differ = {path for path in sites[base].keys() | sites[target].keys()
                  if sites[base].get(path) != sites[target].get(path)}
        assert differ and differ <= listed, (base, target)
        shutil.rmtree(tmp_path / base)
        shutil.rmtree(tmp_path / target)


# --- contributed text in a CI log, a comment, a tool -----------------------------------------------------

HOSTILE_TITLE = "Title\n::stop-commands::pause\n  ::error file=x,line=1::forged ##[add-mask]secret"
HOSTILE_TEXT = "::warning::forged <img src=https://evil.example/t.png> [link](https://evil.example) @octocat :smile: $x$"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Repo:
    repo = Repo(tmp_path_factory.mktemp("hostile") / "repo")
    repo.write({f"dossiers/{n}": t for n, t in minimal_files().items()})
    repo.commit("one", "one")
    title = "title: |-\n    " + HOSTILE_TITLE.replace("\n", "\n    ")
    repo.write({"dossiers/sources.yaml": SOURCES.replace("title: B article", title),
                "dossiers/beta.yaml": BETA.replace("text: Founded in 2001.", f"text: '{HOSTILE_TEXT}'")})
    repo.commit("hostile", "two")
    return repo


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_dossier_text_cannot_issue_workflow_commands(hostile, run_cli, form):
    out = diff(run_cli, hostile, "one", "two", "--format", form).out
    assert "forged" in out and "stop-commands" in out
    for line in out.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert "##[" not in out
    if form == "json":
        report = json.loads(out)
        assert report["sources"][0]["fields"][0]["new"] == " ".join(HOSTILE_TITLE.split())
        assert report["dossiers"][0]["entries"][0]["fields"][0]["new"] == HOSTILE_TEXT


def test_log_safe_defuses_commands_at_a_line_start_and_v1_commands_anywhere():
    assert log_safe("ok\n  ::error::x\n::stop-commands::t\nsee ##[group]y") == \
        "ok\n  \\::error::x\n\\::stop-commands::t\nsee #\\#[group]y"


def test_problem_lines_cannot_issue_v1_workflow_commands(tmp_path, run_cli):
    """`check` quotes contributed text in problems: the runner's older `##[command]` matches anywhere."""
    from conftest import write_corpus
    folder = write_corpus(tmp_path / "d", {**minimal_files(), "beta.yaml": BETA + "'##[add-mask]x': 1\n"})
    result = run_cli("check", "--dossiers", folder)
    assert [line for line in result.lines if "unknown-key" in line] == [
        f"{folder}/beta.yaml:10:1: error[unknown-key]: unknown key '#\\#[add-mask]x' in dossier {folder}/beta.yaml"]


def test_markdown_shows_contributed_text_and_makes_no_markup(hostile, run_cli):
    """Rendered as GitHub would (CommonMark with HTML on), the report holds no element from a dossier."""
    out = diff(run_cli, hostile, "one", "two", "--format", "markdown").out
    html = MarkdownIt("commonmark", {"html": True}).render(out)
    assert set(re.findall(r"<([a-z][a-z0-9]*)", html)) <= {"h2", "h3", "p", "strong", "code", "ul", "li", "del", "ins",
                                                 "details", "summary", "blockquote", "br"}
    assert "@\u2060octocat" in html and "<img" not in html and "href" not in html
    assert md("<b>*x*</b> [a](b) :smile: @me") == r"\<b\>\*x\*\</b\> \[a\](b) \:smile\: @" + "\u2060me"


# --- the README's report ---------------------------------------------------------------------------------

def test_the_readme_shows_what_make_diff_demo_prints():
    done = subprocess.run(["make", "-s", "--no-print-directory", "diff-demo"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- diff-demo -->\n```text\n", 1)[1].split("```\n<!-- /diff-demo -->", 1)[0]
    assert shown == done.stdout


GAMMA = """\
id: gamma
name: Gamma
sectors: [drones]
profile:
  founded: {value: "2010", sources: [{id: src-a, locator: p. 2}]}
claims:
  - id: maker
    topic: market
    text: Makes **drones** for [[alpha]].
    as_of: 2020
    sources: [{id: src-a, locator: p. 5}]
"""


def test_a_dossier_added_a_party_the_settings_and_about_md(tmp_path, run_cli):
    """Two folders, each with its own settings file: a new dossier, a relationship now naming a party,
    a new parties.yaml and about.md, a new site title (which every page shows)."""
    from conftest import write_corpus
    old = write_corpus(tmp_path / "old", {**minimal_files(), "pyproject.toml": "[tool.sourcebook]\ntitle = 'Old'\n"})
    new = write_corpus(tmp_path / "new", {
        **minimal_files(), "pyproject.toml": "[tool.sourcebook]\ntitle = 'New'\n", "gamma.yaml": GAMMA,
        "about.md": "About these dossiers.\n", "parties.yaml": "- id: beta-holdings\n  name: Beta Holdings\n",
        "alpha.yaml": edit(ALPHA, ("    target: beta\n", "    party: beta-holdings\n"),
                           ("type: competitor", "type: owner"))})
    result = run_cli("diff", "--dirs", old, new)
    chrome = "the site's title and navigation"
    assert result.out.splitlines() == [
        "sourcebook diff",
        f"base:   {old}: {old} (2 dossiers, 2 sources; settings {old}/pyproject.toml)",
        f"target: {new}: {new} (3 dossiers, 2 sources; settings {new}/pyproject.toml)",
        "",
        "summary: dossiers 1 added, 1 changed; entries 2 added, 1 changed; parties 1 added; settings 1 changed; "
        "about.md changed; pages 2 added, 30 changed",
        "",
        "problems in the target (2 new warnings):",  # the added files lack their schema line
        f"  {new}/gamma.yaml:1:1: warning[schema-modeline]: the first line is not '# yaml-language-server: "
        "$schema=../schema/dossier.schema.json', so editors cannot check this file as it is typed: add that line",
        f"  {new}/parties.yaml:1:1: warning[schema-modeline]: the first line is not '# yaml-language-server: "
        "$schema=../schema/parties.schema.json', so editors cannot check this file as it is typed: add that line",
        "",
        "dossier alpha (Alpha): changed",
        f"  ~ relationship rival-beta: changed [{new}/alpha.yaml:18:5]",
        "      type: competitor → owner",
        "      target: beta → (none)",
        "      party: (none) → beta-holdings",
        "",
        "dossier gamma (Gamma): added",
        f"  + profile fact founded: added [{new}/gamma.yaml:5:12]",
        "      value: 2010",
        "      sources: src-a (p. 2)",
        f"  + claim maker: added [{new}/gamma.yaml:7:5]",
        "      topic market; as_of 2020",
        "      text: Makes **drones** for [[alpha]].",
        "      sources: src-a (p. 5)",
        "",
        "parties.yaml:",
        f"  + party beta-holdings: added \"Beta Holdings\" [{new}/parties.yaml:1:3]",
        "",
        "settings:",
        "  title: Old → New",
        "",
        "about.md: {+About these dossiers.+}",
        "",
        "pages, from the pages' recorded reads (nothing rendered): 30 change, 2 added, 0 removed, 0 unchanged",
        "  + about/index.html",
        "  + companies/gamma/index.html",
        f"  ~ 404.html ({chrome}, the list of dossiers, name gamma)",
        f"  ~ companies/alpha/index.html (the names automatic links match, {chrome}, dossier alpha, and 4 more)",
        f"  ~ companies/beta/index.html (the names automatic links match, {chrome}, mentions beta, and 2 more)",
        f"  ~ compare/index.html ({chrome}, dossier alpha, dossier gamma, and 1 more)",
        f"  ~ data/index.html ({chrome}, citing src-a, dossier alpha, and 4 more)",
        f"  ~ graph/index.html ({chrome}, dossier alpha, dossier gamma, and 2 more)",
        f"  ~ index.html ({chrome}, dossier alpha, dossier gamma, and 2 more)",
        f"  ~ sectors/artificial-intelligence/index.html ({chrome})",
        f"  ~ sectors/cloud/index.html ({chrome})",
        f"  ~ sectors/consumer-electronics/index.html ({chrome})",
        f"  ~ sectors/drones/index.html ({chrome}, dossier alpha, dossier gamma, and 1 more)",
        f"  ~ sectors/facial-recognition/index.html ({chrome})",
        f"  ~ sectors/index.html ({chrome}, name gamma, sector drones)",
        f"  ~ sectors/semiconductors/index.html ({chrome})",
        f"  ~ sectors/speech-recognition/index.html ({chrome})",
        f"  ~ sectors/telecommunications/index.html ({chrome})",
        f"  ~ sectors/video-surveillance/index.html ({chrome})",
        f"  ~ sources/index.html ({chrome}, citing src-a, citing src-b)",
        f"  ~ sources/src-a/index.html (the names automatic links match, {chrome}, citing src-a)",
        f"  ~ sources/src-b/index.html (the names automatic links match, {chrome}, citing src-b)",
        f"  ~ timeline/2019/index.html (the names automatic links match, {chrome}, dossier alpha, and 1 more)",
        f"  ~ timeline/index.html ({chrome})",
        f"  ~ topics/finances/index.html ({chrome})",
        f"  ~ topics/human-rights/index.html ({chrome})",
        f"  ~ topics/index.html ({chrome}, name gamma, topic market)",
        f"  ~ topics/market/index.html (the names automatic links match, {chrome}, dossier alpha, and 4 more)",
        f"  ~ topics/ownership/index.html (the names automatic links match, {chrome}, setting title)",
        f"  ~ topics/security/index.html ({chrome})",
        f"  ~ topics/supply-chain/index.html ({chrome})",
        f"  ~ topics/us-government/index.html ({chrome})",
    ]


def test_a_long_report_is_kept_under_max_bytes(history, run_cli):
    full = diff(run_cli, history, "base", "broken", "--format", "markdown").out
    kept = diff(run_cli, history, "base", "broken", "--format", "markdown", "--max-bytes", "900").out
    assert len(full.encode()) > 900 >= len(kept.encode())
    assert kept.endswith("… the report is cut here to keep under 900 bytes: run `sourcebook diff` locally for the "
                         "whole of it\n")
    assert kept.splitlines()[0] == "## sourcebook diff"


def test_a_config_file_in_the_repository_is_read_at_each_revision(tmp_path, run_cli):
    repo = Repo(tmp_path / "repo")
    repo.write({"site.toml": "[tool.sourcebook]\ntitle = 'One'\n",
                **{f"dossiers/{n}": t for n, t in minimal_files().items()}})
    repo.commit("one", "one")
    repo.write({"site.toml": "[tool.sourcebook]\ntitle = 'Two'\n"})
    repo.commit("two", "two")
    repo.write({"site.toml": "[tool.sourcebook]\ntitle = 'Working'\n"})
    out = diff(run_cli, repo, "one", "--config", "site.toml").out.splitlines()
    assert out[1].endswith("settings one:site.toml)") and out[2].endswith("settings site.toml)")
    assert "  title: One → Working" in out
    assert "  title: One → Two" in diff(run_cli, repo, "one", "two", "--config", "site.toml").out.splitlines()
