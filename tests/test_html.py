"""The built site is valid HTML and CSS (Nu Html Checker) and has no broken internal link or anchor
(LinkChecker with [AnchorCheck]). Nothing here touches the network.

LinkChecker reads the site over HTTP from a local server, not from file://: the build's
links name folders (``../dji/#claim``), and over file:// AnchorCheck cannot look inside
a folder ("file-anchorcheck-directory" warnings, 441 on the shipped site), so anchors
would go unchecked.

Three settings keep the run to seconds instead of minutes (measured on the shipped
site, 200 pages and ~2,000 distinct URLs, 2 cores):
- LinkChecker waits 0.1-0.6 s between requests to one host unless the server answers with
  a ``LinkChecker`` header; the local server sends one, and ``maxrequestspersecond`` is
  raised (10 min 45 s -> 2 min 45 s).
- With AnchorCheck on, every ``page#fragment`` is a URL of its own, and LinkChecker
  fetched, parsed and recursed into the whole page again for each one. Fragment URLs
  are checked but not recursed into (``--no-follow-url '#'``); every page is given as a
  start URL instead, so each is still parsed for its links once.
- AnchorCheck's own list of a page's anchors is memoised per page (``check`` below is
  LinkChecker's method with a cache; the verdict and message are unchanged)
  (-> about 12 s in all).
"""
from __future__ import annotations

import csv
import http.server
import io
import json
import re
import shutil
import subprocess
import sys
import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import VNU_JAR, skip_or_fail
from conftest import serve as conftest_serve

# Run by `python -c` in a child process: LinkChecker's command line, with its privilege drop
# (which as root switches to `nobody`, who cannot read pytest's 0700 temp dirs) replaced,
# and AnchorCheck's per-page anchor list memoised.
LINKCHECKER = """
import sys, threading
import linkcheck.command.linkchecker as command
from linkcheck.htmlutil import linkparse
from linkcheck.plugins import anchorcheck

command.drop_privileges = lambda: None
anchors_by_page, lock = {}, threading.Lock()

def check(self, url_data):
    page = url_data.url.split("#", 1)[0]
    with lock:
        anchors = anchors_by_page.get(page)
    if anchors is None:
        collect = anchorcheck.UrlAnchorCheck()
        linkparse.find_links(url_data.get_soup(), collect.add_anchor, linkparse.AnchorTags)
        anchors = collect.anchors
        with lock:
            anchors_by_page[page] = anchors
    verdict = anchorcheck.UrlAnchorCheck()
    verdict.anchors = anchors
    verdict.check_anchor(url_data)

anchorcheck.AnchorCheck.check = check
sys.argv = ["linkchecker", *sys.argv[1:]]
command.linkchecker()
"""
LINKCHECKER_RC = """\
[checking]
maxrequestspersecond=100000
[filtering]
internlinks=^{root}
[AnchorCheck]
"""


# --- the Nu Html Checker --------------------------------------------------------------------

# The head is one template: one page of each family of the base_url build is enough.
PUBLISHED_SAMPLE = ("index.html", "companies/dji/index.html", "sources/index.html", "about/index.html", "404.html")
INVALID_PAGE = ('<!DOCTYPE html><html lang="en"><head><title>canary</title></head>'
                '<body><p><div>block in p</div></p><span id="twice"></span><span id="twice"></span></body></html>')


