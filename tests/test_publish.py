"""Publishing: modes a web server can read, the extra-files folder, base_url and what needs it
(canonical links, Open Graph, sitemap.xml, robots.txt, feed.xml), 404.html, and the GitHub Pages
workflow. The sitemap and the feed are validated against schemas written from their protocols
(tests/schemas/, with lxml) and the feed is read by feedparser, as a feed reader would.
tests/test_hosting.py serves a build from nginx.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree, isoschematron

import safety
from conftest import ALPHA, BETA, DOSSIERS, PUBLISHED_AT, ROOT, minimal_files, write_corpus, dossier_files
from sourcebook import pipeline
from sourcebook.dates import When
from sourcebook.destinations.folder import MANIFEST
from sourcebook.outputs import feed, sitemap
from sourcebook.outputs.output import Build
from sourcebook.theme import Theme

SCHEMAS = Path(__file__).parent / "schemas"
FIXTURES = Path(__file__).parent / "fixtures"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}
BASE = "https://example.org/dossiers/"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def build(folder: Path, out: Path, **kwargs) -> pipeline.Result:
    return pipeline.build(pipeline.Options(dossiers=folder, out=out, **kwargs))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def pages_of(site: Path) -> list[str]:
    """Every page's output path, 404.html included."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def folder_url(base: str, page: str) -> str:
    """A page's absolute URL as links name it: its folder."""
    return base + page.removesuffix("index.html")


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


# --- modes: what a web server running as another user can read ------------------------------------

def test_a_new_site_takes_its_modes_from_the_umask(corpus, tmp_path):
    """Before: the root came from mkdtemp, mode 0700, and a server running as another user answered 403."""
    out = tmp_path / "site"
    with umask(0o027):
        build(corpus, out)
    assert oct(mode(out)) == oct(0o750)
    assert oct(mode(out / "companies")) == oct(0o750)
    assert oct(mode(out / "index.html")) == oct(0o640)
    assert oct(mode(out / MANIFEST)) == oct(0o640)
    with umask(0o022):
        build(corpus, tmp_path / "other")
    assert (oct(mode(tmp_path / "other")), oct(mode(tmp_path / "other/static/style.css"))) == (oct(0o755), oct(0o644))


def test_a_rebuild_keeps_the_roots_mode_and_kept_files_keep_theirs(corpus, tmp_path):
    out = tmp_path / "site"
    with umask(0o022):
        build(corpus, out)
        out.chmod(0o711)                                   # chmod by hand, once
        (out / "sources/src-a/index.html").chmod(0o600)    # a file the next build keeps
        (out / "companies/beta/index.html").chmod(0o600)   # a file the next build rewrites
        (corpus / "beta.yaml").write_text(BETA.replace("Founded in 2001.", "Founded in 2001 in a garage."))
        build(corpus, out)
        assert oct(mode(out)) == oct(0o711)
        assert oct(mode(out / "sources/src-a/index.html")) == oct(0o600)
        assert "garage" in (out / "companies/beta/index.html").read_text()
        assert oct(mode(out / "companies/beta/index.html")) == oct(0o644)
        build(corpus, out)
        assert oct(mode(out)) == oct(0o711)


# --- the extra-files folder -------------------------------------------------------------------------

EXTRA = {
    "CNAME": b"dossiers.example.org\n",
    ".nojekyll": b"",
    "favicon.ico": bytes(range(256)),
    ".well-known/security.txt": b"Contact: mailto:security@example.org\n",
    "robots.txt": b"User-agent: *\nDisallow: /drafts/\n",
    "google1234.html": b"google-site-verification: google1234.html",
}


def project(tmp_path: Path, settings: str = "", extra: dict[str, bytes] | None = None) -> Path:
    """A project folder: pyproject.toml with [tool.sourcebook], dossiers/, extra/; returns dossiers/."""
    root = write_corpus(tmp_path / "project", {"pyproject.toml": f"[tool.sourcebook]\ntitle = 'Project'\n{settings}"})
    if extra is not None:
        write_corpus(root / "extra", extra)
    return write_corpus(root / "dossiers", minimal_files())


