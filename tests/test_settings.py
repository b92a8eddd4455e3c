"""Settings are data: their documentation is generated from the declarations, and read like dossier fields."""
from __future__ import annotations

from conftest import ROOT, minimal_files, write_corpus, write_editor_corpus
from sourcebook import pipeline
from sourcebook.settings import settings_markdown


def test_docs_settings_md_is_generated_from_the_declarations():
    shipped = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert shipped == settings_markdown(pipeline.declared_settings()), \
        "docs/settings.md is stale: run `python build.py schema --settings-doc docs/settings.md`"


def test_every_declared_setting_is_documented_and_has_a_default():
    for f in pipeline.declared_settings():
        assert f.doc, f.name
        assert f"| `{f.name}` |" in settings_markdown(pipeline.declared_settings())


def test_base_url_unset_is_one_notice_never_a_strict_failure(tmp_path, run_cli):
    folder = write_editor_corpus(tmp_path / "d", {**minimal_files(), "s.toml": "[tool.sourcebook]\nbase_url = ''\n"})
    run = run_cli("build", "--strict", "--dossiers", folder, "--config", folder / "s.toml", "--out", tmp_path / "o")
    assert run.code == 0, run.err
    assert [line for line in run.lines if "base-url-unset" in line] == [
        f"{folder}/s.toml: notice[base-url-unset]: base_url is not set: canonical links, Open Graph URLs, "
        "sitemap.xml, robots.txt, feed.xml and absolute citation URLs are left out, and 404.html links from the "
        "host's root (set base_url or --base-url)"]


def test_base_url_set_must_be_absolute_and_end_in_a_slash(tmp_path, run_cli):
    folder = write_corpus(tmp_path / "d", minimal_files())
    for bad in ("example.org/", "ftp://example.org/", "https://example.org/x", "https://example.org/?a=1/"):
        (folder / "s.toml").write_text(f"[tool.sourcebook]\nbase_url = '{bad}'\n")
        run = run_cli("check", "--dossiers", folder, "--config", folder / "s.toml")
        assert run.code == 2 and "error[invalid-url]" in run.err, (bad, run.err)
    (folder / "s.toml").write_text("[tool.sourcebook]\nbase_url = 'https://example.org/dossiers/'\n")
    ok = run_cli("build", "--dossiers", folder, "--config", folder / "s.toml", "--out", tmp_path / "o")
    assert ok.code == 0 and "base-url-unset" not in ok.err
