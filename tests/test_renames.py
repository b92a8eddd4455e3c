"""Permalinks survive renames: an entry's `former_ids` keep leading to it on its dossier's page.

The rules that keep former ids unique are in tests/test_errors.py (former-id-in-use,
duplicate-former-id, reserved-id); `diff`'s report of renames is in tests/test_diff.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ALPHA, REQUIRE_BROWSER, minimal_files, serve, write_corpus
from safety import unsafe_output
from sourcebook import pipeline

RENAMED = (ALPHA.replace("  - id: rival\n", "  - id: rival-2019\n    former_ids: [rival, competes]\n")
           .replace("  - id: listed\n", "  - id: entity-list\n    former_ids: [listed]\n")
           .replace("  - id: rival-beta\n", "  - id: competitor-beta\n    former_ids: [rival-beta]\n"))


@pytest.fixture(scope="module")
def renamed_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("renamed")
    folder = write_corpus(root / "dossiers", {**minimal_files(), "alpha.yaml": RENAMED})
    pipeline.build(pipeline.Options(dossiers=folder, out=root / "site"))
    return root / "site"


def test_each_former_id_is_an_element_inside_its_entry(renamed_site):
    page = BeautifulSoup((renamed_site / "companies/alpha/index.html").read_text(encoding="utf-8"), "html.parser")
    found = {span["id"]: span.find_parent("li")["id"] for span in page.select("span.former-id")}
    assert found == {"rival": "rival-2019", "competes": "rival-2019", "listed": "entity-list",
                     "rival-beta": "competitor-beta"}
    assert all(not span.contents for span in page.select("span.former-id"))
    assert unsafe_output(renamed_site) == []


def test_the_model_carries_former_ids_for_the_exports(tmp_path):
    folder = write_corpus(tmp_path / "dossiers", {**minimal_files(), "alpha.yaml": RENAMED})
    dossier = pipeline.check(pipeline.Options(dossiers=folder)).corpus.dossier("alpha")
    assert [(e.id, e.former_ids) for e in dossier.entries] == [("rival-2019", ("rival", "competes")),
                                                               ("entity-list", ("listed",))]
    assert [(r.id, r.former_ids) for r in dossier.relationships] == [("competitor-beta", ("rival-beta",))]


try:
    from playwright.sync_api import Page
except ImportError:  # conftest's `page` fixture explains the skip
    if REQUIRE_BROWSER:
        raise
    Page = object  # type: ignore[misc,assignment]

LANDED = """anchor => {
  const target = document.querySelector(':target');
  const entry = target && target.closest('li');
  const box = entry && entry.getBoundingClientRect();
  return {target: target && target.id, entry: entry && entry.id,
          visible: !!box && box.bottom > 0 && box.top < window.innerHeight};
}"""


@pytest.mark.parametrize("old,new", [("rival", "rival-2019"), ("competes", "rival-2019"),
                                     ("listed", "entity-list"), ("rival-beta", "competitor-beta")])
def test_an_old_permalink_lands_on_the_renamed_entry(page: Page, renamed_site, old, new):
    page.set_viewport_size({"width": 360, "height": 400})  # small, so the browser has to scroll to it
    with serve(renamed_site) as root:
        page.goto(f"{root}companies/alpha/#{old}")
        assert page.evaluate(LANDED, old) == {"target": old, "entry": new, "visible": True}