def manifest(site: Path) -> list[str]:
    return json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]


def test_extra_files_are_copied_as_they_are_and_listed_in_the_manifest(tmp_path):
    dossiers = project(tmp_path, f"base_url = '{BASE}'\n", EXTRA)
    out = tmp_path / "site"
    build(dossiers, out)
    assert {name: (out / name).read_bytes() for name in EXTRA} == EXTRA
    assert set(EXTRA) <= set(manifest(out))
    assert "robots.txt" in manifest(out) and "Sitemap:" not in (out / "robots.txt").read_text()  # replaced
    assert (out / "sitemap.xml").is_file()  # generated files the folder does not replace stay


def test_a_cname_survives_two_rebuilds_and_a_stray_file_is_refused_not_deleted(tmp_path, run_cli):
    dossiers = project(tmp_path, extra={"CNAME": b"dossiers.example.org\n"})
    out = tmp_path / "site"
    for _ in range(3):
        assert run_cli("build", "-q", "--dossiers", dossiers, "--out", out).code == 0
        assert (out / "CNAME").read_bytes() == b"dossiers.example.org\n"
    (out / ".nojekyll").write_bytes(b"")  # put into the output by hand, not into extra/
    result = run_cli("build", "--dossiers", dossiers, "--out", out)
    assert result.code == 2
    assert result.lines == [f"{out}: error[unsafe-output]: will not replace '{out}': it holds 1 file that no "
                            "earlier build wrote: .nojekyll; move them elsewhere (files a host needs, such as "
                            "CNAME, belong in the extra-files folder); choose another --out"]
    assert (out / ".nojekyll").is_file() and (out / "CNAME").is_file()


def test_without_a_settings_file_the_extra_folder_is_beside_the_dossiers(tmp_path):
    dossiers = write_corpus(tmp_path / "d", minimal_files())
    write_corpus(tmp_path / "extra", {"CNAME": b"x.example\n"})
    build(dossiers, tmp_path / "site")
    assert (tmp_path / "site/CNAME").read_bytes() == b"x.example\n"


def test_an_empty_setting_means_no_extra_files(tmp_path):
    dossiers = project(tmp_path, 'extra_files = ""\n', {"CNAME": b"x.example\n"})
    build(dossiers, tmp_path / "site")
    assert not (tmp_path / "site/CNAME").exists()


def test_an_extra_file_with_a_pages_path_is_refused_naming_both(tmp_path, run_cli):
    dossiers = project(tmp_path, extra={"index.html": b"<p>mine</p>", "companies/alpha/index.html": b"x",
                                        "CNAME": b"x.example\n"})
    out = tmp_path / "site"
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", out)
    extra = tmp_path / "project/extra"
    assert result.code == 2
    assert result.lines == [
        f"{extra}/companies/alpha/index.html: error[extra-file-collision]: has the path of the page "
        "'companies/alpha/index.html' (company page): an extra file may replace a generated file that is not a "
        "page, never a page; rename or remove it",
        f"{extra}/index.html: error[extra-file-collision]: has the path of the page 'index.html' (home page): an "
        "extra file may replace a generated file that is not a page, never a page; rename or remove it"]
    assert not out.exists() and list(tmp_path.glob(".site*")) == []


def test_an_extra_file_where_the_build_needs_a_folder_is_refused(tmp_path, run_cli):
    dossiers = project(tmp_path, extra={"static": b"x", "404.html/x": b"y"})
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    extra = tmp_path / "project/extra"
    assert result.code == 2
    assert result.lines == [
        f"{extra}/404.html/x: error[extra-file-collision]: needs the folder '404.html/' where the build writes "
        "the file '404.html'; rename or remove it",
        f"{extra}/static: error[extra-file-collision]: is a file where the build writes the folder 'static/' "
        "(for 'static/cite.js'); rename or remove it"]


