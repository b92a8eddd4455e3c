"""History from git (issue 19): the changes pages, per-claim dates, the feed's claim changes and the
sitemap's lastmod, built from real temporary repositories with fixed dates (GIT_AUTHOR_DATE and
GIT_COMMITTER_DATE), and the cases where history is partial or absent: a dirty working tree, a shallow
clone, no checkout, git absent or refusing the repository's ownership, revisions that no longer read.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ALPHA, BETA, ROOT, minimal_files, write_corpus
from sourcebook import pipeline
from sourcebook.changes.replay import CACHE_FOLDER

BASE = "https://example.org/dossiers/"
SETTINGS = '[tool.sourcebook]\ntitle = "History test"\n'
# The history of the main fixture: (UTC date as the site prints it, message, files changed)
REINDENTED_BETA = BETA.replace("\n  ", "\n    ")          # the same values, every entry indented deeper
C1 = ("2026-01-05T10:00:00+01:00", "Add alpha and beta", minimal_files())
C2 = ("2026-02-10T12:00:00Z", "Alpha: sharper",
      {"alpha.yaml": ALPHA.replace("Competes with [[beta]].", "Competes hard with [[beta]].")})
C3 = ("2026-02-20T12:00:00Z", "Re-indent <script>alert(1)</script> & *beta*\n\nBody <b>bold</b> & more",
      {"beta.yaml": REINDENTED_BETA})
C4 = ("2026-03-03T08:00:00Z", "Alpha: the listing's locator",
      {"alpha.yaml": C2[2]["alpha.yaml"].replace("{id: src-b, locator: para 1}", "{id: src-b, locator: para 4}")})


def git(repo: Path, *args: str, date: str | None = None) -> str:
    """git with no machine configuration but ours (a name, fixed dates), as a contributor's commit is."""
    env = dict(os.environ, GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Ann",
               GIT_AUTHOR_EMAIL="ann@example.org", GIT_COMMITTER_NAME="Ann", GIT_COMMITTER_EMAIL="ann@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit(repo: Path, date: str, message: str, files: dict[str, str]) -> str:
    write_corpus(repo / "dossiers", files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def make_repo(repo: Path, commits=(C1, C2, C3, C4)) -> list[str]:
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    return [commit(repo, *c) for c in commits]


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> tuple[Path, list[str]]:
    """The main fixture, made once: copy it (`copy_repo`) before changing it."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    return repo, make_repo(repo)


def copy_repo(history_repo, to: Path) -> Path:
    shutil.copytree(history_repo[0], to, symlinks=True)
    shutil.rmtree(to / CACHE_FOLDER, ignore_errors=True)
    return to


def build(repo: Path, out: Path, **options) -> pipeline.Result:
    return pipeline.build(pipeline.Options(dossiers=repo / "dossiers", out=out, config=repo / "pyproject.toml",
                                           **options))


def history_lines(result: pipeline.Result) -> list[str]:
    return [str(p) for p in result.warnings if "history" in str(p.code) or "commit" in str(p.code)]


def words(element) -> str:
    """An element's text as a reader reads it: its words, whitespace collapsed."""
    return " ".join(element.get_text().split())


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def entry_dates(site: Path, dossier: str) -> dict[str, str]:
    """Each entry of a dossier's page: what its dates line says ("" where it says nothing)."""
    page = soup(site / f"companies/{dossier}/index.html")
    return {li["id"]: words(d) if (d := li.select_one(".entry-dates")) else ""
            for li in page.select("li.entry[id], li.relationship[id]")}


def last_changed(site: Path, dossier: str) -> str:
    found = soup(site / f"companies/{dossier}/index.html").select_one(".last-changed")
    return "" if found is None else words(found)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the changes pages ----------------------------------------------------------------------------

def test_the_changes_pages_list_each_commit_claim_by_claim_by_month(history_repo, tmp_path):
    repo, ids = history_repo
    site = tmp_path / "site"
    result = build(repo, site)
    assert history_lines(result) == []
    assert sorted(p.name for p in (site / "changes").iterdir()) == ["2026-01", "2026-02", "2026-03", "index.html"]
    index = soup(site / "changes/index.html")
    listed = [words(li) for li in index.select("main li")]
    assert listed == ["3 March 2026: Alpha: the listing's locator (Alpha)",
                      "20 February 2026: Re-indent <script>alert(1)</script> & *beta*",
                      "10 February 2026: Alpha: sharper (Alpha)",
                      "5 January 2026: Add alpha and beta (Alpha, Beta)"]
    # each commit's place is its month's page and its full id: a URL that never moves
    links = [a["href"] for a in index.select("main li a")]
    assert links == [f"2026-03/#commit_{ids[3]}", f"2026-02/#commit_{ids[2]}", f"2026-02/#commit_{ids[1]}",
                     f"2026-01/#commit_{ids[0]}"]
    february = soup(site / "changes/2026-02/index.html")
    sharper = february.find(id=f"commit_{ids[1]}")
    rival = sharper.find(id=f"commit_{ids[1]}_alpha_entry_rival")
    assert "Claim rival: changed" in words(rival)
    assert [i.get_text() for i in rival.select("ins")] == ["hard"] and not rival.select("del")
    assert rival.find("a", href="../../companies/alpha/#rival")
    # re-indenting a dossier is a commit, and nothing the site shows changed in it
    reindent = february.find(id=f"commit_{ids[2]}")
    assert "Nothing the site shows changed" in reindent.get_text()
    assert reindent.select('[id^="commit_"]') == []
    march = soup(site / "changes/2026-03/index.html")
    listing = words(march.find(id=f"commit_{ids[3]}_alpha_entry_listed"))
    assert "Locator of src-b: para 1 → para 4" in listing
    assert march.find("a", href="../2026-02/") is not None   # to the month before
    january = soup(site / "changes/2026-01/index.html")
    added = [e["id"].removeprefix(f"commit_{ids[0]}_") for e in january.select(f'[id^="commit_{ids[0]}_"]')]
    assert {"alpha", "beta", "alpha_entry_rival", "alpha_entry_listed", "alpha_relationship_rival-beta",
            "beta_entry_founded"} <= set(added)


def test_a_commit_message_is_escaped(history_repo, tmp_path):
    repo, ids = history_repo
    site = tmp_path / "site"
    build(repo, site)
    data = (site / "changes/2026-02/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in data and "<b>bold" not in data
    assert "Re-indent &lt;script&gt;alert(1)&lt;/script&gt; &amp; *beta*" in data
    assert "Body &lt;b&gt;bold&lt;/b&gt; &amp; more" in data
    heading = soup(site / "changes/2026-02/index.html").find(id=f"commit_{ids[2]}").find(["h2", "h3"])
    assert heading.get_text(strip=True) == "Re-indent <script>alert(1)</script> & *beta*"


@pytest.mark.parametrize("message, char, kind", [("Fix \u202eevil\u202c name", "U+202E", "bidirectional control"),
                                                 ("Fix \x1b[31mred", "U+001B", "control")])
def test_a_commit_message_with_control_or_bidi_characters_is_refused(history_repo, tmp_path, message, char,
                                                                     kind):
    repo = copy_repo(history_repo, tmp_path / "repo")
    bad = commit(repo, "2026-03-04T09:00:00Z", message, {"beta.yaml": BETA.replace("2001.", "2001 in Beijing.")})
    site = tmp_path / "site"
    result = build(repo, site)
    assert history_lines(result) == [f"{bad}: notice[commit-message-refused]: the commit message holds the {kind} "
                                     f"character {char}, so the changes pages show a placeholder instead of it"]
    data = (site / "changes/2026-03/index.html").read_text(encoding="utf-8")
    assert "evil" not in data and "red" not in data.replace("referred", "")
    assert "(message not shown: it holds characters the site does not print)" in data


def test_the_number_of_listed_commits_is_a_setting_and_dates_still_come_from_all(history_repo, tmp_path):
    repo = copy_repo(history_repo, tmp_path / "repo")
    (repo / "pyproject.toml").write_text(SETTINGS + "changes_listed = 2\n", encoding="utf-8")
    site = tmp_path / "site"
    build(repo, site)
    assert sorted(p.name for p in (site / "changes").iterdir()) == ["2026-02", "2026-03", "index.html"]
    assert len(soup(site / "changes/index.html").select("main li")) == 2
    assert entry_dates(site, "alpha")["rival"] == "Added 5 January 2026; last changed 10 February 2026."


# --- dates on the dossier pages ------------------------------------------------------------------------

def test_each_claim_says_when_it_was_added_and_last_changed_by_value_not_by_lines(history_repo, tmp_path):
    repo, ids = history_repo
    site = tmp_path / "site"
    build(repo, site)
    assert entry_dates(site, "alpha") == {"rival": "Added 5 January 2026; last changed 10 February 2026.",
                                          "listed": "Added 5 January 2026; last changed 3 March 2026.",
                                          "rival-beta": "Added 5 January 2026."}
    # beta was re-indented by the third commit: its value, and so its dates, did not change
    assert entry_dates(site, "beta") == {"founded": "Added 5 January 2026."}
    assert last_changed(site, "alpha") == "Last changed 3 March 2026. Its changes"
    assert last_changed(site, "beta") == "Last changed 5 January 2026. Its changes"
    page = soup(site / "companies/alpha/index.html")
    assert page.select_one("#rival .entry-dates time")["datetime"] == "2026-01-05T09:00:00Z"  # in UTC
    history = page.select_one("#history")
    # each of its changes links to its part of the commit on the changes pages
    assert [a["href"] for a in history.select("a")] == [f"../../changes/2026-03/#commit_{ids[3]}_alpha",
                                                        f"../../changes/2026-02/#commit_{ids[1]}_alpha",
                                                        f"../../changes/2026-01/#commit_{ids[0]}_alpha"]
    assert page.select_one(".last-changed a")["href"] == "#history"


def test_a_dirty_working_tree_says_changed_since_the_last_commit_with_no_date(history_repo, tmp_path):
    repo = copy_repo(history_repo, tmp_path / "repo")
    alpha = (repo / "dossiers/alpha.yaml").read_text(encoding="utf-8")
    # the claim's text changes; the event is only re-indented, which changes no value
    edited = alpha.replace("Competes hard with", "Competes fiercely with").replace("\n  - id: listed\n",
                                                                                   "\n  -   id: listed\n")
    edited = edited.replace("\n    date: 2019-10-09", "\n      date: 2019-10-09").replace(
        "\n    text: Added to a list.", "\n      text: Added to a list.").replace(
        "\n    sources: [{id: src-b, locator: para 4}]", "\n      sources: [{id: src-b, locator: para 4}]")
    assert edited.count("      date: 2019") == 1 and "fiercely" in edited
    (repo / "dossiers/alpha.yaml").write_text(edited, encoding="utf-8")
    site = tmp_path / "site"
    result = build(repo, site)
    assert history_lines(result) == []
    assert entry_dates(site, "alpha") == {"rival": "Changed since the last commit.",
                                          "listed": "Added 5 January 2026; last changed 3 March 2026.",
                                          "rival-beta": "Added 5 January 2026."}
    assert soup(site / "companies/alpha/index.html").select_one("#rival .entry-dates time") is None
    assert last_changed(site, "alpha") == "Changed since the last commit. Its changes"
    assert last_changed(site, "beta") == "Last changed 5 January 2026. Its changes"
    # the changes pages list commits only
    assert "fiercely" not in (site / "changes/2026-02/index.html").read_text(encoding="utf-8")


def test_a_shallow_clone_warns_and_leaves_out_the_dates_it_cannot_know(history_repo, tmp_path):
    repo, ids = history_repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True,
                   capture_output=True)
    site = tmp_path / "site"
    result = build(clone, site)
    assert history_lines(result) == [
        f"{clone / 'dossiers'}: warning[history-shallow]: the checkout is a shallow clone (its history stops at "
        f"commit {ids[2][:12]}): dates before it are left out and it is not listed; fetch the whole history (git "
        "fetch --unshallow, or fetch-depth: 0 in actions/checkout) for them"]
    # the boundary's date is never shown as a change: only what changed after it is dated
    assert entry_dates(site, "alpha") == {"rival": "", "listed": "Last changed 3 March 2026.", "rival-beta": ""}
    assert entry_dates(site, "beta") == {"founded": ""}
    assert last_changed(site, "alpha") == "Last changed 3 March 2026. Its changes"
    assert last_changed(site, "beta") == ""
    assert sorted(p.name for p in (site / "changes").iterdir()) == ["2026-03", "index.html"]
    assert "2026-02-20" not in (site / "companies/beta/index.html").read_text(encoding="utf-8")
    # --strict fails on the warning, as on any
    with pytest.raises(pipeline.BuildFailed):
        build(clone, tmp_path / "strict", strict=True)


def test_outside_a_git_checkout_there_is_no_history_and_nothing_to_say(history_repo, tmp_path):
    repo, _ = history_repo
    folder = tmp_path / "plain"
    shutil.copytree(repo / "dossiers", folder / "dossiers")
    shutil.copy(repo / "pyproject.toml", folder / "pyproject.toml")
    site = tmp_path / "site"
    result = build(folder, site)
    assert history_lines(result) == []
    assert not (site / "changes").exists() and not (folder / CACHE_FOLDER).exists()
    assert entry_dates(site, "alpha") == {"rival": "", "listed": "", "rival-beta": ""}
    assert last_changed(site, "alpha") == ""
    assert "Changes" not in [a.get_text(strip=True) for a in soup(site / "index.html").select("nav a")]


def run_build(repo: Path, out: Path, env: dict[str, str], *more: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--dossiers", str(repo / "dossiers"),
                           "--config", str(repo / "pyproject.toml"), "--out", str(out), *more],
                          env=env, capture_output=True, text=True, timeout=120)


def test_git_absent_is_a_warning_never_a_traceback(history_repo, tmp_path):
    repo, _ = history_repo
    empty = tmp_path / "bin"
    empty.mkdir()
    done = run_build(repo, tmp_path / "site", {"PATH": str(empty), "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if "[history-" in line] == [
        f"{repo / 'dossiers'}: warning[history-unavailable]: git failed (could not run git: [Errno 2] No such file or "
        "directory: 'git'): the site is built without its history (no changes pages, no dates); install git, or "
        "build from a folder that is not a checkout"]
    assert not (tmp_path / "site/changes").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root, to give the repository to another user")
def test_git_refusing_the_repositorys_ownership_is_a_warning(history_repo, tmp_path):
    repo = copy_repo(history_repo, tmp_path / "theirs")
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, 65534, 65534)   # nobody's: git refuses it (safe.directory) for anyone else
    home = tmp_path / "home"
    home.mkdir()
    done = run_build(repo, tmp_path / "site", {"PATH": os.environ["PATH"], "HOME": str(home),
                                               "GIT_CONFIG_NOSYSTEM": "1"})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert [line for line in done.stderr.splitlines() if "[history-" in line] == [
        f"{repo / 'dossiers'}: warning[history-unavailable]: git failed (fatal: detected dubious ownership in "
        f"repository at '{repo}'): the site is built without its history (no changes pages, no dates); if this "
        f"checkout is to be trusted, mark it safe: git config --global --add safe.directory {repo}"]
    assert not (tmp_path / "site/changes").exists()


# --- old revisions that no longer read ---------------------------------------------------------------

def test_a_revision_that_no_longer_reads_is_reported_and_skipped_never_fatal(tmp_path):
    old_alpha = ALPHA.replace("    topic: market\n", "    topic: marketing\n")   # a topic today's format lacks
    repo = tmp_path / "repo"
    ids = make_repo(repo, [("2025-11-01T10:00:00Z", "Start", {**minimal_files(), "alpha.yaml": old_alpha}),
                           ("2025-12-01T10:00:00Z", "Topics: market", {"alpha.yaml": ALPHA})])
    site = tmp_path / "site"
    result = build(repo, site)
    assert history_lines(result) == [
        f"{ids[0][:12]}:dossiers/alpha.yaml: notice[history-unreadable]: does not wholly read under today's format at "
        "this commit: what does not read is skipped there, and what changed across it carries no date (first "
        "problem: error[unknown-value]: 'topic' of a claim in dossier 'alpha' 'marketing' is not in the topics "
        "vocabulary (did you mean 'market'?); declared: 'finances', 'human-rights', 'market', 'ownership', "
        "'securit…)"]
    # the claim that did not read has no date; the rest of the file still dates its entries
    assert entry_dates(site, "alpha") == {"rival": "", "listed": "Added 1 November 2025.",
                                          "rival-beta": "Added 1 November 2025."}
    assert entry_dates(site, "beta") == {"founded": "Added 1 November 2025."}
    assert (site / "changes/2025-12/index.html").exists()


# --- the feed and the sitemap ---------------------------------------------------------------------------------

def test_claim_changes_join_the_atom_feed(history_repo, tmp_path):
    repo, ids = history_repo
    site = tmp_path / "site"
    build(repo, site, base_url=BASE)
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert parsed.bozo is False, parsed.get("bozo_exception")
    entries = {e.id: e for e in parsed.entries}
    listing = entries[f"{BASE}changes/2026-03/#commit_{ids[3]}_alpha_entry_listed"]
    assert listing.updated == "2026-03-03T08:00:00Z" and listing.link == listing.id
    assert listing.title == "Alpha, event listed changed: Alpha: the listing's locator"
    assert listing.summary == "Event changed in Alpha (3 March 2026): Locator of src-b: para 1 → para 4"
    rival = entries[f"{BASE}changes/2026-02/#commit_{ids[1]}_alpha_entry_rival"]
    assert rival.updated == "2026-02-10T12:00:00Z"
    assert rival.summary == "Claim changed in Alpha (10 February 2026): Text: Competes {+hard+} with [[beta]]."
    assert f"{BASE}companies/alpha/#listed" in entries  # the events are still there
    stamps = [e.updated for e in parsed.entries]
    assert stamps == sorted(stamps, reverse=True) and parsed.feed.updated == "2026-03-03T08:00:00Z"
    # the re-indenting commit changed no entry, so it has none
    assert not [e for e in parsed.entries if ids[2] in e.id]


def test_the_sitemap_dates_a_page_by_the_last_change_it_shows(history_repo, tmp_path):
    repo, _ = history_repo
    site = tmp_path / "site"
    build(repo, site, base_url=BASE)
    from lxml import etree
    document = etree.parse(str(site / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    lastmod = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in document.iterfind("s:url", ns)}
    assert lastmod[f"{BASE}companies/alpha/"] == "2026-03-03T08:00:00Z"
    # beta's page shows alpha's claim that names it, changed on 10 February
    assert lastmod[f"{BASE}companies/beta/"] == "2026-02-10T12:00:00Z"
    assert lastmod[f"{BASE}changes/2026-01/"] is not None


# --- the same commit, the same bytes; the cache changes nothing ------------------------------------------------

def test_the_same_commit_builds_the_same_bytes_and_the_cache_changes_nothing(history_repo, tmp_path):
    repo = copy_repo(history_repo, tmp_path / "repo")
    cold = build(repo, tmp_path / "one", base_url=BASE)
    cache = repo / CACHE_FOLDER
    # beside the settings file, git-ignored wherever it is, never in the output or the dossiers folder
    assert sorted(p.name for p in cache.iterdir())[0] == ".gitignore" and len(list(cache.glob("history-*.json"))) == 1
    assert git(repo, "status", "--porcelain") == ""
    assert not list((tmp_path / "one").rglob("history-*")) and not list((repo / "dossiers").rglob("history-*"))
    cached = {p.name: p.read_bytes() for p in cache.iterdir()}
    warm = run_build(repo, tmp_path / "two", dict(os.environ), "--base-url", BASE)  # another process: from the cache
    assert warm.returncode == 0, warm.stderr
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == cached   # it was read, not made again
    shutil.rmtree(cache)
    again = build(repo, tmp_path / "three", base_url=BASE)
    assert cold.pages == again.pages > 10
    one, two, three = tree(tmp_path / "one"), tree(tmp_path / "two"), tree(tmp_path / "three")
    assert one.keys() == two.keys() == three.keys() and "changes/2026-02/index.html" in one
    assert [k for k in one if not one[k] == two[k] == three[k]] == []


def test_no_cache_is_written_inside_the_dossiers_folder(history_repo, tmp_path):
    """A settings file inside the dossiers folder would put the cache among contributed files: there is
    none then, and history is read all the same."""
    repo = copy_repo(history_repo, tmp_path / "repo")
    (repo / "dossiers/settings.toml").write_text(SETTINGS, encoding="utf-8")
    options = dict(dossiers=repo / "dossiers", config=repo / "dossiers/settings.toml")
    pipeline.build(pipeline.Options(out=tmp_path / "one", **options))
    assert not (repo / "dossiers" / CACHE_FOLDER).exists() and not (repo / CACHE_FOLDER).exists()
    assert (tmp_path / "one/changes/2026-03/index.html").exists()
    assert entry_dates(tmp_path / "one", "alpha")["rival"] == "Added 5 January 2026; last changed 10 February 2026."
