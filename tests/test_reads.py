"""Pages record what they read, completely: a table of edit kinds.

For each kind of edit, the site is built before and after it. A read key
*changed* when `reads.value_of` gives a different value for it before and
after (templates: their source; the chrome: the chrome). Then, for every page:

- if its bytes changed (or it appeared or went away), its record holds a
  changed key: nothing it shows escaped its record;
- if its record holds no changed key, its bytes are identical.

The second follows from the first; both are asserted so a failure says which
page and which way. The incremental build and live preview on the roadmap
stand on this property. `test_the_table_catches_a_naive_recorder` shows two
naive recorders it catches: one that forgets the names wiki-links print, one
whose reused fragments do not replay their reads.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest

from conftest import ALPHA, BETA, SOURCES, write_corpus
from sourcebook import pipeline, reads, render
from sourcebook.reads import Inputs, Key
from sourcebook.render import PageRecord
from sourcebook.theme import Theme

GAMMA = """\
id: gamma
name: Gamma
sectors: [drones]
claims:
  - id: watches-alpha
    topic: market
    text: Watches [[alpha]] closely.
    as_of: 2021
    sources: [{id: src-b, locator: para 7}]
"""
UNUSED = """\
- id: src-c
  title: C memo
  publisher: Example Office
  url: https://example.net/c
  kind: ngo
"""
SETTINGS = """\
[tool.sourcebook]
title = "Reads test"

[tool.sourcebook.topics]
ownership = "Ownership"
market = "Products and market position"
"""
BASE = {"sources.yaml": SOURCES + UNUSED, "alpha.yaml": ALPHA,
        "beta.yaml": BETA.replace("text: Founded in 2001.", "text: Founded in 2001; a rival of [[alpha]]."),
        "settings.toml": SETTINGS}


@dataclass
class Built:
    files: dict[str, bytes]
    records: dict[str, PageRecord]
    inputs: Inputs
    chrome: object
    theme: Theme


def build(tmp_path: Path, name: str, files: dict[str, str], templates: dict[str, str] | None = None) -> Built:
    folder = write_corpus(tmp_path / name / "dossiers", files)
    theme_dir = write_corpus(tmp_path / name / "theme", templates) if templates else None
    out = tmp_path / name / "site"
    result = pipeline.build(pipeline.Options(dossiers=folder, out=out, config=folder / "settings.toml",
                                             templates=theme_dir))
    inputs = pipeline.index(result.corpus, result.settings)
    site = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}
    return Built(site, {r.path: r for r in result.records}, inputs, pipeline.chrome(inputs),
                 Theme.with_override(theme_dir))


def changed_keys(before: Built, after: Built) -> set[Key]:
    keys = {k for b in (before, after) for r in b.records.values() for k in r.reads}

    def value(built: Built, k: Key) -> object:
        if k[0] == "template":
            return built.theme.source(k[1])
        return reads.value_of(k, built.inputs, chrome=built.chrome)

    return {k for k in keys if value(before, k) != value(after, k)}


def violations(before: Built, after: Built) -> list[str]:
    changed = changed_keys(before, after)
    out = []
    for path in sorted(set(before.files) | set(after.files)):
        record = after.records.get(path) or before.records[path]
        recorded_change = changed & set(record.reads)
        same = before.files.get(path) == after.files.get(path)
        if not same and not recorded_change:
            out.append(f"{path} changed, but its record holds none of the changed keys {sorted(changed)}")
        # a page that recorded a changed key may still come out the same: records are coarse
    return out


def edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], (name, old)
    return {**files, name: files[name].replace(old, new)}


EDITS: dict[str, Callable[[dict[str, str]], tuple[dict[str, str], dict[str, str] | None]]] = {
    "a claim's text": lambda f: (edit(f, "alpha.yaml", "Competes with [[beta]].", "Competes hard with [[beta]]."), None),
    "a dossier's name": lambda f: (edit(f, "beta.yaml", "name: Beta", "name: Beta Robotics"), None),
    "a source's title": lambda f: (edit(f, "sources.yaml", "title: A report", "title: A revised report"), None),
    "a vocabulary label": lambda f: (edit(f, "settings.toml", 'market = "Products and market position"',
                                          'market = "Market"'), None),
    "a dossier added": lambda f: ({**f, "gamma.yaml": GAMMA}, None),
    "a source removed": lambda f: ({**f, "sources.yaml": SOURCES}, None),
    "a template changed": lambda f: (f, {"_source_card.html": _CARD}),
}
_CARD = """{% from "_macros.html" import title_of, source_meta, source_links with context %}
{% set s = view %}
<a href="{{ url(s.page) }}">{{ title_of(s) }}</a> (edited card). {{ source_meta(s) }}
<span class="links">{{ source_links(s) }}</span>
"""


@pytest.mark.parametrize("kind", list(EDITS))
def test_every_page_that_changed_recorded_what_changed(tmp_path, kind):
    before = build(tmp_path, "before", BASE)
    files, templates = EDITS[kind](BASE)
    after = build(tmp_path, "after", files, templates)
    changed = changed_keys(before, after)
    assert changed, f"{kind}: the edit changed no key (a broken fixture)"
    differing = {p for p in set(before.files) | set(after.files) if before.files.get(p) != after.files.get(p)}
    assert differing, f"{kind}: the edit changed no page (a broken fixture)"
    assert violations(before, after) == []
    untouched = [p for p in set(before.files) & set(after.files)
                 if not changed & set(after.records[p].reads) and not changed & set(before.records[p].reads)]
    assert untouched, f"{kind}: every page recorded the change: the records prove nothing here"
    assert [p for p in untouched if before.files[p] != after.files[p]] == []


def test_the_table_catches_a_naive_recorder(tmp_path, monkeypatch):
    """Two naive recorders fail the table: names printed by wiki-links left unrecorded (the
    dossier-name edit), and reused fragments that do not replay their reads (the template edit)."""
    before = build(tmp_path, "before", BASE)
    monkeypatch.setattr(reads.Reads, "_names_in", lambda self, texts: None)
    # every dossier's names (automatic links) would cover the name too: this recorder forgets them as well
    monkeypatch.setattr(reads.Reads, "aliases", lambda self: self.inputs.indexes.aliases)
    real = render.Renderer._html_filter

    @jinja2.pass_context
    def forgetful(self, context, value, lang="zh", autolink=None):
        html = real(self, context, value, lang, autolink)
        context["_sourcebook"].reads.difference_update(k for k in list(context["_sourcebook"].reads)
                                                       if k[0] in ("name", "aliases"))
        return html

    monkeypatch.setattr(render.Renderer, "_html_filter", forgetful)
    renamed = build(tmp_path, "renamed", EDITS["a dossier's name"](BASE)[0])
    # sources/src-a/ shows alpha's claim "Competes with [[beta]]" and printed beta's new name unrecorded
    assert any(v.startswith("sources/src-a/index.html changed") for v in violations(before, renamed))

    monkeypatch.undo()
    before = build(tmp_path, "before2", BASE)
    real_fragment = render.Renderer._fragment_filter

    @jinja2.pass_context
    def no_replay(self, context, view, template):
        hit = (template, view.id, context["_sourcebook"].depth) in self.fragments
        html = real_fragment(self, context, view, template)
        if hit:  # a reused card: take back what the replay added
            context["_sourcebook"].reads.difference_update({("template", "_source_card.html")})
        return html

    monkeypatch.setattr(render.Renderer, "_fragment_filter", no_replay)
    edited = build(tmp_path, "edited", *EDITS["a template changed"](BASE))
    assert any("changed, but its record holds none" in v for v in violations(before, edited))