def test_an_extra_manifest_is_refused(tmp_path, run_cli):
    dossiers = project(tmp_path, extra={MANIFEST: b"{}"})
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    assert result.code == 2
    assert result.lines == [f"{tmp_path}/project/extra/{MANIFEST}: error[extra-file-collision]: has the path of "
                            f"the build's own manifest ({MANIFEST}); remove it"]


def test_an_extra_folder_inside_or_around_the_dossiers_or_the_output_is_refused(tmp_path, run_cli):
    config = tmp_path / "project/pyproject.toml"
    dossiers = project(tmp_path, 'extra_files = "dossiers/extra"\n')
    write_corpus(dossiers / "extra", {"CNAME": b"x\n"})
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    assert result.code == 2
    assert result.lines == [f"{config}:3:1: error[invalid-extra-files]: extra_files '{dossiers}/extra' is inside "
                            f"the dossiers folder '{dossiers}', which contributors edit, and extra files are "
                            "published unchecked: keep it beside the settings file (the default is extra/)"]
    config.write_text("[tool.sourcebook]\nextra_files = '.'\n")
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    assert result.lines == [f"{config}:2:1: error[invalid-extra-files]: extra_files '{tmp_path}/project' holds "
                            f"the dossiers folder '{dossiers}', whose files would be published unchecked: name a "
                            "folder of its own"]
    config.write_text("[tool.sourcebook]\nextra_files = 'public'\n")
    (tmp_path / "project/public").mkdir()
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "project/public/site")
    assert result.lines == [f"{config}:2:1: error[invalid-extra-files]: extra_files '{tmp_path}/project/public' "
                            f"holds the output folder '{tmp_path}/project/public/site': name a folder of its own"]
    assert not (tmp_path / "site").exists() and not (tmp_path / "project/public/site").exists()


def test_the_default_extra_folder_inside_the_dossiers_is_refused_too(tmp_path, run_cli):
    """A pyproject.toml in the dossiers folder (SECURITY.md: review it like code) puts extra/ there."""
    dossiers = write_corpus(tmp_path / "d", {**minimal_files(), "pyproject.toml": "[tool.sourcebook]\n"})
    write_corpus(dossiers / "extra", {"CNAME": b"x\n"})
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    assert result.code == 2
    assert result.lines == [f"{dossiers}/pyproject.toml: error[invalid-extra-files]: extra_files "
                            f"'{dossiers}/extra' is inside the dossiers folder '{dossiers}', which contributors "
                            "edit, and extra files are published unchecked: keep it beside the settings file "
                            "(the default is extra/)"]


def test_a_named_extra_folder_that_does_not_exist_is_an_error(tmp_path, run_cli):
    dossiers = project(tmp_path, 'extra_files = "pubilc"\n')
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    assert result.code == 2
    assert result.lines == [f"{tmp_path}/project/pyproject.toml:3:1: error[invalid-extra-files]: extra_files "
                            f"'{tmp_path}/project/pubilc' does not exist; create it, or set extra_files = \"\" "
                            "for none"]


def test_symbolic_links_in_the_extra_folder_are_refused(tmp_path, run_cli):
    secret = write_corpus(tmp_path / "elsewhere", {"secret.txt": "password: hunter2\n"})
    dossiers = project(tmp_path, extra={"CNAME": b"x\n"})
    extra = tmp_path / "project/extra"
    (extra / "key.txt").symlink_to(secret / "secret.txt")
    (extra / "docs").symlink_to(secret, target_is_directory=True)
    result = run_cli("build", "-q", "--dossiers", dossiers, "--out", tmp_path / "site")
    message = ("error[symbolic-link]: is a symbolic link: extra files are copied as they are, never through a "
               "link, so a build publishes nothing from elsewhere on the machine")
    assert result.code == 2
    assert result.lines == [f"{extra}/docs: {message}", f"{extra}/key.txt: {message}"]
    assert not (tmp_path / "site").exists()


