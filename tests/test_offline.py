"""The offline copy: every hosted build writes <short_name>-offline.zip, the site to read from file://.

It is checked as its users meet it: unpacked by Info-ZIP's unzip (where installed) and by Python's
zipfile, compared byte for byte with a tree that `build --offline` renders on its own, and built twice
to give the same bytes. Reading it in a browser from file:// is in tests/test_browser.py.
"""
from __future__ import annotations

import io
import random
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BETA, DOSSIERS, ROOT, minimal_files, run_process, write_corpus
from sourcebook import outputs, pipeline, urls
from sourcebook.destinations import zip as zipdest
from sourcebook.destinations.folder import MANIFEST
from sourcebook.output import Output
from sourcebook.outputs.output import NonPage
from sourcebook.problems import BuildFailed

ZIP = "sourcebook-offline.zip"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def members(archive: bytes, top: str = "sourcebook/") -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert all(n.startswith(top) for n in names), names[:5]
        return {n[len(top):]: z.read(n) for n in names}


def build(folder: Path, out: Path, **kwargs) -> pipeline.Result:
    return pipeline.build(pipeline.Options(dossiers=folder, out=out, **kwargs))


# --- what is in it ---------------------------------------------------------------------------

def test_the_zip_holds_the_tree_an_offline_render_makes(shipped_site, tmp_path):
    """Rewriting the hosted render gives, byte for byte, what rendering with offline links gives."""
    build(DOSSIERS, tmp_path / "offline", config=ROOT / "pyproject.toml", flavour="offline")
    rendered = tree(tmp_path / "offline")
    del rendered[MANIFEST]
    zipped = members((shipped_site / ZIP).read_bytes())
    assert zipped.keys() == rendered.keys()
    assert [k for k in zipped if zipped[k] != rendered[k]] == []
    hosted = tree(shipped_site)
    assert set(zipped) == set(hosted) - {ZIP, MANIFEST}, "every file of the hosted tree, data and static included"
    assert {"data/dossiers.json", "data/claims.csv", "static/style.css", "index.html"} <= set(zipped)


