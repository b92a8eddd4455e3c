"""A real web server: nginx serves a build under /dossiers/ as a user other than the one who built it.

This is how a host meets the site: the files belong to the builder, the server's workers run as
another user (``nobody``) and read them through the folder's permissions, the site sits under a
sub-path, and a missing page anywhere gets the site's 404.html (``error_page 404``). Before the
site root took its mode from the umask, it was 0700 (a temporary folder renamed into place) and
such a server answered 403 for the whole site.

nginx gets its own configuration, pid file, logs, temporary folders and a free port on
127.0.0.1, and is stopped at the end. The build goes into a folder under /tmp that every user
may traverse (pytest's own temporary folders are 0700). Switching the workers to another user
needs root, as in CI; elsewhere the tests skip, and fail under REQUIRE_BROWSER=1
(conftest.skip_or_fail).
"""
from __future__ import annotations

import os
import pwd
import grp
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import DOSSIERS, ROOT, skip_or_fail
from sourcebook import pipeline
from test_html import linkcheck, page_urls

SERVER_USERS = ("nobody", "www-data")
CONFIG = """\
daemon off;
master_process on;
worker_processes 1;
user {user} {group};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html; text/css css; text/plain txt; application/xml xml; image/png png;
        application/json json; image/x-icon ico;
    }}
    default_type application/octet-stream;
    access_log {work}/access.log;
    client_body_temp_path {work}/temp/body;
    proxy_temp_path {work}/temp/proxy;
    fastcgi_temp_path {work}/temp/fastcgi;
    uwsgi_temp_path {work}/temp/uwsgi;
    scgi_temp_path {work}/temp/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        root {www};
        # LinkChecker goes at full speed when a server says it may (tests/test_html.py).
        add_header LinkChecker "local test server";
        location /dossiers/ {{
            error_page 404 /dossiers/404.html;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Served:
    base: str      # http://127.0.0.1:PORT/dossiers/, also the build's base_url
    site: Path     # the built site, served at base
    work: Path     # nginx's configuration, logs and pid file
    user: pwd.struct_passwd


def nginx_binary() -> str | None:
    return shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))


def other_user() -> pwd.struct_passwd | None:
    """A user the server's workers can run as, other than the builder: only root can switch to one."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"nginx exited with {process.returncode}: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nginx did not listen on {port} within 15 s: {log.read_text() if log.exists() else ''}")


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    nginx = nginx_binary()
    if nginx is None:
        skip_or_fail("nginx not found: apt-get install -y --no-install-recommends nginx (.ci/run installs it)")
    user = other_user()
    if user is None:
        skip_or_fail("serving as a user other than the builder needs root (nginx's `user` directive), as in CI")
    work = Path(tempfile.mkdtemp(prefix="sourcebook-nginx-", dir="/tmp"))
    process = None
    try:
        work.chmod(0o755)  # traversable by the server's user, unlike pytest's 0700 temporary folders
        www = work / "www"
        www.mkdir(mode=0o755)
        (work / "temp").mkdir()
        private = www / "private"       # the canary: a folder the server's user may not read
        private.mkdir(mode=0o700)
        (private / "index.html").write_text("<p>private</p>", encoding="utf-8")
        private.chmod(0o700)
        port = free_port()
        base = f"http://127.0.0.1:{port}/dossiers/"
        old = os.umask(0o022)  # the usual umask: what a builder's shell has
        try:
            pipeline.build(pipeline.Options(dossiers=DOSSIERS, out=www / "dossiers", config=ROOT / "pyproject.toml",
                                            base_url=base))
        finally:
            os.umask(old)
        (work / "nginx.conf").write_text(CONFIG.format(user=user.pw_name, group=grp.getgrgid(user.pw_gid).gr_name,
                                                       work=work, www=www, port=port), encoding="utf-8")
        process = subprocess.Popen([nginx, "-p", str(work), "-c", str(work / "nginx.conf"), "-e",
                                    str(work / "error.log")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for(port, process, work / "error.log")
        yield Served(base, www / "dossiers", work, user)
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


def fetch(url: str) -> tuple[int, str, bytes]:
    """(status, content type, body), for error statuses too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def worker_uids(work: Path) -> set[int]:
    """The real uids of the nginx master's children, from /proc."""
    master = (work / "nginx.pid").read_text().strip()
    uids = set()
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == master:
            uids.add(int(fields["Uid"].split()[0]))
    return uids


def test_nginx_serves_the_site_as_another_user_and_linkchecker_finds_nothing_broken(served: Served, tmp_path):
    assert worker_uids(served.work) == {served.user.pw_uid} != {os.geteuid()}
    private = urljoin(served.base, "/private/")
    assert fetch(private)[0] == 403  # the canary: the server's user cannot read a 0700 folder
    status, kind, _ = fetch(served.base)
    assert (status, kind) == (200, "text/html")  # 403 when the site's root was 0700
    assert oct(served.site.stat().st_mode & 0o777) == oct(0o755)
    start = page_urls(served.site, served.base)
    assert len(start) > 100 and all(url.startswith(served.base) for url in start)
    report = linkcheck(served.base, start, tmp_path / "linkcheckerrc")
    assert report.problems() == []
    assert report.code == 0, report.stderr[-2000:]
    forbidden = [line for line in (served.work / "access.log").read_text().splitlines()
                 if '" 403 ' in line and "GET /private/ " not in line]
    assert forbidden == []


def test_a_missing_deep_path_gets_404_html_with_working_links(served: Served):
    missing = served.base + "companies/no-such-company/claims/deeper/"
    status, kind, body = fetch(missing)
    assert (status, kind) == (404, "text/html")
    assert body == (served.site / "404.html").read_bytes()
    html = BeautifulSoup(body, "html.parser")
    links = [tag["href"] for tag in html.find_all(["a", "link"], href=True) if not tag["href"].startswith("#")]
    assert len(links) > 8 and all(urlsplit(href).path.startswith("/dossiers/") for href in links), links
    for href in links:
        url = urljoin(missing, href)
        status, kind, _ = fetch(url)
        assert status == 200, url
    assert fetch(urljoin(missing, html.find("link", rel="stylesheet")["href"]))[1] == "text/css"


def test_the_sitemap_robots_feed_and_card_image_resolve_on_the_server(served: Served):
    status, _, data = fetch(served.base + "sitemap.xml")
    assert status == 200
    locs = [loc.text for loc in etree.fromstring(data).iterfind("{*}url/{*}loc")]
    assert len(locs) > 100 and all(loc.startswith(served.base) for loc in locs)
    for loc in locs:
        assert fetch(loc)[0] == 200, loc
    status, kind, robots = fetch(served.base + "robots.txt")
    assert (status, kind) == (200, "text/plain") and f"Sitemap: {served.base}sitemap.xml" in robots.decode()
    assert fetch(served.base + "feed.xml")[0] == 200
    page = BeautifulSoup(fetch(served.base + "companies/dji/")[2], "html.parser")
    image = page.find("meta", property="og:image")["content"]
    assert fetch(image)[:2] == (200, "image/png")
    assert page.find("link", rel="canonical")["href"] == served.base + "companies/dji/"