# --- base_url, --base-url and the one notice ---------------------------------------------------------

NOTICE = ("notice[base-url-unset]: base_url is not set: canonical links, Open Graph URLs, sitemap.xml, robots.txt, "
          "feed.xml and absolute citation URLs are left out, and 404.html links from the host's root (set base_url "
          "or --base-url)")


def test_without_base_url_one_notice_and_nothing_absolute(corpus, tmp_path, run_cli):
    out = tmp_path / "site"
    result = run_cli("build", "--dossiers", corpus, "--out", out)
    assert result.code == 0
    assert [line for line in result.lines if "notice[" in line] == [f"(built-in defaults): {NOTICE}"]
    assert not any((out / name).exists() for name in ("sitemap.xml", "robots.txt", "feed.xml"))
    for page in pages_of(out):
        html = soup(out / page)
        if page == "404.html":
            continue  # no card: tests below
        assert html.find("link", rel="canonical") is None and html.find("link", rel="alternate") is None
        assert html.find("meta", property="og:url") is None and html.find("meta", property="og:image") is None
        assert html.find("meta", attrs={"name": "twitter:card"})["content"] == "summary"
        assert "://" not in str(html.head), page  # nothing absolute in any head
    assert soup(out / "index.html").find("meta", property="og:title")["content"] == "sourcebook"


def test_the_base_url_option_replaces_the_setting_and_is_checked_the_same_way(tmp_path, run_cli):
    dossiers = project(tmp_path, "base_url = 'https://old.example/'\n")
    out = tmp_path / "site"
    assert run_cli("build", "-q", "--dossiers", dossiers, "--out", out, "--base-url", BASE).code == 0
    assert soup(out / "index.html").find("link", rel="canonical")["href"] == BASE
    bad = run_cli("build", "--dossiers", dossiers, "--out", out, "--base-url", "https://example.org/dossiers")
    assert bad.code == 2
    assert bad.lines == ["--base-url: error[invalid-url]: --base-url 'https://example.org/dossiers' must be an "
                         "absolute http(s) URL ending in '/', such as 'https://example.org/dossiers/'"]
    unset = run_cli("build", "--dossiers", dossiers, "--out", out, "--base-url", "")
    assert unset.code == 0 and f"{tmp_path}/project/pyproject.toml: {NOTICE}" in unset.lines
    assert soup(out / "index.html").find("link", rel="canonical") is None


@pytest.mark.parametrize("url", ["https://example.org//dossiers/", "https://example.org/a/../", "https://example.org/my site/",
                                 "https://example.org/dossiers/?x=1/", "ftp://example.org/", "https:///dossiers/"])
def test_base_urls_that_would_break_links_are_refused(tmp_path, run_cli, url):
    result = run_cli("build", "--dossiers", write_corpus(tmp_path / "d", minimal_files()), "--out",
                     tmp_path / "site", "--base-url", url)
    assert result.code == 2 and result.lines == [f"--base-url: error[invalid-url]: --base-url '{url}' must be an "
                                                 "absolute http(s) URL ending in '/', such as "
                                                 "'https://example.org/dossiers/'"]


