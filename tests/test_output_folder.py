"""The output folder: the build replaces only a folder it wrote, and never deletes what it did not write."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import minimal_files, write_corpus
from sourcebook.destinations.folder import MANIFEST


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_hand_made_folder_is_refused_and_every_file_kept(tmp_path, run_cli):
    corpus = write_corpus(tmp_path / "d", minimal_files())
    mine = write_corpus(tmp_path / "mine", {"index.html": "<h1>my own page</h1>"})
    (mine / "report.pdf").write_bytes(b"%PDF-1.7 precious")
    before = snapshot(mine)
    run = run_cli("build", "--dossiers", corpus, "--out", mine)
    assert run.code == 2
    assert run.lines == [f"{mine}: error[unsafe-output]: will not replace '{mine}': it is not empty and was not "
                         f"written by sourcebook (no {MANIFEST}): it holds index.html, report.pdf; choose another --out"]
    assert snapshot(mine) == before


def test_the_build_writes_a_manifest_of_every_file(tmp_path, run_cli):
    corpus = write_corpus(tmp_path / "d", minimal_files())
    assert run_cli("build", "--dossiers", corpus, "--out", tmp_path / "site", "-q").code == 0
    listed = json.loads((tmp_path / "site" / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert listed == sorted(set(snapshot(tmp_path / "site")) - {MANIFEST})


def test_a_stray_file_is_reported_not_deleted(tmp_path, run_cli):
    corpus = write_corpus(tmp_path / "d", minimal_files())
    site = tmp_path / "site"
    assert run_cli("build", "--dossiers", corpus, "--out", site, "-q").code == 0
    (site / "CNAME").write_text("dossiers.example.org\n")
    before = snapshot(site)
    run = run_cli("build", "--dossiers", corpus, "--out", site)
    assert run.code == 2
    assert run.lines == [f"{site}: error[unsafe-output]: will not replace '{site}': it holds 1 file that no earlier "
                         "build wrote: CNAME; move them elsewhere (files a host needs, such as CNAME, belong in the "
                         "extra-files folder); choose another --out"]
    assert snapshot(site) == before


def test_a_site_from_before_manifests_is_migrated_once(tmp_path, run_cli):
    corpus = write_corpus(tmp_path / "d", minimal_files())
    site = tmp_path / "site"
    assert run_cli("build", "--dossiers", corpus, "--out", site, "-q").code == 0
    (site / MANIFEST).unlink()          # what the previous version of sourcebook left
    shutil.rmtree(site / "sources" / "src-b")  # and fewer pages than this one writes
    run = run_cli("build", "--dossiers", corpus, "--out", site)
    assert run.code == 0, run.err
    assert (f"{site}: notice[output-migrated]: replaced an earlier build that had no {MANIFEST}; it has one now, "
            "and later builds replace only what it lists") in run.lines
    assert (site / MANIFEST).is_file() and (site / "sources/src-b/index.html").is_file()
    again = run_cli("build", "--dossiers", corpus, "--out", site)
    assert again.code == 0 and "output-migrated" not in again.err


def test_a_site_without_manifest_holding_other_files_is_refused(tmp_path, run_cli):
    corpus = write_corpus(tmp_path / "d", minimal_files())
    site = tmp_path / "site"
    assert run_cli("build", "--dossiers", corpus, "--out", site, "-q").code == 0
    (site / MANIFEST).unlink()
    (site / "notes.txt").write_text("mine")
    before = snapshot(site)
    run = run_cli("build", "--dossiers", corpus, "--out", site)
    assert run.code == 2
    assert run.lines == [f"{site}: error[unsafe-output]: will not replace '{site}': it has no {MANIFEST} and "
                         "holds 1 file this build does not write: notes.txt; move them elsewhere; choose "
                         "another --out"]
    assert snapshot(site) == before