@pytest.fixture(scope="session")
def vnu_messages(shipped_site: Path, published_site: Path, split_site: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """One JVM run over the site (also as built with base_url: canonical links, Open Graph, the
    feed's link), the pages of a site whose topics and sources split (conftest's `split_site`),
    and a canary folder holding one invalid page.

    The canary shows, in the same run, that vnu read files and reports errors: a run
    that checked nothing would otherwise look exactly like a clean site.
    """
    if not VNU_JAR.is_file() or not shutil.which("java"):
        skip_or_fail(f"vnu.jar ({VNU_JAR}) or java missing: npm install --prefix .tools --ignore-scripts vnu-jar")
    canary = tmp_path_factory.mktemp("vnu-canary")
    (canary / "invalid.html").write_text(INVALID_PAGE, encoding="utf-8")
    run = subprocess.run(["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only",
                          "--skip-non-html", "--also-check-css", str(shipped_site),
                          *(str(published_site / page) for page in PUBLISHED_SAMPLE), *split_pages(split_site),
                          str(canary)],
                         capture_output=True, text=True, timeout=300)
    return json.loads(run.stdout)["messages"]


def split_pages(site: Path) -> list[str]:
    """The folders that only a split site has: topics by company, sources by kind and initial."""
    parts = [p for p in (site / "topics").glob("*/*") if p.is_dir()]
    assert parts and (site / "sources" / "kinds").is_dir()
    return [str(p) for p in parts] + [str(site / "sources" / "kinds"), str(site / "sources" / "index.html")]


def where(message: dict[str, Any]) -> str:
    return f"{message.get('url', '?')}:{message.get('lastLine', '?')}: {message['message']}"


def is_canary(message: dict[str, Any]) -> bool:
    return message.get("url", "").endswith("/invalid.html")


def test_vnu_finds_no_error_in_the_site(vnu_messages: list[dict[str, Any]]) -> None:
    """Every HTML page and the stylesheet; a message without a file (an I/O error) counts too."""
    assert [where(m) for m in vnu_messages if not is_canary(m)] == []


def test_vnu_reported_the_canary_page(vnu_messages: list[dict[str, Any]]) -> None:
    canary = sorted(m["message"] for m in vnu_messages if is_canary(m))
    assert any("Duplicate ID" in m for m in canary), canary
    assert any("“p” end tag" in m for m in canary), canary


# --- LinkChecker ------------------------------------------------------------------------------

class LinkCheckerHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files quietly and tells LinkChecker it may go at full speed."""

    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the stdlib's name)
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """AnchorCheck stops reading once it has what it needs; a broken pipe is not news."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(folder: Path) -> contextlib.AbstractContextManager[str]:
    return conftest_serve(folder, LinkCheckerHandler, QuietServer)


@dataclass
class LinkReport:
    code: int
    rows: list[dict[str, str]]   # the URLs LinkChecker reports: broken ones, or ones with warnings
    stderr: str

    def problems(self) -> list[str]:
        return [f"{row['parentname']}:{row['line']}: {row['urlname']} -> {row['result']} "
                f"{row['warningstring'][:160]}" for row in self.rows]


def page_urls(site: Path, root: str) -> list[str]:
    """Every page as a hosted URL (folder/), as the site's own links name them."""
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    return [root if page == "." else f"{root}{page}/" for page in pages]


def linkcheck(root: str, start: list[str], rc_file: Path, *options: str) -> LinkReport:
    """Check internal links and anchors only.

    Every URL under root is internal (by default LinkChecker calls internal only what lies
    under a start URL's folder); any other http(s) URL is syntax-checked (--ignore-url),
    never fetched; fragment URLs are checked but not recursed into (--no-follow-url).
    """
    rc_file.write_text(LINKCHECKER_RC.format(root=re.escape(root)), encoding="utf-8")
    outside = rf"^https?://(?!{re.escape(root.split('://', 1)[1])})"
    run = subprocess.run([sys.executable, "-c", LINKCHECKER, "-f", str(rc_file), "--no-status", "-o", "csv",
                          "--ignore-url", outside, "--no-follow-url", "#", *options, *start],
                         capture_output=True, text=True, timeout=300)
    return LinkReport(run.returncode, csv_rows(run.stdout), run.stderr)


def csv_rows(output: str) -> list[dict[str, str]]:
    """LinkChecker's csv: comment lines start with "# "; a row may start with "#" (an anchor link)."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("urlname;"))
    rows = [line for line in lines[header:] if line and not line.startswith("# ")]
    return list(csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"))


def test_linkchecker_finds_no_broken_internal_link_or_anchor(shipped_site: Path, tmp_path: Path) -> None:
    with serve(shipped_site) as root:
        start = page_urls(shipped_site, root)
        assert len(start) > 100, start
        report = linkcheck(root, start, tmp_path / "linkcheckerrc")
    assert report.problems() == []
    assert report.code == 0, report.stderr[-2000:]


def break_links(page: Path) -> dict[str, str]:
    """Break three links on a company page: to a missing page, to a missing anchor on the
    same page, and to a missing anchor on another (hosted, folder-named) page."""
    html = page.read_text(encoding="utf-8")
    replacements = {
        r'href="(\.\./\.\./sources/[^"#/]+/)"': "../../sources/no-such-source/",
        r'href="(#ref_1)"': "#no-such-anchor",
        r'href="(\.\./[a-z]+/#[^"]+)"': "../dahua/#no-such-claim",
    }
    for pattern, broken in replacements.items():
        match = re.search(pattern, html)
        assert match, f"{page} has no link matching {pattern}"
        html = html[:match.start(1)] + broken + html[match.end(1):]
    page.write_text(html, encoding="utf-8")
    return replacements


def test_linkchecker_reports_broken_links_on_a_broken_copy(shipped_site: Path, tmp_path: Path) -> None:
    """The settings above still catch what they are for. Only the broken page is parsed
    (recursion level 1: its links are checked, their pages are not crawled)."""
    copy = tmp_path / "site"
    shutil.copytree(shipped_site, copy)
    broken = break_links(copy / "companies" / "hikvision" / "index.html")
    with serve(copy) as root:
        report = linkcheck(root, [f"{root}companies/hikvision/"], tmp_path / "linkcheckerrc", "--recursion-level", "1")
    assert report.code == 1, report.stderr[-2000:]
    assert sorted(row["urlname"] for row in report.rows) == sorted(broken.values()), report.problems()
    by_name = {row["urlname"]: row for row in report.rows}
    assert by_name["../../sources/no-such-source/"]["result"].startswith("404")
    assert "Anchor `no-such-anchor' (decoded: `no-such-anchor') not found" in by_name["#no-such-anchor"]["warningstring"]
    assert "Anchor `no-such-claim'" in by_name["../dahua/#no-such-claim"]["warningstring"]