def test_every_page_names_its_canonical_address_and_an_open_graph_card(published_site):
    pages = [p for p in pages_of(published_site) if p != "404.html"]
    assert len(pages) > 100
    for page in pages:
        head = soup(published_site / page).head
        url = folder_url(PUBLISHED_AT, page)
        meta = {m.get("property") or m.get("name"): m["content"] for m in head.find_all("meta", content=True)}
        assert head.find("link", rel="canonical")["href"] == url, page
        assert meta["og:url"] == url and meta["og:title"] and meta["og:site_name"], page
        assert meta["og:description"] == meta["description"], page
        assert meta["og:image"] == PUBLISHED_AT + "static/social.png"
        assert meta["twitter:card"] == "summary_large_image"
        feed_link = head.find("link", rel="alternate", type="application/atom+xml")
        assert urlsplit(feed_link["href"]).path.endswith("feed.xml") and "://" not in feed_link["href"]
    image = (published_site / "static/social.png").read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", image[16:24]) == (1200, 630)
    company = soup(published_site / "companies/dji/index.html").head
    assert company.find("meta", property="og:description")["content"].startswith("DJI: ")
    about = soup(published_site / "about/index.html").head.find("meta", property="og:description")["content"]
    assert about.startswith("About this site. This site collects sourced dossiers") and len(about) <= 200


def test_a_base_url_build_is_safe(published_site):
    """The output scanner over every file, sitemap.xml and feed.xml included."""
    assert {"sitemap.xml", "feed.xml", "robots.txt"} <= {p.name for p in published_site.iterdir()}
    assert safety.unsafe_output(published_site) == []


# --- sitemap.xml -------------------------------------------------------------------------------------