def test_the_hosted_tree_links_the_zip_from_the_footer_and_about_and_the_copy_does_not(shipped_site):
    for page in ("index.html", "about/index.html", "companies/dji/index.html"):
        html = BeautifulSoup((shipped_site / page).read_text(encoding="utf-8"), "html.parser")
        links = [a for a in html.find_all("a") if a["href"].endswith(ZIP)]
        assert links and all(a.find_parent("footer") or a.find_parent("main") for a in links), page
        assert "hosted-only" not in str(html), f"{page}: the hosted-only marks are left in"
    about = BeautifulSoup((shipped_site / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    assert about.select_one(f"main a[href='../{ZIP}']") is not None
    for page, data in members((shipped_site / ZIP).read_bytes()).items():
        if page.endswith(".html"):
            assert ZIP.encode() not in data and b"hosted-only" not in data, page


def test_every_link_of_the_copy_names_a_file_it_holds(shipped_site):
    """What a file:// reader follows: every relative href and src resolves to a member, never a folder."""
    files = members((shipped_site / ZIP).read_bytes())
    checked = 0
    for page, data in files.items():
        if not page.endswith(".html"):
            continue
        for a in BeautifulSoup(data.decode("utf-8"), "html.parser").find_all(["a", "link", "script"]):
            href = a.get("href") or a.get("src") or ""
            if not href or href.startswith(("#", "http:", "https:", "mailto:")):
                continue
            path = href.split("#")[0]
            resolved = Path("/", page).parent.joinpath(path).resolve().as_posix().lstrip("/")
            assert resolved in files, f"{page}: {href} names {resolved}, which the copy does not hold"
            checked += 1
    assert checked > 1000


def test_a_build_with_offline_links_or_without_the_zip_writes_no_zip_and_no_link_to_it(corpus, tmp_path):
    for name, kwargs in (("offline", {"flavour": "offline"}), ("no-zip", {"offline_zip": False})):
        result = build(corpus, tmp_path / name, **kwargs)
        assert result.offline is None
        files = tree(tmp_path / name)
        assert ZIP not in files
        assert [p for p, data in files.items() if ZIP.encode() in data] == [], name


def test_short_name_names_the_zip_and_its_folder(corpus, tmp_path):
    settings_file = write_corpus(tmp_path / "conf", {"settings.toml": '[tool.sourcebook]\nshort_name = "china-tech"\n'})
    build(corpus, tmp_path / "site", config=settings_file / "settings.toml")
    assert not (tmp_path / "site" / ZIP).exists()
    assert "index.html" in members((tmp_path / "site/china-tech-offline.zip").read_bytes(), "china-tech/")
    footer = BeautifulSoup((tmp_path / "site/index.html").read_text(encoding="utf-8"), "html.parser").footer
    assert footer.find("a", href="china-tech-offline.zip") is not None


def test_non_page_outputs_whose_links_differ_are_made_again_for_the_copy(corpus, tmp_path, monkeypatch):
    """An output that says its files depend on the link flavour (a search index holding hrefs) is run
    once per tree; one that says they do not is copied."""
    def files(build):
        yield Output("static/flavour.txt", build.flavour.encode())

    monkeypatch.setattr(outputs, "OUTPUTS", outputs.OUTPUTS + (NonPage("flavour", files),))
    monkeypatch.setattr(pipeline, "OUTPUTS", outputs.OUTPUTS)
    build(corpus, tmp_path / "site")
    assert (tmp_path / "site/static/flavour.txt").read_bytes() == b"hosted"
    assert members((tmp_path / "site" / ZIP).read_bytes())["static/flavour.txt"] == b"offline"


def test_with_base_url_and_extra_files_the_copy_holds_what_an_offline_build_writes(tmp_path):
    """Extra files (one replacing robots.txt, a verification page whose links are not ours to check), the
    sitemap, the feed and 404.html: the zip holds exactly the tree `build --offline` writes from the same
    project. 404.html's hosted links are rooted; the copy's are relative, as in any page at the root."""
    from test_publish import BASE, EXTRA, project
    extra = {**EXTRA, "google1234.html": b'<a href="nowhere/">verified</a> <a href="/x/">too</a>'}
    dossiers = project(tmp_path, f"base_url = '{BASE}'\n", extra)
    build(dossiers, tmp_path / "site")
    build(dossiers, tmp_path / "offline", flavour="offline")
    rendered = tree(tmp_path / "offline")
    del rendered[MANIFEST]
    zipped = members((tmp_path / "site" / ZIP).read_bytes())
    assert zipped.keys() == rendered.keys()
    assert [k for k in zipped if zipped[k] != rendered[k]] == []
    assert {name: zipped[name] for name in extra} == extra
    assert {"sitemap.xml", "feed.xml", "404.html"} <= set(zipped)
    assert b'href="/dossiers/companies/alpha/"' in (tmp_path / "site/404.html").read_bytes()
    assert b'href="companies/alpha/index.html"' in zipped["404.html"] and b'href="/' not in zipped["404.html"]


def test_an_extra_file_may_replace_the_zip(tmp_path):
    from test_publish import project
    dossiers = project(tmp_path, extra={ZIP: b"my own download"})
    build(dossiers, tmp_path / "site")
    assert (tmp_path / "site" / ZIP).read_bytes() == b"my own download"


# --- the same bytes, and little work for a small edit -----------------------------------------

def test_two_builds_give_a_byte_identical_zip(tmp_path):
    """Two processes, two folders, cold; then a rebuild over the first after an edit, which copies the
    unchanged members, gives the same bytes as a cold build of the edited corpus."""
    folder = write_corpus(tmp_path / "dossiers", minimal_files())
    one = run_process("build", "-q", "--dossiers", folder, "--out", tmp_path / "one", cwd=tmp_path)
    two = run_process("build", "-q", "--dossiers", folder, "--out", tmp_path / "two", cwd=tmp_path)
    assert one.code == two.code == 0, one.err + two.err
    first = (tmp_path / "one" / ZIP).read_bytes()
    assert first == (tmp_path / "two" / ZIP).read_bytes()

    (folder / "beta.yaml").write_text(BETA.replace("Founded in 2001.", "Founded in 2001 in a garage."))
    again = build(folder, tmp_path / "one")
    cold = build(folder, tmp_path / "cold")
    assert (tmp_path / "one" / ZIP).read_bytes() == (tmp_path / "cold" / ZIP).read_bytes() != first
    assert again.offline is not None and cold.offline is not None
    assert cold.offline.copied == 0 and cold.offline.deflated == cold.offline.members
    changed = {"companies/beta/index.html", "sources/src-b/index.html", "topics/ownership/index.html",
               "static/search/companies/beta.js", "data/dossiers.json", "data/companies/beta.json", "data/claims.csv"}
    assert (again.offline.deflated, again.offline.copied) == (len(changed), again.offline.members - len(changed))
    before, after = members(first), members((tmp_path / "one" / ZIP).read_bytes())
    assert {k for k in after if after[k] != before.get(k)} == changed


@pytest.mark.parametrize("where", ["header", "data"])
def test_a_damaged_previous_zip_lends_nothing_damaged(corpus, tmp_path, where):
    """Bytes damaged in an old member's header or in its compressed data (its CRC in the directory still
    matching) are never copied into the new archive."""
    out = tmp_path / "site"
    build(corpus, out)
    good = (out / ZIP).read_bytes()
    with zipfile.ZipFile(io.BytesIO(good)) as z:
        first = z.infolist()[0]
    start = first.header_offset + (30 if where == "header" else 30 + len(first.filename) + 5)  # name, or data
    damaged = bytearray(good)
    damaged[start:start + 8] = bytes(b ^ 0xFF for b in damaged[start:start + 8])
    (out / ZIP).write_bytes(bytes(damaged))
    result = build(corpus, out)
    assert (out / ZIP).read_bytes() == good
    assert result.offline is not None and result.offline.copied == result.offline.members - 1


def test_the_archive_format_is_fixed(shipped_site):
    """Sorted members in one folder, one date (1980-01-01), one mode (rw-r--r--, made on Unix), UTF-8
    names, no extra fields, no data descriptors, deflate or stored."""
    data = (shipped_site / ZIP).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        for i in infos:
            assert i.date_time == (1980, 1, 1, 0, 0, 0), i.filename
            assert (i.external_attr >> 16, i.create_system) == (0o100644, 3), i.filename
            assert i.extra == b"" and i.comment == b"" and i.flag_bits == 0x0800, i.filename
            assert i.compress_type in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)
            local = data[i.header_offset:i.header_offset + 30]
            assert struct.unpack("<I", local[:4])[0] == 0x04034B50
            assert struct.unpack("<H", local[28:30])[0] == 0, f"{i.filename}: an extra field in the local header"
        assert z.comment.startswith(b"sourcebook offline copy; zip format 1; deflate level 3; zlib ")


@pytest.mark.skipif(shutil.which("unzip") is None, reason="Info-ZIP unzip is not installed")
def test_info_zip_unpacks_it_into_a_path_with_spaces_and_other_letters(shipped_site, tmp_path):
    target = tmp_path / "Read me" / "离线 copy"
    target.mkdir(parents=True)
    tested = subprocess.run(["unzip", "-t", str(shipped_site / ZIP)], capture_output=True, text=True)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout[-500:]
    unpacked = subprocess.run(["unzip", "-q", str(shipped_site / ZIP), "-d", str(target)], capture_output=True)
    assert unpacked.returncode == 0, unpacked.stderr
    assert [p.name for p in target.iterdir()] == ["sourcebook"]
    assert tree(target / "sourcebook") == members((shipped_site / ZIP).read_bytes())
    assert oct((target / "sourcebook/index.html").stat().st_mode & 0o777) == "0o644"


def test_more_than_65535_members_get_zip64_end_records(tmp_path):
    count = 70_000
    data, stats = zipdest.archive((Output(f"p/{i:05d}.txt", b"") for i in range(count)), "many")
    assert stats.members == count
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert len(names) == count and names[-1] == f"many/p/{count - 1:05d}.txt"
    if shutil.which("unzip"):
        (tmp_path / "many.zip").write_bytes(data)
        listed = subprocess.run(["unzip", "-l", str(tmp_path / "many.zip")], capture_output=True, text=True)
        assert listed.returncode == 0 and f"{count} files" in listed.stdout.splitlines()[-1]


def test_an_archive_over_its_size_limit_is_refused_with_a_problem():
    archive = zipdest.Archive("site", max_bytes=1000)
    archive.add(Output("index.html", random.Random(1).randbytes(5000)))  # stored: deflate would not shrink it
    with pytest.raises(BuildFailed) as failed:
        archive.finish()
    assert [str(p) for p in failed.value.problems] == [  # 30 + 15 + 5,000 (member) + 46 + 15 (directory)
        "site: error[zip-too-large]: the offline zip would hold 5,106 bytes; a zip without ZIP64 offsets holds "
        "at most 1,000"]


def test_the_zip_destination_writes_a_file_atomically(tmp_path):
    where = tmp_path / "copy.zip"
    stats = zipdest.write_zip([Output("index.html", b"<p>hi</p>")], where)
    assert (stats.members, stats.deflated, stats.copied) == (1, 1, 0)
    again = zipdest.write_zip([Output("index.html", b"<p>hi</p>")], where)
    assert (again.copied, [p.name for p in tmp_path.iterdir()]) == (1, ["copy.zip"])
    assert members(where.read_bytes(), "copy/") == {"index.html": b"<p>hi</p>"}


# --- the link check of the copy ----------------------------------------------------------------

def test_a_theme_that_links_the_zip_inside_the_copy_fails_the_build(tmp_path, run_cli, corpus):
    theme = write_corpus(tmp_path / "theme", {"index.html": (
        "{% extends 'base.html' %}{% block main %}<a href=\"{{ url(chrome.download) }}\">zip</a>{% endblock %}")})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == ["index.html: error[output-integrity]: in the offline copy, links to "
                            "'sourcebook-offline.zip', which it does not hold"]
    assert not (tmp_path / "site").exists()


def test_a_theme_link_the_rewrite_cannot_see_fails_the_build(tmp_path, run_cli, corpus):
    """A single-quoted href is not rewritten to name index.html: the copy's own link check catches it."""
    theme = write_corpus(tmp_path / "theme", {"index.html": (
        "{% extends 'base.html' %}{% block main %}<a href='{{ url(view.companies[0].target) }}'>x</a>{% endblock %}")})
    result = run_cli("build", "--dossiers", corpus, "--templates", theme, "--out", tmp_path / "site")
    assert result.code == 1
    assert result.lines == ["index.html: error[output-integrity]: in the offline copy, links to 'companies/alpha/', "
                            "a folder: read from file://, a link must name a file (its index.html)"]


PATHS = st.lists(st.sampled_from(["companies", "sources", "dji", "a-b", "x1", "static", "data"]), max_size=3)


@settings(max_examples=300, deadline=None)
@given(PATHS, PATHS, st.sampled_from(["", "#ref_1", "#x--y"]), st.booleans(), st.booleans())
def test_rewriting_hosted_hrefs_gives_the_offline_hrefs(here, there, fragment, page, shared):
    """The rewrite against urls.relative and urls.climbing themselves, for any two pages (or files)."""
    source = "/".join([*here, "index.html"])
    target = "/".join([*there, "index.html" if page else "style.css"])
    if shared:
        hosted, offline = (urls.climbing(len(here), target, f) for f in ("hosted", "offline"))
    else:
        hosted, offline = (urls.PageUrls(source, f)(urls.Target(target, fragment)) for f in ("hosted", "offline"))
        hosted, offline = hosted.removesuffix(fragment), offline.removesuffix(fragment)
    html = f'<a href="{hosted}{fragment}">x</a> <a class="external" href="https://example.org/">y</a>'
    assert urls.offline_hrefs(html.encode()).decode() == html.replace(f'"{hosted}{fragment}"', f'"{offline}{fragment}"')