def validator(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def test_the_sitemap_lists_every_page_but_404_and_validates(published_site):
    document = etree.parse(str(published_site / "sitemap.xml"))
    schema = validator("sitemap.xsd")
    assert schema.validate(document), schema.error_log
    locs = [loc.text for loc in document.iterfind("s:url/s:loc", SITEMAP_NS)]
    expected = [folder_url(PUBLISHED_AT, p) for p in pages_of(published_site) if p != "404.html"]
    assert sorted(locs) == sorted(expected) and len(locs) == len(set(locs)) <= sitemap.MAX_URLS
    # <lastmod> comes from this repository's history, never the clock: each one is a commit's date (a
    # shallow clone may give fewer of them, or none, so which pages have one is tested in test_history.py)
    dates = set(commit_dates())
    assert {m.text for m in document.iterfind("s:url/s:lastmod", SITEMAP_NS)} <= dates
    assert (published_site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {PUBLISHED_AT}sitemap.xml\n"


def test_the_sitemap_schema_refuses_a_broken_sitemap(published_site):
    schema = validator("sitemap.xsd")
    good = (published_site / "sitemap.xml").read_bytes()
    broken = {
        "relative loc": good.replace(f"<loc>{PUBLISHED_AT}".encode(), b"<loc>/dossiers/", 1),
        "no loc": re.sub(rb"<url><loc>[^<]*</loc>", b"<url>", good, count=1),
        "a clock time without a zone": re.sub(rb"</loc>(<lastmod>[^<]*</lastmod>)?</url>",
                                              b"</loc><lastmod>2024-05-01T10:00</lastmod></url>", good, count=1),
        "lastmod before loc": re.sub(rb"<url><loc>([^<]*)</loc>", rb"<url><lastmod>2024</lastmod><loc>\1</loc>", good, count=1),
        "other namespace": good.replace(b"sitemaps.org/schemas/sitemap/0.9", b"sitemaps.org/schemas/sitemap/0.8"),
    }
    for name, data in broken.items():
        assert not schema.validate(etree.fromstring(data)), name


def test_a_large_site_gets_a_sitemap_index(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(sitemap, "MAX_URLS", 10)  # 29 pages (test_build's count of the minimal site, less 404.html): 3 parts
    out = tmp_path / "site"
    build(corpus, out, base_url=BASE)
    index = etree.parse(str(out / "sitemap.xml"))
    assert validator("siteindex.xsd").validate(index)
    parts = [loc.text for loc in index.iterfind("s:sitemap/s:loc", SITEMAP_NS)]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    locs = []
    for part in parts:
        document = etree.parse(str(out / part.removeprefix(BASE)))
        assert validator("sitemap.xsd").validate(document)
        locs += [loc.text for loc in document.iterfind("s:url/s:loc", SITEMAP_NS)]
    assert len(locs) == 29 and sorted(locs) == sorted(folder_url(BASE, p) for p in pages_of(out) if p != "404.html")
    assert {f"sitemap-{n}.xml" for n in (1, 2, 3)} <= set(manifest(out))


def test_the_sitemap_writes_lastmod_where_history_knows_it(corpus, tmp_path):
    """The hook the history issue fills: Build.modified(record). Here a stand-in knows one page."""
    settings = pipeline.read_options_settings(pipeline.Options(dossiers=corpus, base_url=BASE))[0]
    result = pipeline.build(pipeline.Options(dossiers=corpus, out=tmp_path / "site", base_url=BASE))
    inputs = pipeline.index(result.corpus, settings)
    known = {"companies/alpha/index.html": "2024-05-01"}
    [output] = sitemap.files(Build(inputs, Theme.with_override(None), "hosted", result.records,
                                   lambda record: known.get(record.path)))
    document = etree.fromstring(output.data)
    assert validator("sitemap.xsd").validate(document)
    dated = {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
             for u in document.iterfind("s:url", SITEMAP_NS)}
    assert dated[BASE + "companies/alpha/"] == "2024-05-01"
    assert [v for k, v in dated.items() if v] == ["2024-05-01"]


# --- feed.xml ----------------------------------------------------------------------------------------

def atom_errors(data: bytes) -> list[str]:
    document = etree.fromstring(data)
    grammar = etree.RelaxNG(etree.parse(str(SCHEMAS / "atom.rng")))
    rules = isoschematron.Schematron(etree.parse(str(SCHEMAS / "atom.sch")), store_report=True)
    errors = [] if grammar.validate(document) else [str(e) for e in grammar.error_log]
    if not rules.validate(document):
        errors += [t for t in rules.validation_report.xpath("//svrl:text/text()", namespaces={
            "svrl": "http://purl.oclc.org/dsdl/svrl"})]
    return errors


def commit_dates() -> list[str]:
    """The committer dates (UTC) of this repository's commits that the build can see; none outside git."""
    done = subprocess.run(["git", "-C", str(ROOT), "log", "--format=%cI"], capture_output=True, text=True)
    if done.returncode != 0:
        return []
    from datetime import datetime, timezone
    return [datetime.fromisoformat(line).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            for line in done.stdout.split()]


def shipped_events() -> list[tuple[str, str, When]]:
    """(dossier, event id, date) for every event in the shipped dossiers, read with PyYAML."""
    events = []
    for path in dossier_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        events += [(data["id"], e["id"], When.parse(str(e["date"]))) for e in data.get("events") or ()]
    return events


def test_the_feed_validates_and_a_feed_reader_reads_it_without_complaint(published_site):
    data = (published_site / "feed.xml").read_bytes()
    assert atom_errors(data) == []
    parsed = feedparser.parse(data)
    assert parsed.bozo is False, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    events = shipped_events()
    assert len(parsed.entries) == min(len(events), feed.MAX_ENTRIES) == 100  # events alone are more than 100
    ids = [e.id for e in parsed.entries]
    assert len(set(ids)) == len(ids)
    stamps = [e.updated for e in parsed.entries]
    assert stamps == sorted(stamps, reverse=True)
    assert parsed.feed.updated == stamps[0]
    # Events and the history's entry changes (how many of those depends on the clone's depth: a shallow
    # clone lists fewer commits, or none): the events in the feed are the latest events.
    shown = [e for e in parsed.entries if "/companies/" in e.id]
    changes = [e for e in parsed.entries if "/changes/" in e.id]
    assert len(shown) + len(changes) == len(parsed.entries)
    latest = sorted(events, key=lambda e: feed.updated(e[2]), reverse=True)[:len(shown)]
    assert {e.id for e in shown} == {f"{PUBLISHED_AT}companies/{d}/#{i}" for d, i, _ in latest}
    assert all(e.updated in set(commit_dates()) for e in changes)
    anchors: dict[str, set[str]] = {}  # each page parsed once
    for entry in parsed.entries:
        assert entry.link == entry.id and entry.id.startswith((PUBLISHED_AT + "companies/", PUBLISHED_AT + "changes/"))
        page, anchor = entry.id.removeprefix(PUBLISHED_AT).split("#")
        if page not in anchors:
            anchors[page] = {el["id"] for el in soup(published_site / page / "index.html").find_all(id=True)}
        assert anchor in anchors[page], entry.id
    assert parsed.feed.links[0].href == PUBLISHED_AT + "feed.xml" and parsed.feed.links[0].rel == "self"


def test_the_atom_schemas_refuse_a_broken_feed(published_site):
    good = (published_site / "feed.xml").read_bytes()
    broken = {
        "entry without id": re.sub(rb"<entry>\s*<id>[^<]*</id>", b"<entry>", good, count=1),
        "date without time": re.sub(rb"<updated>(\d{4}-\d\d-\d\d)T[\d:]+Z", rb"<updated>\1", good, count=1),
        "two titles": good.replace(b"<generator>", b"<title>again</title><generator>", 1),
        "no author anywhere": re.sub(rb"<author>.*?</author>", b"", good, count=1, flags=re.S),
        "relative id": re.sub(rb"(<entry>\s*<id>)" + re.escape(PUBLISHED_AT.encode()), rb"\1", good, count=1),
        "entry without a link": re.sub(rb'\s*<link rel="alternate" type="text/html" href="[^"]*#[^>]*>',
                                       b"", good, count=1),
    }
    for name, data in broken.items():
        assert atom_errors(data), name


@pytest.mark.parametrize("written,expected", [
    ("2019", "2019-01-01T00:00:00Z"), ("2019-05", "2019-05-01T00:00:00Z"), ("2019-05-16", "2019-05-16T00:00:00Z"),
    ("2011..2017-03", "2017-03-01T00:00:00Z"), ("..2019", "2019-01-01T00:00:00Z"), ("2019-07..", "2019-07-01T00:00:00Z"),
])
def test_updated_is_the_first_day_of_the_date_an_event_sorts_by(written, expected):
    assert feed.updated(When.parse(written)) == expected


def test_event_text_reaches_the_feed_as_plain_text_whatever_it_holds(tmp_path):
    hostile = 'Bought <script>alert(1)</script> & ]]> "[[beta|its rival]]" for *$1*.'
    files = {**minimal_files(), "alpha.yaml": ALPHA.replace("text: Added to a list.", f"text: '{hostile}'\n"
                                                            "    status: contested\n    tags: [entity-list]")}
    out = tmp_path / "site"
    build(write_corpus(tmp_path / "d", files), out, base_url=BASE)
    data = (out / "feed.xml").read_bytes()
    assert atom_errors(data) == [] and safety.unsafe_output(out) == []
    [entry] = feedparser.parse(data).entries
    assert entry.summary == 'Contested. Bought <script>alert(1)</script> & ]]> "its rival" for $1.'
    assert entry.title == 'Alpha, 9 October 2019: Bought <script>alert(1)</script> & ]]> "its rival" for $1.'
    assert entry.updated == "2019-10-09T00:00:00Z" and entry.id == BASE + "companies/alpha/#listed"
    assert [t.term for t in entry.tags] == ["entity-list"] and entry.tags[0].label == "US Entity List"


def test_no_events_means_no_feed_and_no_feed_link(tmp_path):
    files = {**minimal_files(), "alpha.yaml": ALPHA.split("events:")[0] + "relationships:" + ALPHA.split("relationships:")[1]}
    out = tmp_path / "site"
    build(write_corpus(tmp_path / "d", files), out, base_url=BASE)
    assert not (out / "feed.xml").exists() and (out / "sitemap.xml").exists()
    assert soup(out / "index.html").find("link", rel="alternate") is None


# --- 404.html ----------------------------------------------------------------------------------------

def test_404_links_from_the_base_path_and_is_not_indexed(published_site, shipped_site):
    for site, base in ((published_site, urlsplit(PUBLISHED_AT).path), (shipped_site, "/")):
        html = soup(site / "404.html")
        hrefs = [a["href"] for a in html.find_all(["a", "link"], href=True) if not a["href"].startswith("#")]
        assert len(hrefs) > 8 and all(h.startswith(base) for h in hrefs), hrefs
        for href in hrefs:  # each names a file the build wrote
            path = href.removeprefix(base)
            assert (site / path / "index.html" if path.endswith("/") or not path else site / path).is_file(), href
        assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert html.find("link", rel="canonical") is None and html.find("meta", property="og:url") is None
        assert html.h1.get_text() == "Page not found"
    assert "404" not in (published_site / "sitemap.xml").read_text()


def test_an_offline_404_links_relatively(corpus, tmp_path):
    """Nothing serves 404.html from file://: it is a page at the root like any other."""
    build(corpus, tmp_path / "site", flavour="offline")
    hrefs = [a["href"] for a in soup(tmp_path / "site/404.html").find_all("a", href=True)]
    assert "index.html" in hrefs and "companies/alpha/index.html" in hrefs
    assert not any(h.startswith("/") for h in hrefs)


# --- the GitHub Pages workflow -----------------------------------------------------------------------

WORKFLOWS = ROOT / ".github" / "workflows"


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if binary is None:
        pytest.fail("actionlint not installed: make test installs it (requirements-test.lock)")
    return subprocess.run([binary, "-color=false", "-oneline", *map(str, files)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_actionlint_finds_nothing_in_the_workflows():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert files
    run = actionlint(*files)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")


def test_actionlint_reports_a_broken_workflow():
    run = actionlint(FIXTURES / "broken-workflow.yml")
    assert run.returncode == 1
    found = run.stdout.splitlines()
    assert any(':9:5: unexpected key "run-on" for "job" section' in line for line in found), found
    assert any(':11:14: "wirte" is invalid as permission of scope "pages"' in line for line in found), found
    assert any('property "page" is not defined in object type' in line for line in found), found


def test_the_workflow_publishes_main_with_full_history_and_least_permissions():
    workflow = yaml.safe_load((WORKFLOWS / "pages.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert workflow["permissions"] == {"contents": "read"}
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build_job
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    steps = build_job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages@"))
    runs = [s for s in steps if "run" in s]
    assert [s["run"] for s in runs] == ["make check", 'make site BASE_URL="$BASE_URL"']
    assert runs[1]["env"]["BASE_URL"] == "${{ steps.%s.outputs.base_url }}/" % pages["id"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"] == {"path": "site", "include-hidden-files": True}


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """The Makefile's targets, with this venv: its install steps are taken as done (-o)."""
    venv = Path(sys.prefix)
    return subprocess.run(["make", "--no-print-directory", f"VENV={venv}", "-o", f"{venv}/.site-installed", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_make_targets_the_workflows_call_work(tmp_path):
    check = make("check")
    assert check.returncode == 0, check.stderr
    annotated = make("check", "FORMAT=github")  # the pull-request workflow's (review.yml)
    assert annotated.returncode == 0 and "::error" not in annotated.stdout, annotated.stdout + annotated.stderr
    out = tmp_path / "site"
    site = make("site", f"OUT={out}", "BASE_URL=https://owner.github.io/repository/")
    assert site.returncode == 0, site.stderr
    assert "notice[base-url-unset]" not in site.stderr
    assert soup(out / "index.html").find("link", rel="canonical")["href"] == "https://owner.github.io/repository/"
    assert (out / "sitemap.xml").is_file() and (out / "feed.xml").is_file()
    assert "href=\"/repository/static/style.css\"" in (out / "404.html").read_text()
